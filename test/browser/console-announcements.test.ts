import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, requestsOutside, screenshot, openConsolePage, chooseOption } from '../support/console-browser.ts';
import { createAppWithKey, createTestHerald, signedInject, TEST_PASSWORD, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * The announcements page in Chromium (SQLite): an operator lists them by status, composes one with its
 * Markdown preview, an audience by tags and a validity, sees a refusal's message, edits and withdraws;
 * a viewer reads the same list with no write action, and Herald refuses a write sent anyway.
 */
describe('web console: announcements', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  const apiRequests: string[] = [];
  const pageErrors: string[] = [];
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();

  async function signIn(email: string) {
    await page.goto(`${base}/login?next=/announcements`);
    await page.locator('#login-email').fill(email);
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.locator('[data-test=submit]').click();
    await page.waitForURL(`${base}/announcements`);
    await page.locator('[data-test=announcements]').waitFor();
  }

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    await herald.services.users.create({ email: 'olga@example.com', password: TEST_PASSWORD, role: 'operator' });
    await herald.services.users.create({ email: 'vic@example.com', password: TEST_PASSWORD, role: 'viewer' });
    // One scheduled for next week, made through the API, so the status filter has something to tell apart.
    const scheduled = await signedInject(herald, app, { method: 'POST', url: '/v1/announcements', body: { title: 'Price change next week', audience: { all: true }, publishAt: inAWeek } });
    assert.equal(scheduled.statusCode, 201, scheduled.body);
    browser = await launchChromium();
    ({ page } = await openConsolePage(browser, base, { apiRequests, pageErrors }, { width: 1280, height: 800 }));
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('an operator composes with a live Markdown preview; a refusal is shown in the form; the announcement goes live', async () => {
    await signIn('olga@example.com');
    await page.locator('[data-test=announcements]').getByText('Price change next week').waitFor();
    await page.locator('[data-test=new-announcement]').click();
    // Required fields are checked before sending.
    await page.locator('[data-test=save-announcement]').click();
    await page.locator('[data-test=form-error]', { hasText: 'Title is required' }).waitFor();
    await page.locator('#ann-title').fill('Maintenance tonight');
    await page.locator('#ann-body').fill('Checkout pauses from **22:00** to 22:10.\n\n<script>alert(1)</script>');
    const preview = page.frameLocator('[data-test=announcement-preview]');
    await preview.locator('strong', { hasText: '22:00' }).waitFor();
    // Raw HTML keeps its text only, in the preview as in Herald's rendering.
    await preview.locator('p', { hasText: 'alert(1)' }).waitFor();
    assert.equal(await preview.locator('script').count(), 0, 'raw HTML is dropped from the preview');
    // An unknown receiver group: Herald's refusal, with its message, in the form.
    await page.locator('[data-test=audience-kind]').getByText('Receiver group').click();
    await page.locator('#ann-group').fill('nobody-here');
    await page.locator('[data-test=save-announcement]').click();
    await page.locator('[data-test=form-error]', { hasText: 'nobody-here' }).waitFor();
    await page.locator('[data-test=audience-kind]').getByText('Subscribers with tags').click();
    await page.locator('#ann-tags').fill('vip, beta');
    await page.locator('#ann-expires-at').fill('2099-01-06 00:00:00');
    await page.locator('#ann-expires-at').press('Enter');
    await assertAccessible(page, 'announcement compose dialog');
    await screenshot(page, 'announcement-compose', 'en');
    await page.locator('[data-test=save-announcement]').click();
    const row = page.locator('[data-test=announcements] .el-table__row', { hasText: 'Maintenance tonight' });
    await row.locator('[data-test=row-status-live]').waitFor();
    await row.getByText('vip, beta').waitFor();
    const { items } = (await signedInject(herald, app, { method: 'GET', url: '/v1/announcements?status=live' })).json();
    assert.equal(items.length, 1);
    assert.equal(items[0].bodyHtml, '<p>Checkout pauses from <strong>22:00</strong> to 22:10.</p>\n<p>alert(1)</p>');
    assert.deepEqual(items[0].audience, { tags: ['vip', 'beta'] });
    assert.equal(items[0].expiresAt, new Date(2099, 0, 6).toISOString());
    await assertAccessible(page, 'announcements');
    await screenshot(page, 'announcements', 'en');
  });

  test('the status filter lists one status; an edit and a withdrawal reach Herald', async () => {
    await page.locator('[data-test=status-scheduled]').click();
    await page.locator('[data-test=announcements]').getByText('Price change next week').waitFor();
    await page.locator('[data-test=announcements]').getByText('Maintenance tonight').waitFor({ state: 'detached' });
    await page.locator('[data-test=status-live]').click();
    const row = page.locator('[data-test=announcements] .el-table__row', { hasText: 'Maintenance tonight' });
    await row.waitFor();
    await row.locator('[data-test=edit-announcement]').click();
    assert.equal(await page.locator('#ann-tags').inputValue(), 'vip, beta');
    await page.locator('#ann-title').fill('Maintenance tonight, 22:00');
    await page.locator('[data-test=save-announcement]').click();
    const edited = page.locator('[data-test=announcements] .el-table__row', { hasText: 'Maintenance tonight, 22:00' });
    await edited.waitFor();
    await edited.locator('[data-test=view-announcement]').click();
    await page.frameLocator('[data-test=announcement-body]').locator('strong', { hasText: '22:00' }).waitFor();
    await page.keyboard.press('Escape');
    await edited.locator('[data-test=withdraw-announcement]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-test=announcements]').getByText('Maintenance tonight, 22:00').waitFor({ state: 'detached' });
    const { items } = (await signedInject(herald, app, { method: 'GET', url: '/v1/announcements?status=withdrawn' })).json();
    assert.deepEqual(items.map((item: { title: string }) => item.title), ['Maintenance tonight, 22:00']);
  });

  test('in Chinese', async () => {
    await page.goto(`${base}/announcements`);
    await chooseOption(page, '[data-test=language]', '简体中文');
    await page.getByRole('heading', { name: '公告' }).waitFor();
    await page.locator('[data-test=announcements]').getByText('已撤回').waitFor();
    await assertAccessible(page, 'announcements in Chinese');
    await screenshot(page, 'announcements', 'zh-CN');
    await page.locator('[data-test=new-announcement]').click();
    await page.locator('#ann-body').fill('结账将于 **22:00** 暂停。');
    await page.frameLocator('[data-test=announcement-preview]').locator('strong', { hasText: '22:00' }).waitFor();
    await screenshot(page, 'announcement-compose', 'zh-CN');
    await page.keyboard.press('Escape');
    await chooseOption(page, '[data-test=language]', 'English');
    await page.locator('[data-test=sign-out]').click();
    await page.waitForURL(/\/login/);
  });

  test('a viewer reads the list with no write action, and a write sent anyway is refused', async () => {
    await signIn('vic@example.com');
    await page.locator('[data-test=announcements]').getByText('Price change next week').waitFor();
    assert.equal(await page.locator('[data-test=new-announcement], [data-test=edit-announcement], [data-test=withdraw-announcement]').count(), 0);
    const refused = await page.evaluate(async (appId) => {
      const response = await fetch('/v1/announcements', { method: 'POST', headers: { 'content-type': 'application/json', 'x-herald-app': appId }, body: JSON.stringify({ title: 'sneaky', audience: { all: true } }) });
      return { status: response.status, ...((await response.json()) as { code: string }) };
    }, app.appId);
    assert.equal(refused.status, 403);
    assert.equal(refused.code, 'ROLE_INSUFFICIENT');
  });

  test('every request the console made is an operation of /openapi.json, and no script failed', async () => {
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    // The viewer's deliberate fetch is the only request not made by the console's client; it is an operation too.
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.deepEqual(pageErrors, []);
  });
});
