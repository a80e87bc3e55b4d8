// A report.html opened in real Chromium (Debian's /usr/bin/chromium through playwright-core): one browser per test
// file, a page per report with its console errors and uncaught exceptions collected.
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The file (with an optional `#S-123`) at 1280×800, loaded; `errors` collects what the page's script threw or logged. */
export async function openReport(browser: Browser, file: string, hash = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}${hash}`, { waitUntil: 'load' });
  return { page, errors };
}
