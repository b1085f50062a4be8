import { pino, type Logger } from 'pino';
import type { HeraldConfig } from './config/config.ts';

export type { Logger };

/** Structured JSON logs. Credentials are redacted wherever they could appear. */
export function createLogger(level: HeraldConfig['logLevel'], destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          '*.secretAccessKey',
          '*.password',
          '*.secret',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
