import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openConsolePage, type ConsoleRecord } from './console-browser.ts';
import { consoleSession, type TestHerald } from './test-herald.ts';

export type { ConsoleRecord } from './console-browser.ts';

/**
 * A console page signed in at `base` as a new user of `role` (the session cookie set directly: the
 * login page has its own test), set up and recorded as `openConsolePage` does.
 */
export async function signedInPage(browser: Browser, herald: TestHerald, base: string, role: 'owner' | 'admin' | 'operator' | 'viewer', record: ConsoleRecord): Promise<{ context: BrowserContext; page: Page }> {
  const { cookie } = await consoleSession(herald, role);
  const [name, value] = cookie.split('=') as [string, string];
  const opened = await openConsolePage(browser, base, record);
  await opened.context.addCookies([{ name, value, url: base }]);
  return opened;
}
