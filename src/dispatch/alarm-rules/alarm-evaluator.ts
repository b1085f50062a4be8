import type { AlarmRuleKind, AlarmRuleParams, AlarmScope } from '../../deliveries/alarm-rule-kinds.ts';
import type { HeraldDatabase } from '../../storage/database.ts';

/** What one evaluation of a rule saw for one subject. */
export interface AlarmObservation {
  /** `account:<id>`, `channel:<name>`, `app`, `callbacks`: one open alarm per rule and subject. */
  subject: string;
  /** How messages name the subject (an account's name). */
  label: string;
  /** `unknown`: too little to judge (a quiet account): an open alarm neither resolves nor refreshes. */
  state: 'firing' | 'clear' | 'unknown';
  value: number | null;
  /** The message data: the measured value and threshold as text, the window, ... */
  data: Record<string, string | number | null>;
}

export interface AlarmEvaluationInput<Kind extends AlarmRuleKind> {
  database: HeraldDatabase;
  nowMs: number;
  appId: string;
  params: AlarmRuleParams<Kind>;
  scope: AlarmScope;
}

/**
 * One rule kind: what its condition is for each subject now. Subjects a previous evaluation
 * fired for and this one does not mention any more (an account deleted) resolve.
 */
export type AlarmEvaluator<Kind extends AlarmRuleKind> = (input: AlarmEvaluationInput<Kind>) => Promise<AlarmObservation[]>;

/** The app's channel accounts (or the one in scope) as `id → name`. */
export async function accountsInScope(database: HeraldDatabase, appId: string, scope: AlarmScope): Promise<Map<string, string>> {
  let query = database.db.selectFrom('channel_accounts').select(['id', 'name']).where('app_id', '=', appId);
  if (scope !== null && 'account' in scope) query = query.where('id', '=', scope.account);
  return new Map((await query.orderBy('name').execute()).map((row) => [row.id, row.name]));
}

/** `300` → `5 min`, `7200` → `2 h`: windows and ages as messages show them. */
export function shownDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
