import { Migrator, type Migration } from 'kysely/migration';
import type { HeraldDatabase } from './database.ts';
import * as foundation from './migrations/0001-foundation.ts';
import * as pipeline from './migrations/0002-pipeline.ts';
import * as templates from './migrations/0003-templates.ts';
import * as liveness from './migrations/0004-liveness.ts';
import * as imChannels from './migrations/0005-im-channels.ts';
import * as resultChecks from './migrations/0006-result-checks.ts';
import * as receiptsAndRoutes from './migrations/0007-receipts-and-routes.ts';
import * as webPush from './migrations/0008-web-push.ts';
import * as messageTypes from './migrations/0009-message-types.ts';
import * as policyCounters from './migrations/0010-policy-counters.ts';
import * as schedules from './migrations/0011-schedules.ts';
import * as digests from './migrations/0012-digests.ts';
import * as escalations from './migrations/0013-escalations.ts';
import * as inbox from './migrations/0014-inbox.ts';
import * as rateLimits from './migrations/0015-rate-limits.ts';
import * as auditLog from './migrations/0016-audit-log.ts';
import * as retention from './migrations/0017-retention.ts';
import * as accountQuotas from './migrations/0018-account-quotas.ts';
import * as alarms from './migrations/0019-alarms.ts';
import * as receiptTokenRotation from './migrations/0020-receipt-token-rotation.ts';
import * as dashboardCounters from './migrations/0021-dashboard-counters.ts';

/** Migrations are listed here in order; names are never renamed once released. */
const migrations: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-pipeline': pipeline,
  '0003-templates': templates,
  '0004-liveness': liveness,
  '0005-im-channels': imChannels,
  '0006-result-checks': resultChecks,
  '0007-receipts-and-routes': receiptsAndRoutes,
  '0008-web-push': webPush,
  '0009-message-types': messageTypes,
  '0010-policy-counters': policyCounters,
  '0011-schedules': schedules,
  '0012-digests': digests,
  '0013-escalations': escalations,
  '0014-inbox': inbox,
  '0015-rate-limits': rateLimits,
  '0016-audit-log': auditLog,
  '0017-retention': retention,
  '0018-account-quotas': accountQuotas,
  '0019-alarms': alarms,
  '0020-receipt-token-rotation': receiptTokenRotation,
  '0021-dashboard-counters': dashboardCounters,
};

/** Applies pending migrations; safe to call from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(database: HeraldDatabase): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
