/** An interruptible pause for polling loops: `wait` ends after the timeout or at the next `wake`, whichever comes first. */
export interface WakeSignal {
  wait(timeoutMs: number): Promise<void>;
  wake(): void;
}

export function createWakeSignal(): WakeSignal {
  let woken = false;
  let release: (() => void) | undefined;
  return {
    wait(timeoutMs) {
      // A wake that arrived while the loop was busy is not lost: the next wait returns at once.
      if (woken) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          release = undefined;
          woken = false;
          resolve();
        }
        release = done;
      });
    },
    wake() {
      if (release) release();
      else woken = true;
    },
  };
}
