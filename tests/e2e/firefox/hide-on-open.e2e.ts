/**
 * Firefox ESR, MV3 build: a blocked contact's messages sent after the block are never painted
 * when their conversation is loaded, not only when they arrive live (the Firefox side of
 * chromium/hide-on-open.e2e.ts). On the Chatwoot-style reference inbox those messages are
 * stored on the conversation and come back with its history: on a reload, on the site's own
 * Back, and on a reload while the background waits on a slow platform (the page renders the
 * whole thread with the contact's status still unknown).
 *
 * Seen at every animation frame from document start: a BiDi preload script
 * (`page.evaluateOnNewDocument` → `script.addPreloadScript`) records, before each frame's
 * paint, which thread texts are in the DOM and which are rendered (`innerText` leaves out what
 * CSS hides). The earlier messages and an active contact's (reached by the site's own
 * navigation) do show, and nothing stays held back.
 */
import type { Page } from 'puppeteer-core';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { clickInShadow, clickConversationRow, connectFirefox, inShadow, openInboxConversation, until } from '../harness/firefox-steps';
import { connection, contactNamed, serverStatus, startInbox, type ReferenceInbox } from '../harness/inbox';

const SPAMMER = 'Promo Relâmpago';
const CUSTOMER = 'Mariana Souza';
const LATE = ['Voltei com mais ofertas: responda SIM', 'Último aviso, clique no link agora'];

interface Probe {
  frames: number;
  /** First frame (and ms since document start) each text was in the thread's DOM. */
  attached: Record<string, { frame: number; at: number }>;
  /** First frame (and ms since document start) each text was rendered (not hidden by CSS). */
  painted: Record<string, { frame: number; at: number; checking: boolean }>;
}

/** From document start of every load of `page`: at each animation frame, which of `texts` the thread has and renders. */
async function watchPaintFromStart(page: Page, texts: string[]): Promise<void> {
  await page.evaluateOnNewDocument((needles: string[]) => {
    const probe = { frames: 0, attached: {} as Record<string, object>, painted: {} as Record<string, object> };
    (window as unknown as { __igProbe: typeof probe }).__igProbe = probe;
    const tick = () => {
      probe.frames += 1;
      let dom = '';
      let rendered = '';
      for (const thread of document.querySelectorAll<HTMLElement>('.ri-thread')) {
        dom += thread.textContent;
        rendered += thread.innerText;
      }
      const at = Math.round(performance.now());
      const checking = document.documentElement.hasAttribute('data-ig-checking');
      for (const needle of needles) {
        if (dom.includes(needle) && !probe.attached[needle]) probe.attached[needle] = { frame: probe.frames, at };
        if (rendered.includes(needle) && !probe.painted[needle]) probe.painted[needle] = { frame: probe.frames, at, checking };
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, texts);
}

const probe = (page: Page) => page.evaluate(() => (window as unknown as { __igProbe?: Probe }).__igProbe ?? null);

const incomingTexts = (inbox: ReferenceInbox, name: string) =>
  inbox.model
    .messagesOf(inbox.model.latestConversation(contactNamed(inbox, name).id)!.id)
    .filter((message) => message.direction === 'incoming')
    .map((message) => message.text);

/** What the open conversation's header names, and the thread's text as shown / in the DOM. */
const thread = (page: Page) =>
  page.evaluate(() => ({
    name: document.querySelector('.ri-chat__name')?.textContent ?? '',
    shown: (document.querySelector('.ri-thread') as HTMLElement | null)?.innerText ?? '',
    dom: document.querySelector('.ri-thread')?.textContent ?? '',
    hidden: document.querySelectorAll('.ri-thread [data-ig-hidden="blocked"]').length,
    checking: document.documentElement.hasAttribute('data-ig-checking'),
  }));

let inbox: ReferenceInbox;
let firefox: FirefoxSession;

beforeEach(async () => {
  inbox = await startInbox('chatwoot');
  firefox = await launchFirefox();
});
afterEach(async () => {
  await firefox?.close();
  await inbox?.close();
});

test('Firefox: after a reload on a blocked contact\'s conversation, the messages they sent after the block are never painted; earlier ones and an active contact\'s show', async () => {
  expect(await connectFirefox(await firefox.optionsPage(), connection(inbox, 'admin'))).toMatch(/^connected/);
  const page = await openInboxConversation(firefox.browser, inbox, inbox.tokens.admin, SPAMMER);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Active', 'the Active badge');
  const before = incomingTexts(inbox, SPAMMER);
  expect(before.length).toBeGreaterThan(0);

  await clickInShadow(page, 'ig-action-bar-block');
  await until(() => inShadow(page, 'ig-confirm'), Boolean, 'the confirmation');
  await clickInShadow(page, 'ig-confirm-confirm');
  await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Blocked', 'the Blocked badge');
  expect(serverStatus(inbox, SPAMMER)).toBe('blocked');

  // They write again: stored on the conversation, so part of its history from now on.
  const spammer = contactNamed(inbox, SPAMMER).id;
  for (const text of LATE) {
    const result = inbox.control.incoming({ contactId: spammer, text });
    expect(result.stored).toBe(true);
    await until(() => page.evaluate((id) => document.getElementById(`msg-${id}`)?.getAttribute('data-ig-hidden') ?? null, result.messageId), (mark) => mark === 'blocked', `message ${result.messageId} hidden live`);
  }
  const customerTexts = incomingTexts(inbox, CUSTOMER);
  expect(customerTexts.length).toBeGreaterThan(0);
  await watchPaintFromStart(page, [...LATE, ...before, ...customerTexts]);

  const expectOnlyHistoryPainted = async (step: string) => {
    await until(() => thread(page), (now) => now.name === SPAMMER && now.hidden === LATE.length && now.shown.includes(before[0]!), `${step}: the history shown, the late messages marked`);
    const now = await thread(page);
    for (const text of LATE) expect(now.dom.split(text).length - 1, `${step}: "${text}" in the page once`).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = (await probe(page))!;
    expect(seen, `${step}: the preload script ran`).not.toBeNull();
    expect(seen.frames, step).toBeGreaterThan(10);
    // The probe saw the late messages in the page's DOM, in frames before this one …
    for (const text of LATE) expect(seen.attached[text], `${step}: "${text}" seen attached`).toBeDefined();
    // … and never rendered in any of them.
    expect(Object.fromEntries(LATE.filter((text) => seen.painted[text]).map((text) => [text, seen.painted[text]])), step).toEqual({});
    for (const text of before) expect(seen.painted[text], `${step}: "${text}" painted`).toBeDefined();
    return seen;
  };

  await page.reload();
  const afterReload = await expectOnlyHistoryPainted('reload');
  await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Blocked', 'the Blocked badge after the reload');
  expect((await thread(page)).checking).toBe(false);

  // The site's own navigation to an active customer: everything shows, nothing stays held back.
  await clickConversationRow(page, CUSTOMER);
  await until(() => thread(page), (now) => now.name === CUSTOMER && customerTexts.every((text) => now.shown.includes(text)), 'the customer\'s messages shown');
  await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Active', 'the customer\'s Active badge');
  const seen = (await probe(page))!;
  expect(seen.frames).toBeGreaterThan(afterReload.frames);
  for (const text of customerTexts) expect(seen.painted[text], `"${text}" painted`).toBeDefined();
  expect(LATE.filter((text) => seen.painted[text])).toEqual([]);
  expect((await thread(page)).checking).toBe(false);

  // Back to the blocked conversation, but now the background has to ask the platform who the
  // user is first (its check every few minutes) and the platform is slow to answer: the page
  // renders the whole history while the contact's status is unknown.
  await page.evaluate(() => history.back());
  await expectOnlyHistoryPainted('back to the blocked conversation (the site\'s own navigation)');
  await (await firefox.optionsPage()).evaluate(async () => {
    type Area = { get(key: string): Promise<Record<string, object>>; set(items: object): Promise<void> };
    const storage = (globalThis as unknown as { browser: { storage: { local: Area } } }).browser.storage.local;
    const { identity } = await storage.get('identity');
    await storage.set({ identity: { ...identity, at: 0 } });
  });
  inbox.control.faults({ hold: { phase: 'before', count: 1 }, match: '/profile' });
  await page.reload();
  const messages = inbox.model.messagesOf(inbox.model.latestConversation(spammer)!.id).length;
  await until(() => page.evaluate(() => document.querySelectorAll('.ri-thread li.ri-msg').length), (count) => count === messages, 'the whole history in the page');
  expect(inbox.control.held()).toHaveLength(1);
  const attached = (await probe(page))!;
  for (const text of LATE) expect(attached.attached[text], `"${text}" in the page while the platform is held`).toBeDefined();
  // A few frames with the whole history in the page and the status still unknown.
  await until(() => probe(page), (now) => now!.frames >= attached.frames + 5, 'five more frames');
  const held = (await probe(page))!;
  expect(inbox.control.held(), 'the platform still held').toHaveLength(1);
  expect(Object.fromEntries(LATE.filter((text) => held.painted[text]).map((text) => [text, held.painted[text]])), 'while the platform is held').toEqual({});
  expect((await thread(page)).checking, 'incoming messages still held back').toBe(true);
  inbox.control.release();
  await expectOnlyHistoryPainted('reload, the platform slow to answer');
  await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Blocked', 'the Blocked badge after the slow answer');
  expect((await thread(page)).checking).toBe(false);
  expect(errors).toEqual([]);
});
