import type { ServerResponse } from 'node:http';
import type { Clock } from '../clock.ts';
import { subscribeToInboxChanges, type InboxChange } from '../deliveries/inbox-notifications.ts';
import { timeOfId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import type { DatabaseNotifications } from '../storage/database-notifications.ts';

/** Whose stream. */
export interface StreamOwner {
  appId: string;
  subscriberId: string;
}

/** What the live streams read: the subscriber's entries and counts as the inbox API shows them. */
export interface InboxStreamSource<Entry extends { id: string; createdAt: string }, Counts> {
  /** The entries among `ids` this subscriber can see now (others are gone for them: withdrawn, expired, deleted). */
  entries(owner: StreamOwner, ids: readonly string[]): Promise<Entry[]>;
  /** The newest `limit` entries this subscriber can see, newest first. */
  recent(owner: StreamOwner, limit: number): Promise<Entry[]>;
  counts(owner: StreamOwner): Promise<Counts>;
  /** For many subscribers of one app at once: each one's entries among `ids` (announcements) and counts. */
  announcementChangeFor(appId: string, subscriberIds: readonly string[], ids: readonly string[]): Promise<Map<string, { entries: Entry[]; counts: Counts }>>;
  /** When the app's announcements next change by themselves (scheduled ones are published, some expire), and which. */
  nextAnnouncementChange(appId: string): Promise<{ atMs: number; ids: string[] } | undefined>;
}

export interface InboxStreamHub {
  /** Streams to `response` (already authenticated) until the client goes or the hub closes. */
  open(stream: { owner: StreamOwner; lastEventId?: string; response: ServerResponse; headers?: Readonly<Record<string, string | number | readonly string[] | undefined>> }): Promise<void>;
  /** Open streams in this process. */
  readonly size: number;
  /** Ends every stream (clients reconnect elsewhere) and stops listening. */
  close(): void;
}

export interface InboxStreamHubOptions<Entry extends { id: string; createdAt: string }, Counts> {
  source: InboxStreamSource<Entry, Counts>;
  notifications: DatabaseNotifications;
  clock: Clock;
  logger: Logger;
  /** Comment lines that keep proxies from closing idle streams. Default 15 s. */
  heartbeatMs?: number;
  /** How long EventSource waits before reconnecting. Default 2 s. */
  reconnectMs?: number;
  /** Entries sent on a resume before the hub gives up and asks the client to refetch (`reset`). Default 50. */
  resumeLimit?: number;
}

/** Ids older than Last-Event-ID by up to this much are sent again: processes' clocks differ a little, and clients upsert by id. */
const RESUME_OVERLAP_MS = 5_000;
/** A client this far behind (unsent bytes) is dropped; it reconnects and refetches. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Refreshes running at once. */
const REFRESH_CONCURRENCY = 16;
/** Subscribers whose streams an announcement change refreshes together (a few queries for all of them). */
const SUBSCRIBERS_PER_REFRESH = 500;
/** A timer can wait at most this long (setTimeout's 32-bit limit); a later change is re-planned then. */
const MAX_TIMER_MS = 2_147_000_000;

interface Stream {
  owner: StreamOwner;
  response: ServerResponse;
  /** Entries to send (`item` when visible, else `changed`), and ids changed by the subscriber elsewhere. */
  itemIds: Set<string>;
  changedIds: Set<string>;
  queued: boolean;
  closed: boolean;
}

/**
 * The live side of the inbox: one Server-Sent Events stream per open widget. A change notification
 * (from this process or, through NOTIFY, another) names ids only; each stream reads what its own
 * subscriber may see and sends `item`, `changed` and `counts` events. Changes to one stream coalesce
 * while it waits its turn, so a burst costs one refresh. Scheduled announcements are announced by a
 * timer per app at their publication time.
 */
export function createInboxStreamHub<Entry extends { id: string; createdAt: string }, Counts>(options: InboxStreamHubOptions<Entry, Counts>): InboxStreamHub {
  const { source, clock, logger } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const reconnectMs = options.reconnectMs ?? 2_000;
  const resumeLimit = options.resumeLimit ?? 50;
  /** appId → subscriberId → streams. */
  const byApp = new Map<string, Map<string, Set<Stream>>>();
  const appTimers = new Map<string, NodeJS.Timeout>();
  /** Work waiting its turn: one stream's own changes, or an app's announcement changes for all its streams. */
  const waiting: Array<Stream | string> = [];
  /** appId → announcement ids changed since its refresh was queued. */
  const announcementChanges = new Map<string, Set<string>>();
  let running = 0;
  let size = 0;
  let closed = false;

  const heartbeat = setInterval(() => {
    for (const subscribers of byApp.values()) for (const streams of subscribers.values()) for (const stream of streams) write(stream, ': ping\n\n');
  }, heartbeatMs);
  heartbeat.unref();

  const unsubscribe = subscribeToInboxChanges(options.notifications, onChange);

  function write(stream: Stream, text: string): void {
    if (stream.closed) return;
    if (stream.response.writableLength > MAX_BUFFERED_BYTES) {
      logger.info({ appId: stream.owner.appId }, 'an inbox stream fell too far behind; it is closed and will reconnect');
      end(stream);
      return;
    }
    stream.response.write(text);
  }

  function send(stream: Stream, event: string, data: unknown, id?: string): void {
    write(stream, `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
  }

  function end(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    size--;
    const { appId, subscriberId } = stream.owner;
    const subscribers = byApp.get(appId);
    const streams = subscribers?.get(subscriberId);
    streams?.delete(stream);
    if (streams?.size === 0) subscribers!.delete(subscriberId);
    if (subscribers?.size === 0) {
      byApp.delete(appId);
      clearTimeout(appTimers.get(appId));
      appTimers.delete(appId);
    }
    stream.response.end();
  }

  function onChange(change: InboxChange): void {
    const subscribers = byApp.get(change.appId);
    if (!subscribers) return;
    if (change.kind === 'announcements') {
      const pending = announcementChanges.get(change.appId);
      if (pending) for (const id of change.ids) pending.add(id);
      else {
        announcementChanges.set(change.appId, new Set(change.ids));
        waiting.push(change.appId);
        drain();
      }
      void planAnnouncementTimer(change.appId);
      return;
    }
    if (change.kind === 'items') {
      for (const { subscriberId, id } of change.items) for (const stream of subscribers.get(subscriberId) ?? []) enqueue(stream, [id], []);
      return;
    }
    for (const stream of subscribers.get(change.subscriberId) ?? []) enqueue(stream, [], change.ids);
  }

  function enqueue(stream: Stream, itemIds: readonly string[], changedIds: readonly string[]): void {
    for (const id of itemIds) stream.itemIds.add(id);
    for (const id of changedIds) stream.changedIds.add(id);
    if (stream.queued) return;
    stream.queued = true;
    waiting.push(stream);
    drain();
  }

  function drain(): void {
    while (running < REFRESH_CONCURRENCY && waiting.length > 0) {
      const next = waiting.shift()!;
      running++;
      void (typeof next === 'string' ? refreshApp(next) : refresh(next)).finally(() => {
        running--;
        // A turn of the event loop between refreshes: the events written so far go out now (node:sqlite answers synchronously).
        setImmediate(drain);
      });
    }
  }

  /** Sends an app's announcement changes to every stream of the app, SUBSCRIBERS_PER_REFRESH subscribers per read. */
  async function refreshApp(appId: string): Promise<void> {
    const ids = [...(announcementChanges.get(appId) ?? [])];
    announcementChanges.delete(appId);
    const subscriberIds = [...(byApp.get(appId)?.keys() ?? [])];
    for (let first = 0; first < subscriberIds.length; first += SUBSCRIBERS_PER_REFRESH) {
      const chunk = subscriberIds.slice(first, first + SUBSCRIBERS_PER_REFRESH);
      let changes: Map<string, { entries: Entry[]; counts: Counts }> | undefined;
      try {
        changes = await source.announcementChangeFor(appId, chunk, ids);
      } catch (error) {
        logger.warn({ err: error, appId }, 'inbox streams could not read an announcement change; their clients are asked to refetch');
      }
      for (const subscriberId of chunk) {
        const change = changes?.get(subscriberId);
        for (const stream of byApp.get(appId)?.get(subscriberId) ?? []) {
          if (!change) {
            send(stream, 'reset', {});
            continue;
          }
          const shown = new Set(change.entries.map((entry) => entry.id));
          for (const entry of change.entries) send(stream, 'item', entry, entry.id);
          const gone = ids.filter((id) => !shown.has(id));
          if (gone.length > 0) send(stream, 'changed', { ids: gone });
          send(stream, 'counts', change.counts);
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function refresh(stream: Stream): Promise<void> {
    stream.queued = false;
    const itemIds = [...stream.itemIds];
    const changedIds = [...stream.changedIds];
    stream.itemIds.clear();
    stream.changedIds.clear();
    if (stream.closed) return;
    try {
      const visible = itemIds.length > 0 ? await source.entries(stream.owner, itemIds) : [];
      const shown = new Set(visible.map((entry) => entry.id));
      for (const entry of visible) send(stream, 'item', entry, entry.id);
      const changed = [...changedIds, ...itemIds.filter((id) => !shown.has(id))];
      if (changed.length > 0) send(stream, 'changed', { ids: changed });
      if (visible.length > 0 || changed.length > 0) send(stream, 'counts', await source.counts(stream.owner));
    } catch (error) {
      // The database is away: the client cannot be told what changed, so it is told to refetch once it can.
      logger.warn({ err: error, appId: stream.owner.appId }, 'an inbox stream could not read a change; the client is asked to refetch');
      send(stream, 'reset', {});
    }
  }

  /** Wakes the app's streams when its next scheduled announcement is published or one expires. */
  async function planAnnouncementTimer(appId: string): Promise<void> {
    clearTimeout(appTimers.get(appId));
    appTimers.delete(appId);
    let next: { atMs: number; ids: string[] } | undefined;
    try {
      next = await source.nextAnnouncementChange(appId);
    } catch (error) {
      logger.warn({ err: error, appId }, 'cannot plan the next announcement change; streams learn of it on their next change');
      return;
    }
    if (next === undefined || closed || !byApp.has(appId)) return;
    // Plans overlap when changes come quickly: the last one to finish holds the timer.
    clearTimeout(appTimers.get(appId));
    const { atMs, ids } = next;
    const delayMs = Math.min(Math.max(0, atMs - clock.now()), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      appTimers.delete(appId);
      // Too early (a timer capped at its limit, or a clock that disagrees): plan again.
      if (clock.now() < atMs) void planAnnouncementTimer(appId);
      // Every stream of the app gets what came due (or `changed` for what expired) and its counts.
      else onChange({ kind: 'announcements', appId, ids });
    }, delayMs);
    timer.unref();
    appTimers.set(appId, timer);
  }

  /** On resume: the entries made since the last one the client saw, or `reset` when there are too many to tell. */
  async function resume(stream: Stream, lastEventId: string): Promise<void> {
    const lastMs = timeOfId(lastEventId);
    const recent = await source.recent(stream.owner, resumeLimit);
    if (lastMs === undefined) {
      send(stream, 'reset', {});
      return;
    }
    const missed = recent.filter((entry) => entry.id !== lastEventId && Date.parse(entry.createdAt) >= lastMs - RESUME_OVERLAP_MS);
    if (missed.length === recent.length && recent.length === resumeLimit) {
      send(stream, 'reset', {});
      return;
    }
    // Oldest first, so the client's last seen id ends up the newest.
    for (const entry of missed.reverse()) send(stream, 'item', entry, entry.id);
  }

  return {
    async open({ owner, lastEventId, response, headers }) {
      const { appId, subscriberId } = owner;
      if (closed) {
        response.end();
        return;
      }
      response.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // Proxies (nginx) must pass events on at once.
        'x-accel-buffering': 'no',
      });
      const stream: Stream = { owner, response, itemIds: new Set(), changedIds: new Set(), queued: false, closed: false };
      size++;
      let subscribers = byApp.get(appId);
      if (!subscribers) {
        byApp.set(appId, (subscribers = new Map()));
        void planAnnouncementTimer(appId);
      }
      let streams = subscribers.get(subscriberId);
      if (!streams) subscribers.set(subscriberId, (streams = new Set()));
      streams.add(stream);
      response.on('close', () => end(stream));
      write(stream, `retry: ${reconnectMs}\n\n`);
      try {
        if (lastEventId !== undefined) await resume(stream, lastEventId);
        send(stream, 'counts', await source.counts(owner));
      } catch (error) {
        logger.warn({ err: error, appId }, 'an inbox stream could not read its first counts');
        send(stream, 'reset', {});
      }
    },

    get size() {
      return size;
    },

    close() {
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      for (const timer of appTimers.values()) clearTimeout(timer);
      appTimers.clear();
      for (const subscribers of [...byApp.values()]) for (const streams of [...subscribers.values()]) for (const stream of [...streams]) end(stream);
    },
  };
}
