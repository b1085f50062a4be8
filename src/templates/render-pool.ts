import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.ts';
import { THREAD_READY, type RenderTask, type RenderTaskResult } from './render-task.ts';

/**
 * Worker threads that render templates, so that no template — however slow — holds up the
 * event loop. Not a generic pool library (piscina) because the budget needs two things it
 * does not offer: a task's clock starts when a ready thread takes it (time queued, or a
 * replacement thread starting, is never charged to a tenant), and tasks wait in one queue
 * per key (app), taken in turn, so one app's backlog cannot starve the others. A thread
 * still busy past its task's budget (a step Liquid cannot interrupt) is terminated and
 * replaced. The round trip also measured about half of piscina's (35–80 µs vs 75–130 µs).
 */

export interface RenderPoolOptions {
  threads: number;
  logger: Logger;
  /** How long past its budget a task may run before its thread is terminated. Default 250 ms. */
  killGraceMs?: number;
  /** Heap of each thread; a thread that runs out is replaced and its task fails. Default 256 MiB. */
  maxHeapMb?: number;
}

export interface RenderPool {
  /**
   * Runs a task on the next free thread; `queueKey` (the app) takes turns with other keys.
   * Work in chunks says so: the chunk after `moreToCome` is a `continuation` and goes first in
   * its key's queue, so an app's requests finish one after another rather than all together
   * at the end (and then all write to the database at once).
   */
  run(task: RenderTask, queueKey: string, chunking?: { continuation?: boolean; moreToCome?: boolean }): Promise<RenderTaskResult>;
  /** Terminates the threads; queued and running tasks fail. */
  close(): Promise<void>;
  /** Threads started so far, replacements included. */
  readonly threadsStarted: number;
}

export type ThreadLossReason = 'over-time' | 'out-of-memory' | 'crashed';

/** A task whose thread did not answer: terminated over its budget, out of memory, or crashed. */
export class RenderThreadLostError extends Error {
  readonly reason: ThreadLossReason;
  constructor(reason: ThreadLossReason, cause?: unknown) {
    super(`the render thread was lost (${reason})`, { cause });
    this.name = 'RenderThreadLostError';
    this.reason = reason;
  }
}

const THREAD_URL = new URL('./render-thread.ts', import.meta.url);
const DEFAULT_KILL_GRACE_MS = 250;
const DEFAULT_MAX_HEAP_MB = 256;

interface Job {
  task: RenderTask;
  moreToCome: boolean;
  resolve(result: RenderTaskResult): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  terminatedOverTime?: boolean;
  error?: Error;
}

/** An `each` task may start its last item just before its budget runs out, and that item has a full budget. */
function killAfterMs(task: RenderTask, graceMs: number): number {
  return (task.budget === 'each' ? 2 * task.budgetMs : task.budgetMs) + graceMs;
}

export function createRenderPool(options: RenderPoolOptions): RenderPool {
  const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const log = options.logger.child({ component: 'render-pool' });
  const threads = new Set<Thread>();
  /** Queued jobs per key; Map order is the turn order, a key that was served moves to the back. */
  const queues = new Map<string, Job[]>();
  let threadsStarted = 0;
  let closed = false;
  /** Queued and running jobs: while there are any, the threads keep the process alive. */
  let jobsInPool = 0;

  function updateRefs(): void {
    for (const thread of threads) {
      if (jobsInPool > 0) thread.worker.ref();
      else thread.worker.unref();
    }
  }

  function settled(job: Job): Job {
    jobsInPool--;
    updateRefs();
    return job;
  }

  function nextJob(): Job | undefined {
    for (const [key, jobs] of queues) {
      const job = jobs.shift()!;
      queues.delete(key);
      if (jobs.length > 0) queues.set(key, jobs);
      return job;
    }
    return undefined;
  }

  function dispatch(): void {
    for (const thread of threads) {
      if (!thread.ready || thread.job) continue;
      const job = nextJob();
      if (!job) return;
      thread.job = job;
      thread.timer = setTimeout(() => {
        thread.terminatedOverTime = true;
        log.warn({ templateCode: job.task.template.templateCode, budgetMs: job.task.budgetMs }, 'a render ran over its budget: terminating its thread');
        void thread.worker.terminate();
      }, killAfterMs(job.task, graceMs));
      thread.worker.postMessage(job.task);
    }
  }

  function finish(thread: Thread): Job | undefined {
    const job = thread.job;
    clearTimeout(thread.timer);
    thread.job = undefined;
    return job && settled(job);
  }

  function failQueued(error: Error): void {
    for (let job = nextJob(); job; job = nextJob()) settled(job).reject(error);
  }

  function startThread(): void {
    threadsStarted++;
    const worker = new Worker(THREAD_URL, { name: 'herald-render', resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? DEFAULT_MAX_HEAP_MB } });
    const thread: Thread = { worker, ready: false };
    threads.add(thread);
    updateRefs();
    worker.on('message', (message: RenderTaskResult | typeof THREAD_READY) => {
      if (message === THREAD_READY) thread.ready = true;
      const job = message === THREAD_READY ? undefined : finish(thread);
      job?.resolve(message as RenderTaskResult);
      // The continuation is queued once the caller has seen this result (promise reactions run before setImmediate).
      if (job?.moreToCome) setImmediate(dispatch);
      else dispatch();
    });
    worker.on('error', (error) => (thread.error = error));
    worker.on('exit', () => {
      threads.delete(thread);
      const job = finish(thread);
      if (closed) return job?.reject(new Error('Herald is stopping: the render was abandoned'));
      if (job) {
        const reason: ThreadLossReason = thread.terminatedOverTime ? 'over-time' : (thread.error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crashed';
        if (reason === 'crashed') log.error({ err: thread.error }, 'a render thread crashed');
        job.reject(new RenderThreadLostError(reason, thread.error));
      }
      if (!thread.ready) {
        // A thread that cannot even start would be replaced forever: unless another thread runs, fail what waits; the next task tries again.
        log.error({ err: thread.error }, 'a render thread failed to start');
        if (![...threads].some((other) => other.ready)) failQueued(new Error(`no render thread could start: ${thread.error?.message ?? 'it exited'}`));
        return;
      }
      startThreads();
    });
  }

  function startThreads(): void {
    while (threads.size < options.threads) startThread();
  }

  return {
    run(task, queueKey, { continuation = false, moreToCome = false } = {}) {
      if (closed) return Promise.reject(new Error('Herald is stopping: the render pool is closed'));
      startThreads();
      return new Promise<RenderTaskResult>((resolve, reject) => {
        jobsInPool++;
        updateRefs();
        const job: Job = { task, moreToCome, resolve, reject };
        const jobs = queues.get(queueKey);
        if (!jobs) queues.set(queueKey, [job]);
        else if (continuation) jobs.unshift(job);
        else jobs.push(job);
        dispatch();
      });
    },

    async close() {
      closed = true;
      failQueued(new Error('Herald is stopping: the render was abandoned'));
      await Promise.all([...threads].map((thread) => thread.worker.terminate()));
    },

    get threadsStarted() {
      return threadsStarted;
    },
  };
}
