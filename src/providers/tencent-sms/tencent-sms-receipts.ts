import { jsonReceiptReply, optionalText, readJsonReports } from '../json-receipt-push.ts';
import type { ReceiptEntry, ReceiptParse, ReceiptRequest } from '../provider.ts';
import { shanghaiWallTimeMs } from '../shanghai-wall-time.ts';

/**
 * Tencent SMS delivery callbacks (短信下发状态回调): a JSON array of reports, one per number,
 * each naming the SerialNo of the send as `sid` and the number as `nationcode` + `mobile`.
 * API 3.0 callbacks carry no SessionContext, so `sid` is what matches a delivery.
 */

export const TENCENT_RECEIPT_ACCEPTED_REPLY = jsonReceiptReply(200, { result: 0, errmsg: 'OK' });

const refused = (reason: string): ReceiptParse => ({ kind: 'refused', reason, reply: jsonReceiptReply(400, { result: 1, errmsg: reason }) });

const digitsOf = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).replace(/^\+/, '') : '');

export function parseTencentSmsReport(request: ReceiptRequest): ReceiptParse {
  const read = readJsonReports(request.body, 'Tencent status');
  if (read.problem !== undefined) return refused(read.problem);
  const entries: ReceiptEntry[] = [];
  for (const [index, report] of read.reports.entries()) {
    const sid = optionalText(report.sid);
    const nationCode = digitsOf(report.nationcode);
    const mobile = digitsOf(report.mobile);
    const status = report.report_status;
    if (!sid || !/^[1-9]\d{0,3}$/.test(nationCode) || !/^\d{4,14}$/.test(mobile) || (status !== 'SUCCESS' && status !== 'FAIL')) {
      return refused(`report ${index} lacks sid, nationcode and mobile, or a report_status of SUCCESS or FAIL`);
    }
    const entry: ReceiptEntry = {
      providerMessageId: sid,
      address: `+${nationCode}${mobile}`,
      status: status === 'SUCCESS' ? 'delivered' : 'undelivered',
      code: optionalText(report.errmsg),
      message: optionalText(report.description),
    };
    const atMs = shanghaiWallTimeMs(report.user_receive_time);
    if (atMs !== undefined) entry.atMs = atMs;
    entries.push(entry);
  }
  return { kind: 'accepted', entries, reply: TENCENT_RECEIPT_ACCEPTED_REPLY };
}
