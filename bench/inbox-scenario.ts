import { createHmac } from 'node:crypto';
import { Pool, request } from 'undici';
import { startBareRouteServer } from './bare-route-server.ts';
import { benchContent } from './bench-content.ts';
import { createBenchHerald, type BenchHerald, type HeraldProcess } from './bench-herald.ts';
import type { BenchScale } from './bench-scales.ts';
import { peerId, READER_ID, seedInboxPopulation } from './inbox-seed.ts';
import { preciseEpochMs, summarizeLatencies, type LatencySummary } from './latency-summary.ts';
import { compared, MEBIBYTE, withCleanup, type Figure, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';
import { openStreams, type StreamSet } from './sse-streams.ts';

/**
 * Scenario 8: the in-app inbox with a million subscribers in the app. Publishing an announcement
 * to everybody must cost the same as to one (stored once); the unread badge is one indexed read;
 * one process holds ten thousand live streams; a sent message and a published announcement reach
 * every open stream. Herald runs every role in one process; the streams are the bench process's
 * own sockets. Baselines from the same run: signed `GET /v1/whoami` for publishing, `/healthz` for
 * the badge, a bare Fastify route holding the same number of event streams for memory.
 */

type InboxScale = BenchScale['inbox'];

interface InboxClient {
  /** `?app=...` plus the subscriber and its hash, for the stream (EventSource sends no headers). */
  streamPath(subscriberId: string): string;
  headers(subscriberId: string): Record<string, string>;
  /** An unsigned inbox API POST (read, archive ...) as the subscriber's widget makes it. */
  post(path: string, subscriberId: string): Promise<{ status: number; body: any }>;
}

async function inboxClientFor(herald: BenchHerald, api: HeraldProcess): Promise<InboxClient> {
  const secret = await herald.call(api, 'GET', `/v1/apps/${herald.appId}/inbox-secret`);
  if (secret.status !== 200) throw new Error(`GET inbox-secret: ${secret.status} ${JSON.stringify(secret.body)}`);
  const inboxSecret: string = secret.body.inboxSecret;
  const hashOf = (subscriberId: string) => createHmac('sha256', inboxSecret).update(subscriberId).digest('hex');
  const app = encodeURIComponent(herald.appId);
  const headers = (subscriberId: string) => ({ 'x-herald-subscriber': subscriberId, 'x-herald-subscriber-hash': hashOf(subscriberId) });
  return {
    streamPath: (subscriberId) => `/inbox/v1/stream?app=${app}&subscriber=${encodeURIComponent(subscriberId)}&subscriberHash=${hashOf(subscriberId)}`,
    headers,
    async post(path, subscriberId) {
      const response = await request(`${api.origin}${path}?app=${app}`, {
        method: 'POST',
        headers: { ...headers(subscriberId), 'content-type': 'application/json' },
        body: '{}',
      });
      const text = await response.body.text();
      return { status: response.statusCode, body: text ? JSON.parse(text) : undefined };
    },
  };
}

function announcementBody(n: number): Record<string, unknown> {
  return {
    title: `Maintenance window ${n}`,
    summary: 'The shop is read-only on Sunday from 02:00 to 03:00.',
    body: 'We upgrade the **payment service** on Sunday. Orders placed meanwhile are kept and charged afterwards.',
    category: 'news',
    audience: { all: true },
  };
}

async function publishAnnouncement(herald: BenchHerald, api: HeraldProcess, n: number): Promise<string> {
  const created = await herald.call(api, 'POST', '/v1/announcements', announcementBody(n));
  if (created.status !== 201) throw new Error(`POST /v1/announcements: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

async function sendInboxMessage(herald: BenchHerald, api: HeraldProcess, to: string[]): Promise<string> {
  const sent = await herald.call(api, 'POST', '/v1/messages', { to, channels: ['inbox'], content: benchContent });
  if (sent.status !== 202) throw new Error(`POST /v1/messages: ${sent.status} ${JSON.stringify(sent.body)}`);
  return sent.body.id;
}

async function rowCounts(herald: BenchHerald): Promise<{ announcements: number; announcementStates: number }> {
  const count = async (table: 'announcements' | 'announcement_states') =>
    Number((await herald.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow()).count);
  return { announcements: await count('announcements'), announcementStates: await count('announcement_states') };
}

/** When the message's delivery events happened, per type: the first and the last, in ms after `sinceEpochMs`. */
async function eventTimes(herald: BenchHerald, messageId: string, sinceEpochMs: number): Promise<Record<string, [number, number]>> {
  const rows = await herald.database.db
    .selectFrom('events')
    .select(['type', (eb) => eb.fn.min('at').as('first'), (eb) => eb.fn.max('at').as('last')])
    .where('message_id', '=', messageId)
    .groupBy('type')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.type, [Math.round(Number(row.first) - sinceEpochMs), Math.round(Number(row.last) - sinceEpochMs)]]));
}

/** Sequential timings of `send`, each from just before the call to its answer. */
async function timeSequentially(times: number, send: (n: number) => Promise<unknown>): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (let n = 0; n < times; n++) {
    const startedAt = performance.now();
    await send(n);
    latencies.push(performance.now() - startedAt);
  }
  return summarizeLatencies(latencies);
}

/** `GET path` on one kept-alive connection, `warmup` times unmeasured and then `times` times measured. */
async function timeGets(origin: string, path: string, headers: Record<string, string>, scale: InboxScale, check: (body: any) => void): Promise<LatencySummary> {
  const pool = new Pool(origin, { connections: 1 });
  try {
    const get = async () => {
      const response = await pool.request({ method: 'GET', path, headers });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`GET ${path}: ${response.statusCode} ${text.slice(0, 300)}`);
      check(JSON.parse(text));
    };
    await timeSequentially(scale.countWarmupRequests, get);
    return await timeSequentially(scale.countRequests, get);
  } finally {
    await pool.close();
  }
}

interface HeldStreams {
  held: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  /** (after − before) per 1,000 held streams. */
  rssPerThousandMiB: number;
  /** From the first connect until every stream had its first counts event. */
  openedInMs: number;
}

async function holdStreams(origin: string, paths: string[], memory: () => number, scale: InboxScale): Promise<HeldStreams & { streams: StreamSet }> {
  const rssBeforeBytes = memory();
  const startedAt = performance.now();
  const streams = await openStreams(origin, paths, { concurrency: scale.connectConcurrency, timeoutMs: scale.timeoutMs });
  const openedInMs = performance.now() - startedAt;
  const held = streams.held();
  const rssAfterBytes = memory();
  return { streams, held, rssBeforeBytes, rssAfterBytes, rssPerThousandMiB: (rssAfterBytes - rssBeforeBytes) / MEBIBYTE / (held / 1000), openedInMs };
}

export async function runInboxScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const scale = context.scale.inbox;
  const heraldRun = await measureHerald(context, scale);
  const bareStreams = await withCleanup(async (register) => {
    const bare = register(await startBareRouteServer(), (server) => server.stop());
    const paths = Array.from({ length: scale.streams }, (_, index) => `/inbox/v1/stream?subscriber=${peerId(index)}`);
    const { streams, ...held } = await holdStreams(bare.origin, paths, () => bare.process.memory().rssBytes, scale);
    streams.close();
    return held;
  });
  context.log(`inbox: the bare route held ${bareStreams.held} streams, ${bareStreams.rssPerThousandMiB.toFixed(2)} MiB per 1,000`);

  const { publish, whoami, counts, healthz, streams, sendToShown, announcementToShown } = heraldRun;
  const shownTarget = { text: 'p99 < 1,000 ms', met: (value: number) => value < 1000 };
  const plain = (label: string, value: number, unit: string, target?: { text: string; met(value: number): boolean }): Figure => ({
    label,
    value,
    unit,
    ...(target ? { target: { text: target.text, met: target.met(value) } } : {}),
  });
  return {
    scenario: 'inbox',
    dialect: context.dialect,
    figures: [
      compared(`publish to {all} with ${scale.peers.toLocaleString('en-US')} subscribers p50`, publish.p50Ms, 'ms', 'signed GET /v1/whoami', whoami.p50Ms, { text: 'p50 < 50 ms', met: (_ratio, value) => value < 50 }),
      compared('publish p99', publish.p99Ms, 'ms', 'signed GET /v1/whoami', whoami.p99Ms),
      compared('unread count p50', counts.p50Ms, 'ms', 'GET /healthz', healthz.p50Ms),
      compared('unread count p99', counts.p99Ms, 'ms', 'GET /healthz', healthz.p99Ms, { text: 'p99 < 5 ms', met: (_ratio, value) => value < 5 }),
      plain('live streams held', streams.held, 'streams', { text: `≥ ${scale.streams} held`, met: (value) => value >= scale.streams }),
      compared('RSS per 1,000 live streams', streams.rssPerThousandMiB, 'MiB', 'bare Fastify route holding streams', bareStreams.rssPerThousandMiB),
      plain(`send → item shown p50 (${scale.sendTargets} streams)`, sendToShown.p50Ms, 'ms'),
      plain('send → item shown p99', sendToShown.p99Ms, 'ms', shownTarget),
      plain('send → item shown max', sendToShown.maxMs, 'ms'),
      plain(`publish → item shown p50 (${streams.held} streams)`, announcementToShown.p50Ms, 'ms'),
      plain('publish → item shown p99', announcementToShown.p99Ms, 'ms', shownTarget),
      plain('publish → item shown max', announcementToShown.maxMs, 'ms'),
    ],
    details: { ...scale, ...heraldRun, bareStreams },
  };
}

async function measureHerald(context: ScenarioContext, scale: InboxScale) {
  return withCleanup(async (register) => {
    const herald = register(await createBenchHerald({ dialect: context.dialect, postgresAdminUrl: context.postgresAdminUrl, execArgv: context.heraldExecArgv }), (h) => h.close());
    context.log(`inbox: seeding ${scale.peers} subscribers and ${scale.peerItems + scale.readerItems} private items (${context.dialect})`);
    const seeding = await seedInboxPopulation(herald.database, { appId: herald.appId, peers: scale.peers, peerItems: scale.peerItems, readerItems: scale.readerItems }, Date.now());
    context.log(`inbox: seeded subscribers in ${(seeding.subscribersMs / 1000).toFixed(1)} s, items in ${(seeding.itemsMs / 1000).toFixed(1)} s`);
    const api = await herald.start();
    const inbox = await inboxClientFor(herald, api);

    const announcementIds: string[] = [];
    for (let n = 0; n < scale.announcements; n++) announcementIds.push(await publishAnnouncement(herald, api, n));
    for (const id of announcementIds.slice(0, scale.readerReadAnnouncements)) {
      const read = await inbox.post(`/inbox/v1/items/${id}/read`, READER_ID);
      if (read.status !== 200 || !read.body.readAt) throw new Error(`reading ${id}: ${read.status} ${JSON.stringify(read.body)}`);
    }

    context.log(`inbox: ${scale.publishes} announcements published one after another, ${scale.peers} subscribers in the app`);
    const before = await rowCounts(herald);
    // Herald takes a signature once: the query makes each identical GET's signature differ.
    const whoami = await timeSequentially(scale.publishes, async (n) => {
      const answer = await herald.call(api, 'GET', `/v1/whoami?n=${n}`);
      if (answer.status !== 200) throw new Error(`GET /v1/whoami: ${answer.status}`);
    });
    const publish = await timeSequentially(scale.publishes, (n) => publishAnnouncement(herald, api, scale.announcements + n));
    const after = await rowCounts(herald);
    if (after.announcements - before.announcements !== scale.publishes || after.announcementStates !== before.announcementStates) {
      throw new Error(`publishing ${scale.publishes} announcements changed the rows from ${JSON.stringify(before)} to ${JSON.stringify(after)}`);
    }

    context.log(`inbox: publish p50 ${publish.p50Ms.toFixed(1)} / p99 ${publish.p99Ms.toFixed(1)} ms (whoami ${whoami.p50Ms.toFixed(1)} / ${whoami.p99Ms.toFixed(1)} ms)`);

    const liveAnnouncements = scale.announcements + scale.publishes;
    const expectedUnread = seeding.readerUnreadItems + liveAnnouncements - scale.readerReadAnnouncements;
    context.log(`inbox: ${scale.countRequests} unread counts for the reader`);
    const counts = await timeGets(api.origin!, `/inbox/v1/counts?app=${encodeURIComponent(herald.appId)}`, inbox.headers(READER_ID), scale, (body) => {
      if (body.unread !== expectedUnread) throw new Error(`the reader's unread count is ${body.unread}, expected ${expectedUnread}`);
    });
    const healthz = await timeGets(api.origin!, '/healthz', {}, scale, () => undefined);
    context.log(`inbox: unread count p50 ${counts.p50Ms.toFixed(2)} / p99 ${counts.p99Ms.toFixed(2)} ms (healthz ${healthz.p50Ms.toFixed(2)} / ${healthz.p99Ms.toFixed(2)} ms)`);

    const created = await herald.call(api, 'POST', '/v1/channel-accounts', { type: 'inbox', name: 'inbox', config: {} });
    if (created.status !== 201) throw new Error(`creating the inbox account: ${created.status} ${JSON.stringify(created.body)}`);
    // The first send starts a render thread (about half a second here): one message to the reader keeps that out of send → shown.
    const warmupStartedAt = performance.now();
    await sendInboxMessage(herald, api, [READER_ID]);
    const firstAcceptedMs = performance.now() - warmupStartedAt;
    await herald.waitForSent(1, scale.timeoutMs);
    const firstSendMs = performance.now() - warmupStartedAt;
    context.log(`inbox: the first send (render thread start included) was accepted after ${firstAcceptedMs.toFixed(0)} ms and sent after ${firstSendMs.toFixed(0)} ms`);

    context.log(`inbox: opening ${scale.streams} live streams`);
    const peers = Array.from({ length: scale.streams }, (_, index) => peerId(index));
    const { streams: streamSet, ...streams } = await holdStreams(api.origin!, peers.map(inbox.streamPath), () => api.memory().rssBytes, scale);
    register(streamSet, (set) => Promise.resolve(set.close()));
    for (const [index, client] of streamSet.clients.entries()) {
      const unread = (client.lastCounts as { unread: number }).unread;
      const expected = (index < scale.peerItems ? 1 : 0) + liveAnnouncements;
      if (unread !== expected) throw new Error(`${peers[index]}'s first counts event says ${unread} unread, expected ${expected}`);
    }

    const targets = streamSet.clients.slice(0, scale.sendTargets);
    context.log(`inbox: one message to ${targets.length} peers with open streams`);
    const sentAt = performance.now();
    const sentAtEpochMs = preciseEpochMs();
    const messageId = await sendInboxMessage(herald, api, peers.slice(0, scale.sendTargets));
    const acceptedMs = performance.now() - sentAt;
    const shown = await streamSet.waitForItems(targets, (item) => item.kind === 'message', scale.timeoutMs);
    const sendToShown = summarizeLatencies(shown.map((atMs) => atMs - sentAt));
    const sendPhases = await eventTimes(herald, messageId, sentAtEpochMs);
    context.log(`inbox: send accepted after ${acceptedMs.toFixed(0)} ms; events after the request (first–last ms): ${JSON.stringify(sendPhases)}; shown first ${(Math.min(...shown) - sentAt).toFixed(0)} ms, p50 ${sendToShown.p50Ms.toFixed(0)} ms`);

    context.log(`inbox: one announcement to ${streams.held} open streams`);
    const publishedAt = performance.now();
    const announcementId = await publishAnnouncement(herald, api, liveAnnouncements);
    const announced = await streamSet.waitForItems(streamSet.clients, (item) => item.id === announcementId, scale.timeoutMs);
    const announcementToShown = summarizeLatencies(announced.map((atMs) => atMs - publishedAt));
    context.log(`inbox: the announcement was shown after ${(Math.min(...announced) - publishedAt).toFixed(0)} ms first, ${announcementToShown.p50Ms.toFixed(0)} ms p50, ${announcementToShown.maxMs.toFixed(0)} ms last`);
    const heldAtEnd = streamSet.held();
    if (heldAtEnd !== streams.held) throw new Error(`${streams.held - heldAtEnd} of ${streams.held} streams closed while measured`);
    return {
      seeding,
      expectedUnread,
      rowsBeforePublishing: before,
      rowsAfterPublishing: after,
      publish,
      whoami,
      counts,
      healthz,
      streams: { ...streams, heldAtEnd, peakRssBytes: api.memory().peakRssBytes },
      sendToShown,
      send: { acceptedMs, phases: sendPhases, firstAcceptedMs, firstSendMs, firstShownMs: Math.min(...shown) - sentAt },
      announcementToShown,
      announcementFirstShownMs: Math.min(...announced) - publishedAt,
    };
  });
}
