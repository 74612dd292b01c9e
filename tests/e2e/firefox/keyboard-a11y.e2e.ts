/**
 * Firefox ESR, MV3 build: the same keyboard-only path as in Chromium (keyboard.e2e.ts) — Tab to
 * Block, Enter, Tab to the confirm button, Space, blocked on the server, focus back on the bar,
 * Tab to Undo, Enter, active again — and axe-core on our nodes (the bar, the confirmation, the
 * undo toast and the composer lock): no serious or critical violation in Firefox either.
 */
import type { Page } from 'puppeteer-core';
import { afterEach, expect, test } from 'vitest';
import { axeProblems, OUR_NODES } from '../harness/axe';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { connectFirefox, until } from '../harness/firefox-steps';
import { connection, serverStatus, startInbox, type ReferenceInbox } from '../harness/inbox';

let inbox: ReferenceInbox;
let firefox: FirefoxSession;

afterEach(async () => {
  await firefox?.close();
  await inbox?.close();
});


/** The text of `testId` in any of our shadow roots, or null. */
const shadowText = (page: Page, testId: string) =>
  page.evaluate((id) => {
    for (const host of document.querySelectorAll('[data-inbox-guard]')) {
      const element = host.shadowRoot?.querySelector(`[data-testid="${id}"]`);
      if (element) return element.textContent ?? '';
    }
    return null;
  }, testId);

/** Where the keyboard focus is, looking into shadow roots. */
const focus = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    let host: string | null = null;
    while (active?.shadowRoot?.activeElement) {
      host = active.tagName.toLowerCase();
      active = active.shadowRoot.activeElement;
    }
    return { testId: active?.getAttribute('data-testid') ?? null, host, focusVisible: active?.matches(':focus-visible') ?? false };
  });

async function tabTo(page: Page, testId: string, max = 60): Promise<void> {
  for (let presses = 0; presses < max; presses += 1) {
    await page.keyboard.press('Tab');
    if ((await focus(page)).testId === testId) return;
  }
  throw new Error(`${testId} not reached in ${max} presses of Tab`);
}

test('Firefox: block through the confirmation and undo by keyboard alone; axe finds nothing serious in our nodes', async () => {
  inbox = await startInbox('chatwoot');
  firefox = await launchFirefox();
  const options = await firefox.optionsPage();
  const admin = connection(inbox, 'admin');
  expect(await connectFirefox(options, admin)).toMatch(/^connected/);
  expect(await axeProblems(options), 'options page').toEqual([]);

  const page = await firefox.browser.newPage();
  await page.goto(`${inbox.url}/inbox`);
  await page.type('.ri-signin input[name="token"]', inbox.tokens.admin);
  await page.click('.ri-signin button');
  await page.waitForSelector('.ri-row');
  for (const row of await page.$$('.ri-row')) {
    if ((await row.evaluate((element) => element.textContent ?? '')).includes('Promo Relâmpago')) await row.click();
  }
  await until(() => shadowText(page, 'ig-status-badge'), (text) => text === 'Active', 'the Active badge');
  expect(await axeProblems(page, { scope: OUR_NODES }), 'action bar').toEqual([]);
  // From here on: the keyboard only.

  await tabTo(page, 'ig-action-bar-block');
  expect(await focus(page)).toEqual({ testId: 'ig-action-bar-block', host: 'inbox-guard-bar', focusVisible: true });
  await page.keyboard.press('Enter');
  await until(() => shadowText(page, 'ig-confirm'), (text) => Boolean(text?.includes('Block Promo Relâmpago?')), 'the confirmation');
  expect(await focus(page)).toMatchObject({ testId: 'ig-confirm-cancel', host: 'inbox-guard-dialog' });
  expect(await axeProblems(page, { scope: OUR_NODES }), 'confirmation').toEqual([]);
  await page.keyboard.press('Tab');
  expect((await focus(page)).testId).toBe('ig-confirm-confirm');
  await page.keyboard.press(' '); // Space

  await until(() => shadowText(page, 'ig-status-badge'), (text) => text === 'Blocked', 'the Blocked badge');
  await until(async () => serverStatus(inbox, 'Promo Relâmpago'), (status) => status === 'blocked', 'blocked on the server');
  await until(() => focus(page), (where) => where.testId === 'ig-action-bar-unblock', 'the focus back on the bar');
  await until(() => shadowText(page, 'ig-composer-lock'), Boolean, 'the composer lock');
  expect(await axeProblems(page, { scope: OUR_NODES }), 'undo toast and composer lock').toEqual([]);

  await tabTo(page, 'ig-undo-action');
  expect(await focus(page)).toMatchObject({ host: 'inbox-guard-toast', focusVisible: true });
  await page.keyboard.press('Enter');
  await until(() => shadowText(page, 'ig-status-badge'), (text) => text === 'Active', 'the Active badge again');
  await until(async () => serverStatus(inbox, 'Promo Relâmpago'), (status) => status === 'active', 'active on the server');
});
