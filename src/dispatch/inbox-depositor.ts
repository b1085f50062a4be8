import type { Clock } from '../clock.ts';
import { publishInboxChange } from '../deliveries/inbox-notifications.ts';
import { chunks } from '../chunks.ts';
import { newId } from '../ids.ts';
import type { InboxDepositor } from '../providers/provider.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { DatabaseNotifications } from '../storage/database-notifications.ts';

/**
 * The inbox provider's view of storage, for the delivery worker: one `inbox_items` row per
 * delivery. A send retried after a crash finds the row its first attempt wrote (delivery_id is
 * unique) and answers that item, so a subscriber never sees one delivery twice.
 */
/** Items named per change notification: the payload stays well under PostgreSQL's NOTIFY limit. */
const ITEMS_PER_CHANGE = 60;

export function createInboxDepositor(options: { database: HeraldDatabase; notifications: DatabaseNotifications; clock: Clock }): InboxDepositor {
  const { db } = options.database;
  return {
    async deposit(items) {
      if (items.length === 0) return [];
      const now = options.clock.now();
      await db
        .insertInto('inbox_items')
        .values(
          items.map((item) => ({
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
          })),
        )
        .onConflict((conflict) => conflict.column('delivery_id').doNothing())
        .execute();
      const rows = await db
        .selectFrom('inbox_items')
        .select(['id', 'delivery_id'])
        .where('delivery_id', 'in', items.map((item) => item.deliveryId))
        .execute();
      const idByDelivery = new Map(rows.map((row) => [row.delivery_id, row.id]));
      const ids = items.map((item) => idByDelivery.get(item.deliveryId)!);
      // Published on a repeated deposit too: the first may have crashed before telling the live streams.
      const byApp = Map.groupBy(items.map((item, index) => ({ appId: item.appId, subscriberId: item.subscriberId, id: ids[index]! })), (item) => item.appId);
      for (const [appId, deposited] of byApp) {
        for (const chunk of chunks(deposited, ITEMS_PER_CHANGE)) publishInboxChange(options.notifications, { kind: 'items', appId, items: chunk.map(({ subscriberId, id }) => ({ subscriberId, id })) });
      }
      return ids;
    },
  };
}
