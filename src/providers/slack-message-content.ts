import type { RenderedMessage, SendOutcome } from './provider.ts';

/**
 * What both Slack providers share (incoming webhook and chat.postMessage): the message
 * payload, `text` plus the Block Kit `blocks` the slack renderer put in `extras.slackBlocks`,
 * and the classification of Slack's error strings (`channel_not_found`, `ratelimited` ...).
 */

export interface SlackMessagePayload {
  /** mrkdwn; the notification and fallback text when blocks are shown. */
  text: string;
  blocks?: unknown[];
}

const SLACK_MAX_BLOCKS = 50;

/** User ids that fit Slack's `<@U..>` mention syntax; anything else could write markup. */
const MENTIONABLE_USER_ID = /^[UW][A-Z0-9]{2,31}$/;

/** `extras.mentions` as Slack mentions: `<@U..>` per user id, `<!channel>` for all; mobile numbers cannot be mentioned on Slack. */
function slackMentions(content: RenderedMessage): string | undefined {
  const mentions = content.extras?.mentions as { userIds?: unknown; all?: unknown } | undefined;
  const userIds = Array.isArray(mentions?.userIds) ? mentions.userIds.filter((id): id is string => typeof id === 'string' && MENTIONABLE_USER_ID.test(id)) : [];
  const parts = [...new Set(userIds)].map((id) => `<@${id}>`);
  if (mentions?.all === true) parts.push('<!channel>');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export function slackMessagePayload(content: RenderedMessage): SlackMessagePayload {
  const mentions = slackMentions(content);
  const body = content.markdown || content.text;
  const text = mentions ? `${body}\n\n${mentions}` : body;
  const rendered = content.extras?.slackBlocks;
  // Content rendered for another channel has no blocks: the text alone is a complete Slack message.
  if (!Array.isArray(rendered) || rendered.length === 0) return { text };
  // Slack takes at most 50 blocks: with no room left the mentions stay in the text only.
  const room = rendered.length < SLACK_MAX_BLOCKS;
  return { text, blocks: mentions && room ? [...rendered, { type: 'section', text: { type: 'mrkdwn', text: mentions } }] : rendered };
}

const RATE_LIMITED_ERRORS = new Set(['ratelimited', 'rate_limited']);
/** Slack's documented transient errors for chat.postMessage. */
const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** A Slack error string as an outcome: throttled, transient, or (all the others: channel, auth, payload) permanent. */
export function outcomeFromSlackError(error: string, retryAfterMs: number | undefined): SendOutcome {
  const code = `SLACK_${error}`;
  const message = `Slack error: ${error}`;
  if (RATE_LIMITED_ERRORS.has(error)) return { kind: 'rate_limited', code, message, retryAfterMs };
  if (TRANSIENT_ERRORS.has(error)) return { kind: 'retry', code, message, retryAfterMs };
  return { kind: 'failed', code, message };
}
