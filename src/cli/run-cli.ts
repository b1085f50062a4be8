import { parseArgs } from 'node:util';
import { readConfigFromEnvironment, type HeraldConfig } from '../config/config.ts';
import { HeraldError } from '../errors.ts';
import { HeraldApiError, HeraldNetworkError } from '../../sdk/src/index.ts';
import type { HeraldRole } from '../herald.ts';
import { isClusterWorker, leaveCluster, runProcessCluster } from './process-cluster.ts';

/*
 * Commands load what they use when they run: the remote ones (send, messages) start in a fraction
 * of the time the whole of Herald takes to load, and `start` does not load the CSV parser.
 */
const loadHerald = () => import('../herald.ts');
const management = () => import('./management-commands.ts');

const USAGE = `Usage: herald <command>

  start [--role api|worker|scheduler|ingest ...] [--processes N]
                                            run Herald (all roles by default); N processes
                                            share the port (PostgreSQL only)
  migrate                                   apply database migrations
  app create NAME [--description TEXT] [--json]
  app list [--json]
  key create --app NAME [--json]            prints the secret once
  key list --app NAME [--json]
  key revoke ACCESS_KEY_ID
  admin create --email EMAIL --password PASSWORD [--name NAME] [--role owner|admin|operator|viewer]

Talking to a running Herald with an access key (HERALD_URL, HERALD_ACCESS_KEY, HERALD_SECRET_KEY,
or a profile in ~/.config/herald/profiles.json):
  send [--type CODE] [--template CODE | --title TEXT --body TEXT [--format text|markdown|html]]
       [--to RECEIVER ...] [--csv FILE [--to-column NAME]] [--data NAME=VALUE ...] [--channel CHANNEL ...]
       [--chunk-size N] [--summary FILE] [--profile NAME]
                                            send through a remote Herald (docs/sdk.md); RECEIVER is
                                            a subscriber id or kind:value (email:a@b.c, phone:+86...)
  messages tail [--type CODE] [--status STATUS] [--since ISO-TIME] [--interval-ms N] [--json] [--profile NAME]
                                            follow new messages and their event trails (Ctrl-C stops)

Configuration comes from the environment; see the README.`;

/** Parses argv, runs one command, and returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Remote commands talk to a Herald elsewhere: they need no database configuration.
  if (command === 'send' || command === 'messages') {
    try {
      return command === 'send' ? await (await import('./send-command.ts')).runSendCommand(rest) : await (await import('./messages-tail-command.ts')).runMessagesCommand(rest);
    } catch (error) {
      return fail(error);
    }
  }
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
        const [{ openDatabase }, { migrateToLatest }] = await Promise.all([import('../storage/database.ts'), import('../storage/migrator.ts')]);
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
        return await (await management()).runAppCommand(config, rest);
      case 'key':
        return await (await management()).runKeyCommand(config, rest);
      case 'admin':
        return await (await management()).runAdminCommand(config, rest);
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
  if (error instanceof HeraldApiError) {
    console.error(`herald: Herald refused: ${error.detail} (${error.code}, HTTP ${error.status})`);
    return 1;
  }
  if (error instanceof HeraldNetworkError) {
    console.error(`herald: ${error.message}`);
    return 1;
  }
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

const MAX_PROCESSES = 64;

async function start(config: HeraldConfig, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', multiple: true }, processes: { type: 'string' } }, strict: true });
  const { createHerald, ROLES } = await loadHerald();
  const roles = (values.role ?? [...ROLES]) as HeraldRole[];
  for (const role of roles) {
    if (!ROLES.includes(role)) throw new HeraldError('invalid', 'ROLE_UNKNOWN', `Unknown role "${role}"; use one of ${ROLES.join(', ')}`);
  }
  const processes = values.processes === undefined ? 1 : Number(values.processes);
  if (!Number.isInteger(processes) || processes < 1 || processes > MAX_PROCESSES) {
    throw new HeraldError('invalid', 'PROCESSES_INVALID', `--processes: must be a whole number from 1 to ${MAX_PROCESSES}, got "${values.processes}"`);
  }
  if (processes > 1 && !isClusterWorker()) {
    if (config.storage.dialect === 'sqlite') {
      throw new HeraldError('invalid', 'PROCESSES_NEED_POSTGRES', '--processes: several processes need PostgreSQL (set DATABASE_URL); the embedded SQLite database takes one writing process');
    }
    if (roles.includes('ingest') && config.ingest.mqtt) {
      throw new HeraldError(
        'invalid',
        'PROCESSES_MQTT_SESSION',
        '--processes: MQTT ingestion holds one persistent session per client id, which several processes would take from each other; run it in its own process (--role ingest) and the other roles with --processes',
      );
    }
    const { createLogger } = await import('../logger.ts');
    return runProcessCluster({ processes, workerId: config.worker.id, logger: createLogger(config.logLevel, undefined, config.logFormat) });
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
  // A cluster worker's channel to its primary would keep it alive after everything else closed.
  leaveCluster();
  return 0;
}
