import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../bench/free-port.ts';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own, for tests that stop and start the server (outage drills):
 * the shared server is never touched. Made with the installed server binaries
 * (/usr/lib/postgresql/<version>/bin, as Debian installs them); PostgreSQL refuses to run as
 * root, so as root the cluster belongs to the `postgres` user.
 */
export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  /** `fast` ends sessions with 57P01 and shuts down cleanly; `immediate` is a crash (recovery at the next start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts the server and returns once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server and removes its files. */
  destroy(): Promise<void>;
}

function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((name) => fs.existsSync(path.join(root, name, 'bin', 'initdb'))) : [];
  if (versions.length === 0) throw new Error(`No PostgreSQL server binaries under ${root}/<version>/bin: install the postgresql package`);
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0]!;
  return path.join(root, newest, 'bin');
}

/** runuser lives in an sbin directory, which a non-login PATH (cron, some CI runners) may leave out. */
function runuserPath(): string {
  return ['/usr/sbin/runuser', '/sbin/runuser'].find((candidate) => fs.existsSync(candidate)) ?? 'runuser';
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = serverBinaries();
  const asRoot = process.getuid?.() === 0;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-pg-'));
  const dataDir = path.join(home, 'data');
  if (asRoot) fs.chownSync(home, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  // Run from the cluster's own directory: the postgres user may not be allowed into the caller's.
  const pgRun = (program: string, args: string[]) =>
    asRoot ? run(runuserPath(), ['-u', 'postgres', '--', path.join(bin, program), ...args], { cwd: home }) : run(path.join(bin, program), args, { cwd: home });
  const port = await freePort();
  await pgRun('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  // fsync off: a crash of the server process still keeps what it wrote (the page cache survives); only the machine must not fail.
  const options = `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => void (await pgRun('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(home, 'server.log'), '-w', '-t', '60', 'start']));
  await start();
  let destroyed = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async (mode) => void (await pgRun('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop'])),
    start,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await pgRun('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
