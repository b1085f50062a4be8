import { sql } from 'kysely';
import { newId } from '../src/ids.ts';
import type { HeraldDatabase } from '../src/storage/database.ts';
import { insertRows } from '../src/storage/insert-rows.ts';
import type { HeraldSchema, InboxItemsTable, SubscribersTable } from '../src/storage/schema.ts';

/**
 * The inbox scenario's population, written straight into Herald's database before Herald starts
 * (the API would take hours for a million subscribers): the app's peers, one private item for
 * each of the first `peerItems` of them, and the measured reader with private items of which
 * every other one is read.
 */

export const READER_ID = 'reader';
const READER_CATEGORIES = ['orders', 'security', 'social', null] as const;
/** Rows built and written per transaction: big enough to amortise the commit, small enough to keep memory flat. */
const ROWS_PER_TRANSACTION = 20_000;

export function peerId(index: number): string {
  return `peer-${String(index + 1).padStart(7, '0')}`;
}

export interface InboxPopulation {
  appId: string;
  peers: number;
  peerItems: number;
  readerItems: number;
}

export interface SeedTimings {
  subscribersMs: number;
  itemsMs: number;
  /** The reader's unread private items. */
  readerUnreadItems: number;
}

function subscriberRow(appId: string, externalId: string, nowMs: number): SubscribersTable {
  return { id: newId('sub', nowMs), app_id: appId, external_id: externalId, name: externalId, locale: null, timezone: null, addresses: '{}', data: '{}', created_at: nowMs, updated_at: nowMs };
}

function itemRow(appId: string, subscriberId: string, index: number, nowMs: number, read: boolean): InboxItemsTable {
  // Spread over the last day, so lists page through distinct times.
  const validFrom = nowMs - 86_400_000 + index;
  return {
    id: newId('inb', validFrom),
    app_id: appId,
    subscriber_id: subscriberId,
    delivery_id: null,
    message_id: null,
    title: `Order ${1000 + index} paid`,
    summary: 'We received your payment.',
    body_html: '<p>We received your payment. It ships within two working days.</p>',
    link: null,
    category: READER_CATEGORIES[index % READER_CATEGORIES.length],
    severity: 'info',
    actions: '[]',
    data: '{}',
    valid_from: validFrom,
    valid_until: null,
    created_at: validFrom,
    read_at: read ? validFrom + 1000 : null,
    archived_at: null,
  };
}

async function insertInTransactions<T extends 'subscribers' | 'inbox_items'>(database: HeraldDatabase, table: T, total: number, build: (index: number) => HeraldSchema[T]): Promise<void> {
  for (let start = 0; start < total; start += ROWS_PER_TRANSACTION) {
    const rows = Array.from({ length: Math.min(ROWS_PER_TRANSACTION, total - start) }, (_, offset) => build(start + offset));
    await database.db.transaction().execute((trx) => insertRows(trx, database.dialect, table, rows));
  }
}

export async function seedInboxPopulation(database: HeraldDatabase, population: InboxPopulation, nowMs: number): Promise<SeedTimings> {
  const { appId } = population;
  const startedAt = performance.now();
  await insertInTransactions(database, 'subscribers', population.peers + 1, (index) => subscriberRow(appId, index === population.peers ? READER_ID : peerId(index), nowMs));
  const subscribersMs = performance.now() - startedAt;
  await insertInTransactions(database, 'inbox_items', population.peerItems + population.readerItems, (index) =>
    index < population.peerItems
      ? itemRow(appId, peerId(index), index, nowMs, false)
      : itemRow(appId, READER_ID, index - population.peerItems, nowMs, (index - population.peerItems) % 2 === 1),
  );
  const itemsMs = performance.now() - startedAt - subscribersMs;
  // Tables bulk-loaded a moment ago have no planner statistics until autovacuum gets to them (a live
  // database has them): without, PostgreSQL may scan a million subscribers to resolve a send's receivers.
  if (database.dialect === 'postgres') await sql`analyze subscribers, inbox_items`.execute(database.db);
  return { subscribersMs, itemsMs, readerUnreadItems: Math.ceil(population.readerItems / 2) };
}
