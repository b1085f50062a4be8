import { isoTime } from '../../iso-time.ts';
import { counterSubject } from '../../deliveries/alarm-rule-kinds.ts';
import { accountsInScope, type AlarmEvaluator } from './alarm-evaluator.ts';

/** `circuit_open`: an account's circuit breaker is open (account_circuits; see account-circuits.ts). */
export const evaluateCircuitOpen: AlarmEvaluator<'circuit_open'> = async ({ database, nowMs, appId, scope }) => {
  const accounts = await accountsInScope(database, appId, scope);
  if (accounts.size === 0) return [];
  const circuits = await database.db
    .selectFrom('account_circuits')
    .select(['channel_account_id', 'consecutive_failures', 'open_until'])
    .where('channel_account_id', 'in', [...accounts.keys()])
    .execute();
  const byAccount = new Map(circuits.map((row) => [row.channel_account_id, row]));
  return [...accounts].map(([id, name]) => {
    const circuit = byAccount.get(id);
    const openUntil = circuit?.open_until === null || circuit?.open_until === undefined ? null : Number(circuit.open_until);
    const open = openUntil !== null && openUntil > nowMs;
    const failures = circuit?.consecutive_failures ?? 0;
    return {
      subject: counterSubject.account(id),
      label: name,
      state: open ? 'firing' : 'clear',
      value: failures,
      data: { value: String(failures), threshold: null, openUntil: open ? isoTime(openUntil) : null },
    };
  });
};
