/**
 * The real Chatwoot 4.10 dashboard (real-chatwoot.ts starts it) in Firefox ESR, as Puppeteer
 * steps over WebDriver BiDi: connect Inbox Guard from the settings page the extension opened at
 * install (firefox.ts pins its uuid), sign in to the dashboard through its login page as a user
 * does, open a conversation, type in the ProseMirror reply box, use the dashboard's own ⋮ menu. Inbox Guard's overlay is read and pressed with
 * firefox-steps.ts (`inShadow`, `clickInShadow`, `until`).
 */
import type { Browser, Page } from 'puppeteer-core';
import { until } from './firefox-steps';
import type { RealChatwoot } from './real-chatwoot';

/** The seeded users' sign-in (../shared/platforms/chatwoot-4.10/README.md). */
export const LOGINS = {
  admin: { email: 'ana@acme.test', password: 'Password1!' },
  agent: { email: 'bruno@acme.test', password: 'Password1!' },
} as const;

/** Fills the settings page as a Chatwoot user would and presses "Test connection"; its outcome ("connected: …"). */
export async function connectFirefoxToChatwoot(options: Page, cw: RealChatwoot, role: 'admin' | 'agent' = 'admin'): Promise<string> {
  await options.select('[data-testid="ig-options-platform"]', 'chatwoot');
  await options.type('[data-testid="ig-options-serverUrl"]', cw.url);
  await options.type('[data-testid="ig-options-accountId"]', '1');
  await options.type('[data-testid="ig-options-token"]', cw.tokens[role]);
  await options.click('[data-testid="ig-options-test"]');
  return until(
    () => options.$eval('[data-testid="ig-options-outcome"]', (element) => `${(element as HTMLElement).dataset.kind}: ${element.textContent}`),
    (text) => !text.startsWith('idle') && !text.startsWith('busy'),
    'the connection test',
  );
}

/** Signs in on the dashboard's login page (/app/login) in a new tab, as a user does; resolves on the dashboard. */
export async function signInToChatwoot(browser: Browser, cw: RealChatwoot, role: 'admin' | 'agent' = 'admin'): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${cw.url}/app/login`);
  await page.waitForSelector('[data-testid="email_input"]');
  await page.type('[data-testid="email_input"]', LOGINS[role].email);
  await page.type('[data-testid="password_input"]', LOGINS[role].password);
  await page.click('[data-testid="submit_button"]');
  await until(() => page.evaluate(() => location.pathname), (path) => path.startsWith('/app/accounts/'), 'the dashboard after signing in', 30_000);
  return page;
}

/**
 * Opens a conversation by its address (a signed-in tab) at 1440×900 (Puppeteer's default is
 * 800×600, where Chatwoot stacks its header in two rows) and waits for the dashboard to draw it.
 */
export async function openChatwootConversation(page: Page, cw: RealChatwoot, conversationId: number): Promise<void> {
  await page.setViewport({ width: 1440, height: 900 });
  await page.goto(`${cw.url}/app/accounts/1/conversations/${conversationId}`);
  await page.waitForSelector('.conversation-details-wrap .header-actions-wrap', { timeout: 30_000 });
}

/** The contact name in the conversation header, and whether our bar sits in that header's box. */
export const headerState = (page: Page) =>
  page.evaluate(() => {
    const header = document.querySelector('.conversation-details-wrap :has(> .header-actions-wrap)');
    const bar = header?.querySelector('inbox-guard-bar');
    const name = header?.querySelector('span.font-medium.truncate')?.textContent?.trim() ?? '';
    if (!header || !bar) return { name, inHeader: false, bars: document.querySelectorAll('inbox-guard-bar').length };
    const outer = header.getBoundingClientRect();
    const inner = bar.getBoundingClientRect();
    const inHeader = inner.height > 0 && inner.top >= outer.top && inner.bottom <= outer.bottom && inner.right <= outer.right && inner.left >= outer.left;
    return { name, inHeader, bars: document.querySelectorAll('inbox-guard-bar').length };
  });

/** Types in the reply box as a user does: a click into the ProseMirror editor, then the keys. */
export async function typeReplyFirefox(page: Page, text: string): Promise<void> {
  await page.click('.reply-box .ProseMirror');
  await page.keyboard.type(text);
}

/** Ctrl+Enter, the dashboard's "send" keys, in the focused editor. */
export async function pressCtrlEnter(page: Page): Promise<void> {
  await page.keyboard.down('Control');
  await page.keyboard.press('Enter');
  await page.keyboard.up('Control');
}

/** The dashboard's own ⋮ in the header, then the item whose text is `item` ("Block Contact", "Unblock Contact"). */
export async function pickHeaderMenu(page: Page, item: string): Promise<void> {
  await page.click('.conversation-details-wrap button:has(> span.i-lucide-more-vertical)');
  const button = await until(
    async () => {
      for (const handle of await page.$$('.actions--container button')) {
        if ((await handle.evaluate((element) => element.textContent?.trim())) === item) return handle;
      }
      return null;
    },
    Boolean,
    `"${item}" in the ⋮ menu`,
  );
  await button!.click();
}
