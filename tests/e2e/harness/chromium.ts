/**
 * Real Chromium with the unpacked e2e build: a persistent context (extensions need one), the
 * extension's service worker, and its id. Driven by playwright-core against /usr/bin/chromium.
 *
 * Also what the durability tests need from the browser itself: stop the service worker (the
 * DevTools protocol's Target.closeTarget, as Chrome does to an idle worker), restart the
 * browser on the same profile, withhold and restore the host permission the way a user does
 * it on chrome://extensions, and ask the background something from an extension page.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { CHROME_EXTENSION, CHROMIUM, requireBuild } from './paths';

export interface ChromiumSession {
  context: BrowserContext;
  extensionId: string;
  userDataDir: string;
  extensionUrl(path: string): string;
  /** The extension's service worker as it runs now (started if need be). */
  worker(): Promise<Worker>;
  /** Stops the service worker, as Chrome does when it has been idle. */
  stopWorker(): Promise<void>;
  /** Sends one protocol message from an extension page; resolves with the raw reply. */
  ask(type: string, payload: unknown): Promise<unknown>;
  /** chrome://extensions → Site access: "On click" (withheld) or "On all sites". */
  setHostAccess(access: 'ON_CLICK' | 'ON_ALL_SITES'): Promise<void>;
  /** chrome://extensions → Developer mode → Reload, as a developer (or an update) does. */
  reloadExtension(): Promise<void>;
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

/** Runs `work` on chrome://extensions, where `chrome.developerPrivate` is what its buttons call. */
async function onExtensionsPage(context: BrowserContext, work: (page: Page) => Promise<void>): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto('chrome://extensions');
    await page.evaluate(() => {
      (globalThis as unknown as { developerPrivate: () => unknown }).developerPrivate = () =>
        (globalThis as unknown as { chrome: { developerPrivate: unknown } }).chrome.developerPrivate;
    });
    await work(page);
  } finally {
    await page.close();
  }
}

/** Declared for the callbacks evaluated on chrome://extensions (defined there by onExtensionsPage). */
declare function developerPrivate(): {
  updateExtensionConfiguration(update: object): Promise<void>;
  updateProfileConfiguration(update: object): Promise<void>;
  reload(extensionId: string, options: object): Promise<void>;
};

export interface LaunchOptions {
  headless?: boolean;
  language?: string;
  /** Reuse a profile (a browser restart). */
  userDataDir?: string;
  /** Another unpacked build than .output/chrome-mv3-e2e (a copy with its own `key`, say). */
  extensionDir?: string;
}

export async function launchChromium(options: LaunchOptions = {}): Promise<ChromiumSession> {
  const extensionDir = requireBuild(options.extensionDir ?? CHROME_EXTENSION);
  const userDataDir = options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'ig-chromium-')));
  const language = options.language ?? 'en-US';
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    locale: language,
    viewport: { width: 1440, height: 900 },
    env: { ...process.env, LANGUAGE: language.replace('-', '_'), LANG: `${language.replace('-', '_')}.UTF-8` },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--lang=${language}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const first = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  const extensionId = new URL(first.url()).host;
  const extensionUrl = (path: string) => `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;
  let helperPage: Page | undefined;

  const extensionPage = async () => {
    if (!helperPage || helperPage.isClosed()) {
      helperPage = await context.newPage();
      await helperPage.goto(extensionUrl('options.html'));
    }
    return helperPage;
  };

  return {
    context,
    extensionId,
    userDataDir,
    extensionUrl,
    async worker() {
      const running = context.serviceWorkers().find((worker) => worker.url().startsWith(`chrome-extension://${extensionId}/`));
      if (running) return running;
      await extensionPage();
      return context.serviceWorkers()[0] ?? context.waitForEvent('serviceworker', { timeout: 10_000 });
    },
    async stopWorker() {
      const page = await context.newPage();
      try {
        const cdp = await context.newCDPSession(page);
        const { targetInfos } = await cdp.send('Target.getTargets');
        for (const target of targetInfos) {
          if (target.type === 'service_worker' && target.url.startsWith(`chrome-extension://${extensionId}/`)) {
            await cdp.send('Target.closeTarget', { targetId: target.targetId });
          }
        }
        // Give Chrome a moment to tear the worker down before anything wakes it again.
        await page.waitForTimeout(300);
      } finally {
        await page.close();
      }
    },
    async ask(type, payload) {
      const page = await extensionPage();
      return page.evaluate(
        ([messageType, messagePayload]) =>
          // Runs in the extension page, where `chrome` is the extension API.
          (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({
            type: messageType,
            payload: messagePayload,
          }),
        [type, payload] as const,
      );
    },
    async setHostAccess(access) {
      await onExtensionsPage(context, async (page) => {
        await page.evaluate(
          async ([id, hostAccess]) => {
            await developerPrivate().updateExtensionConfiguration({ extensionId: id, hostAccess });
          },
          [extensionId, access] as const,
        );
      });
    },
    async reloadExtension() {
      await onExtensionsPage(context, async (page) => {
        await page.evaluate(async (id) => {
          // Chrome only reloads an unpacked extension in developer mode.
          await developerPrivate().updateProfileConfiguration({ inDeveloperMode: true });
          await developerPrivate().reload(id, { failQuietly: true });
        }, extensionId);
      });
    },
    async close({ keepProfile = false } = {}) {
      await context.close().catch(() => undefined);
      if (!keepProfile) await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
