import type { SendOutcome } from './provider.ts';

/** What the two WeCom (企业微信) APIs share: the default host and the meaning of their common errcodes. */

export const WECOM_DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';

const WECOM_OK = 0;
const WECOM_SYSTEM_BUSY = -1;
const WECOM_FREQUENCY_LIMIT = 45009;
/** The robot limit is 20 messages a minute and app limits count per minute too: a shorter wait only hits it again. */
export const WECOM_FREQUENCY_RETRY_AFTER_MS = 60_000;

/**
 * errcode 0 → sent; 45009 → rate_limited for a minute; -1 → retry; anything else (93000 bad
 * webhook, 40058 bad parameter, 60020 IP not trusted, 82001 no valid recipient ...) → failed.
 * `call` names the API in the message (`webhook/send`, `gettoken`).
 */
export function outcomeFromWecomErrcode(errcode: number, errmsg: string, call: string): SendOutcome {
  const code = `WECOM_${errcode}`;
  const message = `WeCom ${call} errcode ${errcode}: ${errmsg}`;
  switch (errcode) {
    case WECOM_OK:
      return { kind: 'sent' };
    case WECOM_FREQUENCY_LIMIT:
      return { kind: 'rate_limited', code, message, retryAfterMs: WECOM_FREQUENCY_RETRY_AFTER_MS };
    case WECOM_SYSTEM_BUSY:
      return { kind: 'retry', code, message };
    default:
      return { kind: 'failed', code, message };
  }
}

/** The longest prefix of `text` within `maxBytes` UTF-8 bytes, never splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += character.length;
  }
  return text.slice(0, end);
}
