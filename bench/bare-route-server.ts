import cluster from 'node:cluster';
import { once } from 'node:events';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { webhookPayload } from './bench-content.ts';
import type { SinkJob } from './bullmq-baseline.ts';
import { forkBenchChild, serveParent, type IpcProcess } from './child-process.ts';
import { freePort } from './free-port.ts';

/**
 * The baseline HTTP edge, in its own process: Fastify with the send routes answering 202
 * after parsing the JSON body — no authentication, no validation, no storage. Herald's ingest
 * rate is reported as a fraction of this one's, measured by the same client.
 *
 * `GET /inbox/v1/stream` holds a Server-Sent Events stream open after one `counts` event: the
 * memory a held stream costs in a bare Fastify process, against which the inbox's is reported.
 *
 * With `enqueueTo` it is the front of the BullMQ pipeline instead: each request adds one job
 * carrying the webhook body (with the request's metadata) before answering 202.
 *
 * With `processes` > 1 it runs as node:cluster workers sharing one port, handed connections
 * round robin by the primary, exactly as `herald start --processes N` does.
 */

export interface BareRouteServer {
  readonly origin: string;
  readonly process: IpcProcess<{ port: number }>;
  stop(): Promise<void>;
}

const ENQUEUE_VARIABLE = 'BENCH_ENQUEUE_TO';
const PROCESSES_VARIABLE = 'BENCH_BARE_PROCESSES';
const PORT_VARIABLE = 'BENCH_BARE_PORT';
const BARE_STREAM_START = 'retry: 2000\n\nevent: counts\ndata: {"unread":0,"byCategory":{}}\n\n';

export async function startBareRouteServer(options: { enqueueTo?: string; processes?: number } = {}): Promise<BareRouteServer> {
  const processes = options.processes ?? 1;
  const child = await forkBenchChild<{ port: number }>(processes > 1 ? `bare-route-server×${processes}` : 'bare-route-server', new URL(import.meta.url), {
    env: { ...process.env, [ENQUEUE_VARIABLE]: options.enqueueTo ?? '', [PROCESSES_VARIABLE]: String(processes) },
  });
  return { origin: `http://127.0.0.1:${child.ready.port}`, process: child, stop: () => child.stop() };
}

/** BullMQ is loaded only in enqueue mode, so the bare route's memory is Fastify's alone. */
async function openEnqueuer(queueName: string): Promise<(job: SinkJob) => Promise<unknown>> {
  const [{ Queue }, { REDIS_CONNECTION, SINK_JOB_OPTIONS }] = await Promise.all([import('bullmq'), import('./bullmq-baseline.ts')]);
  const queue = new Queue<SinkJob>(queueName, { connection: REDIS_CONNECTION });
  return (job) => queue.add('deliver', job, SINK_JOB_OPTIONS);
}

/** The cluster's primary: forks the workers, answers the parent once every one listens; the workers exit with it. */
async function runPrimary(processes: number): Promise<void> {
  const port = await freePort();
  const workers = Array.from({ length: processes }, () => cluster.fork({ [PORT_VARIABLE]: String(port) }));
  await Promise.all(workers.map((worker) => once(worker, 'listening')));
  serveParent({}, { port });
}

async function runServer(queueName: string | undefined, port: number): Promise<void> {
  const enqueue = queueName ? await openEnqueuer(queueName) : undefined;
  const server = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  let accepted = 0;
  const accept = async (request: { body: unknown }, reply: { status(code: number): unknown }) => {
    const id = ++accepted;
    if (enqueue) await enqueue(webhookPayload(id, (request.body as { metadata?: Record<string, string> }).metadata));
    reply.status(202);
    return { id: `msg_${id}`, status: 'accepted' };
  };
  server.post('/v1/messages', accept);
  server.post('/v1/messages/batch', accept);
  // The least a live inbox stream can cost: headers and one counts event, then the socket is held.
  server.get('/inbox/v1/stream', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    reply.raw.write(BARE_STREAM_START);
  });
  await server.listen({ host: '127.0.0.1', port });
  // A cluster worker is announced to the parent by its primary.
  if (cluster.isPrimary) serveParent({}, { port: (server.server.address() as AddressInfo).port });
}

if (import.meta.main) {
  const processes = Number(process.env[PROCESSES_VARIABLE] ?? '1');
  if (cluster.isPrimary && processes > 1) await runPrimary(processes);
  else await runServer(process.env[ENQUEUE_VARIABLE] || undefined, Number(process.env[PORT_VARIABLE] ?? '0'));
}
