import { jsonReceiptReply, optionalText, readJsonReports } from '../json-receipt-push.ts';
import type { ReceiptEntry, ReceiptParse, ReceiptRequest } from '../provider.ts';
import { shanghaiWallTimeMs } from '../shanghai-wall-time.ts';

/**
 * Aliyun SmsReport (状态报告, HTTP batch push): a JSON array of reports, one per number,
 * each naming the BizId of the send and the number. Aliyun reads only a numeric `code` in
 * the answer; anything but HTTP 200 makes it push again after 1, 5 and 10 minutes.
 */

export const ALIYUN_RECEIPT_ACCEPTED_REPLY = jsonReceiptReply(200, { code: 0, msg: '接收成功' });

const refused = (reason: string): ReceiptParse => ({ kind: 'refused', reason, reply: jsonReceiptReply(400, { code: 400, msg: reason }) });

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/**
 * An Aliyun report number in E.164. Mainland mobile numbers come as 11 national digits
 * (1[3-9]XXXXXXXXX, as SendSms takes them); others with their country code. A +1 number
 * whose area code starts with 3-9 looks the same as a mainland one: Aliyun's own number
 * format cannot tell them apart, so it is read as mainland, as SendSms reads it.
 */
export function e164FromAliyunNumber(number: string): string | undefined {
  const digits = number.replace(/^(\+|00)/, '');
  if (!/^\d{6,15}$/.test(digits)) return undefined;
  if (number.startsWith('+') || number.startsWith('00')) return `+${digits}`;
  if (MAINLAND_MOBILE.test(digits)) return `+86${digits}`;
  return `+${digits}`;
}


export function parseAliyunSmsReport(request: ReceiptRequest): ReceiptParse {
  const read = readJsonReports(request.body, 'Aliyun SmsReport');
  if (read.problem !== undefined) return refused(read.problem);
  const entries: ReceiptEntry[] = [];
  for (const [index, report] of read.reports.entries()) {
    const bizId = optionalText(report.biz_id);
    const address = typeof report.phone_number === 'string' ? e164FromAliyunNumber(report.phone_number) : undefined;
    if (!bizId || !address || typeof report.success !== 'boolean') {
      return refused(`report ${index} lacks biz_id, a phone_number or a boolean success`);
    }
    const entry: ReceiptEntry = {
      providerMessageId: bizId,
      address,
      status: report.success ? 'delivered' : 'undelivered',
      code: optionalText(report.err_code),
      message: optionalText(report.err_msg),
    };
    const atMs = shanghaiWallTimeMs(report.report_time);
    if (atMs !== undefined) entry.atMs = atMs;
    entries.push(entry);
  }
  return { kind: 'accepted', entries, reply: ALIYUN_RECEIPT_ACCEPTED_REPLY };
}
