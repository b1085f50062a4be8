import type { Dialect } from '../storage/dialect.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';

export interface GroupCommitOptions<T> {
  /** Writes a group in one transaction. On rejection the items go back to the buffer and are written again. */
  write(items: T[]): Promise<void>;
  /** A group is written as soon as it has this many items... */
  maxItems: number;
  /** ...or when its oldest item has waited this long. */
  maxDelayMs: number;
  /** Groups written at the same time: 1 for SQLite (one writer anyway); more lets PostgreSQL overlap commits. */
  maxConcurrentWrites: number;
  /** Pause after a failed write before trying again. */
  retryDelayMs: number;
  onWriteError(error: unknown, itemCount: number): void;
}

export interface GroupCommit<T> {
  add(item: T): void;
  /** Writes everything buffered and waits for writes in progress; rejects if a write fails. */
  flush(): Promise<void>;
  /** Items buffered or being written. */
  readonly pending: number;
}

/**
 * Buffers results and writes them in groups: one transaction per group instead of one per
 * item is the main throughput lever on SQLite (one writer, a commit per transaction) and saves
 * round trips on PostgreSQL. While groups are being written the next one fills, so groups grow
 * by themselves under load.
 */
export function createGroupCommit<T>(options: GroupCommitOptions<T>): GroupCommit<T> {
  let buffer: T[] = [];
  const writes = new Set<Promise<void>>();
  let writingCount = 0;
  let timer: NodeJS.Timeout | undefined;
  let oldestAddedAt = 0;
  let retryAfter = 0;

  function schedule(): void {
    if (buffer.length === 0 || writes.size >= options.maxConcurrentWrites) return;
    const nowMs = performance.now();
    const dueAt = Math.max(retryAfter, buffer.length >= options.maxItems ? nowMs : oldestAddedAt + options.maxDelayMs);
    if (dueAt <= nowMs) {
      void writeGroup()?.catch(() => undefined);
      return;
    }
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      schedule();
    }, dueAt - nowMs);
  }

  function writeGroup(): Promise<void> | undefined {
    if (buffer.length === 0 || writes.size >= options.maxConcurrentWrites) return undefined;
    clearTimeout(timer);
    timer = undefined;
    const group = buffer.splice(0, options.maxItems);
    oldestAddedAt = performance.now();
    writingCount += group.length;
    const write: Promise<void> = options.write(group).then(
      () => {
        writes.delete(write);
        writingCount -= group.length;
        schedule();
      },
      (error: unknown) => {
        writes.delete(write);
        writingCount -= group.length;
        buffer = group.concat(buffer);
        retryAfter = performance.now() + options.retryDelayMs;
        options.onWriteError(error, group.length);
        schedule();
        throw error;
      },
    );
    writes.add(write);
    return write;
  }

  return {
    add(item) {
      if (buffer.length === 0) oldestAddedAt = performance.now();
      buffer.push(item);
      schedule();
    },
    async flush() {
      while (writes.size > 0 || buffer.length > 0) {
        while (writeGroup());
        await Promise.all([...writes]);
      }
    },
    get pending() {
      return buffer.length + writingCount;
    },
  };
}

/**
 * Result transactions in flight at once: SQLite has one writer anyway; PostgreSQL overlaps
 * their commits (they touch disjoint deliveries and lock message rows in id order, so they
 * cannot deadlock).
 */
export function concurrentWritesFor(dialect: Dialect): number {
  return capabilitiesOf(dialect).singleWriter ? 1 : 3;
}
