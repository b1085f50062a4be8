import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { HeraldClient, MessagePage } from '../../sdk/src/index.ts';
import { invalid } from '../errors.ts';
import { remoteClient } from './remote-profile.ts';


/** Messages whose trail is still followed; older ones are dropped first. */
const MAX_FOLLOWED = 200;
const PAGE = 100;
const MAX_PAGES_PER_POLL = 20;
const FINAL = new Set(['completed', 'partially_failed', 'failed', 'canceled']);

interface Followed {
  /** Event ids sort in time order (the trail's own order), so the last one printed marks where to go on. */
  lastEventId: string;
  final: boolean;
}

/**
 * `herald messages tail`: polls the message list (newest first) for messages not seen yet, prints
 * them oldest first, and follows each one's event trail until it is final.
 */
export async function runMessagesCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'tail') throw invalid('ARGUMENT_INVALID', `Unknown messages command "${sub ?? ''}"; use: herald messages tail`);
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: { type: { type: 'string' }, status: { type: 'string' }, since: { type: 'string' }, 'interval-ms': { type: 'string' }, json: { type: 'boolean' }, profile: { type: 'string' } },
  });
  const intervalMs = values['interval-ms'] === undefined ? 2000 : Number(values['interval-ms']);
  if (!Number.isInteger(intervalMs) || intervalMs < 100) throw invalid('ARGUMENT_INVALID', '--interval-ms must be a whole number of at least 100');
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) throw invalid('ARGUMENT_INVALID', `--since "${values.since}" is not a time; use ISO 8601, e.g. 2026-01-05T09:00:00Z`);
  const client = remoteClient(values.profile);
  const filters = { type: values.type, status: values.status as never, from: values.since === undefined ? undefined : new Date(values.since).toISOString() };
  const print = (kind: 'message' | 'event', record: Record<string, unknown>, human: string) => console.log(values.json ? JSON.stringify({ kind, ...record }) : human);

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const followed = new Map<string, Followed>();
  const seen = new Set<string>();
  try {
    // Without --since, what exists already is history: follow only what comes next.
    if (values.since === undefined) for (const item of (await client.listMessages({ ...filters, limit: PAGE })).items) seen.add(item.id);
    console.error(`herald: following new messages${values.since === undefined ? '' : ` since ${values.since}`} (Ctrl-C stops)`);
    while (!stop.signal.aborted) {
      for (const message of await newMessages(client, filters, seen)) {
        seen.add(message.id);
        print('message', message, `${message.createdAt} ${message.id} ${message.status}${message.type ? ` type=${message.type}` : ''} deliveries=${String(message.deliveryCount ?? '')}`);
        followed.set(message.id, { lastEventId: '', final: false });
        while (followed.size > MAX_FOLLOWED) followed.delete(followed.keys().next().value!);
      }
      for (const [id, state] of followed) {
        if (stop.signal.aborted) break;
        const view = await client.getMessage(id);
        for (const event of view.events ?? []) {
          if (event.id <= state.lastEventId) continue;
          state.lastEventId = event.id;
          print('event', { messageId: id, ...event }, `  ${event.at} ${id} ${event.type}${event.deliveryId ? ` ${event.deliveryId}` : ''}${event.code ? ` ${String(event.code)}` : ''}${event.detail ? ` ${String(event.detail)}` : ''}`);
        }
        if (FINAL.has(view.status)) followed.delete(id);
      }
      await delay(intervalMs, undefined, { signal: stop.signal }).catch(() => {});
    }
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
  return 0;
}

/** The messages not seen yet, oldest first: pages newest-first until one already seen. */
async function newMessages(client: HeraldClient, filters: Record<string, string | undefined>, seen: Set<string>): Promise<MessagePage['items']> {
  const fresh: MessagePage['items'] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
    const { items, nextCursor } = await client.listMessages({ ...filters, limit: PAGE, cursor } as never);
    const unseen = items.filter((item) => !seen.has(item.id));
    fresh.push(...unseen);
    if (unseen.length < items.length || nextCursor === null) break;
    cursor = nextCursor;
  }
  return fresh.reverse();
}
