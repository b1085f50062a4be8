import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { webhookPayload } from './bench-content.ts';
import type { SinkJob } from './bullmq-baseline.ts';
import { forkBenchChild, serveParent, type IpcProcess } from './child-process.ts';

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
 */

export interface BareRouteServer {
  readonly origin: string;
  readonly process: IpcProcess<{ port: number }>;
  stop(): Promise<void>;
}

const ENQUEUE_VARIABLE = 'BENCH_ENQUEUE_TO';
const BARE_STREAM_START = 'retry: 2000\n\nevent: counts\ndata: {"unread":0,"byCategory":{}}\n\n';

export async function startBareRouteServer(options: { enqueueTo?: string } = {}): Promise<BareRouteServer> {
  const child = await forkBenchChild<{ port: number }>('bare-route-server', new URL(import.meta.url), {
    env: { ...process.env, [ENQUEUE_VARIABLE]: options.enqueueTo ?? '' },
  });
  return { origin: `http://127.0.0.1:${child.ready.port}`, process: child, stop: () => child.stop() };
}

/** BullMQ is loaded only in enqueue mode, so the bare route's memory is Fastify's alone. */
async function openEnqueuer(queueName: string): Promise<(job: SinkJob) => Promise<unknown>> {
  const [{ Queue }, { REDIS_CONNECTION, SINK_JOB_OPTIONS }] = await Promise.all([import('bullmq'), import('./bullmq-baseline.ts')]);
  const queue = new Queue<SinkJob>(queueName, { connection: REDIS_CONNECTION });
  return (job) => queue.add('deliver', job, SINK_JOB_OPTIONS);
}

async function runServer(queueName: string | undefined): Promise<void> {
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
  await server.listen({ host: '127.0.0.1', port: 0 });
  serveParent({}, { port: (server.server.address() as AddressInfo).port });
}

if (import.meta.main) await runServer(process.env[ENQUEUE_VARIABLE] || undefined);
