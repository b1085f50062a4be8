import { test } from 'node:test';
import assert from 'node:assert/strict';
import { draftsOf, parseReceivers, policiesOf, POLICY_DEFAULTS, receiversText, type MessageTypePolicies } from '../../console/src/components/policies/policy-drafts.ts';

/** The policy forms' drafts: stored policies survive the round trip through the forms unchanged, and defaults are what Herald takes. */

test('every policy kind read into the forms and written back is the same policies', () => {
  const policies: MessageTypePolicies = {
    quietHours: { start: '22:00', end: '07:30', action: 'drop', urgentBypass: false },
    frequencyCap: { count: 3, perSeconds: 3600 },
    dedupSeconds: 120,
    digest: { windowSeconds: 900, template: 'order-digest', key: 'order.shop', firstImmediately: true },
    escalation: { steps: [{ afterSeconds: 300, channels: ['sms'] }, { afterSeconds: 900, channels: ['email', 'wecom'], to: ['u1', { group: 'oncall' }, { email: 'noc@example.com' }] }] },
  };
  assert.deepEqual(policiesOf(draftsOf(policies)), policies);
  assert.deepEqual(policiesOf(draftsOf({})), {});
  assert.deepEqual(policiesOf(draftsOf(undefined)), {});
});

test("optional fields left out are filled with Herald's defaults, and an empty digest key is left out", () => {
  const drafts = draftsOf({ quietHours: { start: '22:00', end: '08:00', action: 'hold' }, digest: { windowSeconds: 60, template: 'digest' } });
  assert.deepEqual(policiesOf(drafts), {
    quietHours: { start: '22:00', end: '08:00', action: 'hold', urgentBypass: true },
    digest: { windowSeconds: 60, template: 'digest', firstImmediately: false },
  });
});

test('a policy switched on starts from defaults within the bounds Herald accepts', () => {
  const drafts = { quietHours: POLICY_DEFAULTS.quietHours(), frequencyCap: POLICY_DEFAULTS.frequencyCap(), dedupSeconds: POLICY_DEFAULTS.dedupSeconds(), digest: null, escalation: null };
  assert.deepEqual(policiesOf(drafts), { quietHours: { start: '22:00', end: '08:00', action: 'hold', urgentBypass: true }, frequencyCap: { count: 10, perSeconds: 3600 }, dedupSeconds: 300 });
  // Each call is a fresh object: two forms never share one draft.
  assert.notEqual(POLICY_DEFAULTS.escalation().steps, POLICY_DEFAULTS.escalation().steps);
});

test('receivers as text: subscriber ids bare, other kinds as kind:value, a subscriber id that looks like one kept as a subscriber', () => {
  assert.deepEqual(parseReceivers(' u1, group:oncall ,email:noc@example.com,, phone:+8613800000000 '), ['u1', { group: 'oncall' }, { email: 'noc@example.com' }, { phone: '+8613800000000' }]);
  assert.equal(receiversText(['u1', { group: 'oncall' }, 'group:odd-id']), 'u1, group:oncall, subscriber:group:odd-id');
  assert.deepEqual(parseReceivers(receiversText(['group:odd-id'])), [{ subscriber: 'group:odd-id' }]);
  assert.deepEqual(parseReceivers('mailto:x'), ['mailto:x']);
  assert.deepEqual(parseReceivers(''), []);
});
