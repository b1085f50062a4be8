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
 * The console's subscribers page in Chromium (SQLite): an owner pages through the list, creates a
 * subscriber with addresses, tags and data (bad input stopped in the form by Herald's own field checks,
 * a taken id shown with Herald's problem message), finds it by search, edits it, and sets its opt-outs.
 * A viewer reads the list and the preferences and finds no write action.
 */
describe('web console: subscribers', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

  const record: ConsoleRecord = { apiRequests: [], pageErrors: [] };
  const { apiRequests, pageErrors } = record;
  const signedIn = (role: 'owner' | 'viewer') => signedInPage(browser, herald, base, role, record);
  const table = () => page.locator('[data-test=subscribers]');
  const rowOf = (externalId: string) => table().locator('.el-table__row', { hasText: externalId });

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    // 51 subscribers: one more than the console's page of 50.
    const items = Array.from({ length: 51 }, (_, i) => ({ externalId: `member-${String(i).padStart(2, '0')}`, name: `Member ${i}` }));
    assert.deepEqual((await call('PUT', '/v1/subscribers', { items })).json(), { created: 51, updated: 0 });
    const type = await call('POST', '/v1/message-types', { code: 'server.down', name: 'Server down', category: 'Alerts' });
    assert.equal(type.statusCode, 201, type.body);
    browser = await launchChromium();
    ({ page } = await signedIn('owner'));
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('cursor pages, then a subscriber created with addresses, tags and data, found by search and edited', async () => {
    await page.goto(`${base}/subscribers`);
    await rowOf('member-00').waitFor();
    assert.equal(await table().locator('.el-table__row').count(), 50);
    await page.locator('[data-test=more]').click();
    await rowOf('member-50').waitFor();
    assert.equal(await page.locator('[data-test=more]').count(), 0, 'the last page offers no more');

    await page.locator('[data-test=new-subscriber]').click();
    await page.locator('[data-test=save-subscriber]').click();
    await page.getByText('External ID is required').waitFor();
    // Herald's own field checks, run before sending: nothing reaches the API.
    await page.locator('#sub-external-id').fill('member-00');
    await page.locator('#sub-address-email').fill('not-an-address');
    await page.locator('#sub-address-phone').fill('13800138000');
    await page.locator('#sub-timezone').fill('Mars/Olympus');
    await page.locator('#sub-data').fill('[1, 2]');
    await page.locator('[data-test=save-subscriber]').click();
    await page.getByText('E-mail: not valid here, e.g. user@example.com').waitFor();
    await page.getByText('Phone: not valid here, e.g. +8613800138000').waitFor();
    await page.getByText('Not an IANA time zone like Asia/Shanghai').waitFor();
    await page.getByText('Data must be a JSON object').waitFor();
    assert.equal(apiRequests.filter((request) => request === 'POST /v1/subscribers').length, 0);

    await page.locator('#sub-name').fill('Alice Wong');
    await page.locator('#sub-locale').fill('zh-cn');
    await page.locator('#sub-timezone').fill('Asia/Shanghai');
    await page.locator('#sub-address-email').fill('alice@example.com');
    await page.locator('#sub-address-phone').fill('+86 138-0013-8000');
    await page.locator('#sub-address-slackChannelId').fill('U0123456789');
    await page.locator('#sub-tags').fill('oncall, db admins');
    await page.locator('#sub-data').fill('{"vip": true}');
    // The id is taken: Herald's problem message in the form.
    await page.locator('[data-test=save-subscriber]').click();
    await page.locator('[data-test=form-error]', { hasText: 'already exists' }).waitFor();
    await page.locator('#sub-external-id').fill('ops-alice');
    await assertAccessible(page, 'subscriber form');
    await page.locator('[data-test=save-subscriber]').click();
    // The new subscriber is on the last page: the console searches for it.
    await rowOf('ops-alice').waitFor();
    assert.match(page.url(), /\?q=ops-alice$/);
    const stored = (await call('GET', '/v1/subscribers/ops-alice')).json();
    assert.deepEqual(
      { name: stored.name, locale: stored.locale, timezone: stored.timezone, addresses: stored.addresses, tags: stored.tags, data: stored.data },
      {
        name: 'Alice Wong',
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        addresses: { email: 'alice@example.com', phone: '+8613800138000', slackChannelId: 'U0123456789' },
        tags: ['db admins', 'oncall'],
        data: { vip: true },
      },
    );

    // Search by a name prefix in another case, then by tag; the search is kept in the address bar.
    await page.locator('[data-test=subscriber-search]').fill('ALICE');
    await page.locator('[data-test=search]').click();
    await waitFor(async () => (await table().locator('.el-table__row').count()) === 1, { what: 'only the match listed' });
    await rowOf('ops-alice').waitFor();
    assert.match(page.url(), /\?q=ALICE$/);
    await page.locator('[data-test=subscriber-search]').fill('');
    await page.locator('[data-test=subscriber-tag]').fill('nobody');
    await page.locator('[data-test=search]').click();
    await table().getByText('Nothing here yet').waitFor();
    await page.locator('[data-test=subscriber-tag]').fill('db admins');
    await page.locator('[data-test=search]').click();
    await rowOf('ops-alice').waitFor();
    assert.equal(await table().locator('.el-table__row').count(), 1);

    // Editing: the id is fixed, an emptied address is removed, tags and name replaced.
    await rowOf('ops-alice').locator('[data-test=edit-subscriber]').click();
    assert.equal(await page.locator('#sub-external-id').isDisabled(), true);
    assert.equal(await page.locator('#sub-address-phone').inputValue(), '+8613800138000');
    await page.locator('#sub-name').fill('Alice W.');
    await page.locator('#sub-address-phone').fill('');
    await page.locator('#sub-address-telegramChatId').fill('@alice_ops');
    await page.locator('#sub-tags').fill('oncall');
    await page.locator('[data-test=save-subscriber]').click();
    await waitFor(async () => (await call('GET', '/v1/subscribers/ops-alice')).json().name === 'Alice W.', { what: 'the edit saved' });
    const edited = (await call('GET', '/v1/subscribers/ops-alice')).json();
    assert.deepEqual([edited.addresses, edited.tags, edited.data], [{ email: 'alice@example.com', slackChannelId: 'U0123456789', telegramChatId: '@alice_ops' }, ['oncall'], { vip: true }]);
    // The list still searches "db admins": the edited subscriber no longer has it.
    await table().getByText('Nothing here yet').waitFor();

    await page.goto(`${base}/subscribers?q=ops`);
    await rowOf('ops-alice').getByText('Telegram chat ID: @alice_ops').waitFor();
    await assertAccessible(page, 'subscribers');
    await screenshot(page, 'subscribers', 'en');
    await switchLanguage(page, '简体中文');
    await page.getByRole('heading', { name: '订阅者' }).waitFor();
    await assertAccessible(page, 'subscribers (zh-CN)');
    await screenshot(page, 'subscribers', 'zh-CN');
    await switchLanguage(page, 'English');
  });

  test('opt-outs by default, channel, category and message type are saved and shown again', async () => {
    await page.goto(`${base}/subscribers?q=ops-alice`);
    await rowOf('ops-alice').locator('[data-test=subscriber-preferences]').click();
    const dialog = page.locator('[data-test=preferences]');
    await dialog.locator('[data-test=pref-types-server\\.down]').waitFor();
    await dialog.locator('[data-test=pref-all]').click();
    await chooseOption(page, page.locator('.el-select:has(#pref-channels)'), 'sms');
    await page.keyboard.press('Escape');
    await dialog.locator('[data-test=pref-categories-Alerts]').getByText('Opt out').click();
    await dialog.locator('[data-test=pref-types-server\\.down]').getByText('Receive').click();
    await assertAccessible(page, 'subscriber preferences');
    await page.locator('[data-test=save-preferences]').click();
    await waitFor(async () => Object.keys((await call('GET', '/v1/subscribers/ops-alice/preferences')).json()).length > 0, { what: 'the preferences saved' });
    assert.deepEqual((await call('GET', '/v1/subscribers/ops-alice/preferences')).json(), { all: false, channels: { sms: false }, categories: { Alerts: false }, types: { 'server.down': true } });

    // Opened again, the dialog shows what is stored.
    await page.locator('[data-test=preferences]').waitFor({ state: 'hidden' });
    await rowOf('ops-alice').locator('[data-test=subscriber-preferences]').click();
    await dialog.locator('[data-test=pref-types-server\\.down] .is-active', { hasText: 'Receive' }).waitFor();
    assert.equal(await dialog.locator('[data-test=pref-categories-Alerts] .is-active').textContent(), 'Opt out');
    assert.equal(await dialog.locator('[data-test=pref-all] [role=switch]').getAttribute('aria-checked'), 'false');
    await page.keyboard.press('Escape');
  });

  test('a viewer reads subscribers and their preferences and finds no write action', async () => {
    const viewer = await signedIn('viewer');
    await viewer.page.goto(`${base}/subscribers?q=ops`);
    await viewer.page.locator('[data-test=subscribers]').getByText('ops-alice').waitFor();
    const writeActions = '[data-test=new-subscriber], [data-test=edit-subscriber], [data-test=delete-subscriber], [data-test=save-preferences]';
    assert.equal(await viewer.page.locator(writeActions).count(), 0);
    await viewer.page.locator('[data-test=subscriber-preferences]').click();
    await viewer.page.locator('[data-test=preferences] .is-active', { hasText: 'Receive' }).waitFor();
    assert.equal(await viewer.page.locator(writeActions).count(), 0);
    assert.equal(await viewer.page.locator('[data-test=pref-all] [role=switch]').getAttribute('aria-disabled'), 'true');
    await assertAccessible(viewer.page, 'subscribers, read-only');
    await viewer.context.close();
  });

  test('an owner deletes after confirming; every request was an operation of /openapi.json', async () => {
    await page.goto(`${base}/subscribers?q=ops-alice`);
    await rowOf('ops-alice').locator('[data-test=delete-subscriber]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await table().getByText('Nothing here yet').waitFor();
    assert.equal((await call('GET', '/v1/subscribers/ops-alice')).statusCode, 404);
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.ok(apiRequests.includes('PUT /v1/subscribers/ops-alice/preferences'), apiRequests.join('\n'));
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.deepEqual(pageErrors, []);
  });
});
