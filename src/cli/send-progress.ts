import cliProgress from 'cli-progress';

export interface SendProgress {
  advance(rows: number, refused: number): void;
  stop(): void;
}

/**
 * On a terminal, a progress bar (cli-progress) on stderr; otherwise one line per chunk, which
 * logs and scripts (and the resume test) can read.
 */
export function sendProgress(total: number, stream: NodeJS.WriteStream = process.stderr): SendProgress {
  let done = 0;
  let refused = 0;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: 'sending |{bar}| {percentage}% | {value}/{total} rows | {refused} refused | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { refused: 0 });
    return {
      advance(rows, newlyRefused) {
        refused += newlyRefused;
        bar.increment(rows, { refused });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    advance(rows, newlyRefused) {
      done += rows;
      refused += newlyRefused;
      stream.write(`herald send: ${done}/${total} rows (${refused} refused)\n`);
    },
    stop() {},
  };
}
