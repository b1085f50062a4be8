import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/**
 * Helpers for the web console's browser tests (test/browser/console-*.test.ts): the built console's
 * presence, axe-core checks, screenshots, and the check that every API request the console made is an
 * operation of /openapi.json.
 */
const root = path.resolve(import.meta.dirname, '../..');

export const CONSOLE_DIST = path.join(root, 'console/dist');

export function assertConsoleBuilt(): void {
  assert.ok(existsSync(path.join(CONSOLE_DIST, 'index.html')), 'console/dist/index.html is missing: run `npm run console:build` (npm install runs it)');
}

/**
 * The page's globals as these helpers use them (this project's TypeScript has no DOM types). Page
 * functions are passed as functions, not strings: the console's Content-Security-Policy forbids eval.
 * (They run in the page, so they name page globals only, never this module's variables.)
 */
interface AxeResult {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
}
interface PageGlobals {
  document: { getAnimations(): Array<{ playState: string }>; querySelectorAll(selector: string): { forEach(each: (element: { remove(): void }) => void): void } };
  axe?: { run(context: unknown, options: object): Promise<AxeResult> };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Makes axe-core available on every page of the context. An init script runs outside the page's
 * Content-Security-Policy, so the console is tested under its real policy (an inline script tag
 * would need the policy bypassed).
 */
export async function enableAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: axeSource });
}

/** Runs axe-core (see enableAxe) on the page as it is and fails on serious or critical violations (WCAG 2.x A/AA rules). */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  // Mid-transition (a dialog fading in) colours are blends that no one reads: check the settled page.
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getAnimations().every((animation) => animation.playState !== 'running'));
  assert.ok(await page.evaluate(() => (globalThis as unknown as PageGlobals).axe !== undefined), 'axe-core is missing: call enableAxe(context) first');
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as PageGlobals).axe!.run((globalThis as unknown as PageGlobals).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')) }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  assert.deepEqual(serious, [], `axe-core found serious or critical violations on ${where}`);
}

/** HERALD_WRITE_SCREENSHOTS=1 writes docs/console/<name>-<locale>.png (the README shows them). */
export async function screenshot(page: Page, name: string, locale: string): Promise<void> {
  if (process.env.HERALD_WRITE_SCREENSHOTS !== '1') return;
  const directory = path.join(root, 'docs/console');
  mkdirSync(directory, { recursive: true });
  // Toasts of the step before are not part of the page shown.
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('.el-message').forEach((toast) => toast.remove()));
  await page.screenshot({ path: path.join(directory, `${name}-${locale}.png`), fullPage: false });
}

/** A link of the console's sidebar (its `nav` landmark) by its whole text, in either language. */
export function navLink(page: Page, name: string): Locator {
  return page.locator('[data-test=nav]').getByRole('link', { name, exact: true });
}

/** An OpenAPI path template as a regular expression: `/v1/messages/{id}` matches `/v1/messages/msg_1`. */
function pathPattern(template: string): RegExp {
  return new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
}

/** The operations (METHOD path-template) of an OpenAPI document. */
export function operationsOf(spec: { paths: Record<string, Record<string, unknown>> }): Array<{ method: string; path: string; pattern: RegExp }> {
  return Object.entries(spec.paths).flatMap(([template, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path: template, pattern: pathPattern(template) })));
}

/** The requests (METHOD pathname) that are not operations of the document. */
export function requestsOutside(spec: { paths: Record<string, Record<string, unknown>> }, requests: Iterable<string>): string[] {
  const operations = operationsOf(spec);
  return [...new Set(requests)].filter((request) => {
    const [method, pathname] = request.split(' ') as [string, string];
    return !operations.some((operation) => operation.method === method && operation.pattern.test(pathname));
  });
}

/** What console pages did in a browser test: the API requests they made (METHOD pathname) and script errors. */
export interface ConsoleRecord {
  apiRequests: string[];
  pageErrors: string[];
}

/**
 * A page in a new context set up as every console browser test wants it: English, axe-core, a step
 * timeout with margin for a loaded machine, and the page's API requests and script errors recorded.
 * Refused requests (a problem shown in a form) log "Failed to load resource": expected, not recorded.
 */
export async function openConsolePage(
  browser: Browser,
  base: string,
  record: ConsoleRecord,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-US', viewport });
  await enableAxe(context);
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => record.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) record.pageErrors.push(message.text());
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === base && request.resourceType() === 'fetch') record.apiRequests.push(`${request.method()} ${url.pathname}`);
  });
  return { context, page };
}

/** Picks `label` in an Element Plus select (a selector or a locator): opens it and clicks the visible option. */
export async function chooseOption(page: Page, select: string | Locator, label: string): Promise<void> {
  await (typeof select === 'string' ? page.locator(select) : select).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
}

/** Switches the console's language with the header's select. */
export function switchLanguage(page: Page, label: 'English' | '简体中文'): Promise<void> {
  return chooseOption(page, '[data-test=language]', label);
}

