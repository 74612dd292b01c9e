/**
 * The overlay on the REAL Chatwoot 4.10 dashboard (../shared/platforms/chatwoot-4.10/, started
 * by tests/e2e/harness/real-chatwoot.ts), in Chromium at 1440×900, configured from the options
 * page as a user does: what overlay.e2e.ts, walking-skeleton.e2e.ts, hide-on-open.e2e.ts,
 * keyboard.e2e.ts and a11y.e2e.ts check on the reference inbox in Chatwoot style, here on
 * Chatwoot's own markup. The server checks every public-API request Inbox Guard sends against
 * Chatwoot's OpenAPI spec; each test asserts none was refused.
 *
 * One server for the file and one browser per describe: the tests share them and keep out of
 * each other's way by contact. An agent first (Promo Blast, untouched); then an administrator:
 * Spam Bot (block, hiding live and on a reload), Promo Blast (Undo, the composer lock, snooze and
 * merge, Unblock), Maria Silva (Archive, reactivated when she writes), João Souza (the bar
 * following the dashboard's navigation, the shortcuts and the context menu). A headless browser
 * shows no context menu and routes no shortcut: those dispatch the browser's own events in the
 * service worker (harness/browser-events.ts).
 *
 * Not here (their own files): the bar's layout at narrow widths, with the contact panel or in
 * dark theme; the Blocked switch and view; Chatwoot's own "Block Contact"; private notes; the
 * unread separator; Reopen and Mark as pending.
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { axeProblems, OUR_NODES } from '../harness/axe';
import { pickMenuItem, pressShortcut, toolbarBadge, watchMenu } from '../harness/browser-events';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import {
  apiWritesSince,
  card,
  cardBadge,
  cardInView,
  clickCard,
  connectToChatwoot,
  contactOf,
  conversationOf,
  dashboardHeader,
  headerName,
  invalidApiRequests,
  listTab,
  openDashboard,
  repliesIn,
  SEED,
  sendButton,
  serverStatusOf,
  startRealChatwoot,
  typeReply,
  type RealChatwoot,
} from '../harness/real-chatwoot';
import { badge, barButton, confirmButton, confirmDialog, paintedText, watchPaint } from '../harness/steps';

const [SPAM_BOT, SPAM_BOT_CONVERSATION] = SEED['Spam Bot'];
const [MARIA, MARIA_CONVERSATION] = SEED['Maria Silva'];
const [JOAO, JOAO_CONVERSATION] = SEED['João Souza'];
const [PROMO, PROMO_CONVERSATION] = SEED['Promo Blast'];

let cw: RealChatwoot;

beforeAll(async () => {
  cw = await startRealChatwoot();
});
afterAll(async () => {
  await cw?.close();
});

/** The text of the focused element, looking into shadow roots. */
const focusedText = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.textContent ?? '';
  });

/** The element a click at the centre of our bar's `testId` control would reach (the page's, or our host). */
const hitAt = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((element) => {
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return hit?.tagName.toLowerCase() ?? null;
  });

/** Chatwoot's command bar, which Snooze opens (with no choice for a resolved conversation). */
const snoozeMenu = (page: Page) => page.getByPlaceholder('Search or jump to');

/** Chatwoot's "Merge contacts" dialog (the contact panel's merge button opens it). */
const mergeDialog = (page: Page) => page.getByRole('heading', { name: 'Merge contacts' });

/** A conversation's message bubble, by its text. */
const bubble = (page: Page, text: string) => page.locator('ul.conversation-panel .message-bubble-container', { hasText: text });

interface ThreadProbe {
  frames: number;
  /** Texts rendered (not hidden by CSS) in the thread, in at least one frame. */
  thread: string[];
  /** Texts rendered anywhere on the page (the list's card previews too). */
  page: string[];
}

/**
 * From document start of every load of `page`: at each animation frame (before paint), which of
 * `texts` the thread (`ul.conversation-panel`) and the whole page render; `innerText` leaves out
 * what CSS hides. Read with `threadProbe`.
 */
async function watchPaintFromStart(page: Page, texts: string[]): Promise<void> {
  await page.addInitScript((needles: string[]) => {
    const probe = { frames: 0, thread: [] as string[], page: [] as string[] };
    (window as unknown as { __igProbe: typeof probe }).__igProbe = probe;
    const tick = () => {
      probe.frames += 1;
      let thread = '';
      for (const panel of document.querySelectorAll<HTMLElement>('ul.conversation-panel')) thread += panel.innerText;
      const whole = document.body?.innerText ?? '';
      for (const needle of needles) {
        if (thread.includes(needle) && !probe.thread.includes(needle)) probe.thread.push(needle);
        if (whole.includes(needle) && !probe.page.includes(needle)) probe.page.push(needle);
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, texts);
}

const threadProbe = (page: Page) => page.evaluate(() => (window as unknown as { __igProbe: ThreadProbe }).__igProbe);

async function block(page: Page, name: string) {
  await barButton(page, 'block').click();
  await expect.poll(() => confirmDialog(page).textContent()).toContain(`Block ${name}?`);
  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Blocked');
}

describe('an agent on the real dashboard', () => {
  let browser: ChromiumSession;

  beforeAll(async () => {
    browser = await launchChromium();
    const options = await connectToChatwoot(browser, cw, 'agent');
    expect(await options.getByTestId('ig-options-outcome').textContent()).toBe('Connected as Bruno Agent (Agent).');
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('sees Block disabled with its reason; the button, the shortcut and the context menu send nothing; axe finds nothing on the bar', async () => {
    const page = await openDashboard(browser, cw, PROMO_CONVERSATION, 'agent');
    const since = cw.apiLog.length;
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    const button = barButton(page, 'block');
    expect(await button.getAttribute('aria-disabled')).toBe('true');
    expect(await button.getAttribute('title')).toBe('Only administrators can block contacts');
    expect(await barButton(page, 'archive').getAttribute('aria-disabled')).toBeNull();
    // aria-disabled keeps it focusable and clickable, so the user learns why.
    await button.click({ force: true });
    await expect.poll(() => page.getByTestId('ig-action-bar-status').textContent()).toBe('Only administrators can block contacts');
    expect(await confirmDialog(page).count()).toBe(0);
    expect(await axeProblems(page, { scope: OUR_NODES }), 'agent bar with the reason shown').toEqual([]);

    await pressShortcut(browser, cw.url, 'toggle-block');
    await expect.poll(() => page.getByTestId('ig-notice').textContent()).toContain('Only administrators can block');
    await page.getByTestId('ig-notice-action').click();
    await card(page, 'Promo Blast').click({ button: 'right' });
    await pickMenuItem(browser, cw.url, 'inbox-guard-block');
    await expect.poll(() => page.getByTestId('ig-notice').textContent()).toContain('Only administrators can block');
    await page.waitForTimeout(500);
    expect(await confirmDialog(page).count()).toBe(0);
    expect(apiWritesSince(cw, since)).toEqual([]);
    expect(contactOf(cw, PROMO).blocked).toBe(false);
    expect(invalidApiRequests(cw)).toEqual([]);
    await page.close();
  });
});

describe('an administrator on the real dashboard', () => {
  let browser: ChromiumSession;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    const options = await connectToChatwoot(browser, cw, 'admin');
    expect(await options.getByTestId('ig-options-outcome').textContent()).toBe('Connected as Ana Admin (Administrator).');
    await options.close();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(() => {
    pageErrors.length = 0;
  });
  // A test's tabs go with it, passed or not: the shortcuts and the menu act on the one tab left.
  afterEach(async () => {
    for (const page of browser.context.pages()) if (page.url().startsWith(cw.url)) await page.close();
  });

  async function open(conversationId: number): Promise<Page> {
    const page = await openDashboard(browser, cw, conversationId);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  test('the bar sits in the header; Block asks first, blocks on the server and resolves the open conversations; the blocked card leaves the list; axe finds nothing', async () => {
    // A second open conversation of the same contact: Block resolves both.
    const second = cw.createConversation({ contactId: SPAM_BOT });
    const page = await open(SPAM_BOT_CONVERSATION);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await expect.poll(() => headerName(page).textContent()).toBe('Spam Bot');

    // In the header, inside its box, and nothing of the page on top of it.
    expect(await dashboardHeader(page).locator('inbox-guard-bar').count()).toBe(1);
    expect(await page.locator('inbox-guard-bar').count()).toBe(1);
    const [bar, header] = await Promise.all([page.locator('inbox-guard-bar').boundingBox(), dashboardHeader(page).boundingBox()]);
    expect(bar!.y).toBeGreaterThanOrEqual(header!.y);
    expect(bar!.y + bar!.height).toBeLessThanOrEqual(header!.y + header!.height);
    expect(bar!.x + bar!.width).toBeLessThanOrEqual(header!.x + header!.width);
    expect(await hitAt(page, 'ig-action-bar-block')).toBe('inbox-guard-bar');
    expect(await axeProblems(page, { scope: OUR_NODES }), 'action bar').toEqual([]);

    const since = cw.apiLog.length;
    await barButton(page, 'block').click();
    await expect.poll(() => confirmDialog(page).isVisible()).toBe(true);
    expect(await confirmDialog(page).textContent()).toContain('Block Spam Bot?');
    expect(await confirmDialog(page).textContent()).toContain('new messages they send will not be received');
    expect(await axeProblems(page, { scope: OUR_NODES }), 'confirmation dialog').toEqual([]);
    // Nothing is sent before the confirmation.
    expect(apiWritesSince(cw, since)).toEqual([]);
    await confirmButton(page).click();

    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    await expect.poll(() => contactOf(cw, SPAM_BOT).blocked).toBe(true);
    await expect.poll(() => [conversationOf(cw, SPAM_BOT_CONVERSATION).status, conversationOf(cw, second.id).status]).toEqual(['resolved', 'resolved']);
    // The block, then each open conversation resolved (README: how each platform stores the status).
    const writes = apiWritesSince(cw, since);
    expect(writes[0]).toBe(`PUT /api/v1/accounts/1/contacts/${SPAM_BOT} {"blocked":true}`);
    expect(writes.slice(1).sort()).toEqual(
      [SPAM_BOT_CONVERSATION, second.id].map((id) => `POST /api/v1/accounts/1/conversations/${id}/toggle_status {"status":"resolved"}`).sort(),
    );
    expect(await barButton(page, 'unblock').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('ig-composer-lock').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('ig-undo').isVisible()).toBe(true);
    expect(await axeProblems(page, { scope: OUR_NODES }), 'undo toast and composer lock').toEqual([]);

    // The card says so; it leaves the Open list because Chatwoot resolved the conversation (Inbox
    // Guard never hides a card of this virtualised list: it would leave a hole). The Blocked view
    // is where it is shown (real-chatwoot-layout.e2e.ts).
    await expect.poll(() => card(page, 'Spam Bot').getAttribute('data-ig-status')).toBe('blocked');
    expect(await cardBadge(page, 'Spam Bot')).toBe('"Blocked"');
    await expect.poll(async () => (await cardInView(page, 'Spam Bot')) === null).toBe(true);
    expect(await cardInView(page, 'Maria Silva')).not.toBeNull();
    expect(await cardBadge(page, 'Maria Silva')).toBe('none');
    expect(invalidApiRequests(cw)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('what a blocked sender writes next is never painted; "1 hidden" counts it, an admin reveals it; a reload never paints it either', async () => {
    expect(contactOf(cw, SPAM_BOT).blocked, 'Spam Bot blocked by the test before').toBe(true);
    const earlier = 'GANHE DINHEIRO RÁPIDO!!! clique aqui';
    const late = 'ÚLTIMA CHANCE: responda SIM agora';
    const page = await open(SPAM_BOT_CONVERSATION);
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    await expect.poll(() => bubble(page, earlier).isVisible()).toBe(true);

    await watchPaint(page, late);
    const message = cw.incoming(SPAM_BOT_CONVERSATION, late);
    const row = page.locator(`#message${message.id}`);
    await row.waitFor({ state: 'attached' });
    expect(await row.getAttribute('data-ig-hidden')).toBe('blocked');
    await expect.poll(() => page.getByTestId('ig-action-bar-hidden').textContent()).toBe('1 hidden');
    await expect.poll(() => toolbarBadge(browser, cw.url)).toBe('1');
    await page.waitForTimeout(500);
    const probe = await paintedText(page);
    expect(probe.frames).toBeGreaterThan(5);
    expect(probe.painted).toBe(false);
    expect(await row.isVisible()).toBe(false);
    expect(await axeProblems(page, { scope: OUR_NODES }), 'hidden-messages pill').toEqual([]);

    // Moderation: the admin shows it, and hides it again.
    await page.getByTestId('ig-action-bar-hidden').click();
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await axeProblems(page, { scope: OUR_NODES }), 'hidden messages revealed').toEqual([]);
    await page.getByTestId('ig-action-bar-hidden').click();
    await expect.poll(() => row.isVisible()).toBe(false);

    // A reload of the blocked contact's conversation: its history comes back with the late
    // message in it, which is not painted in any frame; the earlier one is.
    await watchPaintFromStart(page, [earlier, late]);
    await page.reload();
    await headerName(page).filter({ hasText: 'Spam Bot' }).waitFor();
    await expect.poll(() => bubble(page, earlier).isVisible()).toBe(true);
    await page.locator(`#message${message.id}`).waitFor({ state: 'attached' });
    await expect.poll(() => page.locator(`#message${message.id}`).getAttribute('data-ig-hidden')).toBe('blocked');
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    await expect.poll(() => page.getByTestId('ig-action-bar-hidden').textContent()).toBe('1 hidden');
    await page.waitForTimeout(300);
    const seen = await threadProbe(page);
    expect(seen.frames).toBeGreaterThan(10);
    expect(seen.thread).toEqual([earlier]);
    expect(seen.page.filter((text) => text === late), 'the late message anywhere on the page (the list card\'s preview too)').toEqual([]);
    expect(invalidApiRequests(cw)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('Undo puts the contact back; blocked again, Send and Ctrl+Enter send nothing, snooze and merge are refused; Unblock from the same screen, and the reply goes out', async () => {
    const page = await open(PROMO_CONVERSATION);
    await expect.poll(() => badge(page).textContent()).toBe('Active');

    // Undo, within five seconds: Active again on the server.
    await block(page, 'Promo Blast');
    expect(contactOf(cw, PROMO).blocked).toBe(true);
    await expect.poll(() => page.getByTestId('ig-undo').textContent()).toContain('Promo Blast is blocked.');
    await page.getByTestId('ig-undo-action').click();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await expect.poll(() => contactOf(cw, PROMO).blocked).toBe(false);
    await expect.poll(() => page.getByTestId('ig-undo').count(), { timeout: 8_000 }).toBe(0);

    await block(page, 'Promo Blast');
    await expect.poll(() => contactOf(cw, PROMO).blocked).toBe(true);
    await expect.poll(() => page.getByTestId('ig-composer-lock').textContent()).toContain('This contact is blocked');
    const before = repliesIn(cw, PROMO_CONVERSATION).length;
    await typeReply(page, 'Are you there?');
    await sendButton(page).click();
    await page.keyboard.press('Control+Enter');
    await page.waitForTimeout(800);
    expect(repliesIn(cw, PROMO_CONVERSATION)).toHaveLength(before);
    expect(await page.locator('.reply-box .ProseMirror').textContent()).toContain('Are you there?');

    // Snooze: the chevron next to Resolve opens the menu; Snooze there is marked and does nothing.
    await page.locator('.resolve-actions button:has(span.i-lucide-chevron-down)').click();
    const snooze = page.locator('.resolve-actions button:has(span.i-lucide-alarm-clock-minus)');
    await snooze.waitFor();
    expect(await snooze.getAttribute('aria-disabled')).toBe('true');
    await snooze.click({ force: true });
    await page.waitForTimeout(500);
    expect(await snoozeMenu(page).isVisible()).toBe(false);
    await page.keyboard.press('Escape');
    // Merge, in the contact panel: marked and does nothing.
    await page.locator('.conversation-details-wrap button:has(span.i-ph-user-bold)').click();
    const merge = page.locator('button:has(span.i-ph-arrows-merge)');
    await merge.waitFor();
    await expect.poll(() => merge.getAttribute('aria-disabled')).toBe('true');
    await merge.click({ force: true });
    await page.waitForTimeout(500);
    expect(await mergeDialog(page).isVisible()).toBe(false);
    expect(conversationOf(cw, PROMO_CONVERSATION).status).toBe('resolved');

    // Unblock from the composer's notice, after the confirmation.
    await page.getByTestId('ig-composer-unblock').click();
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Unblock Promo Blast?');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await expect.poll(() => contactOf(cw, PROMO).blocked).toBe(false);
    await expect.poll(() => page.getByTestId('ig-composer-lock').count()).toBe(0);
    await expect.poll(() => merge.getAttribute('aria-disabled')).toBeNull();
    await merge.click();
    await expect.poll(() => mergeDialog(page).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => mergeDialog(page).isVisible()).toBe(false);
    await page.locator('.resolve-actions button:has(span.i-lucide-chevron-down)').click();
    await snooze.click();
    await expect.poll(() => snoozeMenu(page).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => snoozeMenu(page).isVisible()).toBe(false);
    await page.locator('.reply-box .ProseMirror').click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => repliesIn(cw, PROMO_CONVERSATION).length).toBe(before + 1);
    // (The dashboard itself ends a reply's markdown with blank lines.)
    expect(repliesIn(cw, PROMO_CONVERSATION).at(-1)!.content.trim()).toBe('Are you there?');
    expect(invalidApiRequests(cw)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('Archive writes Inbox Guard\'s attributes and resolves; the card says Archived; when she writes again she is Active on the server and the card says nothing', async () => {
    const page = await open(MARIA_CONVERSATION);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    const since = cw.apiLog.length;
    await barButton(page, 'archive').click();
    expect(await confirmDialog(page).textContent()).toContain('Archive Maria Silva?');
    expect(await confirmDialog(page).textContent()).toContain('An archived contact is reactivated when they send a new message');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Archived');
    await expect.poll(() => serverStatusOf(cw, MARIA)).toBe('archived');
    const attributes = contactOf(cw, MARIA).custom_attributes;
    expect(attributes.inbox_guard_archived_at).toBeGreaterThanOrEqual(contactOf(cw, MARIA).last_activity_at);
    expect(contactOf(cw, MARIA).blocked).toBe(false);
    await expect.poll(() => conversationOf(cw, MARIA_CONVERSATION).status).toBe('resolved');
    expect(apiWritesSince(cw, since)[0]).toMatch(new RegExp(`^PUT /api/v1/accounts/1/contacts/${MARIA} .*"inbox_guard_archived":true`));
    await expect.poll(() => cardBadge(page, 'Maria Silva')).toBe('"Archived"');
    expect(await card(page, 'Maria Silva').isVisible()).toBe(true);

    // Chatwoot keeps time in whole seconds: one passes, so her message is after the archive.
    await page.waitForTimeout(1_100);
    const message = cw.incoming(MARIA_CONVERSATION, 'Oi, voltei! Ainda tem o produto?');
    await expect.poll(() => badge(page).textContent(), { timeout: 10_000 }).toBe('Active');
    await expect.poll(() => serverStatusOf(cw, MARIA)).toBe('active');
    expect(contactOf(cw, MARIA).custom_attributes.inbox_guard_archived).not.toBe(true);
    await expect.poll(() => page.locator(`#message${message.id}`).isVisible()).toBe(true);
    await expect.poll(() => cardBadge(page, 'Maria Silva')).toBe('none');
    expect(invalidApiRequests(cw)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('the bar follows a click on another card; the shortcuts and the context menu act on the conversation shown, after the same confirmation', async () => {
    const page = await open(PROMO_CONVERSATION);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await listTab(page, 'All').click();
    await clickCard(page, 'João Souza', JOAO_CONVERSATION);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    expect(await page.locator('inbox-guard-bar').count()).toBe(1);
    expect(await dashboardHeader(page).locator('inbox-guard-bar').count()).toBe(1);

    // Alt+Shift+B: the confirmation, by keyboard alone (focus starts on Cancel: blocking is destructive).
    await pressShortcut(browser, cw.url, 'toggle-block');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Block João Souza?');
    await expect.poll(() => focusedText(page)).toBe('Cancel');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedText(page)).toBe('Block');
    await page.keyboard.press('Enter');
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    await expect.poll(() => contactOf(cw, JOAO).blocked).toBe(true);
    expect(contactOf(cw, PROMO).blocked).toBe(false);
    await pressShortcut(browser, cw.url, 'toggle-archive');
    await expect.poll(() => page.getByTestId('ig-notice').textContent()).toContain("A blocked contact can't be archived: unblock them first.");
    expect(await confirmDialog(page).count()).toBe(0);
    await page.getByTestId('ig-notice-action').click();

    // The context menu on the header offers what fits a blocked contact, and unblocks.
    const offered = await watchMenu(browser);
    await headerName(page).click({ button: 'right' });
    await expect.poll(offered).toEqual(['inbox-guard-unblock']);
    await pickMenuItem(browser, cw.url, 'inbox-guard-unblock');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Unblock João Souza?');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await expect.poll(() => contactOf(cw, JOAO).blocked).toBe(false);
    await bubble(page, 'Bom dia! Qual o prazo de entrega?').click({ button: 'right' });
    await expect.poll(offered).toEqual(['inbox-guard-archive', 'inbox-guard-block']);

    // His blocked conversation was resolved and left the list; he writes again, in a new one.
    // A right-click on its card: that card's contact (by name: Chatwoot's cards carry no id).
    const again = cw.createConversation({ contactId: JOAO, content: 'Oi, alguma novidade?' });
    await expect.poll(() => cardInView(page, 'João Souza').then(Boolean)).toBe(true);
    await (await cardInView(page, 'João Souza'))!.click({ button: 'right' });
    await pickMenuItem(browser, cw.url, 'inbox-guard-archive');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Archive João Souza?');
    await confirmButton(page).click();
    await expect.poll(() => serverStatusOf(cw, JOAO)).toBe('archived');
    await expect.poll(() => badge(page).textContent()).toBe('Archived');
    // Archiving resolves his open conversation: Chatwoot takes its card out of the Open list.
    await expect.poll(() => conversationOf(cw, again.id).status).toBe('resolved');
    await expect.poll(() => cardInView(page, 'João Souza').then(Boolean)).toBe(false);

    // A phone number selected anywhere on the page, written any way: looked up on the platform.
    await pickMenuItem(browser, cw.url, 'inbox-guard-selection', '+55 (31) 98888-7777');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Block João Souza?');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirmDialog(page).count()).toBe(0);

    // The browser's Back: the bar follows to Promo Blast's conversation, one bar, its status.
    await page.goBack();
    await headerName(page).filter({ hasText: 'Promo Blast' }).waitFor();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await expect.poll(() => page.locator('inbox-guard-bar').count()).toBe(1);
    expect(serverStatusOf(cw, PROMO)).toBe('active');
    expect(serverStatusOf(cw, JOAO)).toBe('archived');
    expect(invalidApiRequests(cw)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
