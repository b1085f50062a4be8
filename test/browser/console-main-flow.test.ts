import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, navLink, requestsOutside, screenshot, openConsolePage, chooseOption } from '../support/console-browser.ts';
import { createTestHerald, signedInject, TEST_PASSWORD, type TestHerald } from '../support/test-herald.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The web console in Chromium against a real Herald on loopback (SQLite), as a new user meets it:
 * first-run setup → an app → an access key → a webhook channel account (to a loopback server) →
 * a template with its live preview → a test send → the message's trail. Every request the console
 * makes must be an operation of /openapi.json, and each page passes axe-core.
 */
describe('web console: the main flow in Chromium', () => {
  let herald: TestHerald;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let hooks: http.Server;
  let hookUrl: string;
  const received: string[] = [];
  const apiRequests: string[] = [];
  const pageErrors: string[] = [];
  const assetBytes = new Map<string, number>();

  before(async () => {
    assertConsoleBuilt();
    hooks = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
    herald = await createTestHerald('sqlite', { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50' } });
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    ({ context, page } = await openConsolePage(browser, base, { apiRequests, pageErrors }, { width: 1280, height: 800 }));
    page.on('response', async (response) => {
      const url = new URL(response.url());
      if (url.origin === base && (url.pathname.startsWith('/assets/') || url.pathname === '/')) {
        const sizes = await response.request().sizes().catch(() => undefined);
        if (sizes) assetBytes.set(url.pathname, sizes.responseBodySize);
      }
    });
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
    hooks?.close();
  });

  /** Picks `label` in an Element Plus select (its options live in a popper at the end of the body). */

  test('the initial load of the console is under 400 KB gzipped', async () => {
    await page.goto(`${base}/`);
    await page.waitForURL(/\/setup(\?|$)/);
    await page.getByRole('heading', { name: 'Set up Herald' }).waitFor();
    await page.waitForLoadState('networkidle');
    const total = [...assetBytes.values()].reduce((sum, size) => sum + size, 0);
    console.log(`initial load (setup page): ${assetBytes.size} files, ${(total / 1024).toFixed(1)} KB gzipped`);
    assert.ok(total > 10_000, `only ${total} bytes measured`);
    assert.ok(total < 400 * 1024, `initial load is ${total} bytes`);
  });

  test('first-run setup creates the owner and signs in', async () => {
    await assertAccessible(page, 'setup');
    await screenshot(page, 'setup', 'en');
    await chooseOption(page, '[data-test=language]', '简体中文');
    await page.getByRole('heading', { name: '初始化 Herald' }).waitFor();
    await screenshot(page, 'setup', 'zh-CN');
    await chooseOption(page, '[data-test=language]', 'English');
    // Validation before sending: an empty form names the missing fields.
    await page.locator('[data-test=submit]').click();
    await page.getByText('E-mail is required').waitFor();
    await page.locator('#setup-name').fill('Ada');
    await page.locator('#setup-email').fill('ada@example.com');
    // A weak password: Herald's problem message shows in the form.
    await page.locator('#setup-password').fill('password');
    await page.locator('[data-test=submit]').click();
    await page.locator('[data-test=form-error]').waitFor();
    assert.match((await page.locator('[data-test=form-error]').textContent()) ?? '', /\w{8}/);
    await page.locator('#setup-password').fill(TEST_PASSWORD);
    await page.locator('[data-test=submit]').click();
    await page.waitForURL(/\/apps$/);
    await page.locator('[data-test=user]', { hasText: 'ada@example.com' }).waitFor();
    assert.equal((await herald.server!.inject({ method: 'GET', url: '/auth/setup' })).json().setupOpen, false);
  });

  let accessKeyId = '';
  let secretAccessKey = '';
  test('an app and an access key whose secret is shown once', async () => {
    await page.locator('[data-test=new-app]').click();
    await page.locator('#app-name').fill('shop');
    await page.locator('[data-test=create-app]').click();
    await page.locator('[data-test=apps]').getByText('shop').waitFor();
    await page.locator('[data-test=new-key]').click();
    await page.locator('[data-test=new-secret]').waitFor();
    accessKeyId = (await page.locator('[data-test=access-key-id]').textContent())!.trim();
    secretAccessKey = (await page.locator('[data-test=secret-access-key]').textContent())!.trim();
    await assertAccessible(page, 'new access key');
    await screenshot(page, 'access-key', 'en');
    await page.locator('[data-test=close-secret]').click();
    await page.locator('[data-test=new-secret]').waitFor({ state: 'hidden' });
    // The key signs requests; the list shows it, never its secret.
    const whoami = await signedInject(herald, { accessKeyId, secretAccessKey }, { method: 'GET', url: '/v1/whoami' });
    assert.equal(whoami.statusCode, 200, whoami.body);
    await page.locator('[data-test=keys]').getByText(accessKeyId).waitFor();
    assert.equal(await page.getByText(secretAccessKey).count(), 0);
    await assertAccessible(page, 'apps');
    await screenshot(page, 'apps', 'en');
  });

  test('rotating a key shows the new secret once and revokes the old key', async () => {
    const keyRow = (id: string) => page.locator('[data-test=keys] .el-table__row', { hasText: id });
    await keyRow(accessKeyId).getByRole('button', { name: 'Rotate' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: 'OK' }).click();
    await page.locator('[data-test=new-secret]').waitFor();
    const rotatedId = (await page.locator('[data-test=access-key-id]').textContent())!.trim();
    const rotatedSecret = (await page.locator('[data-test=secret-access-key]').textContent())!.trim();
    assert.notEqual(rotatedId, accessKeyId);
    await page.locator('[data-test=close-secret]').click();
    await keyRow(accessKeyId).getByText('Revoked').waitFor();
    await keyRow(rotatedId).getByText('Active').waitFor();
    const refused = await signedInject(herald, { accessKeyId, secretAccessKey }, { method: 'GET', url: '/v1/whoami' });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'ACCESS_KEY_DISABLED');
    assert.equal((await signedInject(herald, { accessKeyId: rotatedId, secretAccessKey: rotatedSecret }, { method: 'GET', url: '/v1/whoami' })).statusCode, 200);
  });

  test('a webhook channel account from the provider schema form, secret write-only', async () => {
    await navLink(page, 'Channel accounts').click();
    await page.waitForURL(/\/channel-accounts$/);
    await page.locator('[data-test=new-account]').click();
    await chooseOption(page, '[data-test=account-type]', 'webhook (webhook)');
    await page.locator('#account-name').fill('hooks');
    // The provider schema requires url: the form says so before sending anything.
    await page.locator('[data-test=save-account]').click();
    await page.locator('[data-test=form-error]', { hasText: 'url is required' }).waitFor();
    await page.locator('#config-url').fill(hookUrl);
    await page.locator('#config-secret').fill('s3cret-signing');
    await page.locator('[data-test=save-account]').click();
    await page.locator('[data-test=accounts]').getByText('hooks').waitFor();
    await assertAccessible(page, 'channel accounts');
    await screenshot(page, 'channel-accounts', 'en');
    // Editing shows no secret, and saving with the secret left empty keeps it.
    await page.locator('[data-test=accounts]').getByRole('button', { name: 'Edit' }).click();
    assert.equal(await page.locator('#config-secret').inputValue(), '');
    await page.locator('[data-test=save-account]').click();
    await page.locator('.el-message--success').first().waitFor();
    const stored = await herald.services.channelAccounts.list((await herald.services.apps.list())[0]!.id);
    assert.equal(stored.length, 1);
  });

  let messagePath = '';
  test('a template with a live preview of every channel, published, then test-sent to the webhook', async () => {
    await navLink(page, 'Templates').click();
    await page.locator('[data-test=new-template]').click();
    await page.locator('#template-code').fill('order.paid');
    await page.locator('#template-title').fill('Paid {{ order }}');
    await page.locator('#template-body').fill('Order **{{ order }}** is paid');
    await page.locator('[data-test=create-template]').click();
    await page.waitForURL(/\/templates\/order\.paid$/);
    // The variable the Liquid reads is listed with a value for the preview, though not declared yet.
    await page.locator('[data-test=example-order]').fill('A-1001');
    await page.getByRole('tab', { name: 'webhook' }).click();
    await page.locator('[data-test=preview-webhook]', { hasText: 'Order **A-1001** is paid' }).waitFor();
    // Editing the body saves the draft and renders it again.
    await page.locator('#tpl-body').fill('Order **{{ order }}** is paid, thank you');
    await page.locator('[data-test=preview-webhook]', { hasText: 'is paid, thank you' }).waitFor();
    await page.getByRole('tab', { name: 'email' }).click();
    await page.frameLocator('[data-test=preview-email] iframe').getByText('is paid, thank you').waitFor();
    // Publishing test-renders with the variables' examples: an undeclared variable is refused with Herald's message.
    await page.locator('[data-test=publish]').click();
    await page.locator('[data-test=form-error]', { hasText: 'uses variable "order"' }).waitFor();
    await page.locator('#tpl-variables').fill('[{"name": "order", "type": "string", "example": "A-1001"}]');
    await page.locator('[data-test=publish]').click();
    await page.locator('[data-test=template-status]', { hasText: ': 1' }).waitFor();
    await assertAccessible(page, 'template editor');
    await screenshot(page, 'template', 'en');

    await chooseOption(page, '.receiver-input .el-select', 'channelAccount');
    await page.locator('#tpl-receiver').fill('hooks');
    await page.locator('[data-test=template-test-send]').click();
    await page.waitForURL(/\/messages\/msg_/);
    messagePath = new URL(page.url()).pathname;
    // The worker sends; the trail shows it once the page is refreshed.
    await waitFor(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.locator('[data-test=delivery-status]').first().waitFor();
      return (await page.locator('[data-test=delivery-status]').first().textContent())?.trim() === 'sent';
    }, { what: 'the delivery to be sent' });
    await page.locator('[data-test=trail]').getByText('sent', { exact: true }).waitFor();
    // A webhook cannot take a message back, so Recall is not offered; the message is final, so neither is Cancel.
    assert.equal(await page.locator('[data-test=recall], [data-test=cancel]').count(), 0);
    assert.ok(received.some((body) => body.includes('A-1001') && body.includes('thank you')), `webhook got ${received.join('\n')}`);
    await assertAccessible(page, 'message detail');
    await screenshot(page, 'message', 'en');
  });

  test('the message is found by search and opens from the list', async () => {
    await navLink(page, 'Messages').click();
    await chooseOption(page, '[data-test=filter-status]', 'Completed');
    await page.locator('[data-test=search]').click();
    await page.waitForURL(/status=completed/);
    await page.locator('[data-test=messages] a.mono').first().waitFor();
    assert.equal(await page.locator('[data-test=messages] a.mono').count(), 1);
    await assertAccessible(page, 'messages');
    await screenshot(page, 'messages', 'en');
    await chooseOption(page, '[data-test=filter-status]', 'Failed');
    await page.locator('[data-test=search]').click();
    await page.locator('[data-test=messages]').getByText('Nothing here yet').waitFor();
  });

  test('a signed-in user\'s first load (shell, layout and the messages page) is under 400 KB gzipped too', async () => {
    // A new context has the session cookie but an empty cache.
    const freshContext = await browser.newContext({ storageState: await context.storageState(), viewport: { width: 1280, height: 800 } });
    const fresh = await freshContext.newPage();
    const sizes = new Map<string, number>();
    fresh.on('response', async (response) => {
      const url = new URL(response.url());
      if (url.origin !== base || !(url.pathname.startsWith('/assets/') || response.request().resourceType() === 'document')) return;
      const measured = await response.request().sizes().catch(() => undefined);
      if (measured) sizes.set(url.pathname, measured.responseBodySize);
    });
    await fresh.goto(`${base}/messages`);
    await fresh.locator('[data-test=messages] a.mono').first().waitFor();
    await fresh.waitForLoadState('networkidle');
    const total = [...sizes.values()].reduce((sum, size) => sum + size, 0);
    console.log(`first load when signed in (/messages): ${sizes.size} files, ${(total / 1024).toFixed(1)} KB gzipped`);
    assert.ok(total > 10_000 && total < 400 * 1024, `${total} bytes`);
    await freshContext.close();
  });

  test('the language switch shows Chinese and is remembered', async () => {
    await chooseOption(page, '[data-test=language]', '简体中文');
    await navLink(page, '消息记录').waitFor();
    await page.reload();
    await navLink(page, '消息模板').waitFor();
    for (const [path, name, content] of [
      ['/messages', 'messages', '[data-test=messages] a.mono'],
      ['/templates/order.paid', 'template', '[data-test=preview-email] iframe'],
      ['/channel-accounts', 'channel-accounts', '[data-test=accounts] .el-table__row'],
      ['/apps', 'apps', '[data-test=keys] .el-table__row'],
      [messagePath, 'message', '[data-test=trail] .el-timeline-item'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await page.locator(content).first().waitFor();
      // The pages already passed axe in English; in Chinese the two richest are checked again.
      if (name === 'template' || name === 'message') await assertAccessible(page, `${name} in Chinese`);
      await screenshot(page, name, 'zh-CN');
      if (name === 'apps') {
        // A new key's once-only secret, in Chinese too.
        await page.locator('[data-test=new-key]').click();
        await page.locator('[data-test=new-secret]').waitFor();
        await assertAccessible(page, 'new access key in Chinese');
        await screenshot(page, 'access-key', 'zh-CN');
        await page.locator('[data-test=close-secret]').click();
        await page.locator('[data-test=new-secret]').waitFor({ state: 'hidden' });
      }
    }
    await chooseOption(page, '[data-test=language]', 'English');
  });

  test('every request the console made is an operation of /openapi.json, and no script failed', async () => {
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.ok(apiRequests.length > 10, `only ${apiRequests.length} API requests seen`);
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.deepEqual(pageErrors, []);
  });
});
