import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, with everything that would phone home or update itself switched
 * off, so browser tests run offline and alike on every machine.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
