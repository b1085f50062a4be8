import http from 'node:http';
import { waitFor } from './wait-for.ts';

export interface ServerSentEvent {
  event: string;
  id?: string;
  data: string;
}

export interface EventStreamClient {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Every event so far, in order (comments such as heartbeats are counted in `comments`). */
  readonly events: ServerSentEvent[];
  readonly comments: number;
  /** Resolves with the first event from index `from` on that matches. */
  next(match: (event: ServerSentEvent) => boolean, what: string, from?: number, timeoutMs?: number): Promise<ServerSentEvent>;
  /** Resolves once the server ended the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** A Server-Sent Events client as EventSource reads the wire format (event, id, data lines; blank line ends an event). */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  const events: ServerSentEvent[] = [];
  let comments = 0;
  let buffer = '';
  const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => request.once('response', resolve).once('error', reject));
  response.setEncoding('utf8');
  const ended = new Promise<void>((resolve) => {
    response.once('end', resolve);
    response.once('close', resolve);
  });
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event: ServerSentEvent = { event: 'message', data: '' };
      const data: string[] = [];
      let fields = 0;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          comments++;
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') data.push(value);
        else continue;
        fields++;
      }
      if (fields === 0 || data.length === 0) continue;
      event.data = data.join('\n');
      events.push(event);
    }
  });
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    events,
    get comments() {
      return comments;
    },
    async next(match, what, from = 0, timeoutMs = 5_000) {
      let found: ServerSentEvent | undefined;
      await waitFor(() => (found = events.slice(from).find(match)) !== undefined, { what, timeoutMs, intervalMs: 10 });
      return found!;
    },
    ended,
    close: () => request.destroy(),
  };
}
