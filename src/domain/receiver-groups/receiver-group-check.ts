import type { Kysely } from 'kysely';
import { unprocessable } from '../../errors.ts';
import type { HeraldSchema } from '../../storage/schema.ts';
import type { SendReceiver } from '../messages/send-request-schema.ts';

/**
 * Groups that stored receivers name (a message type's, an alarm rule's) must exist when they are
 * saved: RECEIVER_GROUP_NOT_FOUND names the missing ones (a group deleted later is refused at send time).
 */
export async function checkGroupsExist(db: Kysely<HeraldSchema>, appId: string, receivers: readonly SendReceiver[] | undefined, field: string): Promise<void> {
  const names = [...new Set((receivers ?? []).flatMap((receiver) => (typeof receiver === 'object' && 'group' in receiver ? [receiver.group] : [])))];
  if (names.length === 0) return;
  const rows = await db.selectFrom('receiver_groups').select('name').where('app_id', '=', appId).where('name', 'in', names).execute();
  const missing = names.filter((name) => !rows.some((row) => row.name === name));
  if (missing.length > 0) {
    throw unprocessable('RECEIVER_GROUP_NOT_FOUND', `${field}: unknown receiver group${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; create them under /v1/receiver-groups first`, {
      field,
      groups: missing,
    });
  }
}
