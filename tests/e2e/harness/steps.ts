/**
 * What a user does, as Playwright steps: connect the extension from its options page, sign in
 * to the reference inbox, open a conversation. Tests read like the user's story.
 */
import type { Page } from 'playwright-core';
import type { ChromiumSession } from './chromium';
import type { ReferenceInbox } from './inbox';

export interface Connection {
  apiStyle: 'helena' | 'chatwoot';
  serverUrl: string;
  accountId: string;
  agentEmail: string;
  token: string;
  remember?: boolean;
  /** Selector overrides, as an admin types them (JSON). */
  selectors?: string;
}

/** Fills the options page and presses "Test connection"; returns the page on its outcome. */
export async function connectExtension(session: ChromiumSession, connection: Connection): Promise<Page> {
  const page = await session.context.newPage();
  // Right after launch the extension may still be starting: one more try.
  await page.goto(session.extensionUrl('options.html')).catch(async () => {
    await page.waitForTimeout(1_000);
    await page.goto(session.extensionUrl('options.html'));
  });
  await page.getByTestId('ig-options-platform').selectOption('reference');
  await page.getByTestId(`ig-options-apiStyle-${connection.apiStyle}`).check();
  await page.getByTestId('ig-options-serverUrl').fill(connection.serverUrl);
  if (connection.apiStyle === 'chatwoot') await page.getByTestId('ig-options-accountId').fill(connection.accountId);
  else await page.getByTestId('ig-options-agentEmail').fill(connection.agentEmail);
  await page.getByTestId('ig-options-token').fill(connection.token);
  if (connection.remember) await page.getByTestId('ig-options-remember').check();
  if (connection.selectors) {
    await page.locator('.ig-options__advanced summary').click();
    await page.getByTestId('ig-options-selectors').fill(connection.selectors);
  }
  await page.getByTestId('ig-options-test').click();
  await page.locator('[data-testid="ig-options-outcome"]:is([data-kind="connected"], [data-kind="error"])').waitFor();
  return page;
}

/** Opens the reference inbox and signs in to it (the site's own sign-in) with `token`. */
export async function signInToInbox(page: Page, inbox: ReferenceInbox, token: string): Promise<void> {
  await page.goto(`${inbox.url}/inbox`);
  const form = page.locator('.ri-signin input[name="token"]');
  await Promise.race([form.waitFor(), page.locator('.ri-list__items').waitFor()]);
  // The site remembers its own sign-in (after a browser restart, say).
  if (await form.isVisible()) {
    await form.fill(token);
    await page.locator('.ri-signin button[type="submit"], .ri-signin button').first().click();
  }
  await page.locator('.ri-list__items').waitFor();
}

/**
 * Clicks a conversation in the list (in the Resolved tab when asked). A blocked contact's
 * conversation has left the list: it is reached through Inbox Guard's "Blocked" view.
 */
export async function openConversation(page: Page, name: string, tab: 'Open' | 'Resolved' = 'Open', options: { blocked?: boolean } = {}): Promise<void> {
  await page.locator('.ri-list__tabs [role="tab"]', { hasText: tab }).click();
  if (options.blocked) await openFromBlockedView(page, name);
  else await page.locator('.ri-row', { has: page.locator('.ri-row__name', { hasText: name }) }).first().click();
  await page.locator('.ri-chat__name', { hasText: name }).waitFor();
}

/** Inbox Guard's "Blocked" view above the page's list (turned on if it is not), then the contact's row. */
export async function openFromBlockedView(page: Page, name: string): Promise<void> {
  const view = page.getByTestId('ig-blocked-view');
  await view.waitFor();
  if ((await view.getAttribute('aria-pressed')) !== 'true') await view.click();
  await blockedViewRow(page, name).locator('.ig-view-open').click();
}

export const blockedViewRow = (page: Page, name: string) => page.getByTestId('ig-blocked-view-row').filter({ hasText: name });

export const actionBar = (page: Page) => page.getByTestId('ig-action-bar');
export const badge = (page: Page) => page.getByTestId('ig-status-badge');
export const barButton = (page: Page, action: 'block' | 'unblock' | 'archive' | 'unarchive') =>
  page.getByTestId(`ig-action-bar-${action}`);
export const confirmDialog = (page: Page) => page.getByTestId('ig-confirm');
export const confirmButton = (page: Page) => page.getByTestId('ig-confirm-confirm');

/**
 * Records, at every animation frame (before paint), whether `text` is rendered anywhere on
 * the page; `innerText` leaves out what CSS hides. Read the verdict with `paintedText`.
 */
export async function watchPaint(page: Page, text: string): Promise<void> {
  await page.evaluate((needle) => {
    const probe = { painted: false, frames: 0 };
    (window as unknown as { __igPaint: typeof probe }).__igPaint = probe;
    const tick = () => {
      probe.frames += 1;
      if (document.body.innerText.includes(needle)) probe.painted = true;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, text);
}

export async function paintedText(page: Page): Promise<{ painted: boolean; frames: number }> {
  return page.evaluate(() => (window as unknown as { __igPaint: { painted: boolean; frames: number } }).__igPaint);
}
