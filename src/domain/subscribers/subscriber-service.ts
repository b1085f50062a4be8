import { normalizeAddress, type AddressKind } from '../../channels/address-kinds.ts';
import { chunks } from '../../chunks.ts';
import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, HeraldError, invalid, notFound } from '../../errors.ts';
import { isId, newId } from '../../ids.ts';
import { checkCursor } from '../page-cursor.ts';
import { insertUnique } from '../../storage/insert-unique.ts';
import { sql, type Kysely } from 'kysely';
import type { HeraldSchema, SubscribersTable } from '../../storage/schema.ts';
import {
  normalizeAddresses,
  checkExternalId,
  normaliseLocale,
  SUBSCRIBER_ADDRESS_KINDS,
  normaliseTimezone,
  normaliseTags,
  serialiseData,
  type SubscriberAddresses,
} from './subscriber-fields.ts';

/** A receiver known to one app by the app's own id for it (`externalId`), with an address per channel. */
export interface SubscriberView {
  id: string;
  externalId: string;
  name: string;
  locale: string | null;
  timezone: string | null;
  addresses: SubscriberAddresses;
  /** Custom data, available to templates as `subscriber.data`. */
  data: Record<string, unknown>;
  /** Labels receiver groups select by (`tagFilter`). */
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

/** A subscriber's complete state: create takes it, and bulk upsert replaces a stored subscriber with it. */
export interface SubscriberInput {
  externalId: string;
  name?: string;
  locale?: string | null;
  timezone?: string | null;
  addresses?: SubscriberAddresses;
  data?: Record<string, unknown>;
  tags?: string[];
}

/** Omitted fields stay; `null` clears locale and time zone; addresses merge per kind, `null` removing one; `data` is replaced. */
export interface SubscriberPatch {
  name?: string;
  locale?: string | null;
  timezone?: string | null;
  addresses?: Partial<Record<AddressKind, string | null>>;
  data?: Record<string, unknown>;
  /** Replaces the tags. */
  tags?: string[];
}

/** A page of the list and what narrows it. */
export interface SubscriberListQuery {
  cursor?: string;
  limit?: number;
  /** The external id or the name starts with it, ignoring case. */
  q?: string;
  /** Only subscribers with this tag. */
  tag?: string;
}

export interface SubscriberPage {
  items: SubscriberView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface BulkUpsertResult {
  created: number;
  updated: number;
}

export const MAX_SUBSCRIBERS_PER_UPSERT = 1_000;
export const DEFAULT_SUBSCRIBER_PAGE_LIMIT = 50;
export const MAX_SUBSCRIBER_PAGE_LIMIT = 200;
/** Bounds IN lists and multi-row inserts (10 parameters a row) far below either dialect's parameter limit. */
const ROWS_PER_STATEMENT = 500;

type SubscriberColumns = Pick<SubscribersTable, 'name' | 'locale' | 'timezone' | 'addresses' | 'data'>;

/** A subscriber as the send pipeline reads it: without tags (groups select by them in the database). */
export type SubscriberRecord = Omit<SubscriberView, 'tags'>;

export function toSubscriberView(row: SubscribersTable, tags: string[] = []): SubscriberView {
  return { ...toSubscriberRecord(row), tags };
}

function toSubscriberRecord(row: SubscribersTable): SubscriberRecord {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    locale: row.locale,
    timezone: row.timezone,
    addresses: JSON.parse(row.addresses) as SubscriberAddresses,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Validates a complete input; `path` prefixes every field name (`items[3].` in a bulk call). */
function columnsFromInput(input: SubscriberInput, path: string): SubscriberColumns {
  checkExternalId(input.externalId, `${path}externalId`);
  const addresses = normalizeAddresses(input.addresses ?? {}, `${path}addresses`);
  return {
    name: input.name ?? '',
    locale: input.locale == null ? null : normaliseLocale(input.locale, `${path}locale`),
    timezone: input.timezone == null ? null : normaliseTimezone(input.timezone, `${path}timezone`),
    addresses: JSON.stringify(addresses),
    data: serialiseData(input.data ?? {}, `${path}data`),
  };
}

const subscriberNotFound = (externalId: string) => notFound('SUBSCRIBER_NOT_FOUND', `No subscriber with external id "${externalId}" in this app`);

export type SubscriberService = ReturnType<typeof createSubscriberService>;

export function createSubscriberService({ database: { db }, clock }: HeraldContext) {
  /** The tags of these subscribers (by internal id), each sorted. */
  async function tagsOf(executor: Kysely<HeraldSchema>, ids: readonly string[]): Promise<Map<string, string[]>> {
    const tags = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const chunk of chunks(ids, ROWS_PER_STATEMENT)) {
      const rows = await executor.selectFrom('subscriber_tags').select(['subscriber_id', 'tag']).where('subscriber_id', 'in', chunk).orderBy('tag').execute();
      for (const row of rows) tags.get(row.subscriber_id)!.push(row.tag);
    }
    return tags;
  }

  /** Replaces the tags of subscribers (by internal id). */
  async function replaceTags(executor: Kysely<HeraldSchema>, appId: string, tagsById: ReadonlyMap<string, readonly string[]>): Promise<void> {
    const ids = [...tagsById.keys()];
    for (const chunk of chunks(ids, ROWS_PER_STATEMENT)) await executor.deleteFrom('subscriber_tags').where('subscriber_id', 'in', chunk).execute();
    const rows = [...tagsById].flatMap(([id, tags]) => tags.map((tag) => ({ subscriber_id: id, app_id: appId, tag })));
    for (const chunk of chunks(rows, ROWS_PER_STATEMENT)) await executor.insertInto('subscriber_tags').values(chunk).execute();
  }

  async function getRow(appId: string, externalId: string): Promise<SubscribersTable> {
    const row = await db.selectFrom('subscribers').selectAll().where('app_id', '=', appId).where('external_id', '=', externalId).executeTakeFirst();
    if (!row) throw subscriberNotFound(externalId);
    return row;
  }

  return {
    async create(appId: string, input: SubscriberInput): Promise<SubscriberView> {
      const now = clock.now();
      const row: SubscribersTable = { id: newId('sub', now), app_id: appId, external_id: input.externalId, ...columnsFromInput(input, ''), created_at: now, updated_at: now };
      const tags = normaliseTags(input.tags ?? [], 'tags');
      await db.transaction().execute(async (trx) => {
        await insertUnique(trx, 'subscribers', row, ['app_id', 'external_id'], () =>
          conflict('SUBSCRIBER_EXISTS', `A subscriber with external id "${input.externalId}" already exists; update it with PATCH or PUT`, { field: 'externalId' }),
        );
        await replaceTags(trx, appId, new Map([[row.id, tags]]));
      });
      return toSubscriberView(row, tags);
    },

    /**
     * Creates or replaces up to MAX_SUBSCRIBERS_PER_UPSERT subscribers in one transaction.
     * All or nothing: the first invalid item is named by its index and nothing is stored.
     */
    async upsertMany(appId: string, items: readonly SubscriberInput[]): Promise<BulkUpsertResult> {
      if (items.length > MAX_SUBSCRIBERS_PER_UPSERT) {
        throw new HeraldError('too_large', 'SUBSCRIBERS_BATCH_TOO_LARGE', `items: ${items.length} subscribers in one call; send at most ${MAX_SUBSCRIBERS_PER_UPSERT} per call`, {
          field: 'items',
        });
      }
      const now = clock.now();
      const indexByExternalId = new Map<string, number>();
      const tagsByExternalId = new Map<string, string[]>();
      const rows = items.map((item, index): SubscribersTable => {
        const columns = columnsFromInput(item, `items[${index}].`);
        tagsByExternalId.set(item.externalId, normaliseTags(item.tags ?? [], `items[${index}].tags`));
        const earlier = indexByExternalId.get(item.externalId);
        if (earlier !== undefined) {
          const field = `items[${index}].externalId`;
          throw invalid('SUBSCRIBER_DUPLICATE_IN_BATCH', `${field}: "${item.externalId}" also appears at items[${earlier}]; send each subscriber once per call`, { field });
        }
        indexByExternalId.set(item.externalId, index);
        return { id: newId('sub', now), app_id: appId, external_id: item.externalId, ...columns, created_at: now, updated_at: now };
      });
      if (rows.length === 0) return { created: 0, updated: 0 };

      return db.transaction().execute(async (trx) => {
        let updated = 0;
        for (const chunk of chunks(rows, ROWS_PER_STATEMENT)) {
          const externalIds = chunk.map((row) => row.external_id);
          const existing = await trx.selectFrom('subscribers').select('external_id').where('app_id', '=', appId).where('external_id', 'in', externalIds).execute();
          updated += existing.length;
          await trx
            .insertInto('subscribers')
            .values(chunk)
            .onConflict((oc) =>
              oc.columns(['app_id', 'external_id']).doUpdateSet((eb) => ({
                name: eb.ref('excluded.name'),
                locale: eb.ref('excluded.locale'),
                timezone: eb.ref('excluded.timezone'),
                addresses: eb.ref('excluded.addresses'),
                data: eb.ref('excluded.data'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
          // The stored ids (an updated subscriber keeps its own), to replace their tags.
          const ids = await trx.selectFrom('subscribers').select(['id', 'external_id']).where('app_id', '=', appId).where('external_id', 'in', externalIds).execute();
          await replaceTags(trx, appId, new Map(ids.map((row) => [row.id, tagsByExternalId.get(row.external_id)!])));
        }
        return { created: rows.length - updated, updated };
      });
    },

    async get(appId: string, externalId: string): Promise<SubscriberView> {
      const row = await getRow(appId, externalId);
      return toSubscriberView(row, (await tagsOf(db, [row.id])).get(row.id));
    },

    /** Pages in creation order (ids are time-ordered); `cursor` is the previous page's `nextCursor`. */
    async list(appId: string, page: SubscriberListQuery = {}): Promise<SubscriberPage> {
      const limit = Math.min(page.limit ?? DEFAULT_SUBSCRIBER_PAGE_LIMIT, MAX_SUBSCRIBER_PAGE_LIMIT);
      let query = db.selectFrom('subscribers').selectAll().where('app_id', '=', appId);
      checkCursor(page.cursor, (cursor) => isId('sub', cursor));
      if (page.cursor !== undefined) query = query.where('id', '>', page.cursor);
      const prefix = page.q;
      if (prefix !== undefined && prefix !== '') {
        // substr rather than LIKE: no wildcards to escape, and the same case rules on SQLite and PostgreSQL.
        const startsWith = (column: 'external_id' | 'name') =>
          sql<boolean>`lower(substr(${sql.ref(column)}, 1, length(cast(${prefix} as text)))) = lower(cast(${prefix} as text))`;
        query = query.where((eb) => eb.or([startsWith('external_id'), startsWith('name')]));
      }
      if (page.tag !== undefined) {
        const tag = page.tag;
        query = query.where('id', 'in', (eb) => eb.selectFrom('subscriber_tags').select('subscriber_id').where('app_id', '=', appId).where('tag', '=', tag));
      }
      const rows = await query.orderBy('id').limit(limit + 1).execute();
      const pageRows = rows.slice(0, limit);
      const tags = await tagsOf(db, pageRows.map((row) => row.id));
      const items = pageRows.map((row) => toSubscriberView(row, tags.get(row.id)));
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
    },

    async update(appId: string, externalId: string, patch: SubscriberPatch): Promise<SubscriberView> {
      const row = await getRow(appId, externalId);
      const addresses = JSON.parse(row.addresses) as SubscriberAddresses;
      for (const kind of SUBSCRIBER_ADDRESS_KINDS) {
        const value = patch.addresses?.[kind];
        if (value === null) delete addresses[kind];
        else if (value !== undefined) {
          addresses[kind] = normalizeAddress(kind, value, `addresses.${kind}`);
        }
      }
      const updated: SubscribersTable = {
        ...row,
        name: patch.name ?? row.name,
        locale: patch.locale === undefined ? row.locale : patch.locale === null ? null : normaliseLocale(patch.locale, 'locale'),
        timezone: patch.timezone === undefined ? row.timezone : patch.timezone === null ? null : normaliseTimezone(patch.timezone, 'timezone'),
        addresses: JSON.stringify(addresses),
        data: patch.data === undefined ? row.data : serialiseData(patch.data, 'data'),
        updated_at: clock.now(),
      };
      const tags = patch.tags === undefined ? undefined : normaliseTags(patch.tags, 'tags');
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('subscribers').set(updated).where('id', '=', row.id).execute();
        if (tags !== undefined) await replaceTags(trx, appId, new Map([[row.id, tags]]));
      });
      return toSubscriberView(updated, tags ?? (await tagsOf(db, [row.id])).get(row.id));
    },

    async delete(appId: string, externalId: string): Promise<void> {
      const result = await db.deleteFrom('subscribers').where('app_id', '=', appId).where('external_id', '=', externalId).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw subscriberNotFound(externalId);
    },

    /**
     * For the send pipeline: the app's subscribers with these external ids, keyed by external
     * id. Ids with no subscriber are simply absent; the caller decides what that means.
     */
    async resolveSubscribers(appId: string, externalIds: readonly string[]): Promise<Map<string, SubscriberRecord>> {
      const found = new Map<string, SubscriberRecord>();
      for (const chunk of chunks([...new Set(externalIds)], ROWS_PER_STATEMENT)) {
        const rows = await db.selectFrom('subscribers').selectAll().where('app_id', '=', appId).where('external_id', 'in', chunk).execute();
        for (const row of rows) found.set(row.external_id, toSubscriberRecord(row));
      }
      return found;
    },
  };
}
