import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, navLink, requestsOutside, screenshot, openConsolePage, chooseOption } from '../support/console-browser.ts';
import { createAppWithKey, createTestHerald, TEST_PASSWORD, type TestHerald } from '../support/test-herald.ts';

/**
 * Users and roles in Chromium (SQLite): an owner creates a user (a weak password refused with
 * Herald's message), changes a role and disables; an admin cannot touch the owner; an operator and
 * a viewer get no Users link, no admin action, and Herald refuses the list to them.
 */
describe('web console: users and roles', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  const apiRequests: string[] = [];
  const pageErrors: string[] = [];
  const row = (email: string) => page.locator('[data-test=users] .el-table__row', { hasText: email });

  async function signIn(email: string, next: string) {
    await page.goto(`${base}/login?next=${next}`);
    await page.locator('#login-email').fill(email);
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.locator('[data-test=submit]').click();
    // The login page's own URL ends with ?next=…: wait for the page it leads to.
    await page.waitForURL(`${base}${next}`);
  }
  async function signOut() {
    await page.locator('[data-test=sign-out]').click();
    await page.waitForURL(/\/login/);
  }

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    await createAppWithKey(herald, 'shop');
    await herald.services.users.create({ email: 'owner@example.com', password: TEST_PASSWORD, role: 'owner' });
    await herald.services.users.create({ email: 'ada@example.com', password: TEST_PASSWORD, role: 'admin' });
    await herald.services.users.create({ email: 'olga@example.com', password: TEST_PASSWORD, role: 'operator' });
    await herald.services.users.create({ email: 'vic@example.com', password: TEST_PASSWORD, role: 'viewer' });
    browser = await launchChromium();
    ({ page } = await openConsolePage(browser, base, { apiRequests, pageErrors }, { width: 1280, height: 800 }));
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  const storedUser = async (email: string) => (await herald.services.users.list()).find((user) => user.email === email);

  test('an owner creates a user, changes the role and disables them', async () => {
    await signIn('owner@example.com', '/messages');
    await navLink(page, 'Users').click();
    await page.waitForURL(/\/users$/);
    await row('vic@example.com').waitFor();
    await page.locator('[data-test=new-user]').click();
    await page.locator('[data-test=create-user]').click();
    await page.locator('.el-form-item__error', { hasText: 'E-mail is required' }).waitFor();
    await page.locator('#user-email').fill('nina@example.com');
    await page.locator('#user-name').fill('Nina');
    await page.locator('#user-password').fill('password');
    await chooseOption(page, '[data-test=new-user-role]', 'Operator');
    await page.locator('[data-test=create-user]').click();
    await page.locator('[data-test=form-error]').waitFor();
    assert.equal(await storedUser('nina@example.com'), undefined);
    await assertAccessible(page, 'new user dialog');
    await page.locator('#user-password').fill('copper-lantern-meadow-47');
    await page.locator('[data-test=create-user]').click();
    await row('nina@example.com').getByText('Operator').waitFor();
    assert.equal((await storedUser('nina@example.com'))?.role, 'operator');

    await chooseOption(page, row('nina@example.com').locator('[data-test=role-select]'), 'Viewer');
    await page.locator('.el-message', { hasText: 'nina@example.com is now Viewer' }).waitFor();
    assert.equal((await storedUser('nina@example.com'))?.role, 'viewer');
    await row('nina@example.com').locator('[data-test=disable-user]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await row('nina@example.com').locator('[data-test=user-status-disabled]').waitFor();
    assert.equal((await storedUser('nina@example.com'))?.status, 'disabled');
    // Their own row has no role select or action: an owner does not demote or disable themselves by a slip.
    assert.equal(await row('owner@example.com').locator('[data-test=role-select], [data-test=disable-user]').count(), 0);
    await assertAccessible(page, 'users');
    await screenshot(page, 'users', 'en');
    await chooseOption(page, '[data-test=language]', '简体中文');
    await page.getByRole('heading', { name: '用户与角色' }).waitFor();
    await assertAccessible(page, 'users in Chinese');
    await screenshot(page, 'users', 'zh-CN');
    await chooseOption(page, '[data-test=language]', 'English');
    await signOut();
  });

  test('an admin manages operators and viewers but not the owner or other admins', async () => {
    await signIn('ada@example.com', '/users');
    await row('vic@example.com').locator('[data-test=role-select]').waitFor();
    assert.equal(await row('owner@example.com').locator('[data-test=role-select], [data-test=disable-user]').count(), 0);
    await page.locator('[data-test=new-user]').click();
    await page.locator('[data-test=new-user-role]').click();
    const offered = await page.locator('.el-select-dropdown__item:visible').allTextContents();
    assert.deepEqual(offered.map((text) => text.trim()), ['Operator', 'Viewer']);
    await page.keyboard.press('Escape');
    await page.locator('.el-dialog__footer .el-button', { hasText: 'Cancel' }).click();
    await page.locator('.el-dialog', { hasText: 'New user' }).waitFor({ state: 'hidden' });
    await signOut();
  });

  for (const email of ['olga@example.com', 'vic@example.com']) {
    test(`${email.split('@')[0]} (not an admin) sees no Users link and no admin action; Herald refuses the list`, async () => {
      await signIn(email, '/messages');
      // The sidebar is there (Messages), without Users.
      await navLink(page, 'Messages').waitFor();
      assert.equal(await navLink(page, 'Users').count(), 0);
      await page.goto(`${base}/users`);
      await page.locator('[data-test=admins-only]').waitFor();
      assert.equal(await page.locator('[data-test=new-user], [data-test=role-select], [data-test=disable-user], [data-test=users]').count(), 0);
      const refused = await page.evaluate(async () => {
        const response = await fetch('/v1/users');
        return { status: response.status, ...((await response.json()) as { code: string }) };
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.code, 'ROLE_INSUFFICIENT');
      await signOut();
    });
  }

  test('every request the console made is an operation of /openapi.json, and no script failed', async () => {
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.deepEqual(pageErrors, []);
  });
});
