import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, requestsOutside, openConsolePage } from '../support/console-browser.ts';
import { createAppWithKey, createTestHerald, signedInject, TEST_PASSWORD, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * Channel account extras in Chromium (SQLite): an admin configures a quota and sees Herald's count,
 * clears an exhaustion mark a provider's quota error left, and rotates a receipt URL; a viewer sees
 * the quota and the URL but neither action.
 */
describe('web console: channel account quota and receipt URL', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  const apiRequests: string[] = [];
  const pageErrors: string[] = [];
  const row = (name: string) => page.locator('[data-test=accounts] .el-table__row', { hasText: name });
  const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

  async function signIn(email: string) {
    await page.goto(`${base}/login?next=/channel-accounts`);
    await page.locator('#login-email').fill(email);
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.locator('[data-test=submit]').click();
    await page.waitForURL(`${base}/channel-accounts`);
    await page.locator('[data-test=accounts]').waitFor();
  }

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    await herald.services.users.create({ email: 'owner@example.com', password: TEST_PASSWORD, role: 'owner' });
    await herald.services.users.create({ email: 'vic@example.com', password: TEST_PASSWORD, role: 'viewer' });
    const hooks = await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'https://hooks.example.com/h', secret: 'signing-secret' } });
    assert.equal(hooks.statusCode, 201, hooks.body);
    const sms = await call('POST', '/v1/channel-accounts', { type: 'twilio-sms', name: 'twilio', config: { accountSid: 'AC00000000000000000000000000000001', authToken: 'twilio-auth-token', from: '+15005550006' } });
    assert.equal(sms.statusCode, 201, sms.body);
    // What the delivery worker writes when the platform answers with a quota error.
    const mark = { sinceMs: Date.now(), untilMs: Date.now() + 3_600_000, code: 'TWILIO_QUOTA', message: 'Twilio: daily messages limit exceeded' };
    await herald.context.database.db.updateTable('channel_accounts').set({ quota_exhausted: JSON.stringify(mark) }).where('id', '=', sms.json().id).execute();
    browser = await launchChromium();
    ({ page } = await openConsolePage(browser, base, { apiRequests, pageErrors }, { width: 1440, height: 800 }));
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('an admin sets a daily quota and sees the count', async () => {
    await signIn('owner@example.com');
    await row('hooks').getByText('Edit').click();
    await page.locator('[data-test=quota-period]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'per day' }).click();
    await page.locator('#account-quota-limit').fill('250');
    await page.locator('#account-quota-zone').fill('Europe/Berlin');
    await assertAccessible(page, 'channel account form with quota');
    await page.locator('[data-test=save-account]').click();
    await row('hooks').locator('[data-test=quota]', { hasText: '0 / 250 · per day' }).waitFor();
    const stored = (await call('GET', '/v1/channel-accounts/hooks')).json();
    assert.deepEqual(stored.quota, { period: 'day', limit: 250, timeZone: 'Europe/Berlin' });
  });

  test('an admin clears an exhaustion mark and rotates the receipt URL', async () => {
    await row('twilio').locator('[data-test=quota-exhausted]').waitFor();
    const before = await row('twilio').locator('[data-test=receipt-url]').innerText();
    assert.match(before, /^\/receipts\/cha_/);
    await assertAccessible(page, 'channel accounts with quota and receipt URL');
    await row('twilio').locator('[data-test=quota-reset]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await row('twilio').locator('[data-test=quota-exhausted]').waitFor({ state: 'detached' });
    assert.equal((await call('GET', '/v1/channel-accounts/twilio')).json().quotaStatus.exhausted, null);
    await row('twilio').locator('[data-test=rotate-receipt-url]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await row('twilio').locator('[data-test=receipt-url]').filter({ hasNotText: before }).waitFor();
    const rotated = (await call('GET', '/v1/channel-accounts/twilio')).json().receiptUrl;
    assert.notEqual(rotated, before);
    assert.equal(await row('twilio').locator('[data-test=receipt-url]').innerText(), rotated);
    await page.locator('[data-test=sign-out]').click();
    await page.waitForURL(/\/login/);
  });

  test('a viewer sees the quota and the receipt URL but no reset or rotation', async () => {
    await signIn('vic@example.com');
    await row('hooks').locator('[data-test=quota]', { hasText: '0 / 250' }).waitFor();
    await row('twilio').locator('[data-test=receipt-url]').waitFor();
    assert.equal(await page.locator('[data-test=quota-reset], [data-test=rotate-receipt-url]').count(), 0);
  });

  test('every request the console made is an operation of /openapi.json, and no script failed', async () => {
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.deepEqual(pageErrors, []);
  });
});
