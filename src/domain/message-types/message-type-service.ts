import type { ChannelName } from '../../channels/channel-catalog.ts';
import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, notFound, unprocessable } from '../../errors.ts';
import { checkGroupsExist } from '../receiver-groups/receiver-group-check.ts';
import { newId } from '../../ids.ts';
import { insertUnique } from '../../storage/insert-unique.ts';
import type { MessageTypesTable } from '../../storage/schema.ts';
import type { MessagePriority } from '../../providers/provider.ts';
import type { SendReceiver } from '../messages/send-request-schema.ts';
import type { MessageTypeForSend, MessageTypePolicies } from './message-type-policies.ts';

/**
 * Message types (the message pool, 消息池): a business event's stable code with its category,
 * urgency, default channels, template, receivers and policy settings, so a business system's send
 * is one line: `{"type":"server.down","data":{...}}`. The request's own fields win over these.
 */

export interface MessageTypeView {
  id: string;
  code: string;
  name: string;
  category: string | null;
  urgency: MessagePriority;
  critical: boolean;
  channels: ChannelName[];
  template: string | null;
  receivers: SendReceiver[];
  policies: MessageTypePolicies;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface MessageTypeInput {
  code: string;
  name?: string;
  category?: string | null;
  urgency?: MessagePriority;
  critical?: boolean;
  channels?: ChannelName[];
  template?: string | null;
  receivers?: SendReceiver[];
  policies?: MessageTypePolicies;
  enabled?: boolean;
}
export type MessageTypePatch = Partial<Omit<MessageTypeInput, 'code'>>;

/** What a send by type takes from its type: the policies' view plus the defaults. */
export interface MessageTypeDefaults extends MessageTypeForSend {
  urgency: MessagePriority;
  channels: ChannelName[];
  template: string | null;
  receivers: SendReceiver[];
}

function toView(row: MessageTypesTable): MessageTypeView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    category: row.category,
    urgency: row.urgency as MessagePriority,
    critical: row.critical === 1,
    channels: JSON.parse(row.channels) as ChannelName[],
    template: row.template_code,
    receivers: JSON.parse(row.receivers) as SendReceiver[],
    policies: JSON.parse(row.policies) as MessageTypePolicies,
    enabled: row.enabled === 1,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const typeNotFound = (code: string) => notFound('MESSAGE_TYPE_NOT_FOUND', `No message type "${code}" in this app; create it under /v1/message-types`, { field: 'type' });

export type MessageTypeService = ReturnType<typeof createMessageTypeService>;

export function createMessageTypeService({ database: { db }, clock }: HeraldContext) {
  async function getRow(appId: string, code: string): Promise<MessageTypesTable> {
    const row = await db.selectFrom('message_types').selectAll().where('app_id', '=', appId).where('code', '=', code).executeTakeFirst();
    if (!row) throw typeNotFound(code);
    return row;
  }

  const checkGroups = (appId: string, receivers: readonly SendReceiver[] | undefined, field = 'receivers') => checkGroupsExist(db, appId, receivers, field);

  return {
    async create(appId: string, input: MessageTypeInput): Promise<MessageTypeView> {
      await checkGroups(appId, input.receivers);
      await checkGroups(appId, input.policies?.escalation?.steps.flatMap((step) => step.to ?? []), 'policies.escalation.steps[].to');
      const now = clock.now();
      const row: MessageTypesTable = {
        id: newId('mty', now),
        app_id: appId,
        code: input.code,
        name: input.name ?? input.code,
        category: input.category ?? null,
        urgency: input.urgency ?? 'normal',
        critical: input.critical ? 1 : 0,
        channels: JSON.stringify(input.channels ?? []),
        template_code: input.template ?? null,
        receivers: JSON.stringify(input.receivers ?? []),
        policies: JSON.stringify(input.policies ?? {}),
        enabled: input.enabled === false ? 0 : 1,
        created_at: now,
        updated_at: now,
      };
      await insertUnique(db, 'message_types', row, ['app_id', 'code'], () => conflict('MESSAGE_TYPE_EXISTS', `A message type "${input.code}" already exists; change it with PATCH`, { field: 'code' }));
      return toView(row);
    },

    async list(appId: string): Promise<MessageTypeView[]> {
      const rows = await db.selectFrom('message_types').selectAll().where('app_id', '=', appId).orderBy('code').execute();
      return rows.map(toView);
    },

    async get(appId: string, code: string): Promise<MessageTypeView> {
      return toView(await getRow(appId, code));
    },

    /** Omitted fields stay; `null` clears category and template. */
    async update(appId: string, code: string, patch: MessageTypePatch): Promise<MessageTypeView> {
      const row = await getRow(appId, code);
      await checkGroups(appId, patch.receivers);
      await checkGroups(appId, patch.policies?.escalation?.steps.flatMap((step) => step.to ?? []), 'policies.escalation.steps[].to');
      const updated: MessageTypesTable = {
        ...row,
        name: patch.name ?? row.name,
        category: patch.category === undefined ? row.category : patch.category,
        urgency: patch.urgency ?? row.urgency,
        critical: patch.critical === undefined ? row.critical : patch.critical ? 1 : 0,
        channels: patch.channels ? JSON.stringify(patch.channels) : row.channels,
        template_code: patch.template === undefined ? row.template_code : patch.template,
        receivers: patch.receivers ? JSON.stringify(patch.receivers) : row.receivers,
        policies: patch.policies ? JSON.stringify(patch.policies) : row.policies,
        enabled: patch.enabled === undefined ? row.enabled : patch.enabled ? 1 : 0,
        updated_at: clock.now(),
      };
      await db.updateTable('message_types').set(updated).where('id', '=', row.id).execute();
      return toView(updated);
    },

    async delete(appId: string, code: string): Promise<void> {
      const result = await db.deleteFrom('message_types').where('app_id', '=', appId).where('code', '=', code).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw typeNotFound(code);
    },

    /** For the send pipeline: the type a send names; 404 when unknown, 422 MESSAGE_TYPE_DISABLED when disabled. */
    async forSend(appId: string, code: string): Promise<MessageTypeDefaults> {
      const view = toView(await getRow(appId, code));
      if (!view.enabled) throw unprocessable('MESSAGE_TYPE_DISABLED', `Message type "${code}" is disabled; enable it under /v1/message-types/${code}`, { field: 'type' });
      const { id, category, critical, policies, urgency, channels, template, receivers } = view;
      return { id, code, category, critical, policies, urgency, channels, template, receivers };
    },
  };
}
