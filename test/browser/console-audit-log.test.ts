import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, navLink, requestsOutside, screenshot, openConsolePage } from '../support/console-browser.ts';
import { createAppWithKey, createTestHerald, signedInject, TEST_PASSWORD, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * The console's audit log in Chromium (SQLite): an owner reads who changed what, filters by action
 * and opens a row's before/after (secrets masked); a viewer has no link to it and is told it is for admins.
 */
describe('web console: the audit log', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  const apiRequests: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    await herald.services.users.create({ email: 'owner@example.com', password: TEST_PASSWORD, role: 'owner' });
    await herald.services.users.create({ email: 'vic@example.com', password: TEST_PASSWORD, role: 'viewer' });
    const call = async (method: string, url: string, body: unknown) => assert.ok((await signedInject(herald, app, { method, url, body })).statusCode < 300);
    await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'https://hooks.example.com/h', secret: 'signing-secret' } });
    await call('PATCH', '/v1/channel-accounts/hooks', { config: { url: 'https://hooks.example.com/v2', secret: 'signing-secret-2' } });
    await call('POST', '/v1/templates', { code: 'order.paid', content: { title: 'Paid', body: 'Order paid' } });
    browser = await launchChromium();
    page = (await openConsolePage(browser, base, { apiRequests, pageErrors }, { width: 1280, height: 900 })).page;
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  const signIn = async (target: Page, email: string) => {
    await target.goto(`${base}/login?next=/audit-log`);
    await target.locator('#login-email').fill(email);
    await target.locator('#login-password').fill(TEST_PASSWORD);
    await target.locator('[data-test=submit]').click();
    await target.waitForURL(/\/audit-log$/);
  };

  test('an owner reads the changes, filters them by action and sees a row before and after, the secret masked', async () => {
    await signIn(page, 'owner@example.com');
    const rows = page.locator('[data-test=audit-log] .el-table__body tr.el-table__row');
    await page.locator('[data-test=audit-log]').getByText('POST /v1/templates').waitFor();
    const all = await page.locator('[data-test=audit-log]').innerText();
    for (const action of ['POST /v1/channel-accounts', 'PATCH /v1/channel-accounts/{idOrName}', 'POST /v1/templates']) assert.ok(all.includes(action), action);
    await page.locator('[data-test=filter-action]').fill('PATCH /v1/channel-accounts/{idOrName}');
    await page.locator('[data-test=search]').click();
    await page.locator('[data-test=audit-log]').getByText('POST /v1/templates').waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    await rows.first().locator('.el-table__expand-icon').click();
    const changes = page.locator('[data-test=audit-log] .changes');
    await changes.getByText('https://hooks.example.com/v2').waitFor();
    assert.doesNotMatch(await changes.innerText(), /signing-secret/);
    await assertAccessible(page, 'audit log');
    await screenshot(page, 'audit-log', 'en');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '简体中文' }).click();
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await screenshot(page, 'audit-log', 'zh-CN');
  });

  test('a viewer has no link to the audit log and is told it is for admins', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    context.setDefaultTimeout(30_000);
    const viewer = await context.newPage();
    await signIn(viewer, 'vic@example.com');
    await viewer.locator('[data-test=admins-only]').waitFor();
    await navLink(viewer, 'Alarms').waitFor();
    assert.equal(await navLink(viewer, 'Audit log').count(), 0);
    assert.equal(await viewer.locator('[data-test=audit-log]').count(), 0);
    await context.close();
  });

  test('every request the page made is an operation of /openapi.json, and no script failed', async () => {
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.ok(apiRequests.includes('GET /v1/audit-log'));
    assert.deepEqual(pageErrors, []);
  });
});
