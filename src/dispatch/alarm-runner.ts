import type { Clock } from '../clock.ts';
import { ALARM_MESSAGE_TYPE, type AlarmRuleKind, type AlarmScope } from '../deliveries/alarm-rule-kinds.ts';
import { HeraldError } from '../errors.ts';
import { newId } from '../ids.ts';
import { isoTime } from '../iso-time.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { AlarmRulesTable, AlarmsTable } from '../storage/schema.ts';
import { isUniqueViolation } from '../storage/unique-violation.ts';
import type { AlarmEvaluator, AlarmObservation } from './alarm-rules/alarm-evaluator.ts';
import { evaluateBacklogAge } from './alarm-rules/backlog-age-rule.ts';
import { evaluateCallbacksFailing } from './alarm-rules/callbacks-failing-rule.ts';
import { evaluateCircuitOpen } from './alarm-rules/circuit-open-rule.ts';
import { evaluateQuotaRemaining } from './alarm-rules/quota-remaining-rule.ts';
import { evaluateSuccessRate } from './alarm-rules/success-rate-rule.ts';
import { createLeasedQueue, runAtLeasedTable } from './leased-queue.ts';
import { createPolledLeaseRunner, type PolledLeaseRunner } from './polled-lease-runner.ts';

/** `run_at` is set while a rule waits for its next evaluation; the `alarm_rules_due` index serves the claim. */
export const ALARM_RULES_QUEUE = runAtLeasedTable('alarm_rules', 'running');

const EVALUATORS: { [Kind in AlarmRuleKind]: AlarmEvaluator<Kind> } = {
  quota_remaining: evaluateQuotaRemaining,
  success_rate: evaluateSuccessRate,
  backlog_age: evaluateBacklogAge,
  callbacks_failing: evaluateCallbacksFailing,
  circuit_open: evaluateCircuitOpen,
};

/** The idempotency key of an alarm's message: sent again after a crash before it was recorded, the intake answers the first. */
export const alarmIdempotencyKey = (alarmId: string, state: 'fired' | 'resolved') => `alarm:${alarmId}:${state}`;

export interface AlarmRunnerOptions {
  database: HeraldDatabase;
  clock: Clock;
  /** Accepts a send request for the app, as POST /v1/messages would with this idempotency key. */
  accept(appId: string, message: Record<string, unknown>, idempotencyKey: string): Promise<{ id: string }>;
  evaluationIntervalSeconds: number;
  workerId: string;
  leaseSeconds: number;
  pollIntervalMs: number;
  logger: Logger;
}

/** The scheduler role's alarm evaluation; `runDue` evaluates the rules due now (tests call it with a ManualClock). */
export type AlarmRunner = PolledLeaseRunner;

/**
 * Evaluates alarm rules in the scheduler role, each rule once per interval however many
 * schedulers run (a leased table, like schedules). For each subject a rule watches:
 * - the condition holds and no alarm is open → an alarm opens (the `alarms_open` unique index
 *   keeps it one) and a `herald.alarm` message goes to the rule's receivers;
 * - it holds while the alarm is open → nothing is sent (no storms), the value is refreshed;
 * - it cleared → once it has stayed clear for the rule's hold-down, the alarm resolves and a
 *   "resolved" message goes out; holding again within the hold-down keeps the same alarm open,
 *   so a flapping condition neither resolves nor fires again.
 * Messages are accepted under `alarm:<id>:fired|resolved` before (resolution) or after (firing,
 * whose id is the alarm's) the row records them; whatever a crash interrupted, the next
 * evaluation sends the missing message under the same key, which the intake answers once.
 */
export function createAlarmRunner(options: AlarmRunnerOptions): AlarmRunner {
  const { database, clock, workerId } = options;
  const { db } = database;
  const log = options.logger.child({ component: 'alarm-runner', workerId });
  const queue = createLeasedQueue({ database, table: ALARM_RULES_QUEUE, workerId, leaseSeconds: options.leaseSeconds });

  /** The message of an alarm; `detail` is what the evaluation saw (a resolution shows the value that cleared it). */
  function messageOf(rule: AlarmRulesTable, alarm: AlarmsTable, state: 'fired' | 'resolved', detail: Record<string, unknown>): Record<string, unknown> {
    const target = JSON.parse(rule.target) as { to: unknown[]; channels?: string[]; locale?: string };
    return {
      type: ALARM_MESSAGE_TYPE,
      to: target.to,
      ...(target.channels ? { channels: target.channels } : {}),
      ...(target.locale ? { locale: target.locale } : {}),
      data: {
        state,
        kind: alarm.kind,
        rule: alarm.rule_name,
        subject: alarm.subject_label,
        value: null,
        threshold: null,
        window: null,
        ...detail,
        alarmId: alarm.id,
        firedAt: isoTime(alarm.fired_at),
        resolvedAt: isoTime(alarm.resolved_at),
      },
      metadata: { alarmId: alarm.id, alarmRule: rule.name, alarmState: state },
    };
  }

  /** Sends an alarm's message; a refusal (a receiver group deleted since) is noted on the rule, and the next evaluation tries again. */
  async function send(rule: AlarmRulesTable, alarm: AlarmsTable, state: 'fired' | 'resolved', errors: string[], detail = JSON.parse(alarm.detail) as Record<string, unknown>): Promise<string | undefined> {
    try {
      return (await options.accept(rule.app_id, messageOf(rule, alarm, state, detail), alarmIdempotencyKey(alarm.id, state))).id;
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      errors.push(`${error.code}: ${error.message}`);
      log.warn({ ruleId: rule.id, alarmId: alarm.id, state, code: error.code }, 'an alarm message was refused; it is sent again at the next evaluation');
      return undefined;
    }
  }

  async function fire(rule: AlarmRulesTable, observation: AlarmObservation, nowMs: number, errors: string[]): Promise<void> {
    const alarm: AlarmsTable = {
      id: newId('alm', nowMs),
      app_id: rule.app_id,
      rule_id: rule.id,
      rule_name: rule.name,
      kind: rule.kind,
      subject: observation.subject,
      subject_label: observation.label,
      status: 'open',
      value: observation.value,
      detail: JSON.stringify(observation.data),
      fired_at: nowMs,
      clear_since: null,
      resolved_at: null,
      fired_message_id: null,
      resolved_message_id: null,
      updated_at: nowMs,
    };
    try {
      await db.insertInto('alarms').values(alarm).execute();
    } catch (error) {
      // Opened meanwhile by a scheduler that took this rule over: that one sends its message.
      if (isUniqueViolation(error)) return;
      throw error;
    }
    log.info({ ruleId: rule.id, alarmId: alarm.id, subject: alarm.subject, value: alarm.value }, 'alarm fired');
    await sendFired(rule, alarm, errors);
  }

  async function sendFired(rule: AlarmRulesTable, alarm: AlarmsTable, errors: string[]): Promise<void> {
    const messageId = await send(rule, alarm, 'fired', errors);
    if (messageId !== undefined) await db.updateTable('alarms').set({ fired_message_id: messageId }).where('id', '=', alarm.id).execute();
  }

  async function resolve(rule: AlarmRulesTable, alarm: AlarmsTable, nowMs: number, errors: string[], cleared: AlarmObservation | undefined): Promise<void> {
    const resolved = { ...alarm, status: 'resolved' as const, resolved_at: alarm.resolved_at ?? nowMs };
    const messageId = await send(rule, resolved, 'resolved', errors, cleared?.data);
    if (messageId === undefined) return;
    await db
      .updateTable('alarms')
      .set({ status: 'resolved', resolved_at: resolved.resolved_at, resolved_message_id: messageId, updated_at: nowMs })
      .where('id', '=', alarm.id)
      .execute();
    log.info({ ruleId: rule.id, alarmId: alarm.id, subject: alarm.subject }, 'alarm resolved');
  }

  async function evaluate(rule: AlarmRulesTable): Promise<void> {
    const nowMs = clock.now();
    const errors: string[] = [];
    const evaluator = EVALUATORS[rule.kind as AlarmRuleKind] as AlarmEvaluator<AlarmRuleKind>;
    const observations = await evaluator({ database, nowMs, appId: rule.app_id, params: JSON.parse(rule.params), scope: rule.scope === null ? null : (JSON.parse(rule.scope) as AlarmScope) });
    const open = new Map((await db.selectFrom('alarms').selectAll().where('rule_id', '=', rule.id).where('status', '=', 'open').execute()).map((alarm) => [alarm.subject, alarm]));
    const seen = new Set<string>();
    for (const observation of observations) {
      seen.add(observation.subject);
      const alarm = open.get(observation.subject);
      if (observation.state === 'firing') {
        if (!alarm) await fire(rule, observation, nowMs, errors);
        else {
          await db.updateTable('alarms').set({ value: observation.value, detail: JSON.stringify(observation.data), clear_since: null, updated_at: nowMs }).where('id', '=', alarm.id).execute();
          if (alarm.fired_message_id === null) await sendFired(rule, alarm, errors);
        }
      } else if (alarm && observation.state === 'clear') {
        await clearing(rule, alarm, nowMs, errors, observation);
      } else if (alarm && alarm.fired_message_id === null) {
        await sendFired(rule, alarm, errors);
      }
    }
    // Subjects gone (an account deleted, a scope changed): their alarms clear.
    for (const alarm of open.values()) if (!seen.has(alarm.subject)) await clearing(rule, alarm, nowMs, errors, undefined);

    await db
      .updateTable('alarm_rules')
      .set({
        status: 'waiting',
        run_at: nowMs + options.evaluationIntervalSeconds * 1000,
        lease_owner: null,
        lease_expires_at: null,
        last_evaluated_at: nowMs,
        last_error: errors.length === 0 ? null : errors.join('; '),
        updated_at: nowMs,
      })
      .where('id', '=', rule.id)
      // Disabled or deleted meanwhile, or taken over: not this runner's to write.
      .where(queue.held())
      .execute();
  }

  /** A cleared condition: the alarm resolves once it has stayed clear for the hold-down. */
  async function clearing(rule: AlarmRulesTable, alarm: AlarmsTable, nowMs: number, errors: string[], cleared: AlarmObservation | undefined): Promise<void> {
    if (alarm.fired_message_id === null) await sendFired(rule, alarm, errors);
    const clearSince = alarm.clear_since ?? nowMs;
    if (nowMs - clearSince >= rule.hold_down_seconds * 1000) return resolve(rule, { ...alarm, clear_since: clearSince }, nowMs, errors, cleared);
    if (alarm.clear_since === null) await db.updateTable('alarms').set({ clear_since: nowMs, updated_at: nowMs }).where('id', '=', alarm.id).execute();
  }

  return createPolledLeaseRunner<AlarmRulesTable>({
    database,
    clock,
    queue,
    log,
    pollIntervalMs: options.pollIntervalMs,
    waitingStatus: 'waiting',
    run: evaluate,
    what: 'alarm rule evaluation',
  });
}
