import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, enableAxe, screenshot } from '../support/console-browser.ts';
import { createAppWithKey, createTestHerald, signedInject, TEST_PASSWORD, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * A viewer in the web console (Chromium, SQLite): signs in, reads every page of the main flow, sees
 * no write action anywhere, and a write sent anyway from the page (same origin, with the session
 * cookie) is refused by Herald with a problem naming the role.
 */
describe('web console: a viewer cannot change anything', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  let messageId: string;
  const pageErrors: string[] = [];

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    await herald.services.keys.create(app.appId);
    await herald.services.users.create({ email: 'owner@example.com', password: TEST_PASSWORD, role: 'owner' });
    await herald.services.users.create({ email: 'vic@example.com', password: TEST_PASSWORD, role: 'viewer' });
    const call = (method: string, url: string, body: unknown) => signedInject(herald, app, { method, url, body });
    assert.equal((await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'https://hooks.example.com/h', secret: 'signing-secret' } })).statusCode, 201);
    assert.equal((await call('POST', '/v1/templates', { code: 'order.paid', content: { title: 'Paid', body: 'Order paid' }, publish: true })).statusCode, 201);
    const accepted = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], channels: ['webhook'], template: 'order.paid' });
    assert.equal(accepted.statusCode, 202, accepted.body);
    messageId = accepted.json().id;
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    await enableAxe(context);
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Refused requests log "Failed to load resource"; anything else (a script error, a Content-Security-Policy refusal) fails.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('signs in on the login page (setup is closed) and is told the console is read-only', async () => {
    await page.goto(`${base}/templates`);
    await page.waitForURL(/\/login\?next=/);
    await assertAccessible(page, 'login');
    await screenshot(page, 'login', 'en');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '简体中文' }).click();
    await page.getByRole('heading', { name: '登录 Herald' }).waitFor();
    await screenshot(page, 'login', 'zh-CN');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'English' }).click();
    await page.locator('#login-email').fill('vic@example.com');
    await page.locator('#login-password').fill('not-the-password');
    await page.locator('[data-test=submit]').click();
    await page.locator('[data-test=form-error]').waitFor();
    // With the keyboard alone: e-mail, Tab to the password, Enter submits.
    await page.locator('#login-email').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('vic@example.com');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id), 'login-password');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/templates$/);
    await page.locator('[data-test=read-only]', { hasText: 'viewer' }).waitFor();
  });

  test('no page offers a write action', async () => {
    const writeActions = '[data-test=new-app], [data-test=new-key], [data-test=new-account], [data-test=new-route], [data-test=new-template], [data-test=test-send], [data-test=save-draft], [data-test=publish], [data-test=template-test-send], [data-test=cancel], [data-test=recall], [data-test=retry]';
    const visits: Array<[string, string]> = [
      ['/apps', '[data-test=apps]'],
      ['/channel-accounts', '[data-test=accounts]'],
      ['/templates', '[data-test=templates]'],
      ['/templates/order.paid', '[data-test=preview-tabs]'],
      ['/messages', '[data-test=messages]'],
      [`/messages/${messageId}`, '[data-test=trail]'],
    ];
    for (const [path, content] of visits) {
      await page.goto(`${base}${path}`);
      await page.locator(content).first().waitFor();
      assert.equal(await page.locator(writeActions).count(), 0, `a write action on ${path}`);
    }
    // What the viewer may read is there: the account, the template's fields (disabled), the message.
    await page.goto(`${base}/channel-accounts`);
    await page.locator('[data-test=accounts]').getByText('hooks').waitFor();
    await page.goto(`${base}/templates/order.paid`);
    assert.equal(await page.locator('#tpl-body').isDisabled(), true);
    // The versions and their diff are readable; restoring one and adding fields are not offered.
    await page.locator('[data-test=version-list]').getByText('v1').waitFor();
    assert.equal(await page.locator('[data-test^=restore-], [data-test=add-field]').count(), 0);
    await assertAccessible(page, 'template editor, read-only');
  });

  test('a write sent anyway from the console page is refused with ROLE_INSUFFICIENT', async () => {
    const refused = await page.evaluate(async (appId) => {
      const response = await fetch('/v1/templates', { method: 'POST', headers: { 'content-type': 'application/json', 'x-herald-app': appId }, body: JSON.stringify({ code: 'sneaky', content: { body: 'x' } }) });
      return { status: response.status, ...((await response.json()) as { code: string; detail: string }) };
    }, app.appId);
    assert.equal(refused.status, 403);
    assert.equal(refused.code, 'ROLE_INSUFFICIENT');
    assert.match(refused.detail, /viewer/);
    assert.equal((await signedInject(herald, app, { method: 'GET', url: '/v1/templates/sneaky' })).statusCode, 404);
    assert.deepEqual(pageErrors, []);
  });
});
