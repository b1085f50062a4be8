import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { HeraldDatabase } from '../storage/database.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';
import type { HeraldSchema } from '../storage/schema.ts';

/**
 * A table whose rows workers claim with a lease. A row waits while its due column is set
 * (claimable once the time it holds has come), and is leased while its status is
 * `leasedStatus`, its due column is null and it names an owner and an expiry.
 */
export interface LeasedTable<Name extends keyof HeraldSchema> {
  name: Name;
  idColumn: keyof HeraldSchema[Name] & string;
  dueColumn: keyof HeraldSchema[Name] & string;
  /** Claims take the most urgent rows first, in the order of these columns (an index should serve it). */
  claimOrder: ReadonlyArray<keyof HeraldSchema[Name] & string>;
  statusColumn: keyof HeraldSchema[Name] & string;
  leasedStatus: string;
  leaseOwnerColumn: keyof HeraldSchema[Name] & string;
  leaseExpiresColumn: keyof HeraldSchema[Name] & string;
}

/** The columns of a table the scheduler role's runners lease (polled-lease-runner.ts): due at `run_at`, `leasedStatus` while a runner holds a row. */
type RunAtColumns = 'id' | 'run_at' | 'status' | 'lease_owner' | 'lease_expires_at';

/** The tables that have those columns. */
type RunAtTable = { [Name in keyof HeraldSchema]: RunAtColumns extends keyof HeraldSchema[Name] ? Name : never }[keyof HeraldSchema];

/** A leased table of the scheduler role's convention (schedules, digests, escalations, retention runs). */
export function runAtLeasedTable<Name extends RunAtTable>(name: Name, leasedStatus: string): LeasedTable<Name> {
  const column = (value: RunAtColumns) => value as keyof HeraldSchema[Name] & string;
  return {
    name,
    idColumn: column('id'),
    dueColumn: column('run_at'),
    claimOrder: [column('run_at')],
    statusColumn: column('status'),
    leasedStatus,
    leaseOwnerColumn: column('lease_owner'),
    leaseExpiresColumn: column('lease_expires_at'),
  };
}

/** Which leases an operation takes: lapsed ones, or those held under this worker's own id. */
export type LeaseFilter =
  /** Leases that ran out by `nowMs`, and — given `staleBeforeMs` — leases of workers whose heartbeats stopped before then (see worker-heartbeat.ts). */
  | { lapsedAtMs: number; staleBeforeMs?: number }
  /** Leases under this worker's id: held by an earlier process with the same id that died, or by this one as it stops. */
  | 'own';

export interface LeasedQueueOptions<Name extends keyof HeraldSchema> {
  database: HeraldDatabase;
  table: LeasedTable<Name>;
  /** The id leases carry (the heartbeat's). */
  workerId: string;
  leaseSeconds: number;
}

type Executor = Kysely<HeraldSchema>;
/** Further `column = value` assignments of the table's own, e.g. counting an attempt. */
type Assignments = RawBuilder<unknown>;

export interface LeasedQueue<Row> {
  readonly workerId: string;
  /** Leases up to `limit` due rows to this worker, most urgent first (in no particular order in the answer); `where` narrows the rows. */
  claim(executor: Executor, limit: number, nowMs: number, also?: Assignments, where?: RawBuilder<boolean>): Promise<Row[]>;
  /** Leases to this worker up to `limit` rows whose lease `filter` picks, oldest lease first, without making them due. */
  takeOver(executor: Executor, filter: LeaseFilter, limit: number, nowMs: number, also?: Assignments): Promise<Row[]>;
  /** Makes the leased rows `filter` picks due at `nowMs` again, without an owner; `also` sets what a due row needs (its status). */
  requeue(executor: Executor, filter: LeaseFilter, nowMs: number, also: Assignments): Promise<Row[]>;
  /**
   * True for a row this worker still holds: guard every write of a result with it, so a
   * worker that lost its lease meanwhile cannot overwrite the work of the one that took over.
   * Column names are qualified by the table's name.
   */
  held(): RawBuilder<boolean>;
}

/**
 * Claim, take over, requeue and fence, written once for every leased table. Claims pick rows
 * `FOR UPDATE SKIP LOCKED` where the database has it, so concurrent claimers never wait on
 * each other nor get the same row; SQLite has one writer, which serialises claims instead.
 * The picking CTE is materialised so its LIMIT and locks apply once.
 */
export function createLeasedQueue<Name extends keyof HeraldSchema>(options: LeasedQueueOptions<Name>): LeasedQueue<HeraldSchema[Name]> {
  const { table, workerId } = options;
  const leaseMs = options.leaseSeconds * 1000;
  const name = sql.table(table.name);
  const id = sql.ref(table.idColumn);
  const due = sql.ref(table.dueColumn);
  const status = sql.ref(table.statusColumn);
  const owner = sql.ref(table.leaseOwnerColumn);
  const expires = sql.ref(table.leaseExpiresColumn);
  const leased = sql.lit(table.leasedStatus);
  const claimOrder = sql.join(table.claimOrder.map((column) => sql.ref(column)));
  const skipLocked = capabilitiesOf(options.database.dialect).skipLocked ? sql` for update skip locked` : sql``;
  const held = sql<boolean>`${sql.ref(`${table.name}.${table.leaseOwnerColumn}`)} = ${workerId} and ${sql.ref(`${table.name}.${table.statusColumn}`)} = ${leased}`;
  const assignments = (also: Assignments | undefined) => (also ? sql`, ${also}` : sql``);

  function picked(filter: LeaseFilter): RawBuilder<boolean> {
    if (filter === 'own') return sql<boolean>`${owner} = ${workerId}`;
    const expired = sql<boolean>`${expires} < ${filter.lapsedAtMs}`;
    if (filter.staleBeforeMs === undefined) return expired;
    // Owners without a heartbeat row are judged by their lease alone.
    return sql<boolean>`(${expired} or ${owner} in (select id from workers where heartbeat_at < ${filter.staleBeforeMs}))`;
  }

  /** Leases the rows `pick` selects (ids, locked where the database can) to this worker. */
  async function lease(executor: Executor, pick: RawBuilder<unknown>, nowMs: number, also: Assignments | undefined) {
    const { rows } = await sql<HeraldSchema[Name]>`
      with picked as materialized (${pick}${skipLocked})
      update ${name}
         set ${status} = ${leased}, ${due} = null, ${owner} = ${workerId}, ${expires} = ${nowMs + leaseMs}${assignments(also)}
       where ${id} in (select ${id} from picked)
      returning *`.execute(executor);
    return rows;
  }

  return {
    workerId,

    async claim(executor, limit, nowMs, also, where) {
      if (limit <= 0) return [];
      const narrowed = where ? sql` and ${where}` : sql``;
      return lease(executor, sql`select ${id} from ${name} where ${due} <= ${nowMs}${narrowed} order by ${claimOrder} limit ${limit}`, nowMs, also);
    },

    async takeOver(executor, filter, limit, nowMs, also) {
      if (limit <= 0) return [];
      return lease(
        executor,
        sql`select ${id} from ${name} where ${expires} is not null and ${status} = ${leased} and ${picked(filter)} order by ${expires} limit ${limit}`,
        nowMs,
        also,
      );
    },

    async requeue(executor, filter, nowMs, also) {
      const { rows } = await sql<HeraldSchema[Name]>`
        update ${name}
           set ${due} = ${nowMs}, ${owner} = null, ${expires} = null, ${also}
         where ${expires} is not null and ${status} = ${leased} and ${picked(filter)}
        returning *`.execute(executor);
      return rows;
    },

    held: () => held,
  };
}
