import { unprocessable } from '../errors.ts';
import { CHANNEL_CATALOG, type ChannelLimit, type ChannelName, type LimitedField, type LimitUnit } from '../channels/channel-catalog.ts';
import { documentLength, truncateDocument } from './document-truncate.ts';
import type { MarkdownDocument } from './markdown-document.ts';

/**
 * Applies the channel catalog's length rules (src/channels/channel-catalog.ts) to a
 * rendered document: measured in the rule's unit, truncated or refused on overflow.
 */

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
  const limit = CHANNEL_CATALOG[request.channel].limits[request.field];
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
