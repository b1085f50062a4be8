import { ALARM_MESSAGE_TYPE } from '../../deliveries/alarm-rule-kinds.ts';
import { HeraldError } from '../../errors.ts';
import type { MessageTypeService } from '../message-types/message-type-service.ts';
import type { TemplateService } from '../templates/template-service.ts';

/**
 * The built-in `herald.alarm` message type and its template, created for an app when it saves
 * an alarm rule and they are missing; from then on they are the app's own to edit (channels,
 * wording, urgency). Critical: an alarm is not held back by opt-outs or quiet hours.
 */

/** The headline of each rule kind, firing or resolved (written tight: a title is at most 500 characters); `subject`, `value`, `threshold`, `window` come from the evaluation. */
const EN_TITLE =
  '[Herald alarm{%if state == "resolved"%} resolved{%endif%}] {%case kind%}' +
  '{%when "quota_remaining"%}Quota of {{subject}} at {{value}} left' +
  '{%when "success_rate"%}Success rate of {{subject}} at {{value}} over {{window}}' +
  '{%when "backlog_age"%}Oldest due delivery waiting {{value}}' +
  '{%when "callbacks_failing"%}{{value}} result callbacks failed in {{window}}' +
  '{%when "circuit_open"%}Circuit breaker on {{subject}}' +
  '{%else%}{{rule}}: {{subject}} {{value}}{%endcase%}{%if threshold%} ({{threshold}}){%endif%}';

const ZH_TITLE =
  '[Herald 告警{%if state == "resolved"%}恢复{%endif%}] {%case kind%}' +
  '{%when "quota_remaining"%}{{subject}} 剩余额度 {{value}}' +
  '{%when "success_rate"%}{{subject}} 近 {{window}} 成功率 {{value}}' +
  '{%when "backlog_age"%}最早到期的投递已等待 {{value}}' +
  '{%when "callbacks_failing"%}近 {{window}} 结果回调失败 {{value}} 次' +
  '{%when "circuit_open"%}{{subject}} 熔断' +
  '{%else%}{{rule}}：{{subject}} {{value}}{%endcase%}{%if threshold%}（{{threshold}}）{%endif%}';

const EN_BODY =
  '**{{ rule }}** ({{ kind }}): {{ subject }}\n\n- Value: {{ value }}\n{% if threshold %}- Threshold: {{ threshold }}\n{% endif %}- Fired at: {{ firedAt }}\n' +
  '{% if state == "resolved" %}- Resolved at: {{ resolvedAt }}\n{% endif %}\nAlarm {{ alarmId }}';

const ZH_BODY =
  '**{{ rule }}**（{{ kind }}）：{{ subject }}\n\n- 当前值：{{ value }}\n{% if threshold %}- 阈值：{{ threshold }}\n{% endif %}- 触发时间：{{ firedAt }}\n' +
  '{% if state == "resolved" %}- 恢复时间：{{ resolvedAt }}\n{% endif %}\n告警 {{ alarmId }}';

const text = (name: string, example: string, description: string, required = true) => ({ name, type: 'string' as const, required, example, description });

export const ALARM_TEMPLATE = {
  code: ALARM_MESSAGE_TYPE,
  name: 'Herald alarm',
  description: 'Alarms Herald sends about itself (alarm rules, /v1/alarm-rules): one message when a rule fires, one when it resolves.',
  variables: [
    text('state', 'fired', '"fired" or "resolved"'),
    text('kind', 'quota_remaining', 'The rule kind'),
    text('rule', 'sms-quota', "The rule's name"),
    text('subject', 'aliyun-sms', 'What the rule watched: an account, a channel, the backlog, result callbacks'),
    text('value', '10', 'The measured value as text'),
    text('threshold', '≤ 10%', 'The threshold as text, with its comparison', false),
    text('window', '5 min', 'The window, for rules that have one', false),
    text('alarmId', 'alm_01jh0000000000000000000000', "The alarm's id (GET /v1/alarms/{id})"),
    text('firedAt', '2026-01-05T03:00:00.000Z', 'When it fired'),
    text('resolvedAt', '2026-01-05T04:00:00.000Z', 'When it resolved', false),
  ],
  content: {
    title: EN_TITLE,
    body: EN_BODY,
    defaultLocale: 'en',
    locales: { 'zh-CN': { title: ZH_TITLE, body: ZH_BODY } },
  },
};

export const ALARM_MESSAGE_TYPE_DEFINITION = {
  code: ALARM_MESSAGE_TYPE,
  name: 'Herald alarm',
  category: 'operations',
  urgency: 'urgent' as const,
  critical: true,
  template: ALARM_TEMPLATE.code,
};

/** Ignores the conflict of a concurrent creation: someone else made it first. */
async function unlessExists(work: () => Promise<unknown>, missingCode: string, existsCode: string, find: () => Promise<unknown>): Promise<void> {
  try {
    await find();
    return;
  } catch (error) {
    if (!(error instanceof HeraldError) || error.code !== missingCode) throw error;
  }
  try {
    await work();
  } catch (error) {
    if (!(error instanceof HeraldError) || error.code !== existsCode) throw error;
  }
}

/** Creates the app's `herald.alarm` template (published) and type where either is missing; `actor` publishes the template. */
export async function ensureAlarmMessageType(appId: string, deps: { messageTypes: MessageTypeService; templates: TemplateService }, actor: string): Promise<void> {
  await unlessExists(
    () => deps.templates.create(appId, { ...ALARM_TEMPLATE, publish: true }, actor),
    'TEMPLATE_NOT_FOUND',
    'TEMPLATE_CODE_TAKEN',
    () => deps.templates.get(appId, ALARM_TEMPLATE.code),
  );
  await unlessExists(
    () => deps.messageTypes.create(appId, ALARM_MESSAGE_TYPE_DEFINITION),
    'MESSAGE_TYPE_NOT_FOUND',
    'MESSAGE_TYPE_EXISTS',
    () => deps.messageTypes.get(appId, ALARM_MESSAGE_TYPE),
  );
}
