import type { Kysely } from 'kysely';

/**
 * Liveness: worker processes heartbeat into `workers`, so the leases of a worker that died are
 * taken over as soon as its heartbeats stop instead of when the lease runs out (callbacks now
 * name their lease owner too); readiness writes a row into `storage_probes`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('workers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('callbacks').addColumn('lease_owner', 'text').execute();
  await db.schema
    .createTable('storage_probes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('probed_at', 'bigint', (c) => c.notNull())
    .execute();
}
