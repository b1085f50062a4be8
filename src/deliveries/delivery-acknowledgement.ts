import type { Clock } from '../clock.ts';
import { notFound } from '../errors.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { insertEvents } from './delivery-events.ts';

export const ACKNOWLEDGED_VIA = ['api', 'link', 'inbox'] as const;
export type AcknowledgedVia = (typeof ACKNOWLEDGED_VIA)[number];

const ACKNOWLEDGED_DETAIL: Record<AcknowledgedVia, string> = {
  api: 'acknowledged through the API',
  link: 'acknowledged by its signed link',
  inbox: 'read in the inbox',
};

export interface Acknowledgement {
  deliveryId: string;
  messageId: string;
  acknowledgedAt: string;
  via: AcknowledgedVia;
  /** False when the delivery was acknowledged before (the first acknowledgement stands). */
  first: boolean;
}

export type DeliveryAcknowledgement = ReturnType<typeof createDeliveryAcknowledgement>;

/**
 * Acknowledging a delivery: a person saw it. Recorded once (the first time and way stand; a
 * repeat answers the same), with an `acknowledged` event in the delivery's trail. The escalation
 * runner reads the acknowledgements before each step, so no further step of that receiver runs.
 */
export function createDeliveryAcknowledgement({ database, clock }: { database: HeraldDatabase; clock: Clock }) {
  const { db, dialect } = database;
  return {
    /** `appId` undefined: the caller proved the delivery by a signed link, which names no app. */
    async acknowledge(deliveryId: string, appId: string | undefined, via: AcknowledgedVia): Promise<Acknowledgement> {
      let query = db.selectFrom('deliveries').select(['id', 'message_id', 'app_id']).where('id', '=', deliveryId);
      if (appId !== undefined) query = query.where('app_id', '=', appId);
      const delivery = await query.executeTakeFirst();
      if (!delivery) throw notFound('DELIVERY_NOT_FOUND', `No delivery ${deliveryId}`);
      const nowMs = clock.now();
      const first = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('acknowledgements')
          .values({ delivery_id: delivery.id, message_id: delivery.message_id, app_id: delivery.app_id, via, at: nowMs })
          .onConflict((conflict) => conflict.column('delivery_id').doNothing())
          .executeTakeFirst();
        if (inserted.numInsertedOrUpdatedRows === 0n) return false;
        await insertEvents(trx, dialect, [{ messageId: delivery.message_id, deliveryId: delivery.id, appId: delivery.app_id, type: 'acknowledged', at: nowMs, detail: ACKNOWLEDGED_DETAIL[via] }]);
        return true;
      });
      const stored = await db.selectFrom('acknowledgements').select(['at', 'via']).where('delivery_id', '=', delivery.id).executeTakeFirstOrThrow();
      return { deliveryId: delivery.id, messageId: delivery.message_id, acknowledgedAt: new Date(stored.at).toISOString(), via: stored.via as AcknowledgedVia, first };
    },
  };
}
