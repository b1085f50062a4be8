import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Every moving part of a benchmark (Herald, the load generator, the sink, the baselines) runs
 * in its own process so none shares an event loop with another. Helper processes talk to the
 * runner over IPC: the runner `call`s a named handler, the child answers once.
 */

const OUTPUT_TAIL_CHARS = 16_384;
const STOP_TIMEOUT_MS = 15_000;

export interface ProcessMemory {
  rssBytes: number;
  /** The highest resident set size the process has had (VmHWM). */
  peakRssBytes: number;
}

export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  /** The last lines the process printed (stdout and stderr), for error messages. */
  output(): string;
  memory(): ProcessMemory;
  /** Rejects with the process output if it exits before `stop` is called. */
  readonly unexpectedExit: Promise<never>;
  /** SIGTERM, then SIGKILL if it has not exited after a while. */
  stop(): Promise<void>;
}

export interface IpcProcess<Ready = unknown> extends BenchProcess {
  /** What the child passed to `serveParent` once it was ready. */
  readonly ready: Ready;
  call<Result>(type: string, payload?: unknown): Promise<Result>;
}

interface CallMessage {
  callId: number;
  type: string;
  payload: unknown;
}
type ChildMessage = { ready: unknown } | { callId: number; result: unknown } | { callId: number; error: string };

/** Reads the process's memory from /proc (Linux). */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssBytes: kilobytes('VmRSS') * 1024, peakRssBytes: kilobytes('VmHWM') * 1024 };
}

function superviseProcess(name: string, child: ChildProcess): BenchProcess & { exited: Promise<number | null> } {
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let stopping = false;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const unexpectedExit = exited.then((code) => {
    if (stopping) return new Promise<never>(() => undefined);
    throw new Error(`${name} (pid ${child.pid}) exited with code ${code}:\n${tail}`);
  });
  unexpectedExit.catch(() => undefined);
  return {
    name,
    pid: child.pid!,
    exited,
    unexpectedExit,
    output: () => tail,
    memory: () => processMemory(child.pid!),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, STOP_TIMEOUT_MS);
      });
      await Promise.race([exited, killed]);
      clearTimeout(timer);
      await exited;
    },
  };
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Node flags, e.g. `--cpu-prof`. */
  execArgv?: string[];
  cwd?: string;
}

/** Runs a Node program (e.g. `src/main.ts start`) with its output captured. */
export function startNodeProgram(name: string, script: string, args: string[], options: StartOptions = {}): BenchProcess {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), script, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return superviseProcess(name, child);
}

/** Forks a bench helper module and waits until it calls `serveParent`. */
export async function forkBenchChild<Ready = unknown>(name: string, modulePath: string | URL, options: StartOptions = {}): Promise<IpcProcess<Ready>> {
  const child = fork(modulePath, [], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    // Not the runner's flags: under `node --test` they would make the child a test file.
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  const supervised = superviseProcess(name, child);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextCallId = 1;
  let markReady: (value: Ready) => void;
  const readyMessage = new Promise<Ready>((resolve) => (markReady = resolve));
  child.on('message', (message: ChildMessage) => {
    if ('ready' in message) return markReady(message.ready as Ready);
    const call = pending.get(message.callId);
    if (!call) return;
    pending.delete(message.callId);
    if ('error' in message) call.reject(new Error(`${name}: ${message.error}`));
    else call.resolve(message.result);
  });
  supervised.unexpectedExit.catch((error: Error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  });
  const ready = await Promise.race([readyMessage, supervised.unexpectedExit]);
  return {
    ...supervised,
    ready,
    call<Result>(type: string, payload?: unknown) {
      const callId = nextCallId++;
      return new Promise<Result>((resolve, reject) => {
        pending.set(callId, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ callId, type, payload } satisfies CallMessage);
      });
    },
  };
}

export type CallHandlers = Record<string, (payload: never) => unknown>;

/** The child side: announces readiness and answers the runner's calls. */
export function serveParent(handlers: CallHandlers, ready: unknown = {}): void {
  if (!process.send) throw new Error('This module is a bench helper process: start it with forkBenchChild()');
  process.on('message', async ({ callId, type, payload }: CallMessage) => {
    try {
      const handler = handlers[type];
      if (!handler) throw new Error(`no handler for "${type}"`);
      process.send!({ callId, result: await handler(payload as never) });
    } catch (error) {
      process.send!({ callId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  // The IPC channel must not keep a finished child alive, nor a stopped parent's child.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready });
}
