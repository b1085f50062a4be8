import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { CONSOLE_SECTIONS } from '../../src/http/routes/console-routes.ts';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, navLink, requestsOutside, screenshot, type ConsoleRecord } from '../support/console-browser.ts';
import { signedInPage } from '../support/console-signed-in.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * The console's sidebar (Chromium, SQLite): sections grouped under titles, the entry of the page shown
 * marked (sub-pages included), admin-only entries for admins only, usable by keyboard, collapsible to
 * icons (remembered), and icons only on a narrow screen, where opening it lays it over the page.
 */
describe('web console: the navigation sidebar', () => {
  let herald: TestHerald;
  let browser: Browser;
  let base: string;
  let app: AppCredentials;
  let messageId: string;
  const record: ConsoleRecord = { apiRequests: [], pageErrors: [] };

  // Subscribers is listed once the console has its page (its section then is one Herald serves).
  const withSubscribers = (CONSOLE_SECTIONS as readonly string[]).includes('subscribers');
  const ownerGroups = [
    ['Overview', ['Dashboard', 'Messages']],
    ['Content', ['Templates', 'Message types', 'Receiver groups', 'Schedules', 'Announcements']],
    ...(withSubscribers ? [['Audience', ['Subscribers']] as const] : []),
    ['Channels', ['Channel accounts']],
    ['Operations', ['Alarms', 'Audit log']],
    ['Administration', ['Apps & keys', 'Users']],
  ] as const;

  /** The sidebar as shown: each group's title and its links' texts. */
  const sidebar = (page: Page) =>
    page.locator('[data-test=nav] section').evaluateAll((sections) =>
      sections.map((section) => [
        (section.querySelector('.group-title')?.textContent ?? '').trim(),
        [...section.querySelectorAll('a')].map((link) => (link.textContent ?? '').trim()),
      ]),
    );
  const currentLinks = (page: Page) => page.locator('[data-test=nav] a[aria-current=page]').allTextContents();
  const asideWidth = async (page: Page) => (await page.locator('.aside').boundingBox())!.width;
  /** Waits until the sidebar is icons only (`collapsed`) or shows its labels: its width changes with a short transition. */
  const sidebarSettles = (page: Page, collapsed: boolean) =>
    page.waitForFunction((wantCollapsed) => {
      const width = (globalThis as unknown as { document: { querySelector(selector: string): { getBoundingClientRect(): { width: number } } | null } }).document.querySelector('.aside')!.getBoundingClientRect().width;
      return wantCollapsed ? width < 100 : width > 150;
    }, collapsed);

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    const call = (method: string, url: string, body: unknown) => signedInject(herald, app, { method, url, body });
    assert.equal((await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'https://hooks.example.com/h', secret: 'signing-secret' } })).statusCode, 201);
    assert.equal((await call('POST', '/v1/templates', { code: 'order.paid', content: { title: 'Paid', body: 'Order paid' }, publish: true })).statusCode, 201);
    const accepted = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], channels: ['webhook'], template: 'order.paid' });
    assert.equal(accepted.statusCode, 202, accepted.body);
    messageId = accepted.json().id;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('an owner sees every section in its group; the page shown is marked, its sub-pages included', async () => {
    const { context, page } = await signedInPage(browser, herald, base, 'owner', record);
    await page.goto(`${base}/`);
    // `/` still opens the message search.
    await page.waitForURL(/\/messages$/);
    await page.locator('[data-test=messages]').waitFor();
    assert.deepEqual(await sidebar(page), ownerGroups.map(([title, links]) => [title, [...links]]));
    assert.deepEqual(await currentLinks(page), ['Messages']);
    await assertAccessible(page, 'sidebar');
    await screenshot(page, 'navigation', 'en');

    await navLink(page, 'Templates').click();
    await page.waitForURL(/\/templates$/);
    await page.locator('[data-test=templates]').getByRole('link', { name: 'order.paid' }).click();
    await page.waitForURL(/\/templates\/order\.paid$/);
    assert.deepEqual(await currentLinks(page), ['Templates']);
    await page.goto(`${base}/messages/${messageId}`);
    await page.locator('[data-test=trail]').waitFor();
    assert.deepEqual(await currentLinks(page), ['Messages']);

    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '简体中文' }).click();
    await navLink(page, '消息记录').waitFor();
    assert.deepEqual((await sidebar(page)).map(([title]) => title), ['总览', '内容', ...(withSubscribers ? ['受众'] : []), '渠道', '运维', '管理']);
    await assertAccessible(page, 'sidebar in Chinese');
    await screenshot(page, 'navigation', 'zh-CN');
    await context.close();
  });

  test('a viewer and an operator see no admin-only entry; an admin sees them', async () => {
    const adminOnly = new Set(['Audit log', 'Users']);
    const expected = ownerGroups.map(([title, links]) => [title, links.filter((link) => !adminOnly.has(link))]);
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const { context, page } = await signedInPage(browser, herald, base, role, record);
      await page.goto(`${base}/dashboard`);
      await navLink(page, 'Dashboard').waitFor();
      assert.deepEqual(await sidebar(page), role === 'admin' ? ownerGroups.map(([title, links]) => [title, [...links]]) : expected, role);
      assert.deepEqual(await currentLinks(page), ['Dashboard'], role);
      await context.close();
    }
  });

  test('the keyboard skips to the page, and moves through the sections and follows them', async () => {
    const { context, page } = await signedInPage(browser, herald, base, 'operator', record);
    await page.goto(`${base}/messages`);
    await page.locator('[data-test=messages]').waitFor();
    const focused = () => page.evaluate(() => {
      const active = (globalThis as unknown as { document: { activeElement: { id: string; textContent: string | null } | null } }).document.activeElement;
      return { id: active?.id ?? '', text: (active?.textContent ?? '').trim() };
    });
    // The first Tab reaches "Skip to content", which takes the focus past the header and sidebar.
    await page.keyboard.press('Tab');
    assert.equal((await focused()).text, 'Skip to content');
    assert.ok(await page.getByRole('link', { name: 'Skip to content' }).isVisible());
    await page.keyboard.press('Enter');
    assert.equal((await focused()).id, 'content');

    await navLink(page, 'Dashboard').focus();
    await page.keyboard.press('Tab');
    assert.equal((await focused()).text, 'Messages');
    await page.keyboard.press('Tab');
    // Groups follow each other: the next Tab is the first entry of Content.
    assert.equal((await focused()).text, 'Templates');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/templates$/);
    assert.deepEqual(await currentLinks(page), ['Templates']);
    await context.close();
  });

  test('collapsed to icons, the links keep their names and show them as tooltips; the choice is remembered', async () => {
    const { context, page } = await signedInPage(browser, herald, base, 'owner', record);
    await page.goto(`${base}/messages`);
    await page.locator('[data-test=messages]').waitFor();
    const wide = await asideWidth(page);
    const toggle = page.locator('[data-test=nav-toggle]');
    assert.equal(await toggle.getAttribute('aria-label'), 'Collapse navigation');
    await toggle.click();
    await sidebarSettles(page, true);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await toggle.getAttribute('aria-label'), 'Expand navigation');
    assert.ok(wide > 150, `the expanded sidebar is ${wide}px wide`);
    // The labels are off screen but still name the links; hovering an icon shows its label.
    assert.equal(await navLink(page, 'Templates').count(), 1);
    assert.ok((await page.locator('[data-test=nav] .group-title', { hasText: 'Content' }).boundingBox())!.width <= 1, 'group titles are for screen readers only');
    await navLink(page, 'Templates').hover();
    await page.locator('.el-popper:visible', { hasText: 'Templates' }).waitFor();
    await assertAccessible(page, 'collapsed sidebar');
    await navLink(page, 'Alarms').click();
    await page.waitForURL(/\/alarms$/);
    assert.deepEqual(await currentLinks(page), ['Alarms']);

    await page.reload();
    await navLink(page, 'Alarms').waitFor();
    assert.ok((await asideWidth(page)) < 100, 'collapsed after a reload');
    await page.locator('[data-test=nav-toggle]').click();
    await sidebarSettles(page, false);
    await page.locator('[data-test=nav] .group-title', { hasText: 'Operations' }).waitFor();
    await context.close();
  });

  test('on a narrow screen the sidebar is icons only; opened, it lies over the page until a link is followed or Escape', async () => {
    const { context, page } = await signedInPage(browser, herald, base, 'owner', record);
    await page.setViewportSize({ width: 760, height: 800 });
    await page.goto(`${base}/messages`);
    await page.locator('[data-test=messages]').waitFor();
    assert.ok((await asideWidth(page)) < 100, 'icons only');
    const mainLeft = (await page.locator('#content').boundingBox())!.x;
    await assertAccessible(page, 'narrow sidebar');
    await page.locator('[data-test=nav-toggle]').click();
    await page.locator('.aside.overlaid').waitFor();
    await page.locator('[data-test=nav] .group-title', { hasText: 'Content' }).waitFor();
    // Over the page, not pushing it aside.
    assert.ok(Math.abs((await page.locator('#content').boundingBox())!.x - mainLeft) <= 1, 'the page did not move');
    await navLink(page, 'Schedules').click();
    await page.waitForURL(/\/schedules$/);
    await page.locator('.aside.overlaid').waitFor({ state: 'detached' });
    await sidebarSettles(page, true);

    await page.locator('[data-test=nav-toggle]').click();
    await page.locator('.aside.overlaid').waitFor();
    await navLink(page, 'Dashboard').focus();
    await page.keyboard.press('Escape');
    await page.locator('.aside.overlaid').waitFor({ state: 'detached' });
    await context.close();
  });

  test('on a phone the header fits the screen: app, language and sign-out stay in reach', async () => {
    const { context, page } = await signedInPage(browser, herald, base, 'owner', record);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/messages`);
    await page.locator('[data-test=messages]').waitFor();
    for (const control of ['[data-test=nav-toggle]', '[data-test=app-select]', '[data-test=language]', '[data-test=sign-out]']) {
      const box = (await page.locator(control).boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 360, `${control} is outside the screen (x ${box.x}, width ${box.width})`);
    }
    const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= 360, `the page scrolls sideways (${scrollWidth} px wide)`);
    await assertAccessible(page, 'header on a phone');
    await context.close();
  });

  test('every request the console made is an operation of /openapi.json, and no script failed', async () => {
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(requestsOutside(spec, record.apiRequests), []);
    assert.deepEqual(record.pageErrors, []);
  });
});
