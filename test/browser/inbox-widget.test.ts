import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { consoleSession, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type ConsoleSession, type TestHerald } from '../support/test-herald.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * <herald-inbox> in Chromium against a real Herald on loopback. The host page comes from another
 * loopback origin (a port of its own) that the app lists in settings.inbox.allowedOrigins, so every
 * request the widget makes is a cross-origin one, as on a customer's site.
 * HERALD_WRITE_SCREENSHOTS=1 also writes docs/images/herald-inbox-{en,zh-CN}-{light,dark}.png.
 */
describe('<herald-inbox> in Chromium', () => {
  let herald: TestHerald;
  let app: AppCredentials;
  let session: ConsoleSession;
  let browser: Browser;
  let pages: http.Server;
  let pageOrigin: string;
  let apiBase: string;
  let inboxSecret: string;
  let subscriberHash: string;
  const pageErrors: string[] = [];
  /** Closes a page, failing the test if its scripts threw. */
  const done = async (page: Page) => {
    await page.close();
    assert.deepEqual(pageErrors.splice(0), []);
  };
  const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

  /** Sends a message (to u1's inbox unless the body says otherwise) and waits until its item is deposited. */
  const send = async (body: Record<string, unknown>) => {
    const accepted = await call('POST', '/v1/messages', { to: ['u1'], channels: ['inbox'], ...body });
    assert.equal(accepted.statusCode, 202, accepted.body);
    const id = accepted.json().id;
    return waitFor(async () => ((await call('GET', `/v1/messages/${id}`)).json().status === 'completed' ? id : undefined), { what: `message ${id} completed` });
  };

  /** A subscriber's inbox as the API reports it, for checking what the widget changed on the server. */
  const proofOf = (subscriberId: string) => ({ 'x-herald-subscriber': subscriberId, 'x-herald-subscriber-hash': hashOf(subscriberId, inboxSecret) });
  const inbox = async (path: string, subscriberId = 'u1') => {
    const response = await herald.server!.inject({ method: 'GET', url: `/inbox/v1/${path}?app=${app.appId}`, headers: proofOf(subscriberId) });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  /** The host page: `attributes` go on the element; the script comes from Herald, so api-base defaults to Herald's origin. */
  const openPage = async (attributes: Record<string, string>, origin = pageOrigin): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 480, height: 640 }, locale: 'en-US' });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/?${new URLSearchParams(attributes)}`);
    return page;
  };
  const widget = (page: Page): Locator => page.locator('herald-inbox');
  const bell = (page: Page) => widget(page).locator('[part=bell]');
  const badge = (page: Page) => widget(page).locator('[part=badge]');
  const rows = (page: Page) => widget(page).locator('[part=item]');
  const titles = (page: Page) => widget(page).locator('[part=item] .item-title').allTextContents();
  const openPanel = async (page: Page) => {
    await bell(page).click();
    await widget(page).locator('[part=panel]').waitFor();
  };
  const hashOf = (subscriberId: string, secret: string) => createHmac('sha256', secret).update(subscriberId).digest('hex');

  before(async () => {
    herald = await createTestHerald('sqlite', { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50' } });
    await herald.start();
    apiBase = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    pages = http.createServer((request, response) => {
      const attributes = new URL(request.url ?? '/', 'http://page').searchParams;
      const element = [...attributes].map(([name, value]) => ` ${name}="${value.replace(/[&"<]/g, (c) => `&#${c.charCodeAt(0)};`)}"`).join('');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title><link rel="icon" href="data:,"></head>` +
          `<body style="margin:0;padding:12px 16px;display:flex;justify-content:flex-end;font-family:sans-serif;background:${attributes.get('theme') === 'dark' ? '#0d1117' : '#fff'}">` +
          `<script type="module" src="${apiBase}/widget/herald-inbox.js"></script><herald-inbox${element}></herald-inbox></body></html>`,
      );
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

    app = await createAppWithKey(herald, 'shop');
    session = await consoleSession(herald, 'owner');
    const patched = await herald.server!.inject({ method: 'PATCH', url: `/v1/apps/${app.appId}`, headers: session, payload: { settings: { inbox: { allowedOrigins: [pageOrigin] } } } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal((await call('POST', '/v1/channel-accounts', { type: 'inbox', name: 'inbox', config: {} })).statusCode, 201);
    assert.equal((await call('POST', '/v1/subscribers', { externalId: 'u1', name: 'Ada' })).statusCode, 201);
    const template = await call('POST', '/v1/templates', {
      code: 'order.paid',
      variables: [{ name: 'order', type: 'string', required: true, example: '1001' }],
      content: {
        title: 'Order {{ order }} paid',
        body: 'Order **{{ order }}** was paid. [Invoice](https://shop.example.com/invoices/{{ order }})',
        channels: { inbox: { category: 'orders', severity: 'success', actions: [{ label: 'View order', url: 'https://shop.example.com/orders/{{ order }}' }] } },
      },
      publish: true,
    });
    assert.equal(template.statusCode, 201, template.body);
    inboxSecret = (await call('GET', `/v1/apps/${app.appId}/inbox-secret`)).json().inboxSecret;
    subscriberHash = hashOf('u1', inboxSecret);
    await send({ content: { title: 'Welcome to the shop', summary: 'Your account is ready', body: 'Hello **Ada**' } });
    await send({ template: 'order.paid', data: { order: '1001' } });
    await send({ content: { title: 'Password changed', summary: 'If this was not you, reset it now', body: 'Your password was changed just now.' } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    pages?.closeAllConnections();
    await new Promise((resolve) => pages?.close(resolve));
    await herald?.close();
  });

  const attributesOf = (extra: Record<string, string> = {}) => ({ app: app.appId, 'subscriber-id': 'u1', 'subscriber-hash': subscriberHash, lang: 'en', ...extra });

  test('shows the unread badge, and the items newest first with category tabs', async () => {
    const page = await openPage(attributesOf());
    await waitFor(async () => (await badge(page).textContent()) === '3', { what: 'badge 3' });
    assert.equal(await bell(page).getAttribute('aria-label'), 'Notifications, 3 unread');
    await openPanel(page);
    await rows(page).nth(2).waitFor();
    assert.deepEqual(await titles(page), ['Password changed', 'Order 1001 paid', 'Welcome to the shop']);
    assert.equal(await rows(page).nth(1).getAttribute('data-severity'), 'success');
    await widget(page).getByRole('tab', { name: /orders/ }).click();
    await waitFor(async () => (await titles(page)).join() === 'Order 1001 paid', { what: 'the orders tab' });
    await page.keyboard.press('Escape');
    assert.equal(await widget(page).locator('[part=panel]').isHidden(), true);
    assert.equal(await page.evaluate(`document.querySelector('herald-inbox').shadowRoot.activeElement?.getAttribute('part')`), 'bell', 'Escape hands focus back to the bell');
    await done(page);
  });

  test('a message sent through the API appears live within a second, with a herald:item event', async () => {
    const page = await openPage(attributesOf());
    await openPanel(page);
    await rows(page).nth(2).waitFor();
    // Page-side code is a string: the tests are typed without the DOM library.
    await page.evaluate(`
      window.seen = [];
      document.addEventListener('herald:item', (event) => window.seen.push(event.detail.item.title));
      document.addEventListener('herald:unread', (event) => window.seen.push('unread ' + event.detail.unread));
    `);
    // send() returns once the item is deposited; from there the widget has one second.
    await send({ content: { title: 'Parcel delivered', summary: 'Left at the front door', body: 'Your parcel was left at the front door.' } });
    await widget(page).locator('[part=item]', { hasText: 'Parcel delivered' }).waitFor({ timeout: 1000 });
    assert.equal((await titles(page))[0], 'Parcel delivered');
    await waitFor(async () => (await badge(page).textContent()) === '4', { what: 'badge 4' });
    const seen = (await page.evaluate('window.seen')) as string[];
    assert.equal(seen[0], 'Parcel delivered');
    assert.equal(seen.at(-1), 'unread 4');
    await done(page);
  });

  test('opening an item shows its detail, marks it read, and the badge drops; it can be marked unread again', async () => {
    const page = await openPage(attributesOf());
    await openPanel(page);
    const unreadBefore = Number(await badge(page).textContent());
    await rows(page).filter({ hasText: 'Order 1001 paid' }).click();
    const detail = widget(page).locator('article');
    await detail.waitFor();
    assert.equal(await detail.locator('strong').textContent(), '1001');
    assert.equal(await detail.locator('a', { hasText: 'View order' }).getAttribute('href'), 'https://shop.example.com/orders/1001');
    assert.equal(await detail.locator('a', { hasText: 'Invoice' }).getAttribute('rel'), 'noopener noreferrer');
    await waitFor(async () => Number(await badge(page).textContent()) === unreadBefore - 1, { what: 'the badge to drop by one' });
    const item = (await inbox('items')).items.find((entry: { title: string }) => entry.title === 'Order 1001 paid');
    assert.ok(item.readAt, 'the server recorded the read');
    await detail.getByRole('button', { name: 'Mark as unread', exact: true }).click();
    await waitFor(async () => Number(await badge(page).textContent()) === unreadBefore, { what: 'the badge back up' });
    await page.keyboard.press('Escape');
    await rows(page).first().waitFor();
    await done(page);
  });

  test('archiving moves an item to the archived view', async () => {
    const page = await openPage(attributesOf());
    await openPanel(page);
    await rows(page).filter({ hasText: 'Welcome to the shop' }).click();
    await widget(page).getByRole('button', { name: 'Archive', exact: true }).click();
    await waitFor(async () => !(await titles(page)).includes('Welcome to the shop'), { what: 'the item to leave the list' });
    await widget(page).getByRole('button', { name: 'Archived', exact: true }).click();
    await waitFor(async () => (await titles(page)).join() === 'Welcome to the shop', { what: 'the archived view' });
    assert.equal((await inbox('items')).items.some((entry: { title: string }) => entry.title === 'Welcome to the shop'), false);
    await widget(page).getByRole('button', { name: 'Inbox', exact: true }).click();
    await rows(page).first().waitFor();
    await done(page);
  });

  test('mark all read clears the badge, here and on the server', async () => {
    const page = await openPage(attributesOf());
    await openPanel(page);
    await rows(page).first().waitFor();
    assert.notEqual(await badge(page).isHidden(), true);
    await widget(page).getByRole('button', { name: 'Mark all as read', exact: true }).click();
    await waitFor(async () => await badge(page).isHidden(), { what: 'the badge to go' });
    assert.equal(await widget(page).locator('[part=item][data-unread]').count(), 0);
    assert.equal((await inbox('counts')).unread, 0);
    await done(page);
  });

  test('HTML in message data cannot run script', async () => {
    const hostile = '<img src=x onerror=window.pwned=1>';
    await send({ content: { title: hostile, summary: '<script>window.pwned=2</script>', body: `${hostile} <a href="javascript:window.pwned=3">click</a>` } });
    const page = await openPage(attributesOf());
    await openPanel(page);
    const row = rows(page).filter({ hasText: 'onerror' });
    await row.waitFor();
    assert.equal(await row.locator('.item-title').textContent(), hostile, 'the title is text, not markup');
    await row.click();
    await widget(page).locator('article').waitFor();
    assert.equal(await widget(page).locator('article [onerror], article script, article [href^="javascript"]').count(), 0);
    // The widget's own allow-list, fed hostile HTML directly: the server's sanitising is not its only defence.
    const hostileHtml = '<p onclick="window.pwned=5" style="x">hi</p><script>window.pwned=6</script><img src=x onerror="window.pwned=7"><a href="javascript:window.pwned=8">a</a><a href="https://example.com/x">b</a><iframe srcdoc="<script>parent.pwned=9</script>"></iframe><svg onload="window.pwned=10"></svg>';
    const rebuilt = await page.evaluate(`(async () => {
      const { sanitiseHtml } = await import(${JSON.stringify(`${apiBase}/widget/herald-inbox.js`)});
      const box = document.createElement('div');
      box.appendChild(sanitiseHtml(${JSON.stringify(hostileHtml)}));
      document.body.appendChild(box);
      return box.innerHTML;
    })()`);
    assert.equal(rebuilt, '<p>hi</p><img referrerpolicy="no-referrer"><a target="_blank" rel="noopener noreferrer">a</a><a href="https://example.com/x" target="_blank" rel="noopener noreferrer">b</a>');
    assert.equal(await page.evaluate('window.pwned'), undefined);
    await done(page);
  });

  test('zh-CN text shows with lang="zh-CN", and a token proves the subscriber as well as a hash', async () => {
    const minted = await call('POST', `/v1/apps/${app.appId}/inbox-tokens`, { subscriberId: 'u1', ttlSeconds: 600 });
    assert.equal(minted.statusCode, 200, minted.body);
    const page = await openPage({ app: app.appId, token: minted.json().token, lang: 'zh-CN' });
    await openPanel(page);
    await rows(page).first().waitFor();
    assert.equal(await widget(page).locator('header h2').textContent(), '通知');
    assert.match((await widget(page).getByRole('tab', { selected: true }).textContent()) ?? '', /^全部/);
    assert.ok(await widget(page).getByRole('button', { name: '已归档', exact: true }).isVisible());
    assert.match(await bell(page).getAttribute('aria-label') ?? '', /^通知/);
    await done(page);
  });

  test('an empty inbox says so; a long one pages with Load more', async () => {
    const subscriberId = 'pager';
    const attributes = { ...attributesOf(), 'subscriber-id': subscriberId, 'subscriber-hash': hashOf(subscriberId, inboxSecret) };
    const empty = await openPage(attributes);
    await openPanel(empty);
    await widget(empty).getByText('No notifications', { exact: true }).waitFor();
    await done(empty);
    await Promise.all(Array.from({ length: 21 }, (_, index) => send({ to: [{ subscriberId }], content: { title: `Page item ${index + 1}`, body: 'x' } })));
    const page = await openPage(attributes);
    await openPanel(page);
    await rows(page).nth(19).waitFor();
    assert.equal(await rows(page).count(), 20);
    await widget(page).getByRole('button', { name: 'Load more', exact: true }).click();
    await rows(page).nth(20).waitFor();
    assert.equal(new Set(await titles(page)).size, 21);
    assert.equal(await widget(page).getByRole('button', { name: 'Load more', exact: true }).count(), 0);
    await done(page);
  });

  test('a page on an origin the app does not allow gets the error state with a retry', async () => {
    const stranger = pageOrigin.replace('127.0.0.1', 'localhost');
    const page = await browser.newPage();
    await page.goto(`${stranger}/?${new URLSearchParams(attributesOf())}`);
    await page.locator('herald-inbox [part=bell]').click();
    await widget(page).getByRole('button', { name: 'Retry', exact: true }).waitFor();
    assert.equal(await badge(page).isHidden(), true);
    await done(page);
  });

  test('registerWebPush rejects clearly without a Push API or with permission denied; the panel offers it only while the browser would ask', async () => {
    const register = `document.querySelector('herald-inbox').registerWebPush('/sw.js').then(() => 'resolved', (error) => error.message)`;
    const enable = (page: Page) => widget(page).getByRole('button', { name: 'Enable desktop notifications', exact: true });
    const page = await openPage(attributesOf({ 'web-push-worker': '/sw.js' }));
    await page.evaluate(`window.pushManagerInterface = PushManager; delete window.PushManager;
      document.addEventListener('herald:web-push', (event) => (window.outcome = event.detail))`);
    await openPanel(page);
    assert.equal(await enable(page).count(), 0, 'no Push API, no offer');
    assert.match((await page.evaluate(register)) as string, /^Web Push is not available: this browser has no Push API/);
    assert.equal(await page.evaluate('Notification.permission'), 'default', 'nothing was asked');

    await page.evaluate('window.PushManager = window.pushManagerInterface');
    await page.keyboard.press('Escape');
    await openPanel(page);
    // Headless Chromium answers the permission prompt with "denied" at once.
    await enable(page).click();
    await widget(page).getByText('Desktop notifications could not be turned on.', { exact: true }).waitFor();
    assert.match(((await page.evaluate('window.outcome')) as { error: string }).error, /permission is denied/);
    assert.equal(await enable(page).count(), 0, 'once blocked, the panel stops offering it');
    assert.match((await page.evaluate(register)) as string, /^Notification permission is denied for this site/);
    await done(page);
  });

  test('the live stream resumes after the server restarts, and the list is reconciled', async () => {
    const page = await openPage(attributesOf());
    await openPanel(page);
    await rows(page).first().waitFor();
    herald = await herald.restart();
    await send({ content: { title: 'Sent after the restart', body: 'The stream came back.' } });
    await widget(page).locator('[part=item]', { hasText: 'Sent after the restart' }).waitFor({ timeout: 15_000 });
    const { unread } = await inbox('counts');
    await waitFor(async () => (await badge(page).textContent()) === String(unread), { what: `badge ${unread} after the restart` });
    // Live again, not only reconciled: the next message arrives over the new connection.
    await send({ content: { title: 'Live after the restart', body: 'Over the new connection.' } });
    await widget(page).locator('[part=item]', { hasText: 'Live after the restart' }).waitFor({ timeout: 1000 });
    await done(page);
  });

  test('themes: light and dark in English and Chinese (the screenshots of docs/inbox-widget.md)', async () => {
    const showcase = {
      en: [
        ['ops', 'Deploy of api-7 rolled back', 'Health checks failed after 2 minutes; the previous version is serving again.'],
        ['security', 'New sign-in from Chrome on Windows', 'Shanghai, China. If this was not you, change your password.'],
        ['orders', 'Order 1042 shipped', 'SF Express SF1234567890, arriving Thursday.'],
        ['orders', 'Order 1042 paid', '¥ 268.00 by WeChat Pay.'],
      ],
      'zh-CN': [
        ['ops', 'api-7 发布已回滚', '健康检查 2 分钟后失败，已恢复到上一版本。'],
        ['security', '新的登录：Windows 上的 Chrome', '中国上海。如果不是您本人，请立即修改密码。'],
        ['orders', '订单 1042 已发货', '顺丰速运 SF1234567890，预计周四送达。'],
        ['orders', '订单 1042 支付成功', '微信支付 ¥268.00。'],
      ],
    };
    const severities: Record<string, string> = { ops: 'error', security: 'warning', orders: 'success' };
    for (const [category, severity] of Object.entries(severities)) {
      const template = await call('POST', '/v1/templates', {
        code: `showcase.${category}`,
        variables: ['title', 'summary'].map((name) => ({ name, type: 'string', required: true, example: name })),
        content: { title: '{{ title }}', summary: '{{ summary }}', body: '{{ summary }}', channels: { inbox: { category, severity } } },
        publish: true,
      });
      assert.equal(template.statusCode, 201, template.body);
    }
    const backgrounds = new Set<string>();
    for (const [lang, entries] of Object.entries(showcase)) {
      const subscriberId = `showcase-${lang}`;
      // Oldest first, so the list shows them in the order written above; the oldest is already read.
      for (const [category, title, summary] of entries.toReversed()) await send({ to: [{ subscriberId }], template: `showcase.${category}`, data: { title, summary } });
      const oldest = (await inbox('items', subscriberId)).items.at(-1);
      await herald.server!.inject({ method: 'POST', url: `/inbox/v1/items/${oldest.id}/read?app=${app.appId}`, headers: proofOf(subscriberId) });
      for (const theme of ['light', 'dark']) {
        const page = await openPage({ ...attributesOf({ lang, theme }), 'subscriber-id': subscriberId, 'subscriber-hash': hashOf(subscriberId, inboxSecret) });
        await openPanel(page);
        await rows(page).nth(3).waitFor();
        backgrounds.add((await page.evaluate(`getComputedStyle(document.querySelector('herald-inbox').shadowRoot.querySelector('[part=panel]')).backgroundColor`)) as string);
        const png = await page.screenshot({ clip: { x: 0, y: 0, width: 480, height: 540 } });
        assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
        if (process.env.HERALD_WRITE_SCREENSHOTS === '1') writeFileSync(new URL(`../../docs/images/herald-inbox-${lang}-${theme}.png`, import.meta.url), png);
        await done(page);
      }
    }
    assert.deepEqual([...backgrounds].sort(), ['rgb(255, 255, 255)', 'rgb(31, 35, 40)']);
  });
});
