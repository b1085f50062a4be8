import type { ReceiptReply } from './provider.ts';

/** What the SMS vendors that push receipts as a JSON array of reports (Aliyun, Tencent) share: reading the push, writing the answer. */

export const jsonReceiptReply = (status: number, body: Record<string, unknown>): ReceiptReply => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

export type JsonReportsRead = { reports: Array<Record<string, unknown>>; problem?: never } | { problem: string; reports?: never };

/** The push body as an array of report objects, or why it is not one (naming the report at fault). */
export function readJsonReports(body: Buffer, vendor: string): JsonReportsRead {
  let reports: unknown;
  try {
    reports = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: `the body is not JSON; ${vendor} pushes a JSON array of reports` };
  }
  if (!Array.isArray(reports)) return { problem: `the body is not a JSON array of ${vendor} reports` };
  const notObject = reports.findIndex((report) => typeof report !== 'object' || report === null || Array.isArray(report));
  return notObject >= 0 ? { problem: `report ${notObject} is not an object` } : { reports };
}

export const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
