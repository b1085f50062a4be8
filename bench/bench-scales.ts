/**
 * Sizes of every scenario. `full` is the benchmark; `tiny` runs each scenario for
 * about a second so the smoke test (part of `npm test`) keeps the harness from rotting.
 */
export interface BenchScale {
  name: 'tiny' | 'full';
  ingest: { connections: number; durationSeconds: number; warmupSeconds: number };
  batchIngest: { receiversPerRequest: number; connections: number; durationSeconds: number; warmupSeconds: number };
  dispatch: {
    deliveries: number;
    /** The backlog is seeded through the batch API, this many receivers per request. */
    receiversPerBatch: number;
    workerProcesses: number;
    /** Sends in flight per worker process (HERALD_WORKER_CONCURRENCY; the baselines use the same total). */
    workerConcurrency: number;
    timeoutMs: number;
  };
  endToEnd: {
    ratePerSecond: number;
    durationSeconds: number;
    warmupSeconds: number;
    /** Time a freshly started process gets to finish its start-up work before its idle memory is read. */
    idleSettleMs: number;
    timeoutMs: number;
  };
  templateRender: { renders: number };
  renderAbuse: {
    receiversPerRequest: number;
    /** Liquid loop turns each receiver's body renders. */
    loopTurnsPerReceiver: number;
    connections: number;
    durationSeconds: number;
    probeIntervalMs: number;
  };
  inbox: {
    /** Subscribers of the bench app besides the measured reader (`peer-0000001` ...). */
    peers: number;
    /** Peers given one private inbox item each (the first ones); may be fewer than `peers` when seeding takes too long. */
    peerItems: number;
    /** The reader's private items; every other one is read. */
    readerItems: number;
    /** Live announcements to everybody, created through the API before anything is measured. */
    announcements: number;
    /** Of those, how many the reader has read (through the inbox API). */
    readerReadAnnouncements: number;
    /** Announcements published one after another while timed. */
    publishes: number;
    countRequests: number;
    countWarmupRequests: number;
    /** Live streams held at once, each for its own peer. */
    streams: number;
    /** Streams opened at a time while connecting. */
    connectConcurrency: number;
    /** Peers (with a stream open) one inbox message is sent to. */
    sendTargets: number;
    timeoutMs: number;
  };
}

export const BENCH_SCALES: Record<BenchScale['name'], BenchScale> = {
  full: {
    name: 'full',
    ingest: { connections: 32, durationSeconds: 10, warmupSeconds: 3 },
    batchIngest: { receiversPerRequest: 1000, connections: 4, durationSeconds: 10, warmupSeconds: 3 },
    dispatch: { deliveries: 50_000, receiversPerBatch: 1000, workerProcesses: 1, workerConcurrency: 64, timeoutMs: 600_000 },
    endToEnd: { ratePerSecond: 500, durationSeconds: 30, warmupSeconds: 3, idleSettleMs: 2000, timeoutMs: 60_000 },
    templateRender: { renders: 5000 },
    renderAbuse: { receiversPerRequest: 1000, loopTurnsPerReceiver: 200, connections: 8, durationSeconds: 10, probeIntervalMs: 10 },
    inbox: {
      peers: 1_000_000,
      peerItems: 1_000_000,
      readerItems: 500,
      announcements: 100,
      readerReadAnnouncements: 30,
      publishes: 30,
      countRequests: 2000,
      countWarmupRequests: 200,
      streams: 10_000,
      connectConcurrency: 200,
      sendTargets: 1000,
      timeoutMs: 120_000,
    },
  },
  tiny: {
    name: 'tiny',
    ingest: { connections: 4, durationSeconds: 0.5, warmupSeconds: 0 },
    batchIngest: { receiversPerRequest: 50, connections: 2, durationSeconds: 0.5, warmupSeconds: 0 },
    dispatch: { deliveries: 300, receiversPerBatch: 100, workerProcesses: 1, workerConcurrency: 16, timeoutMs: 30_000 },
    endToEnd: { ratePerSecond: 50, durationSeconds: 1, warmupSeconds: 0, idleSettleMs: 0, timeoutMs: 30_000 },
    templateRender: { renders: 200 },
    renderAbuse: { receiversPerRequest: 50, loopTurnsPerReceiver: 100, connections: 2, durationSeconds: 1, probeIntervalMs: 20 },
    inbox: {
      peers: 1000,
      peerItems: 1000,
      readerItems: 40,
      announcements: 10,
      readerReadAnnouncements: 3,
      publishes: 5,
      countRequests: 100,
      countWarmupRequests: 10,
      streams: 100,
      connectConcurrency: 50,
      sendTargets: 50,
      timeoutMs: 30_000,
    },
  },
};
