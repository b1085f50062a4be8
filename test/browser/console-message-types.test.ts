import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, requestsOutside, screenshot, chooseOption, switchLanguage } from '../support/console-browser.ts';
import { signedInPage, type ConsoleRecord } from '../support/console-signed-in.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The console's message types and receiver groups pages in Chromium (SQLite): an owner creates a
 * group from members and a tag filter and sees whom it reaches, then a message type naming it with
 * its category, urgency, critical flag, channels, template and policies (their forms); bad input is
 * stopped in the form or shown with Herald's problem message. A viewer reads both pages and finds no write action.
 */
describe('web console: message types and receiver groups', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

  const record: ConsoleRecord = { apiRequests: [], pageErrors: [] };
  const { apiRequests, pageErrors } = record;
  const signedIn = (role: 'owner' | 'viewer') => signedInPage(browser, herald, base, role, record);

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'ops');
    const template = await call('POST', '/v1/templates', { code: 'server-down', content: { title: 'Down', body: 'A server is down' }, publish: true });
    assert.equal(template.statusCode, 201, template.body);
    for (const [externalId, tags] of [['u1', []], ['u2', ['oncall', 'db']], ['u3', ['oncall']]] as const) {
      assert.equal((await call('POST', '/v1/subscribers', { externalId, tags })).statusCode, 201);
    }
    browser = await launchChromium();
    ({ page } = await signedIn('owner'));
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('a receiver group of members and a tag filter, and whom it reaches now', async () => {
    await page.goto(`${base}/receiver-groups`);
    await page.locator('[data-test=receiver-groups]').getByText('Nothing here yet').waitFor();
    await page.locator('[data-test=new-receiver-group]').click();
    await page.locator('[data-test=save-receiver-group]').click();
    await page.getByText('Name is required').waitFor();
    await page.locator('#rg-name').fill('ops');
    await page.locator('#rg-description').fill('On-call database people');
    await page.locator('#rg-members').fill('u1, u1');
    await page.locator('#rg-tags').fill('oncall db');
    await assertAccessible(page, 'receiver group form');
    await page.locator('[data-test=save-receiver-group]').click();
    await page.locator('[data-test=receiver-groups]').getByText('On-call database people').waitFor();
    const stored = (await call('GET', '/v1/receiver-groups/ops')).json();
    assert.deepEqual([stored.members, stored.tagFilter], [['u1'], ['oncall', 'db']]);

    // Expanding the row asks Herald who the group reaches: u1 by membership, u2 by both tags (u3 lacks "db").
    await page.locator('[data-test=receiver-groups] .el-table__expand-icon').first().click();
    await page.locator('[data-test=group-reach]').getByText('u2').waitFor();
    assert.equal(await page.locator('[data-test=group-reach] .el-tag').count(), 2);

    // A name taken: Herald's problem message in the form.
    await page.locator('[data-test=new-receiver-group]').click();
    await page.locator('#rg-name').fill('ops');
    await page.locator('#rg-members').fill('u3');
    await page.locator('[data-test=save-receiver-group]').click();
    await page.locator('[data-test=form-error]').waitFor();
    assert.match((await page.locator('[data-test=form-error]').textContent()) ?? '', /ops/);
    await page.keyboard.press('Escape');

    // Editing replaces the filter.
    await page.locator('[data-test=edit-receiver-group]').click();
    assert.equal(await page.locator('#rg-name').isDisabled(), true);
    await page.locator('#rg-tags').fill('oncall');
    await page.locator('[data-test=save-receiver-group]').click();
    await waitFor(async () => (await call('GET', '/v1/receiver-groups/ops')).json().tagFilter.join() === 'oncall', { what: 'the tag filter replaced' });
    // The row stays expanded and shows whom the group reaches now: u3 has the one tag left.
    await page.locator('[data-test=group-reach]').getByText('u3').waitFor();
    await assertAccessible(page, 'receiver groups');
    await screenshot(page, 'receiver-groups', 'en');
    await switchLanguage(page, '简体中文');
    await page.getByRole('heading', { name: '接收组' }).waitFor();
    await assertAccessible(page, 'receiver groups (zh-CN)');
    await screenshot(page, 'receiver-groups', 'zh-CN');
    await switchLanguage(page, 'English');
  });

  test('a message type with its category, urgency, channels, template, receivers and policies', async () => {
    await page.goto(`${base}/message-types`);
    await page.locator('[data-test=message-types]').getByText('Nothing here yet').waitFor();
    await page.locator('[data-test=new-message-type]').click();
    // Checked before sending: a code Herald would refuse.
    await page.locator('#mt-code').fill('Server Down');
    await page.locator('[data-test=save-message-type]').click();
    await page.getByText('Code: a lowercase letter').waitFor();
    await page.locator('#mt-code').fill('server.down');
    await page.locator('#mt-name').fill('Server down');
    await page.locator('#mt-category').fill('服务器警告');
    await chooseOption(page, page.locator('.el-select:has(#mt-urgency)'), 'High');
    await page.locator('[data-test=mt-critical]').click();
    await chooseOption(page, page.locator('.el-select:has(#mt-channels)'), 'email');
    await page.keyboard.press('Escape');
    await chooseOption(page, page.locator('.el-select:has(#mt-template)'), 'server-down');
    await chooseOption(page, page.locator('.el-select:has(#mt-groups)'), 'ops');
    await page.keyboard.press('Escape');
    await page.locator('#mt-subscribers').fill('u9, u1');
    // Policies through their forms, with their defaults. An escalation to a group Herald does not know: its problem message.
    await page.locator('[data-test=policy-dedupSeconds-enabled]').click();
    await page.locator('[data-test=policy-quietHours-enabled]').click();
    await page.locator('[data-test=policy-escalation-enabled]').click();
    await chooseOption(page, page.locator('.el-select:has(#policy-step-0-channels)'), 'sms');
    await page.keyboard.press('Escape');
    await page.locator('#policy-step-0-to').fill('group:nobody');
    await page.locator('[data-test=save-message-type]').click();
    await page.locator('[data-test=form-error]', { hasText: /nobody/ }).waitFor();
    await page.locator('[data-test=policy-escalation-enabled]').click();
    await assertAccessible(page, 'message type form');
    await page.locator('[data-test=save-message-type]').click();
    await page.locator('[data-test=message-types]').getByText('server.down').waitFor();
    const stored = (await call('GET', '/v1/message-types/server.down')).json();
    assert.deepEqual(
      { name: stored.name, category: stored.category, urgency: stored.urgency, critical: stored.critical, channels: stored.channels, template: stored.template, receivers: stored.receivers, policies: stored.policies },
      {
        name: 'Server down',
        category: '服务器警告',
        urgency: 'high',
        critical: true,
        channels: ['email'],
        template: 'server-down',
        receivers: [{ group: 'ops' }, 'u9', 'u1'],
        policies: { quietHours: { start: '22:00', end: '08:00', action: 'hold', urgentBypass: true }, dedupSeconds: 300 },
      },
    );

    // Editing keeps receivers the form has no field for (an address) and clears the policies switched off.
    assert.equal((await call('PATCH', '/v1/message-types/server.down', { receivers: [{ group: 'ops' }, { email: 'noc@example.com' }] })).statusCode, 200);
    await page.reload();
    await page.locator('[data-test=message-types]').getByText('email: noc@example.com').waitFor();
    await page.locator('[data-test=edit-message-type]').click();
    assert.equal(await page.locator('#mt-code').isDisabled(), true);
    await page.getByText('Also 1 other receiver(s)').waitFor();
    await chooseOption(page, page.locator('.el-select:has(#mt-urgency)'), 'Urgent');
    await page.locator('[data-test=policy-dedupSeconds-enabled]').click();
    await page.locator('[data-test=policy-quietHours-enabled]').click();
    await page.locator('[data-test=save-message-type]').click();
    await waitFor(async () => (await call('GET', '/v1/message-types/server.down')).json().urgency === 'urgent', { what: 'the urgency saved' });
    const edited = (await call('GET', '/v1/message-types/server.down')).json();
    assert.deepEqual([edited.receivers, edited.policies, edited.critical], [[{ group: 'ops' }, { email: 'noc@example.com' }], {}, true]);
    await page.locator('[data-test=message-types]').getByText('Urgent').waitFor();
    await assertAccessible(page, 'message types');
    await screenshot(page, 'message-types', 'en');
    await switchLanguage(page, '简体中文');
    await page.getByRole('heading', { name: '消息类型' }).waitFor();
    await assertAccessible(page, 'message types (zh-CN)');
    await screenshot(page, 'message-types', 'zh-CN');
    await switchLanguage(page, 'English');
  });

  test('a viewer reads both pages and finds no write action', async () => {
    const viewer = await signedIn('viewer');
    const writeActions = '[data-test=new-message-type], [data-test=edit-message-type], [data-test=delete-message-type], [data-test=new-receiver-group], [data-test=edit-receiver-group], [data-test=delete-receiver-group]';
    await viewer.page.goto(`${base}/message-types`);
    await viewer.page.locator('[data-test=message-types]').getByText('server.down').waitFor();
    assert.equal(await viewer.page.locator(writeActions).count(), 0);
    await assertAccessible(viewer.page, 'message types, read-only');
    await viewer.page.goto(`${base}/receiver-groups`);
    await viewer.page.locator('[data-test=receiver-groups]').getByText('ops').first().waitFor();
    assert.equal(await viewer.page.locator(writeActions).count(), 0);
    await viewer.context.close();
  });

  test('an owner deletes after confirming; every request was an operation of /openapi.json', async () => {
    await page.goto(`${base}/message-types`);
    await page.locator('[data-test=delete-message-type]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-test=message-types]').getByText('Nothing here yet').waitFor();
    assert.equal((await call('GET', '/v1/message-types/server.down')).statusCode, 404);
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.ok(apiRequests.some((request) => request === 'GET /v1/receiver-groups/ops/members'), apiRequests.join('\n'));
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.deepEqual(pageErrors, []);
  });
});
