import { createHash } from 'node:crypto';
import { HeraldApiError, type AcceptedMessage, type HeraldClient } from '../../sdk/src/index.ts';
import type { SendRow } from './send-rows.ts';

/** What happened to one row, for the summary file. */
export interface RowOutcome {
  row: number;
  receiver: SendRow['receiver'];
  outcome: 'accepted' | 'refused';
  messageId?: string;
  /** Refused: Herald's problem code. Accepted: the reasons of skipped deliveries (NO_ADDRESS ...), if any. */
  code?: string;
  reason?: string;
}

export interface BulkSendPlan {
  /** What every chunk's request carries besides its receivers: template or content, channels, type, data ... */
  request: Record<string, unknown>;
  rows: SendRow[];
  /** One message per chunk: POST /v1/messages/batch with each row's variables, or POST /v1/messages with `to` (sends by type). */
  mode: 'batch' | 'send';
  chunkSize: number;
  /** SHA-256 of the input (the CSV file's bytes): with the chunk's index and body, it makes the chunk's idempotency key. */
  sourceDigest: string;
}

/** `receivers[3].to` (accept steps) or `body.receivers.3.to` (schema validation). */
const FIELD_OF_RECEIVER = /^(?:body\.)?(?:receivers|to)(?:\[(\d+)\]|\.(\d+))/;

/**
 * Sends the rows in chunks, one message per chunk, each under an idempotency key derived from the
 * input, the chunk's index and its body: run again after an interruption, the chunks already
 * accepted are answered from Herald's first answer instead of being sent twice. A refusal that
 * names one receiver (`receivers[3].to`) refuses that row and sends the rest of its chunk again;
 * other refusals refuse the chunk's rows. A failure that retries could not overcome (Herald down)
 * stops the run: what was accepted is kept, and running again resumes.
 */
export async function sendInChunks(client: HeraldClient, plan: BulkSendPlan, onChunk: (outcomes: RowOutcome[]) => void, shouldStop: () => boolean = () => false): Promise<RowOutcome[]> {
  const all: RowOutcome[] = [];
  for (let start = 0, index = 0; start < plan.rows.length && !shouldStop(); start += plan.chunkSize, index++) {
    const outcomes = await sendChunk(client, plan, index, plan.rows.slice(start, start + plan.chunkSize));
    all.push(...outcomes);
    onChunk(outcomes);
  }
  return all;
}

async function sendChunk(client: HeraldClient, plan: BulkSendPlan, index: number, chunk: SendRow[]): Promise<RowOutcome[]> {
  const refused: RowOutcome[] = [];
  let rows = chunk;
  while (rows.length > 0) {
    const body =
      plan.mode === 'batch'
        ? { ...plan.request, receivers: rows.map((row) => (Object.keys(row.data).length > 0 ? { to: row.receiver, data: row.data } : { to: row.receiver })) }
        : { ...plan.request, to: rows.map((row) => row.receiver) };
    const idempotencyKey = `herald-cli-${createHash('sha256').update(`${plan.sourceDigest}\n${index}\n${JSON.stringify(body)}`).digest('hex').slice(0, 48)}`;
    let accepted: AcceptedMessage;
    try {
      accepted = plan.mode === 'batch' ? await client.sendBatch(body as Parameters<HeraldClient['sendBatch']>[0], { idempotencyKey }) : await client.send(body as Parameters<HeraldClient['send']>[0], { idempotencyKey });
    } catch (error) {
      if (!(error instanceof HeraldApiError) || error.status >= 500 || error.status === 401 || error.status === 403 || error.status === 429) throw error;
      const at = FIELD_OF_RECEIVER.exec(String(error.problem.field ?? ''));
      const culprit = at ? Number(at[1] ?? at[2]) : -1;
      if (culprit >= 0 && culprit < rows.length) {
        refused.push(refusal(rows[culprit]!, error));
        rows = rows.filter((_row, position) => position !== culprit);
        continue;
      }
      return [...refused, ...rows.map((row) => refusal(row, error))];
    }
    return [...refused, ...acceptedRows(rows, accepted)];
  }
  return refused;
}

function refusal(row: SendRow, error: HeraldApiError): RowOutcome {
  return { row: row.row, receiver: row.receiver, outcome: 'refused', code: error.code, reason: error.detail };
}

/** Subscriber ids and `{ subscriber }` are one receiver; addresses are `kind:value`. */
function receiverKey(receiver: unknown): string {
  if (typeof receiver === 'string') return `subscriber:${receiver}`;
  const [kind, value] = Object.entries((receiver ?? {}) as Record<string, unknown>)[0] ?? ['', ''];
  return `${kind}:${String(value)}`;
}

function acceptedRows(rows: SendRow[], accepted: AcceptedMessage): RowOutcome[] {
  const skipped = new Map<string, Set<string>>();
  for (const delivery of accepted.deliveries) {
    if (delivery.status !== 'skipped') continue;
    const key = receiverKey(delivery.receiver);
    skipped.set(key, (skipped.get(key) ?? new Set()).add(delivery.reason ?? 'SKIPPED'));
  }
  return rows.map((row) => {
    const reasons = skipped.get(receiverKey(row.receiver));
    return { row: row.row, receiver: row.receiver, outcome: 'accepted', messageId: accepted.id, ...(reasons ? { code: [...reasons].join(' '), reason: 'skipped deliveries' } : {}) };
  });
}
