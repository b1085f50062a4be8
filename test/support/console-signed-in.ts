import type { Browser, BrowserContext, Page } from 'playwright-core';
import { enableAxe } from './console-browser.ts';
import { consoleSession, type TestHerald } from './test-herald.ts';

/** What the console pages of a browser test did: the API requests made (METHOD pathname) and script errors. */
export interface ConsoleRecord {
  apiRequests: string[];
  pageErrors: string[];
}

/**
 * A browser context signed in to the console at `base` as a new user of `role` (the session cookie
 * set directly: the login page has its own test), with axe-core, the browser tests' timeout, and its
 * API requests and script errors recorded into `record`.
 */
export async function signedInPage(browser: Browser, herald: TestHerald, base: string, role: 'owner' | 'admin' | 'operator' | 'viewer', record: ConsoleRecord): Promise<{ context: BrowserContext; page: Page }> {
  const { cookie } = await consoleSession(herald, role);
  const [name, value] = cookie.split('=') as [string, string];
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name, value, url: base }]);
  await enableAxe(context);
  // A step takes well under a second on loopback; the margin is for a loaded machine.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => record.pageErrors.push(error.message));
  // Refused requests (a problem shown in a form) log "Failed to load resource": expected.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) record.pageErrors.push(message.text());
  });
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === base && request.resourceType() === 'fetch') record.apiRequests.push(`${request.method()} ${url.pathname}`);
  });
  return { context, page };
}
