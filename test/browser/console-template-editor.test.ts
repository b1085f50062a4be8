import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { assertAccessible, assertConsoleBuilt, openConsolePage, requestsOutside, screenshot } from '../support/console-browser.ts';
import { waitFor } from '../support/wait-for.ts';
import { createAppWithKey, createTestHerald, signedInject, TEST_PASSWORD, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

interface PageGlobals {
  document: { activeElement: { id: string } | null };
}

/**
 * The template editor in Chromium (SQLite): Liquid is highlighted as it is typed (CodeMirror's
 * tok-* classes) in the body and in every override and locale field, Tab leaves the editor, the
 * variables the Liquid reads are listed with values that feed the live preview; the versions panel
 * shows the published version against the draft as a line diff (signs as well as colours), and a
 * version restored into the draft comes back in the editor and in Herald. Typing in Liquid completes
 * the variables, the keys of their example objects and Herald's filters.
 */
describe('web console: template editor', () => {
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let base: string;
  let app: AppCredentials;
  const apiRequests: string[] = [];
  const pageErrors: string[] = [];
  const firstContent = {
    title: 'Order {{ order }} paid',
    body: 'Order **{{ order }}** is paid.\nThank you!',
    channels: { email: { subject: 'Paid: {{ order }}' } },
    locales: { 'zh-CN': { title: '订单 {{ order }} 已支付' } },
  };
  const template = async () => (await signedInject(herald, app, { method: 'GET', url: '/v1/templates/order.paid' })).json();

  before(async () => {
    assertConsoleBuilt();
    herald = await createTestHerald('sqlite');
    await herald.start();
    base = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    app = await createAppWithKey(herald, 'shop');
    await herald.services.users.create({ email: 'ada@example.com', password: TEST_PASSWORD, role: 'admin' });
    const created = await signedInject(herald, app, {
      method: 'POST',
      url: '/v1/templates',
      body: { code: 'order.paid', defaultChannels: ['email'], variables: [{ name: 'order', type: 'string', example: 'A-1001' }], content: firstContent, publish: true },
    });
    assert.equal(created.statusCode, 201, created.body);
    browser = await launchChromium();
    ({ page } = await openConsolePage(browser, base, { apiRequests, pageErrors }, { width: 1280, height: 900 }));
    await page.goto(`${base}/login?next=/templates/order.paid`);
    await page.locator('#login-email').fill('ada@example.com');
    await page.locator('#login-password').fill(TEST_PASSWORD);
    await page.locator('[data-test=submit]').click();
    await page.waitForURL(`${base}/templates/order.paid`);
  });
  after(async () => {
    await browser?.close();
    await herald?.close();
  });

  test('Liquid is highlighted as it is typed, Tab moves on, and the variables it reads feed the live preview', async () => {
    const body = page.locator('#tpl-body');
    await body.locator('.tok-variableName', { hasText: 'order' }).first().waitFor();
    await body.click();
    // Select all and delete, then type: typing over a multi-line selection leaves an empty last line in headless Chromium (plain CodeMirror too).
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('{% if vip %}Dear VIP, {% endif %}order **{{ order }}** is paid by {{ customer.name }}.');
    await body.locator('.tok-keyword', { hasText: 'if' }).first().waitFor();
    await body.locator('.tok-keyword', { hasText: 'endif' }).waitFor();
    await body.locator('.tok-variableName', { hasText: 'customer' }).waitFor();
    await body.locator('.tok-propertyName', { hasText: 'name' }).waitFor();
    // Every Liquid field of the overrides and locales has the editor too; a literal one would not.
    await page.locator('[id="tpl-field-channels.email.subject"] .tok-variableName', { hasText: 'order' }).waitFor();
    await page.locator('[id="tpl-field-locales.zh-CN.title"] .tok-variableName', { hasText: 'order' }).waitFor();

    // Undeclared variables the Liquid reads are listed beside the declared one (with its example).
    assert.equal(await page.locator('[data-test=example-order]').inputValue(), 'A-1001');
    await page.locator('[data-test=example-vip]').fill('true');
    await page.locator('[data-test=example-customer]').fill('{"name": "Ada"}');
    const email = page.frameLocator('[data-test=preview-email] iframe');
    await email.getByText('Dear VIP, order A-1001 is paid by Ada.').waitFor();
    await page.locator('[data-test=example-vip]').fill('false');
    await email.getByText('order A-1001 is paid by Ada.', { exact: true }).waitFor();

    // Tab is not trapped: from the title to the body, and on out of the body, which keeps its text.
    await page.locator('#tpl-title').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id), 'tpl-body');
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id), 'tpl-body');
    assert.doesNotMatch(await body.innerText(), /\t/);

    // Declared, they keep the values typed here; publishing needs them declared (it renders with their examples).
    await page.locator('#tpl-variables').fill(JSON.stringify([
      { name: 'order', type: 'string', example: 'A-1001' },
      { name: 'vip', type: 'boolean', example: false },
      { name: 'customer', type: 'object', example: { name: 'Bo' } },
    ]));
    await page.locator('[data-test=variable-examples]').getByText('boolean').waitFor();
    assert.equal(await page.locator('[data-test=example-customer]').inputValue(), '{"name": "Ada"}');

    // A field Herald does not know is refused on save with its path; deleting it saves again.
    await page.locator('[data-test=new-field-path]').fill('channels.fax.text');
    await page.locator('[data-test=add-field]').click();
    await page.locator('[data-test=form-error]', { hasText: 'content.channels.fax' }).waitFor();
    await page.getByRole('button', { name: 'Delete channels.fax.text' }).click();
    await page.locator('[data-test=form-error]').waitFor({ state: 'detached' });

    // A new override field by its path; Herald saves it with the draft.
    await page.locator('[data-test=new-field-path]').fill('channels.email.text');
    await page.locator('[data-test=add-field]').click();
    await page.locator('[id="tpl-field-channels.email.text"]').fill('Plain {{ order }}');
    await page.locator('[id="tpl-field-channels.email.text"] .tok-variableName', { hasText: 'order' }).waitFor();
    await page.locator('[data-test=template-status] .el-tag').waitFor();
    const draft = await waitFor(async () => {
      const stored = await template();
      return stored.content.channels.email.text === 'Plain {{ order }}' && stored;
    }, { what: 'the draft saved with the new field' });
    assert.equal(draft.content.body, '{% if vip %}Dear VIP, {% endif %}order **{{ order }}** is paid by {{ customer.name }}.');
    assert.equal(draft.hasUnpublishedChanges, true);
    // A focused editor's cursor blinks (an endless animation): the page is checked as it settles once focus is elsewhere.
    await page.getByRole('heading', { name: 'Template order.paid' }).click();
    await assertAccessible(page, 'template editor with Liquid');
    await screenshot(page, 'template-editor', 'en');
  });

  test('the versions panel diffs the published version and the draft, line by line, and restores a version into the draft', async () => {
    const versions = page.locator('[data-test=template-versions]');
    await versions.locator('[data-test=version-list]').getByText('v1').waitFor();
    const bodyDiff = versions.locator('[data-test="diff-content.body"]');
    await bodyDiff.waitFor();
    // Removed and added lines carry a sign as well as a colour; the unchanged line is kept for context.
    const removed = bodyDiff.locator('[data-test=diff-removed]');
    const added = bodyDiff.locator('[data-test=diff-added]');
    assert.deepEqual(await removed.allTextContents(), ['-removed: Order **{{ order }}** is paid.', '-removed: Thank you!']);
    assert.deepEqual(await added.allTextContents(), ['+added: {% if vip %}Dear VIP, {% endif %}order **{{ order }}** is paid by {{ customer.name }}.']);
    assert.equal(await removed.first().locator('.sign').innerText(), '-');
    assert.equal(await added.locator('.sign').innerText(), '+');
    await versions.locator('[data-test="diff-content.channels.email.text"] [data-test=diff-added]', { hasText: 'Plain {{ order }}' }).waitFor();
    assert.equal(await versions.locator('[data-test="diff-content.title"]').count(), 0, 'unchanged fields are not listed');

    // Publishing makes v2 the version in use, and the draft is then the same as it.
    await page.locator('[data-test=publish]').click();
    await page.locator('[data-test=template-status]', { hasText: ': 2' }).waitFor();
    await versions.locator('[data-test=version-list] .el-table__row', { hasText: 'v2' }).getByText('in use').waitFor();
    await versions.getByText('Version 2 and Draft are the same').waitFor();
    await assertAccessible(page, 'template versions');

    // v1 restored into the draft: the editor shows it, Herald stores it, v2 stays published.
    await versions.locator('[data-test=restore-1]').click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('#tpl-body').getByText('Thank you!').waitFor();
    await page.locator('[id="tpl-field-channels.email.text"]').waitFor({ state: 'detached' });
    const draft = await template();
    assert.deepEqual(draft.content, firstContent);
    assert.equal(draft.publishedVersion, 2);
    assert.equal(draft.hasUnpublishedChanges, true);
    await versions.locator('[data-test="diff-content.body"] [data-test=diff-added]', { hasText: 'Order **{{ order }}** is paid.' }).waitFor();
    await assertAccessible(page, 'template versions with a diff');
    await versions.locator('[data-test=version-diff]').scrollIntoViewIfNeeded();
    await screenshot(page, 'template-versions', 'en');
  });

  test('in Chinese, the editor and the versions panel pass axe-core too', async () => {
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '简体中文' }).click();
    await page.locator('[data-test=template-versions]').getByRole('heading', { name: '版本' }).waitFor();
    await assertAccessible(page, 'template editor in Chinese');
    await page.locator('h1').scrollIntoViewIfNeeded();
    await screenshot(page, 'template-editor', 'zh-CN');
    await page.locator('[data-test=version-diff]').scrollIntoViewIfNeeded();
    await screenshot(page, 'template-versions', 'zh-CN');
    await page.locator('[data-test=language]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'English' }).click();
  });

  test("the editors complete the template's variables, the keys of their example objects and Herald's filters", async () => {
    const title = page.locator('#tpl-title');
    const options = page.locator('.cm-tooltip-autocomplete [role=option]');
    await title.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' {{ ord');
    // Picked with the mouse: CodeMirror ignores Enter for a moment after the list opens (so fast typing is not taken as a choice).
    await options.filter({ hasText: 'order' }).click();
    await page.keyboard.type(' | mon');
    await options.filter({ hasText: 'money' }).waitFor();
    await page.keyboard.press('Escape');
    for (const _ of ' | mon') await page.keyboard.press('Backspace');

    // A declared variable's example object gives the keys completed after each dot.
    await page.locator('#tpl-variables').fill(JSON.stringify([
      { name: 'order', type: 'string', example: 'A-1001' },
      { name: 'buyer', type: 'object', example: { name: 'Bo', address: { city: 'Hangzhou' } } },
    ]));
    await title.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' }} for {{ buyer.');
    await options.filter({ hasText: 'address' }).waitFor();
    assert.deepEqual((await options.allTextContents()).sort(), ['address', 'name']);
    await page.keyboard.type('ad');
    await options.filter({ hasText: 'address' }).click();
    await page.keyboard.type('.');
    await options.filter({ hasText: 'city' }).click();
    await page.keyboard.type(' }}');
    // The title is one line: Enter adds no line break to it.
    await page.keyboard.press('Enter');
    await waitFor(async () => (await template()).content.title === 'Order {{ order }} paid {{ order }} for {{ buyer.address.city }}', { what: 'the completed title saved with the draft' });
  });

  test('every request the console made is an operation of /openapi.json, and no script failed', async () => {
    const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(requestsOutside(spec, apiRequests), []);
    assert.deepEqual(pageErrors, []);
  });
});
