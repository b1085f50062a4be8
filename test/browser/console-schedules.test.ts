import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, requestsOutside, screenshot, switchLanguage } from '../support/console-browser.ts';
import { signedInPage, type ConsoleRecord } from '../support/console-signed-in.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The console's schedules page in Chromium (SQLite): an owner schedules a send request on a cron
 * expression in a time zone and sees its next runs, pauses and resumes it, and schedules a one-off;
 * bad input is stopped in the form or shown with Herald's problem message. A viewer sees no write action.
 */
describe('web console: schedules', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  const record: ConsoleRecord = { apiRequests: [], pageErrors: [] };
  const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
  const schedules = async () => (await call('GET', '/v1/schedules')).json().items as Array<{ name: string; cron: string | null; timeZone: string; at: string | null; status: string; nextRuns: string[]; message: unknown }>;

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'reports');
    browser = await launchChromium();
    ({ page } = await signedInPage(browser, herald, base, 'owner', record));
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('a cron schedule in a time zone shows its next runs; pause and resume', async () => {
    await page.goto(`${base}/schedules`);
    await page.locator('[data-test=schedules]').getByText('Nothing here yet').waitFor();
    await page.locator('[data-test=new-schedule]').click();
    await page.locator('[data-test=save-schedule]').click();
    await page.getByText('Name is required').waitFor();
    await page.getByText('Cron expression is required').waitFor();
    await page.locator('#sch-name').fill('morning-report');
    await page.locator('#sch-cron').fill('61 8 * * 1-5');
    await page.locator('#sch-tz').fill('Asia/Shanghai');
    await page.locator('#sch-message').fill('{"to": ["u1"], ');
    await page.locator('[data-test=save-schedule]').click();
    await page.locator('[data-test=form-error]', { hasText: 'not valid JSON' }).waitFor();
    await page.locator('#sch-message').fill('{"to": ["u1"], "channels": ["email"], "content": {"body": "Good morning"}}');
    // Herald refuses the minute 61: its problem message in the form.
    await page.locator('[data-test=save-schedule]').click();
    await page.locator('[data-test=form-error]', { hasText: /cron|61/i }).waitFor();
    await page.locator('#sch-cron').fill('0 8 * * 1-5');
    await assertAccessible(page, 'schedule form');
    await page.locator('[data-test=save-schedule]').click();
    await page.locator('[data-test=schedules]').getByText('morning-report').waitFor();
    const [stored] = await schedules();
    assert.deepEqual([stored!.cron, stored!.timeZone, stored!.status, stored!.message], ['0 8 * * 1-5', 'Asia/Shanghai', 'active', { to: ['u1'], channels: ['email'], content: { body: 'Good morning' } }]);
    // The next runs Herald computed, one per line: 08:00 in Shanghai is 00:00 UTC on a weekday.
    assert.equal(stored!.nextRuns.length, 5);
    for (const run of stored!.nextRuns) assert.match(run, /T00:00:00\.000Z$/);
    assert.equal(await page.locator('[data-test=next-runs] li').count(), 5);

    await page.locator('[data-test=pause-resume]', { hasText: 'Pause' }).click();
    await page.locator('[data-test=schedules]').getByText('Paused').waitFor();
    assert.equal((await schedules())[0]!.status, 'paused');
    assert.equal(await page.locator('[data-test=next-runs]').count(), 0);
    await page.locator('[data-test=pause-resume]', { hasText: 'Resume' }).click();
    await page.locator('[data-test=schedules]').getByText('Active').waitFor();
    assert.equal((await schedules())[0]!.status, 'active');
  });

  test('a one-off schedule at a local time', async () => {
    await page.locator('[data-test=new-schedule]').click();
    await page.locator('#sch-name').fill('new-year');
    await page.locator('[data-test=schedule-kind]').getByText('Once').click();
    await page.locator('#sch-at').fill('2030-01-01T09:30');
    await page.locator('#sch-message').fill('{"to": ["u1"], "channels": ["email"], "content": {"body": "Happy new year"}}');
    await page.locator('[data-test=save-schedule]').click();
    await page.locator('[data-test=schedules]').getByText('new-year').waitFor();
    const expected = await page.evaluate(() => new Date('2030-01-01T09:30').toISOString());
    await waitFor(async () => (await schedules()).find((schedule) => schedule.name === 'new-year')?.at === expected, { what: 'the one-off stored at the local time' });
    await assertAccessible(page, 'schedules');
    await screenshot(page, 'schedules', 'en');
    await switchLanguage(page, '简体中文');
    await page.getByRole('heading', { name: '定时任务' }).waitFor();
    await assertAccessible(page, 'schedules (zh-CN)');
    await screenshot(page, 'schedules', 'zh-CN');
    await switchLanguage(page, 'English');
  });

  test('a viewer reads the schedules and finds no write action; every request was an operation of /openapi.json', async () => {
    const viewer = await signedInPage(browser, herald, base, 'viewer', record);
    await viewer.page.goto(`${base}/schedules`);
    await viewer.page.locator('[data-test=schedules]').getByText('morning-report').waitFor();
    assert.equal(await viewer.page.locator('[data-test=new-schedule], [data-test=pause-resume], [data-test=edit-schedule], [data-test=delete-schedule]').count(), 0);
    // The cron schedule's five coming runs and the one-off's one.
    assert.equal(await viewer.page.locator('[data-test=next-runs] li').count(), 6);
    await assertAccessible(viewer.page, 'schedules, read-only');
    await viewer.context.close();

    await page.locator('[data-test=delete-schedule]').first().click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await waitFor(async () => (await schedules()).length === 1, { what: 'one schedule deleted' });
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(requestsOutside(spec, record.apiRequests), []);
    assert.deepEqual(record.pageErrors, []);
  });
});
