/**
 * The README's screenshots (docs/screenshots/), made by the end-to-end run on the reference
 * inbox, never by hand: the action bar, the confirmation dialog, the blocked conversation with
 * the hidden-messages pill and the composer lock, and the options page. Each one must come out
 * as a real PNG of a sensible size, or the test fails.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, contactNamed, startInbox, type ReferenceInbox } from '../harness/inbox';
import { badge, barButton, confirmButton, confirmDialog, connectExtension, openConversation, signInToInbox } from '../harness/steps';

const DIR = join(process.cwd(), 'docs', 'screenshots');

let inbox: ReferenceInbox;
let browser: ChromiumSession;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

/** Saves a screenshot of `what` (a page or an element) and checks the file is a real image. */
async function shoot(what: Page | Locator, name: string, minWidth: number, fullPage = false): Promise<void> {
  const path = join(DIR, `${name}.png`);
  if (fullPage) await (what as Page).screenshot({ path, animations: 'disabled', fullPage });
  else await what.screenshot({ path, animations: 'disabled' });
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString('latin1'), `${name}.png is a PNG`).toBe('PNG');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(width, `${name}.png width`).toBeGreaterThanOrEqual(minWidth);
  expect(height, `${name}.png height`).toBeGreaterThan(20);
  expect(statSync(path).size, `${name}.png size`).toBeGreaterThan(2_000);
}

test('README screenshots: action bar, confirmation, hidden messages and composer lock, options page', async () => {
  mkdirSync(DIR, { recursive: true });
  inbox = await startInbox('chatwoot');
  browser = await launchChromium();
  const options = await connectExtension(browser, connection(inbox, 'admin'));
  await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  await shoot(options, 'options', 800, true);

  const page = await browser.context.newPage();
  // Wide enough that the inbox's header does not squeeze the contact's name.
  await page.setViewportSize({ width: 1680, height: 900 });
  await signInToInbox(page, inbox, inbox.tokens.admin);
  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  const header = page.locator('.ri-chat__header');
  await shoot(header, 'action-bar', 400);

  await barButton(page, 'block').click();
  await expect.poll(() => confirmDialog(page).isVisible()).toBe(true);
  await shoot(page, 'confirm-dialog', 800);

  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Blocked');
  await inbox.control.burst({ contactId: contactNamed(inbox, 'Promo Relâmpago').id, count: 3, text: 'Oferta imperdível!' });
  await expect.poll(() => page.getByTestId('ig-action-bar-hidden').textContent()).toBe('3 hidden');
  await expect.poll(() => page.getByTestId('ig-undo').count(), { timeout: 8_000 }).toBe(0);
  // Move the pointer off the bar so no hover state shows.
  await page.mouse.move(5, 5);
  await shoot(page.locator('.ri-chat'), 'hidden-pill', 400);
});
