import type { HeraldContext } from '../context/herald-context.ts';

/** How often housekeeping runs; every task is idempotent, so several schedulers may overlap safely. */
const SWEEP_INTERVAL_MS = 60_000;

export type SweepTask = () => Promise<unknown>;

/** The scheduler role: periodic housekeeping (expired signatures and sessions, ...). */
export function createScheduler({ logger }: HeraldContext, tasks: SweepTask[]) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function sweep(): Promise<void> {
    for (const task of tasks) {
      try {
        await task();
      } catch (error) {
        logger.error({ err: error }, 'scheduled sweep failed');
      }
    }
  }

  return {
    start() {
      timer = setInterval(() => {
        running ??= sweep().finally(() => (running = undefined));
      }, SWEEP_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
    sweep,
  };
}
