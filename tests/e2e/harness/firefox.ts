/**
 * Real Firefox ESR with the e2e MV3 build, driven by puppeteer-core over WebDriver BiDi.
 *
 * Firefox will not let BiDi navigate a tab to a moz-extension:// page, so the extension's
 * uuid is pinned (pref `extensions.webextensions.uuids`) and the options page used is the one
 * the extension opens itself on install. Puppeteer keeps "about:blank" as the URL of tabs the
 * extension navigates, so pages are found by asking them where they are.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { FIREFOX, FIREFOX_EXTENSION, requireBuild } from './paths';

export const GECKO_ID = 'inbox-guard@inbox-guard.dev';
export const EXTENSION_UUID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';

export interface FirefoxSession {
  browser: Browser;
  /** The tab the extension opened on install (its options page). */
  optionsPage(): Promise<Page>;
  /** A tab the extension opened (tabs.create) on one of its pages, e.g. 'popup.html'. */
  extensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

async function where(page: Page): Promise<string> {
  try {
    return await page.evaluate(() => location.href);
  } catch {
    return '';
  }
}

export interface FirefoxLaunch {
  /** Another build of the extension (a copy with its own gecko id, say); the e2e build by default. */
  extensionDir?: string;
  /** The gecko id in that build's manifest (its uuid is pinned too). */
  geckoId?: string;
  /** More preferences, over the defaults (English UI). */
  prefs?: Record<string, string | number | boolean>;
}

export async function launchFirefox({ extensionDir = requireBuild(FIREFOX_EXTENSION), geckoId = GECKO_ID, prefs = {} }: FirefoxLaunch = {}): Promise<FirefoxSession> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // As the Chromium harness: a desktop window, not Puppeteer's 800×600.
    defaultViewport: { width: 1440, height: 900 },
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: EXTENSION_UUID }),
      'intl.locale.requested': 'en-US',
      ...prefs,
    },
  });
  await browser.installExtension(extensionDir);
  const extensionPage = async (path: string) => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      for (const page of await browser.pages()) {
        if ((await where(page)).startsWith(`moz-extension://${EXTENSION_UUID}/${path}`)) return page;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the extension did not open ${path}`);
  };
  return {
    browser,
    optionsPage: () => extensionPage('options.html'),
    extensionPage,
    close: () => browser.close().catch(() => undefined),
  };
}
