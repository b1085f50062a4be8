import { unprocessable } from '../errors.ts';
import type { ChannelName } from '../providers/provider.ts';
import { documentLength, truncateDocument } from './document-truncate.ts';
import type { MarkdownDocument } from './markdown-document.ts';

/**
 * Every channel's length rule in one table. `truncate` cuts the document at a
 * character boundary and marks the cut with "…"; `refuse` fails the render with
 * TEMPLATE_CONTENT_TOO_LONG (a 422 at accept time), for channels where a silently cut
 * message could lose what matters (an SMS code or link).
 *
 * Fields: `text` (plain text), `markdown` (the channel dialect), `payload` (Feishu:
 * the JSON of the card and of the post, each measured).
 */
export type LimitUnit = 'utf8-bytes' | 'utf16-units' | 'characters';
export type LimitedField = 'text' | 'markdown' | 'payload';

export interface ChannelLimit {
  readonly max: number;
  readonly unit: LimitUnit;
  readonly overflow: 'truncate' | 'refuse';
  /** Where the number comes from. */
  readonly basis: string;
}

export const CHANNEL_LIMITS: Readonly<Record<ChannelName, Readonly<Partial<Record<LimitedField, ChannelLimit>>>>> = {
  email: {},
  sms: {
    text: { max: 1_600, unit: 'characters', overflow: 'refuse', basis: 'Twilio Body limit; a cut SMS may lose a code or link. Not applied when a vendor templateCode is what gets sent' },
  },
  webhook: {},
  dingtalk: {
    markdown: { max: 20_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'DingTalk robot message size (unverified)' },
    text: { max: 20_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'DingTalk robot message size (unverified)' },
  },
  wecom: {
    markdown: { max: 4_096, unit: 'utf8-bytes', overflow: 'truncate', basis: 'WeCom markdown content ≤ 4096 bytes' },
    text: { max: 2_048, unit: 'utf8-bytes', overflow: 'truncate', basis: 'WeCom text content ≤ 2048 bytes' },
  },
  feishu: {
    payload: { max: 18_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'Feishu bot request body ≤ 20 KB, less the envelope' },
    text: { max: 18_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'Feishu bot request body ≤ 20 KB, less the envelope' },
  },
  wechat: {},
  miniprogram: {},
  inbox: {},
  webpush: {
    text: { max: 2_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'Web Push payload ≤ 4096 bytes with title, url and encryption' },
  },
  slack: {
    markdown: { max: 40_000, unit: 'characters', overflow: 'truncate', basis: 'Slack truncates message text beyond 40,000 characters' },
  },
  telegram: {
    markdown: { max: 4_096, unit: 'utf16-units', overflow: 'truncate', basis: 'Telegram sendMessage text ≤ 4096 characters' },
    text: { max: 4_096, unit: 'utf16-units', overflow: 'truncate', basis: 'Telegram sendMessage text ≤ 4096 characters' },
  },
  discord: {
    markdown: { max: 2_000, unit: 'characters', overflow: 'truncate', basis: 'Discord message content ≤ 2000 characters' },
    text: { max: 2_000, unit: 'characters', overflow: 'truncate', basis: 'Discord message content ≤ 2000 characters' },
  },
};

const utf8 = new TextEncoder();

export function measure(value: string, unit: LimitUnit): number {
  switch (unit) {
    case 'utf8-bytes':
      return utf8.encode(value).length;
    case 'utf16-units':
      return value.length;
    case 'characters': {
      let count = 0;
      for (const _ of value) count++;
      return count;
    }
  }
}

export interface FitRequest<Output> {
  document: MarkdownDocument;
  render(document: MarkdownDocument): Output;
  /** Strings are measured as they are; structured output supplies its size in the limit's unit. */
  size?(output: Output, unit: LimitUnit): number;
  channel: ChannelName;
  field: LimitedField;
  templateCode: string;
}

/**
 * Renders the document within the channel's limit for `field`: as is when it fits,
 * else truncated to the longest prefix that fits (binary search over the kept
 * characters), or refused.
 */
export function renderWithinLimit<Output>(request: FitRequest<Output>): Output {
  const limit = CHANNEL_LIMITS[request.channel][request.field];
  const full = request.render(request.document);
  if (!limit) return full;
  const size = (output: Output) => (request.size ? request.size(output, limit.unit) : measure(String(output), limit.unit));
  const fullSize = size(full);
  if (fullSize <= limit.max) return full;
  if (limit.overflow === 'refuse') throw tooLong(request, limit, fullSize);

  let best: Output | undefined;
  let low = 0;
  let high = documentLength(request.document) - 1;
  while (low <= high) {
    const keep = Math.floor((low + high) / 2);
    const output = request.render(truncateDocument(request.document, keep));
    if (size(output) <= limit.max) {
      best = output;
      low = keep + 1;
    } else {
      high = keep - 1;
    }
  }
  if (best === undefined) throw tooLong(request, limit, fullSize);
  return best;
}

function tooLong(request: FitRequest<unknown>, limit: ChannelLimit, actual: number) {
  return unprocessable(
    'TEMPLATE_CONTENT_TOO_LONG',
    `Template "${request.templateCode}" renders ${actual} ${limit.unit} of ${request.channel} ${request.field}; ` +
      `the limit is ${limit.max} (${limit.basis}). Shorten the template or the data it receives.`,
    { templateCode: request.templateCode, channel: request.channel, field: request.field, limit: limit.max, unit: limit.unit, actual },
  );
}
