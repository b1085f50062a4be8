import { createRequire } from 'node:module';
import { pino, type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import type { HeraldConfig } from './config/config.ts';

export type { Logger };

const requireLazily = createRequire(import.meta.url);

/**
 * Structured logs, credentials redacted wherever they could appear. JSON for log
 * collectors; readable lines (pino-pretty, loaded only then) when a person watches a terminal.
 */
export function createLogger(level: HeraldConfig['logLevel'], destination?: pino.DestinationStream, format: HeraldConfig['logFormat'] = 'json'): Logger {
  const readable = format === 'pretty' || (format === 'auto' && destination === undefined && process.stdout.isTTY === true);
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          'secretAccessKey',
          'password',
          'currentPassword',
          'secret',
          '*.secretAccessKey',
          '*.password',
          '*.currentPassword',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    readable ? prettyStream(destination) : destination,
  );
}

function prettyStream(destination: pino.DestinationStream | undefined): pino.DestinationStream {
  const pretty = requireLazily('pino-pretty') as (options: PrettyOptions) => pino.DestinationStream;
  return pretty({ destination: destination ?? 1, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}
