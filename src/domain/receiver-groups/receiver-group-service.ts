import { sql } from 'kysely';
import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, invalid, notFound, unprocessable } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { insertUnique } from '../../storage/insert-unique.ts';
import type { ReceiverGroupsTable } from '../../storage/schema.ts';
import { MAX_RECEIVERS_PER_REQUEST } from '../messages/send-request-schema.ts';

/**
 * Receiver groups (接收人维护): named sets of subscribers, static members (external ids) and/or
 * everyone having all tags of a filter. A send naming `{ group }` gets the members as they are at
 * accept time, so a membership change applies to the next message at once.
 */

export interface ReceiverGroupView {
  id: string;
  name: string;
  description: string;
  members: string[];
  tagFilter: string[];
  createdAt: string;
  updatedAt: string;
}
export interface ReceiverGroupInput {
  name: string;
  description?: string;
  members?: string[];
  tagFilter?: string[];
}
export type ReceiverGroupPatch = Partial<Omit<ReceiverGroupInput, 'name'>>;

export const MAX_STATIC_MEMBERS = MAX_RECEIVERS_PER_REQUEST;
export const MAX_TAG_FILTER = 10;
/**
 * A message reaches at most this many subscribers through groups (the send API's receiver cap):
 * a larger group is refused with GROUP_TOO_LARGE rather than silently cut; narrow its tag filter
 * or split it.
 */
export const MAX_GROUP_RECEIVERS = MAX_RECEIVERS_PER_REQUEST;

function toView(row: ReceiverGroupsTable): ReceiverGroupView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    members: JSON.parse(row.members) as string[],
    tagFilter: JSON.parse(row.tag_filter) as string[],
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function checkDefinition(members: readonly string[], tagFilter: readonly string[]): void {
  if (members.length === 0 && tagFilter.length === 0) {
    throw invalid('RECEIVER_GROUP_EMPTY', 'Give the group static members, a tagFilter, or both', { field: 'members' });
  }
  const duplicate = members.find((member, index) => members.indexOf(member) !== index);
  if (duplicate !== undefined) throw invalid('RECEIVER_GROUP_DUPLICATE_MEMBER', `members: "${duplicate}" is listed twice`, { field: 'members' });
}

const groupNotFound = (name: string) => notFound('RECEIVER_GROUP_NOT_FOUND', `No receiver group "${name}" in this app`);

export type ReceiverGroupService = ReturnType<typeof createReceiverGroupService>;

export function createReceiverGroupService({ database: { db }, clock }: HeraldContext) {
  async function getRow(appId: string, name: string): Promise<ReceiverGroupsTable> {
    const row = await db.selectFrom('receiver_groups').selectAll().where('app_id', '=', appId).where('name', '=', name).executeTakeFirst();
    if (!row) throw groupNotFound(name);
    return row;
  }

  /** The subscribers (external ids) with all of `tags`, at most `limit`: one indexed join. */
  async function taggedSubscribers(appId: string, tags: readonly string[], limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('subscriber_tags')
      .innerJoin('subscribers', 'subscribers.id', 'subscriber_tags.subscriber_id')
      .select('subscribers.external_id')
      .where('subscriber_tags.app_id', '=', appId)
      .where('subscriber_tags.tag', 'in', [...tags])
      .groupBy(['subscribers.id', 'subscribers.external_id'])
      .having(sql<number>`count(*)`, '=', tags.length)
      .orderBy('subscribers.id')
      .limit(limit)
      .execute();
    return rows.map((row) => row.external_id);
  }

  /** Static members that are subscribers of the app (a deleted subscriber is no longer a member). */
  async function existingMembers(appId: string, members: readonly string[]): Promise<string[]> {
    if (members.length === 0) return [];
    const rows = await db.selectFrom('subscribers').select('external_id').where('app_id', '=', appId).where('external_id', 'in', [...members]).execute();
    const present = new Set(rows.map((row) => row.external_id));
    return members.filter((member) => present.has(member));
  }

  return {
    async create(appId: string, input: ReceiverGroupInput): Promise<ReceiverGroupView> {
      const members = input.members ?? [];
      const tagFilter = [...new Set(input.tagFilter ?? [])];
      checkDefinition(members, tagFilter);
      const now = clock.now();
      const row: ReceiverGroupsTable = {
        id: newId('grp', now),
        app_id: appId,
        name: input.name,
        description: input.description ?? '',
        members: JSON.stringify(members),
        tag_filter: JSON.stringify(tagFilter),
        created_at: now,
        updated_at: now,
      };
      await insertUnique(db, 'receiver_groups', row, ['app_id', 'name'], () => conflict('RECEIVER_GROUP_EXISTS', `A receiver group "${input.name}" already exists`, { field: 'name' }));
      return toView(row);
    },

    async list(appId: string): Promise<ReceiverGroupView[]> {
      const rows = await db.selectFrom('receiver_groups').selectAll().where('app_id', '=', appId).orderBy('name').execute();
      return rows.map(toView);
    },

    async get(appId: string, name: string): Promise<ReceiverGroupView> {
      return toView(await getRow(appId, name));
    },

    async update(appId: string, name: string, patch: ReceiverGroupPatch): Promise<ReceiverGroupView> {
      const row = await getRow(appId, name);
      const members = patch.members ?? (JSON.parse(row.members) as string[]);
      const tagFilter = patch.tagFilter ? [...new Set(patch.tagFilter)] : (JSON.parse(row.tag_filter) as string[]);
      checkDefinition(members, tagFilter);
      const updated: ReceiverGroupsTable = {
        ...row,
        description: patch.description ?? row.description,
        members: JSON.stringify(members),
        tag_filter: JSON.stringify(tagFilter),
        updated_at: clock.now(),
      };
      await db.updateTable('receiver_groups').set(updated).where('id', '=', row.id).execute();
      return toView(updated);
    },

    /** Refused while a message type sends to the group (its receivers or an escalation step): those sends would fail. */
    async delete(appId: string, name: string): Promise<void> {
      const types = await db.selectFrom('message_types').select(['code', 'receivers', 'policies']).where('app_id', '=', appId).execute();
      const namesGroup = (value: unknown) => JSON.stringify(value).includes(JSON.stringify({ group: name }));
      const users = types.filter((type) => namesGroup(JSON.parse(type.receivers)) || namesGroup((JSON.parse(type.policies) as { escalation?: unknown }).escalation ?? null));
      if (users.length > 0) {
        const codes = users.map((type) => type.code);
        throw conflict('RECEIVER_GROUP_IN_USE', `Receiver group "${name}" is named by message type${codes.length > 1 ? 's' : ''} ${codes.join(', ')}; remove it there first`, { group: name, messageTypes: codes });
      }
      const result = await db.deleteFrom('receiver_groups').where('app_id', '=', appId).where('name', '=', name).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw groupNotFound(name);
    },

    /** The current members of a group (static members, then tag matches not already listed), at most MAX_GROUP_RECEIVERS. */
    async members(appId: string, name: string): Promise<string[]> {
      await getRow(appId, name);
      return (await expand(appId, [name])).get(name)!;
    },

    expand,
  };

  /**
   * For the send pipeline: each named group's members now, as subscriber external ids.
   * An unknown group is a 422 naming it; a group over MAX_GROUP_RECEIVERS a 422 GROUP_TOO_LARGE.
   */
  async function expand(appId: string, names: readonly string[]): Promise<Map<string, string[]>> {
    const wanted = [...new Set(names)];
    const expanded = new Map<string, string[]>();
    if (wanted.length === 0) return expanded;
    const rows = await db.selectFrom('receiver_groups').selectAll().where('app_id', '=', appId).where('name', 'in', wanted).execute();
    const missing = wanted.filter((name) => !rows.some((row) => row.name === name));
    if (missing.length > 0) {
      throw unprocessable('RECEIVER_GROUP_NOT_FOUND', `Unknown receiver group${missing.length > 1 ? 's' : ''}: ${missing.slice(0, 10).join(', ')}; create them under /v1/receiver-groups first`, {
        groups: missing.slice(0, 100),
      });
    }
    for (const row of rows) {
      const members = new Set(await existingMembers(appId, JSON.parse(row.members) as string[]));
      const tagFilter = JSON.parse(row.tag_filter) as string[];
      // One more than the cap tells "too large" from "exactly full" without counting the whole set.
      if (tagFilter.length > 0) for (const externalId of await taggedSubscribers(appId, tagFilter, MAX_GROUP_RECEIVERS + 1)) members.add(externalId);
      if (members.size > MAX_GROUP_RECEIVERS) {
        throw unprocessable('GROUP_TOO_LARGE', `Receiver group "${row.name}" has more than ${MAX_GROUP_RECEIVERS} members; a message reaches at most ${MAX_GROUP_RECEIVERS} receivers: narrow its tag filter or split it`, {
          group: row.name,
        });
      }
      expanded.set(row.name, [...members]);
    }
    return expanded;
  }
}
