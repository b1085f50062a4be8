import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from '../storage/database.ts';

export interface WorkerHeartbeatOptions {
  database: HeraldDatabase;
  clock: Clock;
  /** The id this process's leases carry (`lease_owner`). */
  workerId: string;
  intervalSeconds: number;
  /** A worker whose last heartbeat is older than this is dead, and its leases are taken over. */
  deadAfterSeconds: number;
  logger: Logger;
}

export interface WorkerHeartbeat {
  readonly workerId: string;
  /** Registers this worker and heartbeats every interval until `stop`. */
  start(): Promise<void>;
  /** Stops heartbeating and unregisters (call after the workers gave their leases back). */
  stop(): Promise<void>;
  /** Writes one heartbeat now; the timer calls it. Never throws. */
  beat(): Promise<void>;
  /**
   * Workers whose last heartbeat is older than this (epoch ms) are dead. Undefined until this
   * worker's own heartbeats have succeeded for a whole `deadAfterSeconds` — after its start or
   * after a database outage every heartbeat is old, and a peer's silence is then the
   * database's, not the peer's — and while its own last heartbeat is that old (it was stalled).
   */
  staleBeforeMs(): number | undefined;
}

/** Unique per process, and readable in logs and events. */
export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Rows of workers silent for this long are deleted (by the next worker to start); their leases ran out long ago. */
const FORGET_DEAD_WORKERS_AFTER_MS = 24 * 3_600_000;

/**
 * Liveness of worker processes, as Oban and graphile-worker do it: each worker process
 * heartbeats into the `workers` table, and a lease held by a worker whose heartbeats stopped
 * is taken over without waiting for the lease to run out (see leased-queue.ts). Leases keep
 * their full length for live workers, so a slow send is never taken over while its worker heartbeats.
 */
export function createWorkerHeartbeat(options: WorkerHeartbeatOptions): WorkerHeartbeat {
  const { database, clock, workerId } = options;
  const { db } = database;
  const intervalMs = options.intervalSeconds * 1000;
  const deadAfterMs = options.deadAfterSeconds * 1000;
  const log = options.logger.child({ component: 'worker-heartbeat', workerId });
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> | undefined;
  /** Since when every heartbeat succeeded; undefined after a failure, until the next success. */
  let healthySinceMs: number | undefined;
  /** The time the last successful heartbeat wrote into this worker's row. */
  let lastBeatAtMs: number | undefined;
  let failing = false;

  /** Upserts this worker's row; `registering` also (re)sets when it started, over a row an earlier process with this id left. */
  async function write(registering: boolean): Promise<void> {
    const nowMs = clock.now();
    try {
      await db
        .insertInto('workers')
        .values({ id: workerId, started_at: nowMs, heartbeat_at: nowMs })
        .onConflict((oc) => oc.column('id').doUpdateSet(registering ? { started_at: nowMs, heartbeat_at: nowMs } : { heartbeat_at: nowMs }))
        .execute();
      healthySinceMs ??= nowMs;
      lastBeatAtMs = nowMs;
      if (failing) log.info('heartbeats are written again');
      failing = false;
    } catch (error) {
      healthySinceMs = undefined;
      if (!failing) log.warn({ err: error }, 'could not write a heartbeat; other workers may take over this worker’s leases if this lasts');
      failing = true;
    }
  }

  const beat = (registering = false) => (beating ??= write(registering).finally(() => (beating = undefined)));

  return {
    workerId,

    async start() {
      if (timer) return;
      // Rows of long-dead workers only take up space; a row removed too early would merely make its leases wait to run out.
      await db.deleteFrom('workers').where('heartbeat_at', '<', clock.now() - FORGET_DEAD_WORKERS_AFTER_MS).execute().catch((error: unknown) => {
        log.warn({ err: error }, 'could not remove the rows of long-dead workers');
      });
      await beat(true);
      timer = setInterval(() => void beat(), intervalMs);
      timer.unref();
    },

    async stop() {
      clearInterval(timer);
      timer = undefined;
      await beating;
      healthySinceMs = undefined;
      await db.deleteFrom('workers').where('id', '=', workerId).execute().catch((error: unknown) => {
        log.warn({ err: error }, 'could not unregister this worker; its row is removed once it is old');
      });
    },

    beat: () => beat(),

    staleBeforeMs() {
      const nowMs = clock.now();
      if (healthySinceMs === undefined || nowMs - healthySinceMs < deadAfterMs) return undefined;
      // Stalled past the dead-after time (a frozen VM, a long pause, a clock that jumped): this worker's own row
      // looks dead too, and taking over its own sends in flight would send them twice. It judges again once it beat.
      if (lastBeatAtMs === undefined || nowMs - lastBeatAtMs >= deadAfterMs) return undefined;
      return nowMs - deadAfterMs;
    },
  };
}
