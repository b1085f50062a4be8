import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { invalid } from '../errors.ts';
import { sendInChunks, type BulkSendPlan, type RowOutcome } from './bulk-sender.ts';
import { remoteClient } from './remote-profile.ts';
import { sendProgress } from './send-progress.ts';
import { receiverFromArgument, rowsFromCsv, type SendRow } from './send-rows.ts';

const MAX_CHUNK = 1000;
const DEFAULT_CHUNK = 500;

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function receiverText(receiver: SendRow['receiver']): string {
  return typeof receiver === 'string' ? receiver : Object.entries(receiver).map(([kind, value]) => `${kind}:${value}`).join('');
}

function writeSummary(file: string, outcomes: RowOutcome[]): void {
  const lines = ['row,receiver,outcome,messageId,code,reason'];
  for (const outcome of [...outcomes].sort((a, b) => a.row - b.row)) {
    lines.push([String(outcome.row), receiverText(outcome.receiver), outcome.outcome, outcome.messageId ?? '', outcome.code ?? '', outcome.reason ?? ''].map(csvField).join(','));
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

/**
 * `herald send`: one send, or a CSV of receivers chunked into batch sends that an interrupted run
 * resumes without duplicates (see bulk-sender.ts). Exit code 0 when every row was accepted, 1 when
 * some were refused (the summary file says which and why).
 */
export async function runSendCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      type: { type: 'string' },
      template: { type: 'string' },
      title: { type: 'string' },
      body: { type: 'string' },
      format: { type: 'string' },
      to: { type: 'string', multiple: true },
      csv: { type: 'string' },
      'to-column': { type: 'string' },
      data: { type: 'string', multiple: true },
      channel: { type: 'string', multiple: true },
      'chunk-size': { type: 'string' },
      summary: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  if (values.template !== undefined && values.body !== undefined) throw invalid('ARGUMENT_CONFLICT', 'Give --template or --body (inline content), not both');
  if (values.type === undefined && values.template === undefined && values.body === undefined) {
    throw invalid('ARGUMENT_MISSING', 'Say what to send: --type CODE, --template CODE, or --title/--body for inline content');
  }
  const chunkSize = values['chunk-size'] === undefined ? DEFAULT_CHUNK : Number(values['chunk-size']);
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK) throw invalid('ARGUMENT_INVALID', `--chunk-size must be a whole number from 1 to ${MAX_CHUNK}`);
  const data: Record<string, string> = {};
  for (const pair of values.data ?? []) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw invalid('ARGUMENT_INVALID', `--data "${pair}" must be NAME=VALUE`);
    data[pair.slice(0, equals)] = pair.slice(equals + 1);
  }

  let rows: SendRow[] = [];
  const outcomes: RowOutcome[] = [];
  let source: Buffer;
  if (values.csv !== undefined) {
    if (values.to !== undefined) throw invalid('ARGUMENT_CONFLICT', 'Give receivers with --csv or with --to, not both');
    try {
      source = fs.readFileSync(values.csv);
    } catch (error) {
      throw invalid('CSV_UNREADABLE', `Cannot read ${values.csv}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const parsed = rowsFromCsv(source, values['to-column']);
    rows = parsed.rows;
    outcomes.push(...parsed.refused.map((refusal) => ({ ...refusal, receiver: '', outcome: 'refused' as const })));
    if (values.type !== undefined && parsed.variableColumns.length > 0) {
      throw invalid('CSV_VARIABLES_NEED_TEMPLATE', `A send by --type takes one set of data for all receivers, but the CSV has variable columns (${parsed.variableColumns.join(', ')}): send with --template, or keep only the receiver column`);
    }
  } else {
    rows = (values.to ?? []).map((argument, index) => ({ row: index + 1, receiver: receiverFromArgument(argument), data: {} }));
    source = Buffer.from(JSON.stringify(values.to ?? []));
  }
  if (rows.length === 0 && values.type === undefined) throw invalid('RECEIVERS_MISSING', 'Say who receives it: --to RECEIVER (repeatable) or --csv FILE');

  const request: Record<string, unknown> = {
    ...(values.type !== undefined ? { type: values.type } : {}),
    ...(values.template !== undefined ? { template: values.template } : {}),
    ...(values.body !== undefined ? { content: { body: values.body, ...(values.title !== undefined ? { title: values.title } : {}), ...(values.format !== undefined ? { format: values.format } : {}) } } : {}),
    ...(values.channel !== undefined ? { channels: values.channel } : {}),
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
  const client = remoteClient(values.profile);
  const summaryFile = values.summary ?? (values.csv !== undefined ? `${values.csv}.summary.csv` : 'herald-send-summary.csv');

  // A send by type without receivers of its own goes to the type's receivers: one plain send.
  if (rows.length === 0) {
    const accepted = await client.send(request as Parameters<typeof client.send>[0], { idempotencyKey: `herald-cli-${createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 48)}` });
    console.log(`Accepted message ${accepted.id}: ${accepted.deliveries.length} deliveries`);
    return 0;
  }

  // Each chunk is a message, and a type's own receivers are added to every message of it.
  if (values.type !== undefined && rows.length > chunkSize) {
    const type = (await client.request<{ receivers?: unknown[] }>('GET', `/v1/message-types/${encodeURIComponent(values.type)}`)).body;
    if ((type.receivers ?? []).length > 0) {
      throw invalid('TYPE_RECEIVERS_REPEATED', `Message type "${values.type}" has receivers of its own, which every chunk's message would reach again: send at most --chunk-size (≤ ${MAX_CHUNK}) receivers with it, or use --template`);
    }
  }

  const plan: BulkSendPlan = {
    request,
    rows,
    mode: values.csv !== undefined && values.type === undefined ? 'batch' : 'send',
    chunkSize,
    sourceDigest: createHash('sha256').update(source).digest('hex'),
  };
  const progress = sendProgress(rows.length + outcomes.length);
  progress.advance(outcomes.length, outcomes.length);
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
  };
  process.once('SIGINT', interrupt);
  try {
    outcomes.push(...(await sendInChunks(client, plan, (chunk) => progress.advance(chunk.length, chunk.filter((outcome) => outcome.outcome === 'refused').length), () => interrupted)));
  } catch (error) {
    progress.stop();
    writeSummary(summaryFile, outcomes);
    console.error(`herald: stopped after ${outcomes.length} of ${rows.length} rows; run the same command again to resume (chunks already accepted are not sent twice)`);
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
  }
  progress.stop();
  writeSummary(summaryFile, outcomes);
  const accepted = outcomes.filter((outcome) => outcome.outcome === 'accepted');
  const refused = outcomes.length - accepted.length;
  const messages = new Set(accepted.map((outcome) => outcome.messageId)).size;
  console.log(`${accepted.length} rows accepted in ${messages} message(s), ${refused} refused${interrupted ? ', interrupted: run again to send the rest' : ''}; summary: ${summaryFile}`);
  return interrupted ? 130 : refused > 0 ? 1 : 0;
}
