import type { Clock } from '../clock.ts';
import { publishInboxChange } from '../deliveries/inbox-notifications.ts';
import { newId } from '../ids.ts';
import type { InboxDepositor } from '../providers/provider.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { DatabaseNotifications } from '../storage/database-notifications.ts';

/**
 * The inbox provider's view of storage, for the delivery worker: one `inbox_items` row per
 * delivery. A send retried after a crash finds the row its first attempt wrote (delivery_id is
 * unique) and answers that item, so a subscriber never sees one delivery twice.
 */
export function createInboxDepositor(options: { database: HeraldDatabase; notifications: DatabaseNotifications; clock: Clock }): InboxDepositor {
  const { db } = options.database;
  return {
    async deposit(item) {
      const now = options.clock.now();
      await db
        .insertInto('inbox_items')
        .values({
          id: newId('inb', now),
          app_id: item.appId,
          subscriber_id: item.subscriberId,
          delivery_id: item.deliveryId,
          message_id: item.messageId,
          title: item.title,
          summary: item.summary,
          body_html: item.bodyHtml,
          link: item.link,
          category: item.category,
          severity: item.severity,
          actions: JSON.stringify(item.actions),
          data: JSON.stringify(item.data),
          valid_from: now,
          valid_until: item.validForSeconds === null ? null : now + item.validForSeconds * 1000,
          created_at: now,
          read_at: null,
          archived_at: null,
        })
        .onConflict((conflict) => conflict.column('delivery_id').doNothing())
        .execute();
      const { id } = await db.selectFrom('inbox_items').select('id').where('delivery_id', '=', item.deliveryId).executeTakeFirstOrThrow();
      // Published on a repeated deposit too: the first may have crashed before telling the live streams.
      publishInboxChange(options.notifications, { kind: 'items', appId: item.appId, subscriberId: item.subscriberId, ids: [id] });
      return { itemId: id };
    },
  };
}
