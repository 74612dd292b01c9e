/**
 * Keyboard only, in real Chromium on the reference inbox, as an admin: after signing in and
 * opening the conversation (clicks), nothing but Tab, Shift+Tab, Enter, Space and Escape.
 * Reach Block in the action bar, open the confirmation (Escape once to back out), confirm, see
 * Blocked on the badge and on the server; then reach Undo in the toast, press it, see Active
 * on both. At each stop the focus is where a user expects it and visibly marked.
 */
import type { Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, serverStatus, startInbox, type ReferenceInbox } from '../harness/inbox';
import { badge, confirmDialog, connectExtension, openConversation, signInToInbox } from '../harness/steps';

let inbox: ReferenceInbox;
let browser: ChromiumSession;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

interface Focus {
  testId: string | null;
  text: string;
  /** The shadow host it lives under (our overlay), or null for the page's own elements. */
  host: string | null;
  focusVisible: boolean;
  /** A visible focus ring: an outline of at least 2 px, or a box shadow. */
  ring: boolean;
}

/** Where the keyboard focus is, looking into shadow roots. */
const focus = (page: Page): Promise<Focus> =>
  page.evaluate(() => {
    let active = document.activeElement;
    let host: string | null = null;
    while (active?.shadowRoot?.activeElement) {
      host = active.tagName.toLowerCase();
      active = active.shadowRoot.activeElement;
    }
    if (!active || active === document.body) return { testId: null, text: '', host, focusVisible: false, ring: false };
    const style = getComputedStyle(active);
    return {
      testId: active.getAttribute('data-testid'),
      text: active.textContent?.trim() ?? '',
      host,
      focusVisible: active.matches(':focus-visible'),
      ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    };
  });

/** Presses Tab (or Shift+Tab) until the element with `testId` has the focus; how many presses. */
async function tabTo(page: Page, testId: string, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 60): Promise<number> {
  for (let presses = 1; presses <= max; presses += 1) {
    await page.keyboard.press(key);
    if ((await focus(page)).testId === testId) return presses;
  }
  throw new Error(`${testId} not reached in ${max} presses of ${key}`);
}

test('an admin blocks with the keyboard alone, through the confirmation, then undoes it', async () => {
  inbox = await startInbox('helena');
  browser = await launchChromium();
  const options = await connectExtension(browser, connection(inbox, 'admin'));
  await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  const page = await browser.context.newPage();
  await signInToInbox(page, inbox, inbox.tokens.admin);
  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  // From here on: the keyboard only.

  await tabTo(page, 'ig-action-bar-block');
  expect(await focus(page)).toMatchObject({ host: 'inbox-guard-bar', text: 'Block', focusVisible: true, ring: true });

  // Enter opens the confirmation with the focus on Cancel (blocking is destructive); Escape
  // backs out and the focus is back on Block.
  await page.keyboard.press('Enter');
  await expect.poll(() => confirmDialog(page).textContent()).toContain('Block Promo Relâmpago?');
  expect(await focus(page)).toMatchObject({ host: 'inbox-guard-dialog', testId: 'ig-confirm-cancel', focusVisible: true, ring: true });
  await page.keyboard.press('Escape');
  await expect.poll(() => confirmDialog(page).count()).toBe(0);
  expect(await focus(page)).toMatchObject({ testId: 'ig-action-bar-block', focusVisible: true });
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');

  // Space opens it again; the focus stays inside: Tab to Block, Tab wraps to Cancel, Shift+Tab
  // back to Block; Space confirms.
  await page.keyboard.press('Space');
  await expect.poll(() => confirmDialog(page).isVisible()).toBe(true);
  await page.keyboard.press('Tab');
  expect(await focus(page)).toMatchObject({ testId: 'ig-confirm-confirm', text: 'Block', focusVisible: true, ring: true });
  await page.keyboard.press('Tab');
  expect((await focus(page)).testId).toBe('ig-confirm-cancel');
  await page.keyboard.press('Shift+Tab');
  expect((await focus(page)).testId).toBe('ig-confirm-confirm');
  await page.keyboard.press('Space');

  await expect.poll(() => badge(page).textContent()).toBe('Blocked');
  await expect.poll(() => serverStatus(inbox, 'Promo Relâmpago')).toBe('blocked');
  // The focus is back in the bar, on the same control, now Unblock.
  await expect.poll(() => focus(page)).toMatchObject({ host: 'inbox-guard-bar', testId: 'ig-action-bar-unblock', text: 'Unblock', focusVisible: true });

  // The toast says what was done; Undo is reached from the bar by Tab, and waits while focused.
  await expect.poll(() => page.getByTestId('ig-undo').textContent()).toContain('Promo Relâmpago is blocked.');
  const presses = await tabTo(page, 'ig-undo-action');
  expect(presses).toBeLessThanOrEqual(10);
  expect(await focus(page)).toMatchObject({ host: 'inbox-guard-toast', text: 'Undo', focusVisible: true, ring: true });
  // Past the five seconds, the toast is still there for the user who is on it.
  await page.waitForTimeout(5_500);
  expect(await page.getByTestId('ig-undo').isVisible()).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  await expect.poll(() => serverStatus(inbox, 'Promo Relâmpago')).toBe('active');
  expect(await page.getByTestId('ig-undo').count()).toBe(0);
});
