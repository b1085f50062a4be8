import { parse } from 'csv-parse/sync';
import { ADDRESS_KINDS } from '../channels/address-kinds.ts';
import { invalid } from '../errors.ts';

/** One receiver to send to: a CSV row or a `--to` argument. */
export interface SendRow {
  /** The row's line in the CSV file (the header is line 1), or the argument's position among the `--to`s. */
  row: number;
  /** As the send API takes it: a subscriber external id, or `{ <address kind>: value }`. */
  receiver: string | Record<string, string>;
  /** The row's variables (every column but the receiver's). */
  data: Record<string, string>;
}

/** Columns that name the receiver: a subscriber external id, or one of the address kinds. */
const SUBSCRIBER_COLUMNS = ['to', 'subscriber'];
export const RECEIVER_COLUMNS = [...SUBSCRIBER_COLUMNS, ...ADDRESS_KINDS];

function receiverOf(column: string, value: string): SendRow['receiver'] {
  return SUBSCRIBER_COLUMNS.includes(column) ? value : { [column]: value };
}

/** `u1` (a subscriber), or `kind:value` such as `email:a@example.com`, `phone:+8613800138000`. */
export function receiverFromArgument(argument: string): SendRow['receiver'] {
  const colon = argument.indexOf(':');
  const kind = colon === -1 ? '' : argument.slice(0, colon);
  if (colon !== -1 && RECEIVER_COLUMNS.includes(kind)) return receiverOf(kind, argument.slice(colon + 1));
  return argument;
}

/**
 * The rows of a CSV file with a header: the receiver column (`toColumn`, else the first header
 * among RECEIVER_COLUMNS) and a column per variable. Rows without a receiver come back in
 * `refused`; a file that is not CSV is refused whole, naming the line.
 */
export function rowsFromCsv(content: Buffer, toColumn?: string): { rows: SendRow[]; refused: Array<{ row: number; code: string; reason: string }>; variableColumns: string[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, trim: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    throw invalid('CSV_INVALID', `The CSV file cannot be read: ${(error as Error).message}`);
  }
  const header = records[0]?.record;
  const lines = records.slice(1);
  if (!header || lines.length === 0) throw invalid('CSV_EMPTY', 'The CSV file needs a header row and at least one row of receivers');
  const column = toColumn ?? header.find((name) => RECEIVER_COLUMNS.includes(name));
  const receiverIndex = column === undefined ? -1 : header.indexOf(column);
  if (receiverIndex === -1) {
    throw invalid('CSV_RECEIVER_COLUMN_MISSING', `No receiver column in the CSV header (${header.join(', ')}): name one ${RECEIVER_COLUMNS.join(', ')}, or pass --to-column`);
  }
  const receiverColumn = header[receiverIndex]!;
  const rows: SendRow[] = [];
  const refused: Array<{ row: number; code: string; reason: string }> = [];
  for (const { record: values, info } of lines) {
    // The line the record ends on: a quoted value may span lines.
    const row = info.lines;
    const value = values[receiverIndex] ?? '';
    if (value === '') {
      refused.push({ row, code: 'RECEIVER_MISSING', reason: `The ${receiverColumn} column is empty` });
      continue;
    }
    const data: Record<string, string> = {};
    header.forEach((name, at) => {
      if (at !== receiverIndex && name !== '') data[name] = values[at] ?? '';
    });
    rows.push({ row, receiver: receiverOf(RECEIVER_COLUMNS.includes(receiverColumn) ? receiverColumn : 'to', value), data });
  }
  return { rows, refused, variableColumns: header.filter((name, at) => at !== receiverIndex && name !== '') };
}
