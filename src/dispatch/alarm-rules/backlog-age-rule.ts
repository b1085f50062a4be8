import { WAITING_DELIVERY_STATUSES } from '../../deliveries/delivery-status.ts';
import { shownDuration, type AlarmEvaluator } from './alarm-evaluator.ts';

/** `backlog_age`: how long the app's oldest due delivery (waiting, its time come) has been due. */
export const evaluateBacklogAge: AlarmEvaluator<'backlog_age'> = async ({ database, nowMs, appId, params }) => {
  const oldest = await database.db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('run_at').as('due_at'))
    .where('app_id', '=', appId)
    .where('status', 'in', WAITING_DELIVERY_STATUSES)
    .where('run_at', '<=', nowMs)
    .executeTakeFirst();
  const dueAtMs = oldest?.due_at === null || oldest?.due_at === undefined ? null : Number(oldest.due_at);
  const ageSeconds = dueAtMs === null ? 0 : Math.floor((nowMs - dueAtMs) / 1000);
  return [
    {
      subject: 'app',
      label: 'backlog',
      state: ageSeconds > params.olderThanSeconds ? 'firing' : 'clear',
      value: ageSeconds,
      data: { value: `${ageSeconds} s`, threshold: `> ${shownDuration(params.olderThanSeconds)}` },
    },
  ];
};
