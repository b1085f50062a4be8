import cluster, { type Worker } from 'node:cluster';
import { once } from 'node:events';
import type { Logger } from '../logger.ts';

/** A process that exits this soon after it was started counts as failing to start. */
const QUICK_EXIT_MS = 5000;
/** Failed starts in a row after which the cluster gives up (a port in use, a bad configuration). */
const MAX_QUICK_EXITS = 3;
const RESTART_DELAY_MS = 1000;

export interface ProcessClusterOptions {
  processes: number;
  /** HERALD_WORKER_ID of the whole start; each process gets it with its number appended, so lease owners stay unique. */
  workerId: string | undefined;
  logger: Logger;
}

/**
 * The primary of `herald start --processes N`: runs N copies of this same command as node:cluster
 * workers, which share the listening sockets (the primary hands connections out round-robin), so
 * one machine's cores all serve the API. A process that dies is started again; SIGTERM or SIGINT
 * stops every process gracefully and answers once all have exited. Answers the exit code.
 */
export async function runProcessCluster({ processes, workerId, logger }: ProcessClusterOptions): Promise<number> {
  let stopping = false;
  let quickExits = 0;
  const startedAt = new Map<Worker, number>();

  const fork = (index: number) => {
    const worker = cluster.fork(workerId === undefined ? {} : { HERALD_WORKER_ID: `${workerId}-${index}` });
    startedAt.set(worker, Date.now());
    worker.on('exit', (code, signal) => {
      const livedMs = Date.now() - startedAt.get(worker)!;
      startedAt.delete(worker);
      if (stopping) return;
      quickExits = livedMs < QUICK_EXIT_MS ? quickExits + 1 : 0;
      if (quickExits >= MAX_QUICK_EXITS) {
        logger.error({ code, signal, quickExits }, 'Herald processes keep exiting right after they start; stopping the cluster');
        stop(1);
        return;
      }
      logger.error({ pid: worker.process.pid, code, signal }, `a Herald process exited; starting another in ${RESTART_DELAY_MS} ms`);
      setTimeout(() => stopping || fork(index), RESTART_DELAY_MS).unref();
    });
  };

  let settle: (code: number) => void;
  const finished = new Promise<number>((resolve) => (settle = resolve));
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
    const running = [...startedAt.keys()];
    for (const worker of running) worker.process.kill('SIGTERM');
    void Promise.all(running.map((worker) => (worker.isDead() ? undefined : once(worker, 'exit')))).then(() => settle(code));
  };
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'shutting down every Herald process');
    stop(0);
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);

  for (let index = 1; index <= processes; index++) fork(index);
  logger.info({ processes }, `Herald cluster started: ${processes} processes`);
  return finished;
}

/** Whether this process is one of a cluster's workers (it then starts Herald itself). */
export const isClusterWorker = () => cluster.isWorker;

/** Closes a cluster worker's channel to the primary once Herald has stopped; nothing outside a cluster. */
export const leaveCluster = () => cluster.worker?.disconnect();
