/**
 * A blocked contact's messages are never painted when their conversation is opened, not only
 * when they arrive live: on the Chatwoot-style reference inbox a blocked contact's messages are
 * stored on the resolved conversation and come back with its history, on a reload (the
 * background warm, asleep, or waiting on a slow platform while the page renders) and on the
 * site's own navigation. Checked at every animation frame from document start. An active
 * contact's conversation still shows everything.
 */
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, contactNamed, startInbox, type ReferenceInbox } from '../harness/inbox';
import { badge, barButton, confirmButton, connectExtension, openConversation, signInToInbox } from '../harness/steps';

const SPAMMER = 'Promo Relâmpago';
const CUSTOMER = 'Mariana Souza';
const LATE = ['Voltei com mais ofertas: responda SIM', 'Último aviso, clique no link agora'];

interface Probe {
  frames: number;
  /** The texts rendered in the thread (not hidden by CSS) in at least one frame. */
  painted: string[];
}

/**
 * From document start of every page load: at each animation frame (before paint), which of
 * `texts` is rendered in the conversation's thread (`innerText` leaves out what CSS hides).
 * Read with `probe`.
 */
async function watchPaintFromStart(page: Page, texts: string[]): Promise<void> {
  await page.addInitScript((needles: string[]) => {
    const probe = { frames: 0, painted: [] as string[] };
    (window as unknown as { __igProbe: typeof probe }).__igProbe = probe;
    const tick = () => {
      probe.frames += 1;
      let text = '';
      for (const thread of document.querySelectorAll<HTMLElement>('.ri-thread')) text += thread.innerText;
      for (const needle of needles) if (text.includes(needle) && !probe.painted.includes(needle)) probe.painted.push(needle);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, texts);
}

const probe = (page: Page) => page.evaluate(() => (window as unknown as { __igProbe: Probe }).__igProbe);

const incomingTexts = (name: string) =>
  inbox.model
    .messagesOf(inbox.model.latestConversation(contactNamed(inbox, name).id)!.id)
    .filter((message) => message.direction === 'incoming')
    .map((message) => message.text);

const shown = (page: Page, text: string) => page.locator('.ri-thread').getByText(text, { exact: true }).isVisible();
const checking = (page: Page) => page.evaluate(() => document.documentElement.hasAttribute('data-ig-checking'));

let inbox: ReferenceInbox;
let browser: ChromiumSession;
const pageErrors: string[] = [];

beforeEach(async () => {
  inbox = await startInbox('chatwoot');
  browser = await launchChromium();
  pageErrors.length = 0;
});

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

async function inboxPage(): Promise<Page> {
  const options = await connectExtension(browser, connection(inbox, 'admin'));
  await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await signInToInbox(page, inbox, inbox.tokens.admin);
  return page;
}

describe('opening a blocked contact\'s conversation (Chatwoot style: their new messages are in its history)', () => {
  test('the messages they sent after the block are never painted: reloads (background warm, asleep, waiting on the platform), the site\'s own navigation', async () => {
    const page = await inboxPage();
    await openConversation(page, SPAMMER);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    const before = incomingTexts(SPAMMER);
    expect(before.length).toBeGreaterThan(0);

    await barButton(page, 'block').click();
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');

    // They write again: stored on the resolved conversation, so part of its history from now on.
    const spammer = contactNamed(inbox, SPAMMER).id;
    for (const text of LATE) {
      const result = inbox.control.incoming({ contactId: spammer, text });
      expect(result.stored).toBe(true);
      await expect.poll(() => page.locator(`#msg-${result.messageId}`).getAttribute('data-ig-hidden')).toBe('blocked');
    }
    const customerTexts = incomingTexts(CUSTOMER);
    await watchPaintFromStart(page, [...LATE, ...before, ...customerTexts]);

    const expectOnlyHistoryPainted = async (step: string) => {
      await page.locator('.ri-chat__name', { hasText: SPAMMER }).waitFor();
      await expect.poll(() => page.locator('.ri-thread [data-ig-hidden="blocked"]').count(), { message: step }).toBe(LATE.length);
      await expect.poll(() => shown(page, before[0]!), { message: step }).toBe(true);
      for (const text of LATE) expect(await page.locator('.ri-thread').getByText(text).count(), step).toBe(1);
      await page.waitForTimeout(300);
      const seen = await probe(page);
      expect(seen.frames, step).toBeGreaterThan(10);
      expect(seen.painted.filter((text) => LATE.includes(text)), step).toEqual([]);
      expect(seen.painted, step).toEqual(expect.arrayContaining(before));
    };

    await page.reload();
    await expectOnlyHistoryPainted('reload');
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');

    // The site's own navigation: to an active customer (everything shows) and back.
    await openConversation(page, CUSTOMER);
    await expect.poll(() => shown(page, customerTexts[0]!)).toBe(true);
    await page.goBack();
    await expectOnlyHistoryPainted('back to the blocked conversation');
    expect((await probe(page)).painted).toEqual(expect.arrayContaining(customerTexts));

    // Chrome stopped the idle background: it starts again on the reload.
    await browser.stopWorker();
    await page.reload();
    await expectOnlyHistoryPainted('reload with the background asleep');
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');

    // The background has to ask the platform who the user is first (its check every few
    // minutes), and the platform is slow: the page renders the whole history meanwhile.
    await (await browser.worker()).evaluate(async () => {
      type Area = { get(key: string): Promise<Record<string, object>>; set(items: object): Promise<void> };
      const storage = (globalThis as unknown as { chrome: { storage: { local: Area } } }).chrome.storage.local;
      const { identity } = await storage.get('identity');
      await storage.set({ identity: { ...identity, at: 0 } });
    });
    inbox.control.faults({ hold: { phase: 'before', count: 1 }, match: '/profile' });
    await page.reload({ waitUntil: 'commit' });
    await expect.poll(() => inbox.control.held().length).toBe(1);
    await page.locator('.ri-chat__name', { hasText: SPAMMER }).waitFor();
    const history = inbox.model.messagesOf(inbox.model.latestConversation(spammer)!.id).length;
    await page.locator('.ri-thread li.ri-msg').nth(history - 1).waitFor({ state: 'attached' });
    await page.waitForTimeout(300);
    expect(inbox.control.held()).toHaveLength(1);
    expect((await probe(page)).painted.filter((text) => LATE.includes(text))).toEqual([]);
    inbox.control.release();
    await expectOnlyHistoryPainted('reload, the platform slow to answer');
    expect(await checking(page)).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  test('an active contact\'s conversation shows all its messages, opened or reloaded, and nothing stays held back', async () => {
    const page = await inboxPage();
    const texts = incomingTexts(CUSTOMER);
    await openConversation(page, CUSTOMER);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    for (const text of texts) await expect.poll(() => shown(page, text)).toBe(true);

    await watchPaintFromStart(page, texts);
    await page.reload();
    await page.locator('.ri-chat__name', { hasText: CUSTOMER }).waitFor();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    for (const text of texts) await expect.poll(() => shown(page, text)).toBe(true);
    expect((await probe(page)).painted).toEqual(expect.arrayContaining(texts));
    // Held for at most the round trip: well within a second, and nothing held now.
    expect(await checking(page)).toBe(false);
    await page.waitForTimeout(3_500);
    for (const text of texts) expect(await shown(page, text)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
