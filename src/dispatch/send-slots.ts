/**
 * A counting semaphore for sends in flight. The worker claims a little ahead of its free
 * slots, so claimed deliveries wait here, in claim order, instead of waiting for a query.
 */
export interface SendSlots {
  /** Resolves true once a slot is taken, false if the slots were closed first (the worker is stopping). */
  take(): Promise<boolean>;
  give(): void;
  /** Refuses every waiting and future `take` until `open`. */
  close(): void;
  open(): void;
}

export function createSendSlots(size: number): SendSlots {
  let free = size;
  let closed = false;
  const waiting: Array<(taken: boolean) => void> = [];
  return {
    take() {
      if (closed) return Promise.resolve(false);
      if (free > 0) {
        free--;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    give() {
      const next = waiting.shift();
      if (next) next(true);
      else free++;
    },
    close() {
      closed = true;
      for (const refuse of waiting.splice(0)) refuse(false);
    },
    open() {
      closed = false;
    },
  };
}
