// Debian's chromium driven by puppeteer-core, never a downloaded browser. Every request the page
// makes is recorded and anything but the file itself is refused, so a test can prove the page
// is self-contained.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function noBrowserReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (scripts/setup-test-tools.sh installs Debian's chromium as root)`;
}

export interface OpenedPage {
  browser: Browser;
  page: Page;
  /** Every URL the page asked for, in order. */
  requests: string[];
}

export async function openFile(file: string, viewport = { width: 1366, height: 900 }): Promise<OpenedPage> {
  const profile = mkdtempSync(join(tmpdir(), 'envtest-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  });
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    requests.push(r.url());
    if (r.url() === url) void r.continue();
    else void r.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  return { browser, page, requests };
}

type Shown = { innerText: string; checkVisibility(): boolean; getBoundingClientRect(): { height: number } };

/** How many elements match and are actually rendered (not hidden, not zero-height). */
export function visibleCount(page: Page, selector: string): Promise<number> {
  return page.$$eval(selector, (els) => els.filter((e) => (e as unknown as Shown).checkVisibility() && (e as unknown as Shown).getBoundingClientRect().height > 0).length);
}

export function textOf(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (e) => (e as unknown as Shown).innerText);
}
