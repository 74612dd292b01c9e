/**
 * The real Chatwoot 4.10 dashboard (../shared/platforms/chatwoot-4.10/) at the widths people
 * use it, 1024 to 1440 px, with and without Chatwoot's contact panel, in light and dark theme.
 *
 * - The bar sits inside the header's box and nothing of the page covers its controls
 *   (`elementFromPoint` at each one), in whichever form fits: the full bar, the badge and a
 *   menu, or the badge's dot in the line under the name.
 * - The contact's name shows as much of itself as it does without Inbox Guard: measured first
 *   in a browser without the extension, at the same widths, for a short and a long name.
 * - The compact form's menu does what the bar does (by mouse and by keyboard).
 * - The Blocked switch counts blocked contacts (the store and the platform), never the
 *   virtual list's cards; its view lists them and opens their conversations; no card of the
 *   list is ever hidden (a hidden card of a virtualised list leaves a hole).
 * README's real-dashboard screenshots are made here (docs/screenshots/chatwoot-*.png).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { CHROMIUM, ROOT } from '../harness/paths';
import {
  cardInView,
  connectToChatwoot,
  contactOf,
  dashboardHeader,
  headerName,
  invalidApiRequests,
  listTab,
  openDashboard,
  startRealChatwoot,
  type RealChatwoot,
} from '../harness/real-chatwoot';
import { badge, barButton, confirmButton } from '../harness/steps';

const SPAM_BOT = 101;
const JOAO = 103;
const PROMO_BLAST = 104;
const LONG_NAME = 'João Pedro Albuquerque de Souza Nascimento';
const WIDTHS = [1024, 1180, 1279, 1280, 1440];
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

let cw: RealChatwoot;

/** The contact panel's toggle, floating at the top right of the messages. */
const panelToggle = (page: Page) => page.locator('.conversation-details-wrap button:has(span.i-ph-user-bold)');
/** Chatwoot's contact panel: the column after the conversation, while it is open. */
const panelOpen = (page: Page) => page.locator('.conversation-details-wrap + div').first();

/** Opens the panel with its floating button, closes it with the × in its own header. */
async function setPanel(page: Page, open: boolean) {
  if ((await panelOpen(page).isVisible()) !== open) {
    await (open ? panelToggle(page) : panelOpen(page).locator('button:has(span.i-lucide-x)').first()).click();
  }
  await expect.poll(() => panelOpen(page).isVisible()).toBe(open);
}

/** Two frames: the bar's ResizeObserver has fitted it, and the page has painted. */
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** How much of the header's contact name shows (its own width, cut by the header's box). */
const nameShown = (page: Page) =>
  headerName(page).evaluate((element) => {
    const header = element.closest(':has(> .header-actions-wrap)')!.getBoundingClientRect();
    const box = element.getBoundingClientRect();
    const visible = Math.max(0, Math.min(box.right, header.right) - Math.max(box.left, header.left));
    return { shown: Math.min(visible, element.clientWidth), needed: element.scrollWidth };
  });

interface Placement {
  form: string | null;
  inside: boolean;
  /** Our visible controls whose centre the page answers with something else than our host. */
  covered: string[];
  controls: number;
}

/** Where the bar is, in which form, and whether each of its visible controls is reachable. */
const placement = (page: Page): Promise<Placement> =>
  page.evaluate(() => {
    const host = document.querySelector('inbox-guard-bar') as HTMLElement;
    const header = host.closest(':has(> .header-actions-wrap)')!.getBoundingClientRect();
    const box = host.getBoundingClientRect();
    const inside = box.width > 0 && box.left >= header.left - 1 && box.right <= header.right + 1 && box.top >= header.top - 1 && box.bottom <= header.bottom + 1;
    const controls = [...host.shadowRoot!.querySelectorAll('button')].filter((button) => button.getBoundingClientRect().width > 0);
    const covered = controls
      .filter((button) => {
        const rect = button.getBoundingClientRect();
        return document.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2) !== host;
      })
      .map((button) => button.textContent ?? '');
    return { form: host.getAttribute('data-fit'), inside, covered, controls: controls.length };
  });

async function renameJoao() {
  const response = await fetch(`${cw.url}/api/v1/accounts/1/contacts/${JOAO}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', api_access_token: cw.tokens.admin },
    body: JSON.stringify({ name: LONG_NAME }),
  });
  expect(response.ok).toBe(true);
}

beforeAll(async () => {
  cw = await startRealChatwoot();
  await renameJoao();
});
afterAll(() => cw?.close());

/** The name's width without Inbox Guard: "width panel conversation" → shown. */
const baseline = new Map<string, number>();
const key = (width: number, panel: boolean, conversation: number) => `${width} ${panel} ${conversation}`;

describe('Chatwoot without Inbox Guard, the widths to compare with', () => {
  test('the contact name at each width, with and without the contact panel', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addCookies([cw.sessionCookie('admin')]);
      for (const conversation of [7, 9]) {
        const page = await context.newPage();
        await page.goto(`${cw.url}/app/accounts/1/conversations/${conversation}`);
        await headerName(page).waitFor();
        for (const panel of [false, true]) {
          await setPanel(page, panel);
          for (const width of WIDTHS) {
            await page.setViewportSize({ width, height: 900 });
            await settle(page);
            baseline.set(key(width, panel, conversation), (await nameShown(page)).shown);
          }
        }
        await page.close();
      }
    } finally {
      await browser.close();
    }
    expect(baseline.size).toBe(WIDTHS.length * 4);
  });
});

describe('Chatwoot with Inbox Guard', () => {
  let session: ChromiumSession;
  let page: Page;

  beforeAll(async () => {
    session = await launchChromium();
    const options = await connectToChatwoot(session, cw);
    expect(await options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    await options.close();
    page = await openDashboard(session, cw, 7);
    await badge(page).filter({ hasText: 'Active' }).waitFor();
  });
  afterAll(() => session?.close());

  test('at every width, with and without the contact panel, light and dark: inside the header, not covered, the name whole', async () => {
    // The widest bar there is: Blocked, "1 hidden", Unblock, Archive.
    await barButton(page, 'block').click();
    await confirmButton(page).click();
    await expect.poll(() => contactOf(cw, SPAM_BOT).blocked).toBe(true);
    cw.incoming(7, 'GANHE DINHEIRO de novo');
    await expect.poll(() => page.getByTestId('ig-action-bar-hidden').textContent()).toBe('1 hidden');

    const seen: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate(() => document.documentElement.getAttribute('data-ig-theme'))).toBe(theme === 'dark' ? 'dark' : null);
      for (const panel of [false, true]) {
        await setPanel(page, panel);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          await settle(page);
          const where = await placement(page);
          const name = await nameShown(page);
          const what = `${theme}, ${width} px${panel ? ', contact panel' : ''}: ${where.form}`;
          seen.push(what);
          expect(where.inside, `${what}: inside the header's box`).toBe(true);
          expect(where.controls, `${what}: some control shows`).toBeGreaterThan(0);
          expect(where.covered, `${what}: nothing covers our controls`).toEqual([]);
          expect(name.shown, `${what}: the name shows as much as without Inbox Guard`).toBeGreaterThanOrEqual(baseline.get(key(width, panel, 7))! - 1);
        }
      }
    }
    // The forms the widths asked for: the full bar where there is room, something smaller elsewhere.
    expect(seen).toContain('light, 1440 px: full');
    expect(seen.some((line) => /contact panel: (compact|icon)$/.test(line))).toBe(true);
    console.log(`[layout] ${seen.join(' · ')}`);
    await page.emulateMedia({ colorScheme: 'light' });
    await setPanel(page, false);
  });

  test('a long name keeps all the room it had: the bar gives way first', async () => {
    const joao = await openDashboard(session, cw, 9, 'admin', page);
    await expect.poll(() => headerName(joao).textContent()).toBe(LONG_NAME);
    await expect.poll(() => badge(joao).textContent()).toBe('Active');
    for (const panel of [false, true]) {
      await setPanel(joao, panel);
      for (const width of WIDTHS) {
        await joao.setViewportSize({ width, height: 900 });
        await settle(joao);
        const where = await placement(joao);
        const what = `${width} px${panel ? ', contact panel' : ''}: ${where.form}`;
        expect(where.inside, `${what}: inside the header's box`).toBe(true);
        expect(where.covered, `${what}: nothing covers our controls`).toEqual([]);
        expect((await nameShown(joao)).shown, `${what}: the name`).toBeGreaterThanOrEqual(baseline.get(key(width, panel, 9))! - 1);
      }
    }
    await setPanel(joao, false);
  });

  test('where the header is narrow, the badge and its menu do what the bar does, by mouse and by keyboard', async () => {
    page = await openDashboard(session, cw, 7, 'admin', page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await setPanel(page, true);
    await settle(page);
    await expect.poll(async () => (await placement(page)).form).toMatch(/compact|icon/);
    expect(await badge(page).textContent()).toBe('Blocked');

    // Keyboard: focus the menu button, open with Enter, the first item gets the focus.
    const menuButton = page.getByTestId('ig-action-bar-menu');
    await menuButton.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByTestId('ig-action-bar-menu-list');
    await expect.poll(() => menu.isVisible()).toBe(true);
    expect(await page.getByTestId('ig-action-bar-menu-unblock').textContent()).toBe('Unblock');
    expect(await page.getByTestId('ig-action-bar-menu-archive').getAttribute('aria-disabled')).toBe('true');
    expect(await page.getByTestId('ig-action-bar-menu-archive').textContent()).toContain('unblock them first');
    // The menu is in the top layer: nothing of the page covers it.
    const hit = await page.getByTestId('ig-action-bar-menu-unblock').evaluate((element) => {
      const box = element.getBoundingClientRect();
      return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.tagName.toLowerCase();
    });
    expect(hit).toBe('inbox-guard-bar');
    // Arrow down to the hidden messages, Space reveals them; Escape closes, focus goes back.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(' ');
    await expect.poll(() => page.evaluate(() => document.documentElement.hasAttribute('data-ig-reveal'))).toBe(true);
    await menuButton.click();
    await expect.poll(() => menu.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe('inbox-guard-bar');

    // Mouse: Unblock from the menu, after the same confirmation; then Block again.
    await menuButton.click();
    await page.getByTestId('ig-action-bar-menu-unblock').click();
    await confirmButton(page).click();
    await expect.poll(() => contactOf(cw, SPAM_BOT).blocked).toBe(false);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await menuButton.click();
    await page.getByTestId('ig-action-bar-menu-block').click();
    await confirmButton(page).click();
    await expect.poll(() => contactOf(cw, SPAM_BOT).blocked).toBe(true);
    await setPanel(page, false);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(invalidApiRequests(cw)).toEqual([]);
  });

  test('the Blocked switch counts blocked contacts, not the cards of the virtual list; its view opens them and unblocks', async () => {
    // Two more blocked on the platform, outside this browser (as another admin would).
    for (const id of [JOAO, PROMO_BLAST]) {
      const response = await fetch(`${cw.url}/api/v1/accounts/1/contacts/${id}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', api_access_token: cw.tokens.admin },
        body: JSON.stringify({ blocked: true }),
      });
      expect(response.ok).toBe(true);
    }
    // A new conversation of a blocked contact: Chatwoot shows it in the Open list.
    cw.createConversation({ contactId: PROMO_BLAST, content: 'Promoção imperdível outra vez' });
    await session.ask('sync.now', {});
    page = await openDashboard(session, cw, 8, 'admin', page);
    const view = page.getByTestId('ig-blocked-view');
    await expect.poll(() => view.textContent()).toBe('Blocked (3)');
    // No card of the list is hidden: hiding one would leave a hole in the virtual list.
    const hiddenCards = () => page.locator('div.conversation').evaluateAll((cards) => cards.filter((card) => getComputedStyle(card).display === 'none').length);
    expect(await hiddenCards()).toBe(0);

    await view.click();
    const rows = page.getByTestId('ig-blocked-view-row');
    await expect.poll(() => rows.allTextContents()).toEqual([
      expect.stringContaining(LONG_NAME),
      expect.stringContaining('Promo Blast'),
      expect.stringContaining('Spam Bot'),
    ]);
    expect(await page.locator('.conversations-list').isVisible()).toBe(false);

    // A row opens that contact's newest conversation, by the dashboard's own navigation.
    await rows.filter({ hasText: LONG_NAME }).locator('.ig-view-open').click();
    await page.waitForURL(/\/conversations\/9$/);
    await expect.poll(() => headerName(page).textContent()).toBe(LONG_NAME);
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    expect(await rows.filter({ hasText: LONG_NAME }).getAttribute('aria-current')).toBe('true');

    // Unblock from the view, after the confirmation: the count follows.
    await rows.filter({ hasText: 'Promo Blast' }).getByTestId('ig-blocked-view-unblock').click();
    await confirmButton(page).click();
    await expect.poll(() => contactOf(cw, PROMO_BLAST).blocked).toBe(false);
    await view.click();
    await expect.poll(() => view.textContent()).toBe('Blocked (2)');
    expect(await page.locator('.conversations-list').isVisible()).toBe(true);
    // The list is the page's again, all of it: in the All tab, the blocked contacts' cards too.
    await listTab(page, 'All').click();
    await expect.poll(async () => (await cardInView(page, 'Promo Blast')) !== null).toBe(true);
    await expect.poll(async () => (await cardInView(page, LONG_NAME)) !== null).toBe(true);
    expect(await hiddenCards()).toBe(0);
    expect(invalidApiRequests(cw)).toEqual([]);
  });

  test("README's screenshots: the bar on the real dashboard at 1440 and 1024 px", async () => {
    page = await openDashboard(session, cw, 7, 'admin', page);
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    cw.incoming(7, 'Última chance!!! bit.ly/ganhe-ja');
    await expect.poll(() => page.getByTestId('ig-action-bar-hidden').textContent()).toBe('1 hidden');
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: 760 });
      await settle(page);
      expect((await placement(page)).inside).toBe(true);
      await expect.poll(() => dashboardHeader(page).locator('inbox-guard-bar').isVisible()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, `chatwoot-${width}.png`) });
    }
  });
});
