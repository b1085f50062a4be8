import type { AcceptedMessage } from '../domain/messages/message-intake.ts';
import type { Problem } from '../problem.ts';

/**
 * The ingestion boundary: one folder per broker (amqp/, mqtt/, nats/) implements IngestAdapter and
 * turns each broker message into an IngestRequest; the shared SendRequestIntake judges it and
 * answers an IngestOutcome, which the adapter settles the broker's way. A new broker (Kafka) is one
 * more folder and one line in create-ingest-adapters.ts.
 */
export interface IngestAdapter {
  /** `amqp`, `mqtt`, `nats`: names the broker in logs. */
  readonly name: string;
  /** Connects and starts consuming; resolves once consuming (reconnects on its own afterwards). */
  start(): Promise<void>;
  /** Stops taking new messages, lets those in hand settle, disconnects. */
  stop(): Promise<void>;
}

/** One send request as a broker delivered it. */
export interface IngestRequest {
  /** The message body: the send API's JSON body, byte for byte as signed. */
  payload: Uint8Array;
  /** A header (AMQP header, MQTT 5 user property, NATS header) by its lower-case name. */
  header(name: string): string | undefined;
  /** Where the outcome goes (AMQP reply-to, MQTT 5 response topic, NATS herald-reply-to header); part of the signed string. */
  replyTo: string | undefined;
  /**
   * The broker's stable id of this message (AMQP message-id, NATS Nats-Msg-Id or stream sequence),
   * prefixed with the broker: the idempotency key when the request names none.
   */
  brokerMessageId: string | undefined;
  /** The app the address names (MQTT `herald/<app>/send`, NATS `herald.<app>.send`), by id or name; undefined on a shared queue. */
  addressedApp: string | undefined;
}

export type IngestOutcome =
  /** Committed (or replayed by its idempotency key): ack, and reply with the ids. */
  | { kind: 'accepted'; appId: string; message: AcceptedMessage }
  /**
   * Refused for good (malformed, unauthenticated, invalid): dead-letter with the problem, then ack.
   * `replyAllowed` is false when the request is not proven to come from the app: its reply address is not trusted.
   */
  | { kind: 'refused'; appId: string | undefined; problem: Problem; replyAllowed: boolean }
  /** Not now (database outage, rate limit): leave unacknowledged and have the broker deliver it again after the delay. */
  | { kind: 'retry'; problem: Problem; retryAfterMs: number };

/** What an adapter publishes to a reply address: the HTTP answer's body in an envelope saying which it is. */
export function replyBody(outcome: Exclude<IngestOutcome, { kind: 'retry' }>): Buffer {
  if (outcome.kind === 'accepted') {
    const { replayed, ...message } = outcome.message;
    return Buffer.from(JSON.stringify({ outcome: 'accepted', replayed, message }));
  }
  return Buffer.from(JSON.stringify({ outcome: 'refused', problem: outcome.problem }));
}

/** The headers a dead letter carries besides the request's own: the problem, readable without parsing the body. */
export function deadLetterHeaders(problem: Problem): Record<string, string> {
  return {
    'herald-problem-code': problem.code,
    'herald-problem-status': String(problem.status),
    'herald-problem': JSON.stringify(problem),
  };
}
