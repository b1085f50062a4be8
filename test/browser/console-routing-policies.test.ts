import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createAccountCircuits } from '../../src/dispatch/account-circuits.ts';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, chooseOption, requestsOutside, screenshot, switchLanguage } from '../support/console-browser.ts';
import { signedInPage, type ConsoleRecord } from '../support/console-signed-in.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Channel routes and message type policies in Chromium (SQLite): an owner routes e-mail over two
 * SMTP relays by weight, reordering them from the keyboard, and finds the route kept after a reload
 * and in the API, with an open circuit marked; a message type gets quiet hours and a frequency cap (then deduplication and an
 * escalation) through the policy forms, and the API returns exactly those policies. Invalid input
 * is stopped in the form with nothing sent; Herald's refusals are shown. A viewer sees no write action.
 */
describe('web console: channel routes and policy forms', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  let relayA: string;
  const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
  const record: ConsoleRecord = { apiRequests: [], pageErrors: [] };
  const { apiRequests, pageErrors } = record;
  const writes = (prefix: string) => apiRequests.filter((request) => request.startsWith(prefix)).length;

  const createAccount = async (type: string, name: string, config: Record<string, unknown>) => {
    const created = await call('POST', '/v1/channel-accounts', { type, name, config });
    assert.equal(created.statusCode, 201, created.body);
    return created.json().id as string;
  };
  const smtp = (host: string) => ({ host, port: 587, from: 'Shop <shop@example.com>' });
  const addToRoute = async (name: string) => {
    await chooseOption(page, page.locator('[data-test=route-add-account]'), name);
    await page.locator('[data-test=route-add]').click();
  };
  const routeEntries = () => page.locator('[data-test=route-entries] .entry-name').evaluateAll((names) => names.map((name) => name.firstChild?.textContent?.trim()));

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    relayA = await createAccount('smtp', 'relay-a', smtp('smtp-a.example.com'));
    await createAccount('smtp', 'relay-b', smtp('smtp-b.example.com'));
    // A webhook posts to its own endpoint: never offered for a route.
    await createAccount('webhook', 'hooks', { url: 'https://hooks.example.com/h', secret: 'signing-secret' });
    browser = await launchChromium();
    ({ page } = await signedInPage(browser, herald, base, 'owner', record));
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('a weighted route over two SMTP relays, reordered by keyboard, kept after a reload and in the API', async () => {
    await page.goto(`${base}/channel-accounts`);
    await page.locator('[data-test=routes]').getByText('No routes').waitFor();
    await page.locator('[data-test=new-route]').click();
    // Only e-mail has accounts that send to addresses; the webhook's channel is not offered.
    await page.locator('.el-select:has(#route-channel)').click();
    assert.deepEqual(await page.locator('.el-select-dropdown__item:visible').allTextContents(), ['email']);
    await page.keyboard.press('Escape');

    // Nothing to route yet: stopped in the form, nothing sent.
    await page.locator('[data-test=save-route]').click();
    await page.locator('[data-test=route-error]', { hasText: 'Add at least one account' }).waitFor();
    assert.equal(writes('PUT /v1/channel-routes'), 0);

    await addToRoute('relay-a');
    await addToRoute('relay-b');
    assert.deepEqual(await routeEntries(), ['relay-a', 'relay-b']);
    await page.locator('[data-test=route-mode]').getByText('Weighted').click();
    await page.locator('[data-test=route-weight-relay-a] input').fill('3');
    await page.locator('[data-test=route-weight-relay-a] input').blur();

    // Reordering from the keyboard: the focus follows the moved account.
    await page.getByRole('button', { name: 'Move relay-b up' }).focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => (await routeEntries()).join() === 'relay-b,relay-a', { what: 'relay-b moved first' });
    assert.equal(await page.locator('button:focus').getAttribute('aria-label'), 'Move relay-b down');
    await assertAccessible(page, 'route form');
    await page.locator('[data-test=save-route]').click();
    await page.locator('[data-test=route-accounts]', { hasText: 'relay-b ×1 → relay-a ×3' }).waitFor();
    const expected = { channel: 'email', mode: 'weighted', accounts: [{ name: 'relay-b', weight: 1 }, { name: 'relay-a', weight: 3 }] };
    const stored = () => call('GET', '/v1/channel-routes').then((response) => response.json().items.map((route: { channel: string; mode: string; accounts: Array<{ name: string; weight: number }> }) => ({
      channel: route.channel,
      mode: route.mode,
      accounts: route.accounts.map(({ name, weight }) => ({ name, weight })),
    })));
    assert.deepEqual(await stored(), [expected]);

    await page.reload();
    await page.locator('[data-test=route-accounts]', { hasText: 'relay-b ×1 → relay-a ×3' }).waitFor();
    // Every addressed channel has its route now: the next one is edited, not created.
    assert.equal(await page.locator('[data-test=new-route]').isDisabled(), true);

    // relay-a's circuit opens after a transient failure: the route marks it until it closes.
    const circuits = createAccountCircuits({ database: herald.context.database, clock: herald.clock, policy: { failureThreshold: 1, cooldownSeconds: 600 } });
    await circuits.record([{ accountId: relayA, transient: true }]);
    await page.reload();
    await page.locator('[data-test=circuit-open]', { hasText: 'Circuit open until' }).waitFor();
    assert.equal(await page.locator('[data-test=circuit-open]').count(), 1);
    assert.match((await page.locator('[data-test=route-accounts]').textContent()) ?? '', /relay-a ×3\s*Circuit open until/);
    await page.locator('[data-test=routes]').scrollIntoViewIfNeeded();
    await screenshot(page, 'channel-routes', 'en');

    // Herald's refusal in the form: an account deleted while the form was open.
    const relayC = await createAccount('smtp', 'relay-c', smtp('smtp-c.example.com'));
    await page.reload();
    await page.locator('[data-test=edit-route]').click();
    assert.deepEqual(await routeEntries(), ['relay-b', 'relay-a']);
    await addToRoute('relay-c');
    assert.equal((await call('DELETE', `/v1/channel-accounts/${relayC}`)).statusCode, 204);
    await page.locator('[data-test=save-route]').click();
    await page.locator('[data-test=route-error]', { hasText: 'no channel account' }).waitFor();
    await page.keyboard.press('Escape');
    assert.deepEqual(await stored(), [expected]);

    await page.locator('[data-test=routes]').waitFor();
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '简体中文' }).click();
    await page.getByRole('heading', { name: '路由与故障转移' }).waitFor();
    await assertAccessible(page, 'channel routes (zh-CN)');
    await page.locator('[data-test=routes]').scrollIntoViewIfNeeded();
    await screenshot(page, 'channel-routes', 'zh-CN');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'English' }).click();
  });

  test('a message type with quiet hours and a frequency cap through the policy forms', async () => {
    await page.goto(`${base}/message-types`);
    await page.locator('[data-test=new-message-type]').click();
    await page.locator('#mt-code').fill('order.paid');
    await page.locator('[data-test=policy-quietHours-enabled]').click();
    assert.equal(await page.locator('#policy-quiet-end').inputValue(), '08:00');

    // An invalid time: its message under the field, nothing sent.
    await page.locator('#policy-quiet-start').fill('25:00');
    await page.locator('[data-test=save-message-type]').click();
    await page.locator('[data-test=policy-quietHours]').getByText('A 24-hour time, HH:MM (e.g. 22:00)').waitFor();
    assert.equal(writes('POST /v1/message-types'), 0);

    await page.locator('#policy-quiet-start').fill('23:30');
    await chooseOption(page, page.locator('.el-select:has(#policy-quiet-action)'), 'Drop');
    await page.locator('[data-test=policy-quiet-urgent]').click();
    await page.locator('[data-test=policy-frequencyCap-enabled]').click();
    await page.locator('#policy-cap-count').fill('5');
    await page.locator('#policy-cap-seconds').fill('86400');
    await page.locator('#policy-cap-seconds').blur();
    await assertAccessible(page, 'policy forms');
    await screenshot(page, 'message-type-policies', 'en');
    await page.locator('[data-test=save-message-type]').click();
    await page.locator('[data-test=message-types]').getByText('Quiet hours, Frequency cap').waitFor();
    const policies = async () => (await call('GET', '/v1/message-types/order.paid')).json().policies;
    assert.deepEqual(await policies(), { quietHours: { start: '23:30', end: '08:00', action: 'drop', urgentBypass: false }, frequencyCap: { count: 5, perSeconds: 86400 } });

    // Editing shows the stored values; the cap switched off, deduplication and an escalation on.
    await page.locator('[data-test=edit-message-type]').click();
    assert.equal(await page.locator('#policy-quiet-start').inputValue(), '23:30');
    assert.equal(await page.locator('#policy-cap-count').inputValue(), '5');
    await page.locator('[data-test=policy-frequencyCap-enabled]').click();
    assert.equal(await page.locator('#policy-cap-count').count(), 0);
    await page.locator('[data-test=policy-dedupSeconds-enabled]').click();
    await page.locator('[data-test=policy-escalation-enabled]').click();
    // A step without channels is stopped in the form.
    await page.locator('[data-test=save-message-type]').click();
    await page.locator('[data-test=escalation-step-1]').getByText('Channels is required').waitFor();
    await chooseOption(page, page.locator('.el-select:has(#policy-step-0-channels)'), 'sms');
    await page.keyboard.press('Escape');
    await page.locator('#policy-step-0-to').fill('u1, email:noc@example.com');
    await page.locator('[data-test=save-message-type]').click();
    await waitFor(async () => 'escalation' in (await policies()), { what: 'the escalation saved' });
    assert.deepEqual(await policies(), {
      quietHours: { start: '23:30', end: '08:00', action: 'drop', urgentBypass: false },
      dedupSeconds: 300,
      escalation: { steps: [{ afterSeconds: 300, channels: ['sms'], to: ['u1', { email: 'noc@example.com' }] }] },
    });
    assert.equal(writes('POST /v1/message-types'), 1);
    assert.equal(writes('PATCH /v1/message-types/order.paid'), 1);
  });

  test('in Chinese, the policy forms pass axe-core too', async () => {
    await switchLanguage(page, '简体中文');
    await page.locator('[data-test=edit-message-type]').click();
    await page.locator('#policy-quiet-start').waitFor();
    assert.equal(await page.locator('#policy-quiet-start').inputValue(), '23:30');
    await assertAccessible(page, 'policy forms (zh-CN)');
    await page.locator('[data-test=policy-quietHours]').scrollIntoViewIfNeeded();
    await screenshot(page, 'message-type-policies', 'zh-CN');
    await page.keyboard.press('Escape');
    await page.locator('#policy-quiet-start').waitFor({ state: 'hidden' });
    await switchLanguage(page, 'English');
  });

  test('a viewer sees the route and the policies but no write action', async () => {
    const viewer = await signedInPage(browser, herald, base, 'viewer', record);
    const writeActions = '[data-test=new-route], [data-test=edit-route], [data-test=delete-route], [data-test=new-message-type], [data-test=edit-message-type]';
    await viewer.page.goto(`${base}/channel-accounts`);
    await viewer.page.locator('[data-test=route-accounts]', { hasText: 'relay-b' }).waitFor();
    assert.equal(await viewer.page.locator(writeActions).count(), 0);
    await assertAccessible(viewer.page, 'channel routes, read-only');
    await viewer.page.goto(`${base}/message-types`);
    await viewer.page.locator('[data-test=message-types]').getByText('Quiet hours, Deduplication, Escalation').waitFor();
    assert.equal(await viewer.page.locator(writeActions).count(), 0);
    await viewer.context.close();
  });

  test('an owner deletes the route after confirming; every request was an operation of /openapi.json', async () => {
    await page.goto(`${base}/channel-accounts`);
    await page.locator('[data-test=delete-route]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-test=routes]').getByText('No routes').waitFor();
    assert.deepEqual((await call('GET', '/v1/channel-routes')).json().items, []);
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.deepEqual(pageErrors, []);
  });
});
