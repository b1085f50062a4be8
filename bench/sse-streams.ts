import http from 'node:http';

/**
 * Many Server-Sent Events clients in the bench process, one socket each (as many browsers
 * would be): node:http with an agent that neither pools nor caps sockets. Each client records
 * when its first `counts` event arrived and every `item` event (id, kind, arrival), timed with
 * performance.now() so the runner can compare them with when it sent the request behind them.
 * Not test/support/event-stream-client.ts: it polls each client for events and keeps no arrival
 * times, which for 10,000 clients would cost more than the streams measured and blur the latency.
 */

export interface ItemArrival {
  id: string;
  kind: string;
  atMs: number;
}

export interface StreamClient {
  readonly path: string;
  /** Still connected. */
  readonly open: boolean;
  readonly items: readonly ItemArrival[];
  /** The data of the last `counts` event. */
  readonly lastCounts: unknown;
}

export interface StreamSet {
  readonly clients: readonly StreamClient[];
  /** Clients still connected. */
  held(): number;
  /** Resolves with, per client, the arrival of its first item matching `match`, once every one of `clients` has one. */
  waitForItems(clients: readonly StreamClient[], match: (item: ItemArrival) => boolean, timeoutMs: number): Promise<number[]>;
  close(): void;
}

interface Client extends StreamClient {
  open: boolean;
  items: ItemArrival[];
  lastCounts: unknown;
  request?: http.ClientRequest;
}

type ItemListener = (client: Client, item: ItemArrival) => void;

/** Opens a stream per path (`concurrency` connecting at a time); resolves once every one has had its first `counts` event. */
export async function openStreams(origin: string, paths: readonly string[], options: { concurrency: number; timeoutMs: number }): Promise<StreamSet> {
  const { hostname, port } = new URL(origin);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const clients: Client[] = paths.map((path) => ({ path, open: false, items: [], lastCounts: undefined }));
  const listeners = new Set<ItemListener>();
  const deadline = performance.now() + options.timeoutMs;

  const connect = (client: Client) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${client.path}: no counts event within ${options.timeoutMs} ms`)), Math.max(0, deadline - performance.now()));
      const settle = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const request = http.get({ hostname, port, path: client.path, agent, headers: { accept: 'text/event-stream' } }, (response) => {
        response.setEncoding('utf8');
        if (response.statusCode !== 200) {
          let body = '';
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => settle(new Error(`${client.path}: ${response.statusCode} ${body.slice(0, 300)}`)));
          return;
        }
        client.open = true;
        let buffer = '';
        response.on('data', (chunk: string) => {
          const atMs = performance.now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = parseEvent(block);
            if (event.name === 'counts') {
              client.lastCounts = JSON.parse(event.data);
              settle();
            } else if (event.name === 'item') {
              const entry = JSON.parse(event.data) as { id: string; kind: string };
              const item = { id: entry.id, kind: entry.kind, atMs };
              client.items.push(item);
              for (const listener of listeners) listener(client, item);
            }
          }
        });
        response.on('close', () => {
          client.open = false;
          settle(new Error(`${client.path}: the stream ended before its first counts event`));
        });
      });
      request.on('error', (error) => settle(error));
      client.request = request;
    });

  const close = () => {
    for (const client of clients) client.request?.destroy();
    agent.destroy();
  };

  let next = 0;
  const worker = async () => {
    while (next < clients.length) await connect(clients[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, clients.length) }, worker));
  } catch (error) {
    close();
    throw error;
  }

  return {
    clients,
    held: () => clients.reduce((count, client) => count + (client.open ? 1 : 0), 0),
    waitForItems(waitedFor, match, timeoutMs) {
      // Checked per arrival, not by rescanning every client: 10,000 clients each getting an item would be 10^8 scans.
      const arrivals = new Map<StreamClient, number>();
      for (const client of waitedFor) {
        const seen = client.items.find(match);
        if (seen) arrivals.set(client, seen.atMs);
      }
      const waited = new Set(waitedFor);
      return new Promise<number[]>((resolve, reject) => {
        const finish = () => {
          listeners.delete(listener);
          clearTimeout(timer);
          resolve(waitedFor.map((client) => arrivals.get(client)!));
        };
        const listener: ItemListener = (client, item) => {
          if (!waited.has(client) || arrivals.has(client) || !match(item)) return;
          arrivals.set(client, item.atMs);
          if (arrivals.size === waitedFor.length) finish();
        };
        const timer = setTimeout(() => {
          listeners.delete(listener);
          const closed = clients.filter((client) => !client.open).length;
          reject(new Error(`${waitedFor.length - arrivals.size} of ${waitedFor.length} streams got no matching item within ${timeoutMs} ms (${closed} streams closed)`));
        }, timeoutMs);
        listeners.add(listener);
        if (arrivals.size === waitedFor.length) finish();
      });
    },
    close,
  };
}

function parseEvent(block: string): { name: string; data: string } {
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  return { name, data: data.join('\n') };
}
