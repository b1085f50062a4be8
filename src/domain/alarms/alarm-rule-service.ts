import type { ChannelName } from '../../channels/channel-catalog.ts';
import type { HeraldContext } from '../../context/herald-context.ts';
import { ALARM_RULE_PARAMS, ALARM_RULE_SCOPES, type AlarmRuleKind, type AlarmScope } from '../../deliveries/alarm-rule-kinds.ts';
import { conflict, invalid, notFound, unprocessable } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { isoTime } from '../../iso-time.ts';
import type { AlarmRulesTable } from '../../storage/schema.ts';
import { failIfTaken } from '../../storage/unique-violation.ts';
import { firstSchemaProblem, schemaErrors } from '../../validation/schema-problem.ts';
import type { SendReceiver } from '../messages/send-request-schema.ts';
import { checkGroupsExist } from '../receiver-groups/receiver-group-check.ts';

/**
 * Alarm rules (`/v1/alarm-rules`): what an app wants to be warned about (quota running out,
 * success rate falling, a backlog, failing callbacks, an open circuit) and who gets the warning.
 * The scheduler role evaluates them (src/dispatch/alarm-runner.ts); this is their management.
 */

/** A cleared condition resolves its alarm after this long unless the rule says otherwise. */
export const DEFAULT_HOLD_DOWN_SECONDS = 300;

/** The scope as given: an account by id or name, or a channel. */
export type AlarmScopeInput = { account: string } | { channel: ChannelName };

export interface AlarmRuleInput {
  name: string;
  kind: AlarmRuleKind;
  params: Record<string, unknown>;
  scope?: AlarmScopeInput | null;
  /** Who gets the alarm messages, as a send's `to`. */
  to: SendReceiver[];
  channels?: ChannelName[];
  locale?: string;
  holdDownSeconds?: number;
  enabled?: boolean;
}

export type AlarmRulePatch = Partial<Omit<AlarmRuleInput, 'kind'>>;

export interface AlarmRuleView {
  id: string;
  name: string;
  kind: AlarmRuleKind;
  params: Record<string, unknown>;
  /** `{ account: <id> }`, `{ channel }`, or null: the whole app (all its accounts). */
  scope: AlarmScope;
  to: SendReceiver[];
  channels: ChannelName[] | null;
  locale: string | null;
  holdDownSeconds: number;
  enabled: boolean;
  nextEvaluationAt: string | null;
  lastEvaluatedAt: string | null;
  /** Why the last evaluation could not send an alarm's message (it tries again at the next). */
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

interface StoredTarget {
  to: SendReceiver[];
  channels?: ChannelName[];
  locale?: string;
}

export type AlarmRuleService = ReturnType<typeof createAlarmRuleService>;

/** `ensureAlarmType` creates the app's `herald.alarm` type and template where missing (alarm-message-type.ts). */
export function createAlarmRuleService({ database: { db }, clock }: HeraldContext, ensureAlarmType: (appId: string, actor: string) => Promise<void>) {
  function view(row: AlarmRulesTable): AlarmRuleView {
    const target = JSON.parse(row.target) as StoredTarget;
    return {
      id: row.id,
      name: row.name,
      kind: row.kind as AlarmRuleKind,
      params: JSON.parse(row.params) as Record<string, unknown>,
      scope: row.scope === null ? null : (JSON.parse(row.scope) as AlarmScope),
      to: target.to,
      channels: target.channels ?? null,
      locale: target.locale ?? null,
      holdDownSeconds: row.hold_down_seconds,
      enabled: row.enabled === 1,
      nextEvaluationAt: isoTime(row.run_at),
      lastEvaluatedAt: isoTime(row.last_evaluated_at),
      lastError: row.last_error,
      createdAt: isoTime(row.created_at),
      updatedAt: isoTime(row.updated_at),
    };
  }

  function checkedParams(kind: AlarmRuleKind, params: unknown): string {
    const schema = ALARM_RULE_PARAMS[kind];
    const errors = schemaErrors(schema, params);
    if (errors.length > 0) {
      const { field, message } = firstSchemaProblem(errors, 'params', {
        unknownFieldHint: (path) => (path === '' ? `; ${kind} takes ${Object.keys(schema.properties).join(', ') || 'no parameters'}` : ''),
      });
      throw invalid('ALARM_RULE_PARAMS_INVALID', message, { field });
    }
    if (kind === 'quota_remaining' && Object.keys(params as object).length === 0) {
      throw invalid('ALARM_RULE_PARAMS_INVALID', 'params: give remainingPercent, remainingCount or both', { field: 'params' });
    }
    return JSON.stringify(params);
  }

  /** The stored scope: a kind's allowed scope, an account resolved to its id. */
  async function checkedScope(appId: string, kind: AlarmRuleKind, scope: AlarmScopeInput | null | undefined): Promise<string | null> {
    if (scope === null || scope === undefined) return null;
    const given = 'account' in scope ? 'account' : 'channel';
    if (!ALARM_RULE_SCOPES[kind].includes(given)) {
      const allowed = ALARM_RULE_SCOPES[kind];
      throw invalid('ALARM_RULE_SCOPE_INVALID', `scope: ${kind} ${allowed.length === 0 ? 'watches the whole app; leave scope out' : `takes a scope of ${allowed.join(' or ')}, not ${given}`}`, {
        field: 'scope',
      });
    }
    if ('channel' in scope) return JSON.stringify({ channel: scope.channel });
    const account = await db
      .selectFrom('channel_accounts')
      .select('id')
      .where('app_id', '=', appId)
      .where((eb) => eb.or([eb('id', '=', scope.account), eb('name', '=', scope.account)]))
      .executeTakeFirst();
    if (!account) throw unprocessable('CHANNEL_ACCOUNT_NOT_FOUND', `scope.account: this app has no channel account "${scope.account}"`, { field: 'scope.account' });
    return JSON.stringify({ account: account.id });
  }

  /** Receivers must name groups and accounts that exist now (a send would refuse them later, when the alarm matters). */
  async function checkedTarget(appId: string, target: StoredTarget): Promise<string> {
    await checkGroupsExist(db, appId, target.to, 'to');
    const accounts = [...new Set(target.to.flatMap((receiver) => (typeof receiver === 'object' && 'channelAccount' in receiver ? [receiver.channelAccount] : [])))];
    if (accounts.length > 0) {
      const rows = await db.selectFrom('channel_accounts').select(['id', 'name']).where('app_id', '=', appId).execute();
      const missing = accounts.filter((account) => !rows.some((row) => row.id === account || row.name === account));
      if (missing.length > 0) throw unprocessable('CHANNEL_ACCOUNT_NOT_FOUND', `to: this app has no channel account ${missing.map((name) => `"${name}"`).join(', ')}`, { field: 'to' });
    }
    return JSON.stringify({ to: target.to, ...(target.channels ? { channels: target.channels } : {}), ...(target.locale ? { locale: target.locale } : {}) });
  }

  const nameTaken = (name: string) => () => conflict('ALARM_RULE_NAME_TAKEN', `This app already has an alarm rule named "${name}"`, { field: 'name' });

  async function find(appId: string, id: string): Promise<AlarmRulesTable> {
    const row = await db.selectFrom('alarm_rules').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('ALARM_RULE_NOT_FOUND', `This app has no alarm rule ${id}`, { id });
    return row;
  }

  /** Enabled: due at once (a new or changed rule is evaluated at the next poll). Disabled: not due, and not leased. */
  const scheduling = (enabled: boolean, nowMs: number) =>
    ({ enabled: enabled ? 1 : 0, status: enabled ? 'waiting' : 'disabled', run_at: enabled ? nowMs : null, lease_owner: null, lease_expires_at: null }) as const;

  return {
    async create(appId: string, input: AlarmRuleInput, actor: string): Promise<AlarmRuleView> {
      const nowMs = clock.now();
      const row: AlarmRulesTable = {
        id: newId('alr', nowMs),
        app_id: appId,
        name: input.name,
        kind: input.kind,
        params: checkedParams(input.kind, input.params),
        scope: await checkedScope(appId, input.kind, input.scope),
        target: await checkedTarget(appId, { to: input.to, channels: input.channels, locale: input.locale }),
        hold_down_seconds: input.holdDownSeconds ?? DEFAULT_HOLD_DOWN_SECONDS,
        ...scheduling(input.enabled !== false, nowMs),
        last_evaluated_at: null,
        last_error: null,
        created_at: nowMs,
        updated_at: nowMs,
      };
      await ensureAlarmType(appId, actor);
      await failIfTaken(db.insertInto('alarm_rules').values(row).execute(), nameTaken(input.name));
      return view(row);
    },

    async list(appId: string): Promise<AlarmRuleView[]> {
      return (await db.selectFrom('alarm_rules').selectAll().where('app_id', '=', appId).orderBy('name').execute()).map(view);
    },

    async get(appId: string, id: string): Promise<AlarmRuleView> {
      return view(await find(appId, id));
    },

    /** Changes what is given; a changed rule is evaluated again at once. */
    async update(appId: string, id: string, patch: AlarmRulePatch, actor: string): Promise<AlarmRuleView> {
      const current = await find(appId, id);
      const kind = current.kind as AlarmRuleKind;
      const nowMs = clock.now();
      const target = JSON.parse(current.target) as StoredTarget;
      const set: Partial<AlarmRulesTable> = { updated_at: nowMs };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.params !== undefined) set.params = checkedParams(kind, patch.params);
      if (patch.scope !== undefined) set.scope = await checkedScope(appId, kind, patch.scope);
      if (patch.to !== undefined || patch.channels !== undefined || patch.locale !== undefined) {
        set.target = await checkedTarget(appId, { to: patch.to ?? target.to, channels: patch.channels ?? target.channels, locale: patch.locale ?? target.locale });
      }
      if (patch.holdDownSeconds !== undefined) set.hold_down_seconds = patch.holdDownSeconds;
      Object.assign(set, scheduling(patch.enabled ?? current.enabled === 1, nowMs));
      await ensureAlarmType(appId, actor);
      const row = await failIfTaken(
        db.updateTable('alarm_rules').set(set).where('app_id', '=', appId).where('id', '=', id).returningAll().executeTakeFirst(),
        nameTaken(patch.name ?? current.name),
      );
      if (!row) throw notFound('ALARM_RULE_NOT_FOUND', `This app has no alarm rule ${id}`, { id });
      return view(row);
    },

    /** Deletes the rule; its open alarms close without a message (their history stays under /v1/alarms). */
    async delete(appId: string, id: string): Promise<void> {
      const nowMs = clock.now();
      const deleted = await db.deleteFrom('alarm_rules').where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      if (deleted.numDeletedRows === 0n) throw notFound('ALARM_RULE_NOT_FOUND', `This app has no alarm rule ${id}`, { id });
      await db.updateTable('alarms').set({ status: 'resolved', resolved_at: nowMs, updated_at: nowMs }).where('rule_id', '=', id).where('status', '=', 'open').execute();
    },
  };
}
