import type { Clock } from '../../clock.ts';
import type { DeliveryAcknowledgement } from '../../deliveries/delivery-acknowledgement.ts';
import { applyStatusReports } from '../../deliveries/reported-status.ts';
import type { HeraldDatabase } from '../../storage/database.ts';

export type InboxReadReceipt = ReturnType<typeof createInboxReadReceipt>;

/**
 * A subscriber read inbox items that deliveries wrote: each delivery is acknowledged (its
 * escalation stops; the first acknowledgement stands) and moves to `read` with a trail event,
 * like a platform's read receipt would move it.
 */
export function createInboxReadReceipt({ database, clock, acknowledgement }: { database: HeraldDatabase; clock: Clock; acknowledgement: DeliveryAcknowledgement }) {
  const { db, dialect } = database;
  return {
    async deliveriesRead(appId: string, deliveryIds: readonly string[]): Promise<void> {
      if (deliveryIds.length === 0) return;
      const existing = await db.selectFrom('deliveries').select('id').where('app_id', '=', appId).where('id', 'in', [...deliveryIds]).execute();
      // A delivery purged since its item was written has nothing left to acknowledge.
      for (const { id } of existing) await acknowledgement.acknowledge(id, appId, 'inbox');
      // The acknowledgement commits on its own (escalations stop even if the status report below fails).
      await db.transaction().execute(async (trx) => {
        const deliveries = await trx.selectFrom('deliveries').select(['id', 'message_id', 'app_id', 'status', 'attempts']).where('app_id', '=', appId).where('id', 'in', [...deliveryIds]).execute();
        await applyStatusReports(trx, dialect, deliveries.map((delivery) => ({ delivery, status: 'read' as const })), clock.now());
      });
    },
  };
}
