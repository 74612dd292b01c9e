/**
 * Firefox ESR, MV3 build, on the REAL Chatwoot 4.10 dashboard (../shared/platforms/chatwoot-4.10/,
 * started by tests/e2e/harness/real-chatwoot.ts; the Firefox steps are real-chatwoot-firefox.ts):
 * Inbox Guard connected from the settings page it opens at install, the dashboard signed in
 * through its own login page. The bar mounts in the header; Block asks first, blocks on the
 * server and resolves the conversation; what the blocked contact writes is never painted, live
 * (a probe at every animation frame) nor on a reload (a BiDi preload script from document
 * start); the composer lock stops Send and Ctrl+Enter. And Chatwoot's own ⋮ → "Block Contact" /
 * "Unblock Contact": Inbox Guard's badge and composer lock follow it.
 *
 * One server and one Firefox for the file; each test has its own contact and tab. Every
 * public-API request Inbox Guard sends is checked against Chatwoot's OpenAPI spec.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { clickInShadow, inShadow, until } from '../harness/firefox-steps';
import {
  apiWritesSince,
  contactOf,
  conversationOf,
  invalidApiRequests,
  repliesIn,
  SEED,
  startRealChatwoot,
  type RealChatwoot,
} from '../harness/real-chatwoot';
import {
  connectFirefoxToChatwoot,
  headerState,
  openChatwootConversation,
  pickHeaderMenu,
  pressCtrlEnter,
  signInToChatwoot,
  typeReplyFirefox,
} from '../harness/real-chatwoot-firefox';

const [SPAM_BOT, SPAM_BOT_CONVERSATION] = SEED['Spam Bot'];
const [MARIA, MARIA_CONVERSATION] = SEED['Maria Silva'];
const [PROMO, PROMO_CONVERSATION] = SEED['Promo Blast'];

let cw: RealChatwoot;
let firefox: FirefoxSession;
const errors: string[] = [];

beforeAll(async () => {
  [cw, firefox] = await Promise.all([startRealChatwoot(), launchFirefox()]);
  const outcome = await connectFirefoxToChatwoot(await firefox.optionsPage(), cw, 'admin');
  expect(outcome).toBe('connected: Connected as Ana Admin (Administrator).');
  const signedIn = await signInToChatwoot(firefox.browser, cw, 'admin');
  await signedIn.close();
});
afterAll(async () => {
  await firefox?.close();
  await cw?.close();
});
afterEach(async () => {
  for (const page of await firefox.browser.pages()) {
    if ((await page.evaluate(() => location.origin).catch(() => '')) === cw.url) await page.close();
  }
});

/** A new tab on one conversation of the (signed-in) dashboard. */
async function open(conversationId: number): Promise<Page> {
  errors.length = 0;
  const page = await firefox.browser.newPage();
  page.on('pageerror', (error) => errors.push(String(error)));
  await openChatwootConversation(page, cw, conversationId);
  return page;
}

const badgeIs = (page: Page, text: string, timeout?: number) =>
  until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === text, `the ${text} badge`, timeout);

async function block(page: Page, name: string) {
  await clickInShadow(page, 'ig-action-bar-block');
  const dialog = await until(() => inShadow(page, 'ig-confirm'), Boolean, 'the confirmation');
  expect(dialog!.text).toContain(`Block ${name}?`);
  await clickInShadow(page, 'ig-confirm-confirm');
  await badgeIs(page, 'Blocked');
}

/** What the thread (`ul.conversation-panel`) shows as rendered (innerText leaves out what CSS hides) and has in its DOM. */
const thread = (page: Page) =>
  page.evaluate(() => {
    const panel = document.querySelector<HTMLElement>('ul.conversation-panel');
    return { shown: panel?.innerText ?? '', dom: panel?.textContent ?? '' };
  });

const messageMark = (page: Page, id: number) =>
  page.evaluate((messageId) => {
    const row = document.getElementById(`message${messageId}`);
    return row ? (row.getAttribute('data-ig-hidden') ?? 'shown') : null;
  }, id);

const composerLocked = (page: Page) => inShadow(page, 'ig-composer-lock').then(Boolean);
const editorText = (page: Page) => page.$eval('.reply-box .ProseMirror', (element) => element.textContent ?? '');

interface Probe {
  frames: number;
  /** Texts rendered in the thread, and anywhere on the page, in at least one frame. */
  thread: string[];
  page: string[];
}

/** The probe, at every animation frame (before paint): which of `needles` the thread and the page render. */
function probeFrames(needles: string[]) {
  const probe = { frames: 0, thread: [] as string[], page: [] as string[] };
  (window as unknown as { __igProbe: typeof probe }).__igProbe = probe;
  const tick = () => {
    probe.frames += 1;
    const panel = document.querySelector<HTMLElement>('ul.conversation-panel')?.innerText ?? '';
    const whole = document.body?.innerText ?? '';
    for (const needle of needles) {
      if (panel.includes(needle) && !probe.thread.includes(needle)) probe.thread.push(needle);
      if (whole.includes(needle) && !probe.page.includes(needle)) probe.page.push(needle);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const probe = (page: Page) => page.evaluate(() => (window as unknown as { __igProbe?: Probe }).__igProbe ?? null);

test('Firefox, real dashboard: the bar mounts in the header; Block asks first, blocks on the server and resolves the conversation', async () => {
  const page = await open(SPAM_BOT_CONVERSATION);
  await badgeIs(page, 'Active');
  expect(await headerState(page)).toEqual({ name: 'Spam Bot', inHeader: true, bars: 1 });

  const since = cw.apiLog.length;
  await clickInShadow(page, 'ig-action-bar-block');
  const dialog = await until(() => inShadow(page, 'ig-confirm'), Boolean, 'the confirmation');
  expect(dialog!.text).toContain('Block Spam Bot?');
  expect(apiWritesSince(cw, since), 'nothing sent before the confirmation').toEqual([]);
  await clickInShadow(page, 'ig-confirm-confirm');
  await badgeIs(page, 'Blocked');
  await until(async () => [contactOf(cw, SPAM_BOT).blocked, conversationOf(cw, SPAM_BOT_CONVERSATION).status], ([blocked, status]) => blocked === true && status === 'resolved', 'blocked and resolved on the server');
  expect(apiWritesSince(cw, since)).toEqual([
    `PUT /api/v1/accounts/1/contacts/${SPAM_BOT} {"blocked":true}`,
    `POST /api/v1/accounts/1/conversations/${SPAM_BOT_CONVERSATION}/toggle_status {"status":"resolved"}`,
  ]);
  expect(await inShadow(page, 'ig-action-bar-unblock')).not.toBeNull();
  expect(invalidApiRequests(cw)).toEqual([]);
  expect(errors).toEqual([]);
});

test('Firefox, real dashboard: what the blocked sender writes is never painted, arriving live or on a reload; "1 hidden" counts it', async () => {
  expect(contactOf(cw, SPAM_BOT).blocked, 'Spam Bot blocked by the test before').toBe(true);
  const earlier = 'GANHE DINHEIRO RÁPIDO!!! clique aqui';
  const late = 'ÚLTIMA CHANCE: responda SIM agora';
  const page = await open(SPAM_BOT_CONVERSATION);
  await badgeIs(page, 'Blocked');
  await until(() => thread(page), (now) => now.shown.includes(earlier), 'the earlier message shown');

  // Live: a probe at every frame from now on.
  await page.evaluate(probeFrames, [late]);
  const message = cw.incoming(SPAM_BOT_CONVERSATION, late);
  await until(() => messageMark(page, message.id), (mark) => mark === 'blocked', `message ${message.id} in the page, hidden`);
  await until(() => inShadow(page, 'ig-action-bar-hidden'), (pill) => pill?.text === '1 hidden', 'the "1 hidden" pill');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const live = (await probe(page))!;
  expect(live.frames).toBeGreaterThan(5);
  expect(live.page).toEqual([]);
  expect((await thread(page)).dom).toContain(late);

  // A reload: the history comes back with the late message in it; from document start, never painted.
  await page.evaluateOnNewDocument(probeFrames, [earlier, late]);
  await page.reload();
  await until(() => thread(page), (now) => now.shown.includes(earlier) && now.dom.includes(late), 'the history back, the late message in it');
  await until(() => messageMark(page, message.id), (mark) => mark === 'blocked', 'the late message hidden after the reload');
  await badgeIs(page, 'Blocked');
  await until(() => inShadow(page, 'ig-action-bar-hidden'), (pill) => pill?.text === '1 hidden', 'the "1 hidden" pill after the reload');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const seen = (await probe(page))!;
  expect(seen, 'the preload script ran').not.toBeNull();
  expect(seen.frames).toBeGreaterThan(10);
  expect(seen.thread).toEqual([earlier]);
  expect(seen.page.filter((text) => text === late), 'the late message anywhere on the page').toEqual([]);
  expect(invalidApiRequests(cw)).toEqual([]);
  expect(errors).toEqual([]);
});

test('Firefox, real dashboard: a blocked contact\'s composer sends nothing on Send nor Ctrl+Enter; unblocked from its notice, the reply goes out', async () => {
  const page = await open(PROMO_CONVERSATION);
  await badgeIs(page, 'Active');
  await block(page, 'Promo Blast');
  await until(() => inShadow(page, 'ig-composer-lock'), (lock) => lock?.text.includes('This contact is blocked') ?? false, 'the composer notice');
  const before = repliesIn(cw, PROMO_CONVERSATION).length;
  await typeReplyFirefox(page, 'Are you there?');
  await page.click('.reply-box button[type="submit"]');
  await pressCtrlEnter(page);
  await new Promise((resolve) => setTimeout(resolve, 800));
  expect(repliesIn(cw, PROMO_CONVERSATION)).toHaveLength(before);
  expect(await editorText(page)).toContain('Are you there?');

  await clickInShadow(page, 'ig-composer-unblock');
  const dialog = await until(() => inShadow(page, 'ig-confirm'), Boolean, 'the confirmation');
  expect(dialog!.text).toContain('Unblock Promo Blast?');
  await clickInShadow(page, 'ig-confirm-confirm');
  await badgeIs(page, 'Active');
  await until(async () => contactOf(cw, PROMO).blocked, (blocked) => !blocked, 'unblocked on the server');
  await until(() => composerLocked(page), (locked) => !locked, 'the composer notice gone');
  await page.click('.reply-box .ProseMirror');
  await pressCtrlEnter(page);
  await until(async () => repliesIn(cw, PROMO_CONVERSATION).length, (count) => count === before + 1, 'the reply on the server');
  // (The dashboard itself ends a reply's markdown with blank lines.)
  expect(repliesIn(cw, PROMO_CONVERSATION).at(-1)!.content.trim()).toBe('Are you there?');
  expect(invalidApiRequests(cw)).toEqual([]);
  expect(errors).toEqual([]);
});

// Issue 8, symptom 4. The badge following Chatwoot's own Block is being built on another branch:
// until it lands this test fails at "the Blocked badge after Chatwoot's own Block Contact".
test('Firefox, real dashboard: Chatwoot\'s own ⋮ → Block Contact shows Blocked and locks the composer within 10 s; ⋮ → Unblock Contact unlocks it', async () => {
  const page = await open(MARIA_CONVERSATION);
  await badgeIs(page, 'Active');
  const before = repliesIn(cw, MARIA_CONVERSATION).length;

  await pickHeaderMenu(page, 'Block Contact');
  await until(async () => contactOf(cw, MARIA).blocked, Boolean, 'Maria blocked on the server by Chatwoot itself');
  await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Blocked', 'the Blocked badge after Chatwoot\'s own Block Contact', 10_000);
  await until(() => composerLocked(page), Boolean, 'the composer notice', 10_000);
  await typeReplyFirefox(page, 'Still there?');
  await pressCtrlEnter(page);
  await new Promise((resolve) => setTimeout(resolve, 800));
  expect(repliesIn(cw, MARIA_CONVERSATION)).toHaveLength(before);

  await pickHeaderMenu(page, 'Unblock Contact');
  await until(async () => contactOf(cw, MARIA).blocked, (blocked) => !blocked, 'Maria unblocked on the server by Chatwoot itself');
  await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Active', 'the Active badge after Chatwoot\'s own Unblock Contact', 10_000);
  await until(() => composerLocked(page), (locked) => !locked, 'the composer notice gone', 10_000);
  await page.click('.reply-box .ProseMirror');
  await pressCtrlEnter(page);
  await until(async () => repliesIn(cw, MARIA_CONVERSATION).length, (count) => count === before + 1, 'the reply on the server');
  expect(repliesIn(cw, MARIA_CONVERSATION).at(-1)!.content.trim()).toBe('Still there?');
  expect(invalidApiRequests(cw)).toEqual([]);
  expect(errors).toEqual([]);
});
