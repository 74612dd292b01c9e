/**
 * Inbox Guard beside Chatwoot's own controls, on the real Chatwoot 4.10 dashboard
 * (../shared/platforms/chatwoot-4.10/, started by tests/e2e/harness/real-chatwoot.ts) in
 * Chromium, signed in as Ana Admin:
 *
 * - a contact blocked the Chatwoot way (⋮ → "Block Contact") is Blocked in Inbox Guard within
 *   seconds — composer locked, what they send next never painted — and "Unblock Contact" brings
 *   them back;
 * - for a blocked contact only sending to them stops: private notes go, Enter is a new line;
 * - coming back to a blocked contact's conversation: Chatwoot's "1 Unread Message" leaves with
 *   the hidden message it points at; Reopen, "Mark as pending" and Chatwoot's own "Block
 *   Contact" are disabled, its "Unblock Contact" is not;
 * - the Undo toast goes as soon as the archived contact it speaks of writes back.
 *
 * One server and one browser for the file: each test has a seeded contact of its own (Spam Bot,
 * Promo Blast, João Souza, Maria Silva).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connectToChatwoot, contactOf, openDashboard, SEED, startRealChatwoot, type RealChatwoot } from '../harness/real-chatwoot';
import { badge, barButton, confirmButton, paintedText, watchPaint } from '../harness/steps';

let cw: RealChatwoot;
let browser: ChromiumSession;

beforeAll(async () => {
  cw = await startRealChatwoot();
  browser = await launchChromium();
  const options = await connectToChatwoot(browser, cw);
  const outcome = await options.getByTestId('ig-options-outcome').getAttribute('data-kind');
  if (outcome !== 'connected') throw new Error(`the options page says ${outcome}: ${await options.getByTestId('ig-options-outcome').textContent()}`);
  await options.close();
});

afterAll(async () => {
  await browser?.close();
  await cw?.close();
});

/** "A few seconds": how long a change made on Chatwoot's side may take to show in Inbox Guard. */
const FEW_SECONDS = { timeout: 5_000 };

async function conversation(name: keyof typeof SEED, page?: Page): Promise<Page> {
  const tab = await openDashboard(browser, cw, SEED[name][1], 'admin', page);
  await expect.poll(() => badge(tab).textContent()).toMatch(/Active|Archived|Blocked/);
  return tab;
}

/** Blocks the open conversation's contact with Inbox Guard's bar. */
async function blockWithInboxGuard(page: Page) {
  await barButton(page, 'block').click();
  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Blocked');
}

/** Chatwoot's ⋮ in the conversation header, then one of its items. */
async function moreActions(page: Page, item: 'Block Contact' | 'Unblock Contact') {
  await page.locator('.conversation-details-wrap button:has(> span.i-lucide-more-vertical)').click();
  const entry = menuEntry(page, item);
  await entry.waitFor();
  return entry;
}
const menuEntry = (page: Page, item: string) => page.locator('button[type="button"]', { hasText: new RegExp(`^${item}$`) });

const editor = (page: Page) => page.locator('.reply-box .ProseMirror[contenteditable="true"]');
const sendButton = (page: Page) => page.locator('.reply-box button[type="submit"]');
const lockNotice = (page: Page) => page.getByTestId('ig-composer-lock');

async function typeReply(page: Page, text: string) {
  await editor(page).click();
  await page.keyboard.type(text);
}

/**
 * What the dashboard sent in a conversation: replies to the contact, and the team's notes
 * (trimmed: Chatwoot's Ctrl+Enter sends the editor's trailing empty paragraphs along).
 */
const written = (conversationId: number) => {
  const mine = cw.state().messages.filter((message) => message.conversation_id === conversationId && message.message_type === 1);
  const texts = (notes: boolean) => mine.filter((message) => message.private === notes).map((message) => message.content.trim());
  return { replies: texts(false), notes: texts(true) };
};
const status = (conversationId: number) => cw.state().conversations.get(conversationId)?.status;
const activities = (conversationId: number, text: string) =>
  cw.state().messages.filter((message) => message.conversation_id === conversationId && message.message_type === 2 && message.content.includes(text)).length;

/**
 * From document start of every load: whether `texts` are rendered in the thread at some frame
 * (innerText leaves out what CSS hides). Read with `threadProbe`.
 */
async function watchThreadFromStart(page: Page, texts: string[]) {
  await page.addInitScript((needles: string[]) => {
    const probe = { frames: 0, painted: [] as string[] };
    (window as unknown as { __igThread: typeof probe }).__igThread = probe;
    const tick = () => {
      probe.frames += 1;
      const text = document.querySelector<HTMLElement>('ul.conversation-panel')?.innerText ?? '';
      for (const needle of needles) if (text.includes(needle) && !probe.painted.includes(needle)) probe.painted.push(needle);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, texts);
}
const threadProbe = (page: Page) => page.evaluate(() => (window as unknown as { __igThread: { frames: number; painted: string[] } }).__igThread);

test('blocked the Chatwoot way (⋮ → Block Contact): Blocked in Inbox Guard within seconds, next message never shown; Unblock Contact the same way', async () => {
  const [contactId, conversationId] = SEED['Spam Bot'];
  const page = await conversation('Spam Bot');
  expect(await badge(page).textContent()).toBe('Active');

  await (await moreActions(page, 'Block Contact')).click();
  await expect.poll(() => contactOf(cw, contactId).blocked).toBe(true);
  await expect.poll(() => badge(page).textContent(), FEW_SECONDS).toBe('Blocked');
  await expect.poll(() => lockNotice(page).textContent()).toContain('This contact is blocked');

  // Sending to them does nothing.
  await typeReply(page, 'Still there?');
  await page.keyboard.press('Control+Enter');
  await sendButton(page).click({ force: true });
  await page.waitForTimeout(500);
  expect(written(conversationId).replies).toEqual([]);

  // What they write next is never painted.
  const spam = 'GANHE UM IPHONE: responda agora';
  await watchPaint(page, spam);
  cw.incoming(conversationId, spam);
  await page.locator('[data-message-id]', { hasText: spam }).waitFor({ state: 'attached' });
  await page.waitForTimeout(300);
  const probe = await paintedText(page);
  expect(probe.frames).toBeGreaterThan(5);
  expect(probe.painted).toBe(false);
  // …nor on a reload, among a history long enough not to count as arriving live: where the
  // thread stood when the block was noticed is its point.
  const more = ['Oferta 2: responda SIM', 'Oferta 3: clique no link', 'Oferta 4: último aviso'];
  for (const text of more) cw.incoming(conversationId, text);
  await page.locator('[data-message-id]', { hasText: more[2] }).waitFor({ state: 'attached' });
  await watchThreadFromStart(page, [spam, ...more]);
  await conversation('Spam Bot', page);
  for (const text of [spam, ...more]) await page.locator('[data-message-id]', { hasText: text }).waitFor({ state: 'attached' });
  await page.waitForTimeout(300);
  expect((await threadProbe(page)).painted).toEqual([]);

  // Chatwoot now offers its Unblock, which unlocks the composer in Inbox Guard too.
  await (await moreActions(page, 'Unblock Contact')).click();
  await expect.poll(() => contactOf(cw, contactId).blocked).toBe(false);
  await expect.poll(() => badge(page).textContent(), FEW_SECONDS).toBe('Active');
  await expect.poll(() => lockNotice(page).count()).toBe(0);
  await editor(page).click();
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => written(conversationId).replies).toEqual(['Still there?']);
});

test('a blocked contact: a private note still goes, Enter is a new line, only sending to the contact stops', async () => {
  const conversationId = SEED['Promo Blast'][1];
  const page = await conversation('Promo Blast');
  await blockWithInboxGuard(page);
  await expect.poll(() => lockNotice(page).textContent()).toContain('messages can’t be sent to them');

  // Chatwoot 4.10's default: Enter is a new paragraph, Ctrl+Enter sends ("Send (⌘ + ↵)").
  expect(await sendButton(page).textContent()).toContain('⌘ + ↵');
  await typeReply(page, 'First line');
  await page.keyboard.press('Enter');
  await page.keyboard.type('second line');
  await expect.poll(() => editor(page).locator('p').allTextContents()).toEqual(['First line', 'second line']);
  await page.keyboard.press('Control+Enter');
  await sendButton(page).click({ force: true });
  await page.waitForTimeout(500);
  expect(written(conversationId)).toEqual({ replies: [], notes: [] });
  await expect.poll(() => sendButton(page).evaluate((button) => getComputedStyle(button).opacity)).toBe('0.45');

  // The "Private Note" pill (its own draft): the team may note why they blocked.
  await page.locator('.reply-box').getByText('Private Note', { exact: true }).click();
  await page.locator('.reply-box.is-private').waitFor();
  await expect.poll(() => lockNotice(page).textContent()).toContain('Private notes still work');
  await expect.poll(() => sendButton(page).textContent()).toContain('Add Note');
  await typeReply(page, 'Blocked: sends offers every hour');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Reported as spam');
  // Not greyed out (Chatwoot eases its buttons' opacity: poll until it settles).
  await expect.poll(() => sendButton(page).evaluate((button) => getComputedStyle(button).opacity)).toBe('1');
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => written(conversationId).notes).toEqual(['Blocked: sends offers every hour\n\nReported as spam']);
  await typeReply(page, 'Unblock only if they call');
  await sendButton(page).click();
  await expect.poll(() => written(conversationId).notes).toHaveLength(2);
  expect(written(conversationId).replies).toEqual([]);

  // Back to Reply (its draft kept): locked again.
  await page.locator('.reply-box').getByText('Reply', { exact: true }).click();
  await expect.poll(() => lockNotice(page).textContent()).toContain('messages can’t be sent to them');
  await editor(page).click();
  await page.keyboard.press('Control+Enter');
  await page.waitForTimeout(500);
  expect(written(conversationId).replies).toEqual([]);
});


test('a blocked contact\'s conversation stays closed: Reopen, Mark as pending and Chatwoot\'s Block Contact disabled; no "1 Unread Message" for a hidden message; Unblock Contact works', async () => {
  const [contactId, conversationId] = SEED['João Souza'];
  const page = await conversation('João Souza');
  await blockWithInboxGuard(page);
  await expect.poll(() => status(conversationId)).toBe('resolved');

  // Until a reload Chatwoot still offers its own Block: he already is.
  const blockContact = await moreActions(page, 'Block Contact');
  await expect.poll(() => blockContact.getAttribute('aria-description')).toBe('This contact is already blocked.');
  expect(await blockContact.getAttribute('aria-disabled')).toBe('true');
  await blockContact.click({ force: true });
  await page.waitForTimeout(500);
  expect(activities(conversationId, 'has muted the conversation')).toBe(0);
  await page.keyboard.press('Escape');

  const reopen = page.locator('.resolve-actions button', { hasText: 'Reopen' });
  await expect.poll(() => reopen.getAttribute('aria-disabled')).toBe('true');
  expect(await reopen.getAttribute('aria-description')).toBe('A blocked contact’s conversation stays closed.');
  await reopen.click({ force: true });
  await page.locator('.resolve-actions button:has(> span.i-lucide-chevron-down)').click();
  const pending = page.locator('.resolve-actions button', { hasText: 'Mark as pending' });
  await pending.waitFor();
  await expect.poll(() => pending.getAttribute('aria-disabled')).toBe('true');
  await pending.click({ force: true });
  await page.waitForTimeout(500);
  expect(status(conversationId)).toBe('resolved');

  // While the agent is elsewhere, he writes: on coming back, his message is hidden, and so is
  // Chatwoot's blue separator that would point at it.
  await conversation('Maria Silva', page);
  const late = 'Oi?? alguém aí? responde';
  cw.incoming(conversationId, late);
  await watchThreadFromStart(page, [late, 'Unread Message']);
  await conversation('João Souza', page);
  const separator = page.locator('ul.conversation-panel > li', { hasText: /Unread Message/ });
  await separator.waitFor({ state: 'attached' });
  await page.locator('[data-message-id]', { hasText: late }).waitFor({ state: 'attached' });
  await page.waitForTimeout(300);
  expect(await separator.isVisible()).toBe(false);
  const probe = await threadProbe(page);
  expect(probe.frames).toBeGreaterThan(5);
  expect(probe.painted).toEqual([]);

  // After the reload Chatwoot knows, and offers its Unblock: that one works, and so does Reopen.
  await (await moreActions(page, 'Unblock Contact')).click();
  await expect.poll(() => contactOf(cw, contactId).blocked).toBe(false);
  await expect.poll(() => badge(page).textContent(), FEW_SECONDS).toBe('Active');
  await expect.poll(() => reopen.getAttribute('aria-disabled')).toBeNull();
  await reopen.click();
  await expect.poll(() => status(conversationId)).toBe('open');
});

test('the Undo toast goes as soon as the archived contact it speaks of writes back', async () => {
  const conversationId = SEED['Maria Silva'][1];
  const page = await conversation('Maria Silva');
  await barButton(page, 'archive').click();
  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Archived');
  const toast = page.getByTestId('ig-undo');
  await expect.poll(() => toast.textContent()).toContain('Maria Silva is archived.');

  // Chatwoot keeps last_activity_at in whole seconds: write in a later second than the archive.
  await page.waitForTimeout(1_100);
  const wrote = Date.now();
  cw.incoming(conversationId, 'Oi, ainda preciso de ajuda com o pedido');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  await expect.poll(() => toast.count()).toBe(0);
  // Well before the five seconds it would otherwise stay.
  expect(Date.now() - wrote).toBeLessThan(3_000);
});
