import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { startWebhookTestServer, type WebhookTestServer } from '../../src/providers/webhook/webhook-test-server.ts';
import { launchChromium } from '../support/browser.ts';
import { waitFor } from '../support/wait-for.ts';
import { assertAccessible, assertConsoleBuilt, enableAxe, navLink, requestsOutside, screenshot, chooseOption } from '../support/console-browser.ts';
import { createAppWithKey, createTestHerald, signedInject, TEST_PASSWORD, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

const MINUTE = 60_000;

/**
 * The console's dashboard in Chromium (SQLite): deliveries accepted by channel and their accept-to-sent
 * latency (from real sends through a worker to a loopback webhook), provider calls by
 * channel with success rates (chart and table), the backlog, provider quotas with an exhaustion mark, and open
 * alarms; ECharts arrives with the dashboard's chunk, not in the initial load. Alarm rules are created,
 * edited and deleted by an owner; a viewer is offered none of those writes.
 */
describe('web console: the dashboard and alarms', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  let hooks: WebhookTestServer;
  const apiRequests: string[] = [];
  const scripts: string[] = [];
  const pageErrors: string[] = [];
  const assetBytes = new Map<string, number>();

  before(async () => {
    assertConsoleBuilt();
    hooks = await startWebhookTestServer();
    herald = await createTestHerald('sqlite', { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50' } });
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    await herald.services.users.create({ email: 'owner@example.com', password: TEST_PASSWORD, role: 'owner' });
    await herald.services.users.create({ email: 'vic@example.com', password: TEST_PASSWORD, role: 'viewer' });
    const call = async (method: string, url: string, body: unknown) => {
      const response = await signedInject(herald, app, { method, url, body });
      assert.ok(response.statusCode < 300, response.body);
      return response.json();
    };
    await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'daily', config: { url: hooks.url, secret: 'signing-secret' }, quota: { period: 'day', limit: 100 } });
    const marked = await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'marked', config: { url: 'https://hooks.example.com/h', secret: 'signing-secret' } });
    // Two sent now by the worker, one scheduled an hour ahead (it waits in the backlog).
    for (let sent = 0; sent < 2; sent++) await call('POST', '/v1/messages', { to: [{ channelAccount: 'daily' }], content: { title: 't', body: 'b' } });
    await call('POST', '/v1/messages', { to: [{ channelAccount: 'daily' }], content: { title: 't', body: 'later' }, sendAt: new Date(Date.now() + 60 * MINUTE).toISOString() });
    await waitFor(async () => (await call('GET', '/v1/stats/latency', undefined)).series[0]?.sent === 2, { what: 'both sends counted' });
    const db = herald.context.database.db;
    const now = Date.now();
    await db.updateTable('channel_accounts').set({ quota_exhausted: JSON.stringify({ sinceMs: now - MINUTE, untilMs: null, code: 'WECHAT_45009', message: 'WeChat errcode 45009' }) }).where('id', '=', marked.id).execute();
    const counter = (subject: string, atMs: number, succeeded: number, failed: number) => ({ app_id: app.appId, subject, bucket_start: Math.floor(atMs / MINUTE) * MINUTE, succeeded, failed });
    await db
      .insertInto('outcome_counters')
      .values([counter('channel:sms', now - 30 * MINUTE, 90, 10), counter('channel:email', now - 90 * MINUTE, 5, 0)])
      .execute();
    const rule = await call('POST', '/v1/alarm-rules', { name: 'sms-success', kind: 'success_rate', params: { belowPercent: 95, windowSeconds: 600, minAttempts: 10 }, scope: { channel: 'sms' }, to: [{ channelAccount: 'daily' }], enabled: false });
    await db
      .insertInto('alarms')
      .values({ id: 'alm_dash1', app_id: app.appId, rule_id: rule.id, rule_name: 'sms-success', kind: 'success_rate', subject: 'channel:sms', subject_label: 'channel sms', status: 'open', value: 90, detail: '{}', fired_at: now - 5 * MINUTE, clear_since: null, resolved_at: null, fired_message_id: null, resolved_message_id: null, updated_at: now })
      .execute();

    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await enableAxe(context);
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    page.on('response', async (response) => {
      const url = new URL(response.url());
      if (url.origin !== base || !(url.pathname.startsWith('/assets/') || response.request().resourceType() === 'document')) return;
      const sizes = await response.request().sizes().catch(() => undefined);
      if (sizes) assetBytes.set(url.pathname, sizes.responseBodySize);
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== base) return;
      if (request.resourceType() === 'fetch') apiRequests.push(`${request.method()} ${url.pathname}`);
      if (request.resourceType() === 'script') scripts.push(url.pathname);
    });
  });
  /** Picks `label` in an Element Plus select (its options live in a popper at the end of the body). */
  after(async () => {
    await browser?.close();
    await herald?.close();
    await hooks?.close();
  });

  test('signing in to the dashboard loads ECharts in its own chunk, and the whole first load stays under 400 KB gzipped', async () => {
    await page.goto(`${base}/login?next=/dashboard`);
    await page.locator('#login-email').fill('owner@example.com');
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.locator('[data-test=submit]').click();
    await page.waitForURL(/\/dashboard$/);
    await page.locator('[data-test=calls-chart] canvas').waitFor();
    const chunks = scripts.filter((path) => path.startsWith('/assets/'));
    assert.ok(chunks.some((path) => /\/DashboardPage-/.test(path)), `the dashboard chunk was loaded: ${chunks.join(', ')}`);
    // Everything loaded so far (sign-in page, shell, layout, dashboard with ECharts), gzipped as Herald sends it.
    const total = [...assetBytes.values()].reduce((sum, bytes) => sum + bytes, 0);
    console.log(`sign-in and the dashboard as the first page: ${assetBytes.size} files, ${(total / 1024).toFixed(1)} KB gzipped`);
    assert.ok(total < 400 * 1024, `${(total / 1024).toFixed(1)} KB`);
  });

  test('deliveries accepted and their latency, success rates by channel, quotas with the exhaustion mark, and the open alarm', async () => {
    // The three messages of before(): all accepted, two sent (p50, p90 and p99 in ms, s or min: a first send may be slow).
    await page.locator('[data-test=accepted-chart] canvas').waitFor();
    assert.match(await page.locator('[data-test=accepted-totals] tr', { hasText: 'webhook' }).innerText(), /webhook\s+3/);
    await page.locator('[data-test=latency-chart] canvas').waitFor();
    assert.match(await page.locator('[data-test=latency] tr', { hasText: 'webhook' }).innerText(), /webhook\s+2(\s+[\d.]+ (ms|s|min)){3}/);
    const rates = page.locator('[data-test=success-rates]');
    await rates.getByText('sms').waitFor();
    assert.match(await rates.locator('tr', { hasText: 'sms' }).innerText(), /90\s+10\s+90%/);
    assert.match(await rates.locator('tr', { hasText: 'email' }).innerText(), /5\s+0\s+100%/);
    assert.match(await rates.locator('tr', { hasText: 'webhook' }).innerText(), /2\s+0\s+100%/);
    const quotas = page.locator('[data-test=quotas]');
    assert.match(await quotas.locator('tr', { hasText: 'daily' }).innerText(), /2 of 100 used \/ day\s+—\s+98/);
    await quotas.locator('tr', { hasText: 'marked' }).locator('[data-test=exhausted]').waitFor();
    await page.locator('[data-test=open-alarms]').getByText('sms-success').waitFor();
    assert.match(await page.locator('[data-test=backlog-scheduled]').innerText(), /Scheduled\s+1/);
    await assertAccessible(page, 'dashboard');
    await screenshot(page, 'dashboard', 'en');
  });

  test('another time range reloads the calls; in zh-CN the dashboard reads Chinese', async () => {
    await page.locator('.el-radio-button', { hasText: 'Last 6 h' }).click();
    await page.locator('[data-test=success-rates]').getByText('sms').waitFor();
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '简体中文' }).click();
    await page.getByRole('heading', { name: '概览' }).waitFor();
    await page.getByRole('heading', { name: '按渠道的受理到发送延迟' }).waitFor();
    await page.locator('[data-test=quotas]').getByText('已耗尽').waitFor();
    await assertAccessible(page, 'dashboard zh-CN');
    await screenshot(page, 'dashboard', 'zh-CN');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'English' }).click();
  });

  test('alarm rules: created, refused with the problem shown, edited and deleted by an owner; history lists the alarm', async () => {
    const rulesApi = async () => (await signedInject(herald, app, { method: 'GET', url: '/v1/alarm-rules' })).json().items as Array<{ id: string; name: string; params: Record<string, unknown> }>;
    await navLink(page, 'Alarms').click();
    await page.waitForURL(/\/alarms$/);
    await page.locator('[data-test=rules]').getByText('sms-success').waitFor();
    await page.locator('[data-test=new-rule]').click();
    await page.locator('#rule-name').fill('backlog-slow');
    await chooseOption(page, '[data-test=rule-kind]', 'Backlog age');
    assert.equal(await page.locator('#rule-params').inputValue(), '{"olderThanSeconds":300}');
    await page.locator('#rule-to').fill('[{"channelAccount": "daily"}]');
    await page.locator('#rule-params').fill('{"olderThanSeconds": -5}');
    await page.locator('[data-test=save-rule]').click();
    await page.locator('[data-test=form-error]').waitFor();
    await assertAccessible(page, 'alarm rule form');
    await page.locator('#rule-params').fill('{"olderThanSeconds": 300}');
    await page.locator('[data-test=save-rule]').click();
    await page.locator('[data-test=rules]').getByText('backlog-slow').waitFor();
    assert.deepEqual((await rulesApi()).find((rule) => rule.name === 'backlog-slow')?.params, { olderThanSeconds: 300 });

    await page.locator('[data-test=rules] tr', { hasText: 'backlog-slow' }).locator('[data-test=edit-rule]').click();
    await page.locator('#rule-params').fill('{"olderThanSeconds": 600}');
    await page.locator('[data-test=save-rule]').click();
    await page.locator('[data-test=rules]').getByText('{"olderThanSeconds":600}').waitFor();
    assert.deepEqual((await rulesApi()).find((rule) => rule.name === 'backlog-slow')?.params, { olderThanSeconds: 600 });
    await assertAccessible(page, 'alarm rules');
    await screenshot(page, 'alarms', 'en');

    await page.locator('[data-test=rules] tr', { hasText: 'backlog-slow' }).locator('[data-test=delete-rule]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-test=rules]').getByText('backlog-slow').waitFor({ state: 'detached' });
    assert.deepEqual((await rulesApi()).map((rule) => rule.name), ['sms-success']);

    await page.getByRole('tab', { name: 'History' }).click();
    await page.locator('[data-test=alarms]').getByText('channel sms').waitFor();
    await chooseOption(page, '[data-test=filter-alarm-status]', 'Resolved');
    await page.locator('[data-test=search-alarms]').click();
    await page.locator('[data-test=alarms]').getByText('No alarms').waitFor();
    await assertAccessible(page, 'alarm history');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '简体中文' }).click();
    await page.getByRole('tab', { name: '规则' }).click();
    await page.locator('[data-test=rules]').getByText('成功率').waitFor();
    await screenshot(page, 'alarms', 'zh-CN');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'English' }).click();
  });

  test('a viewer reads the dashboard and the alarms but is offered no alarm rule write', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(30_000);
    const viewer = await context.newPage();
    await viewer.goto(`${base}/login?next=/alarms`);
    await viewer.locator('#login-email').fill('vic@example.com');
    await viewer.locator('#login-password').fill(TEST_PASSWORD);
    await viewer.locator('[data-test=submit]').click();
    await viewer.waitForURL(/\/alarms$/);
    await viewer.locator('[data-test=rules]').getByText('sms-success').waitFor();
    assert.equal(await viewer.locator('[data-test=new-rule], [data-test=edit-rule], [data-test=delete-rule]').count(), 0);
    await context.close();
  });

  test('every request the dashboard made is an operation of /openapi.json, and no script failed', async () => {
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    const made = new Set(apiRequests.map((request) => request.replace(/\/alm[a-z]*_[A-Za-z0-9]+$/, '/{id}').replace(/\/alarm-rules\/[^/]+$/, '/alarm-rules/{id}')));
    for (const expected of ['GET /v1/stats/accepted', 'GET /v1/stats/latency', 'GET /v1/stats/provider-calls', 'GET /v1/stats/queue', 'GET /v1/quotas', 'GET /v1/alarms', 'POST /v1/alarm-rules', 'PATCH /v1/alarm-rules/{id}', 'DELETE /v1/alarm-rules/{id}']) assert.ok(made.has(expected), expected);
    assert.deepEqual(pageErrors, []);
  });
});
