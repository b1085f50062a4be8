import { Type, type Static } from 'typebox';
import { INBOX_SEVERITIES, type InboxAction, type InboxExtras, type InboxItemDeposit, type ProviderContext, type ProviderDefinition, type RenderedMessage, type SendOutcome, type SendRequest } from '../provider.ts';
import type { InboxSeverity } from '../../storage/schema.ts';

/**
 * The in-app inbox: a send deposits one item in the subscriber's inbox, in Herald's own
 * database (through `ProviderContext.inbox`), where the inbox API and widget read it. No platform
 * is called: the only failure is Herald's database, which a retry rides out.
 */

export const inboxConfigSchema = Type.Object(
  {
    defaultCategory: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Category of items whose template sets none' })),
    defaultValidForSeconds: Type.Optional(
      Type.Integer({ minimum: 60, maximum: 31_536_000, description: 'How long items stay in the inbox when the template sets no validForSeconds. Default: for good' }),
    ),
  },
  { additionalProperties: false },
);

export type InboxConfig = Static<typeof inboxConfigSchema>;

/** Characters of the text that stand in for a missing title. */
const TITLE_FROM_TEXT_LENGTH = 80;

/** `extras.inbox` as stored with the delivery (JSON): a malformed part counts as absent. */
function inboxExtrasOf(content: RenderedMessage): InboxExtras {
  const extras = content.extras?.inbox;
  if (typeof extras !== 'object' || extras === null) return {};
  const { link, category, severity, actions, validForSeconds, data } = extras as Record<string, unknown>;
  return {
    link: typeof link === 'string' ? link : undefined,
    category: typeof category === 'string' ? category : undefined,
    severity: INBOX_SEVERITIES.includes(severity as InboxSeverity) ? (severity as InboxSeverity) : undefined,
    actions: Array.isArray(actions) ? actions.filter(isAction) : undefined,
    validForSeconds: Number.isInteger(validForSeconds) ? (validForSeconds as number) : undefined,
    data: isStringMap(data) ? data : undefined,
  };
}

/** Lists show items by their title: a message without one is shown by the start of its text. */
function titleOf(content: RenderedMessage): string {
  if (content.title !== '') return content.title;
  const text = [...content.text.replace(/\s+/g, ' ').trim()];
  return text.length > TITLE_FROM_TEXT_LENGTH ? `${text.slice(0, TITLE_FROM_TEXT_LENGTH - 1).join('')}…` : text.join('');
}

function isAction(value: unknown): value is InboxAction {
  return typeof value === 'object' && value !== null && typeof (value as InboxAction).label === 'string' && typeof (value as InboxAction).url === 'string';
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((entry) => typeof entry === 'string');
}

export const inboxProvider: ProviderDefinition<InboxConfig> = {
  type: 'inbox',
  channel: 'inbox',
  target: 'address',
  configSchema: inboxConfigSchema,
  secretFields: [],

  // Items of one message to many subscribers are written in one statement.
  maxRecipientsPerCall: 500,

  createSender({ config }) {
    function itemOf(request: SendRequest): InboxItemDeposit {
      const { content } = request;
      const extras = inboxExtrasOf(content);
      return {
        appId: request.appId,
        subscriberId: request.address!,
        deliveryId: request.deliveryId,
        messageId: request.messageId,
        title: titleOf(content),
        summary: content.summary ?? null,
        bodyHtml: content.html || null,
        link: extras.link ?? null,
        category: extras.category ?? config.defaultCategory ?? null,
        severity: extras.severity ?? 'info',
        actions: extras.actions ?? [],
        data: extras.data ?? {},
        validForSeconds: extras.validForSeconds ?? config.defaultValidForSeconds ?? null,
      };
    }

    async function sendBatch(requests: readonly SendRequest[], context: ProviderContext): Promise<SendOutcome[]> {
      const inbox = context.inbox;
      if (!inbox) return requests.map(() => ({ kind: 'failed', code: 'INBOX_UNAVAILABLE', message: 'This worker has no access to inboxes' }));
      const addressed = requests.filter((request) => request.address !== null);
      let ids: string[];
      try {
        ids = await inbox.deposit(addressed.map(itemOf));
      } catch (error) {
        // The database is Herald's own: an outage passes, and the retried deposit writes each item once.
        const outcome: SendOutcome = { kind: 'retry', code: 'INBOX_DEPOSIT_FAILED', message: `Writing the inbox items failed: ${error instanceof Error ? error.message : String(error)}` };
        return requests.map(() => outcome);
      }
      const itemIdOf = new Map(addressed.map((request, index) => [request, ids[index]!]));
      return requests.map((request) => {
        const itemId = itemIdOf.get(request);
        return itemId === undefined ? { kind: 'failed', code: 'NO_ADDRESS', message: 'An inbox delivery names a subscriber' } : { kind: 'sent', providerMessageId: itemId };
      });
    }

    return {
      async send(request, context) {
        const [outcome] = await sendBatch([request], context);
        return outcome!;
      },
      sendBatch,
    };
  },
};
