import { parseArgs } from 'node:util';
import { readConfigFromEnvironment, type HeraldConfig } from '../config/config.ts';
import { HeraldError } from '../errors.ts';
import { createHerald, ROLES, type HeraldRole } from '../herald.ts';
import { openDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrator.ts';
import { runAdminCommand, runAppCommand, runKeyCommand } from './management-commands.ts';

const USAGE = `Usage: herald <command>

  start [--role api|worker|scheduler|ingest ...]
                                            run Herald (all roles by default)
  migrate                                   apply database migrations
  app create NAME [--description TEXT] [--json]
  app list [--json]
  key create --app NAME [--json]            prints the secret once
  key list --app NAME [--json]
  key revoke ACCESS_KEY_ID
  admin create --email EMAIL --password PASSWORD [--name NAME] [--role owner|admin|operator|viewer]

Configuration comes from the environment; see the README.`;

/** Parses argv, runs one command, and returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  let config: HeraldConfig;
  try {
    config = readConfigFromEnvironment();
  } catch (error) {
    return fail(error);
  }
  try {
    switch (command) {
      case 'start':
        return await start(config, rest);
      case 'migrate': {
        const database = openDatabase(config.storage);
        try {
          const applied = await migrateToLatest(database);
          console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date');
        } finally {
          await database.close();
        }
        return 0;
      }
      case 'app':
        return await runAppCommand(config, rest);
      case 'key':
        return await runKeyCommand(config, rest);
      case 'admin':
        return await runAdminCommand(config, rest);
      case undefined:
      case 'help':
      case '--help':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        console.error(`Unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    return fail(error);
  }
}

function fail(error: unknown): number {
  if (error instanceof HeraldError) {
    console.error(`herald: ${error.message} (${error.code})`);
    return 1;
  }
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`herald: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  console.error(error);
  return 1;
}

async function start(config: HeraldConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', multiple: true } }, strict: true });
  const roles = (values.role ?? [...ROLES]) as HeraldRole[];
  for (const role of roles) {
    if (!ROLES.includes(role)) throw new HeraldError('invalid', 'ROLE_UNKNOWN', `Unknown role "${role}"; use one of ${ROLES.join(', ')}`);
  }
  const herald = await createHerald(config, { roles });
  await herald.start();
  const where = roles.includes('api') ? ` on http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}` : '';
  herald.context.logger.info({ roles, storage: config.storage.dialect }, `Herald started${where}`);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      herald.context.logger.info({ signal }, 'shutting down');
      process.off('SIGTERM', shutdown).off('SIGINT', shutdown);
      resolve();
    };
    process.on('SIGTERM', shutdown).on('SIGINT', shutdown);
  });
  await herald.stop();
  return 0;
}
