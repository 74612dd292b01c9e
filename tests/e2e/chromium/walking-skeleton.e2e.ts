/**
 * The walking skeleton in real Chromium, against the reference inbox in both API styles:
 * (a) an admin blocks a spammer, (b) an agent may archive but not block, and an archived
 * contact who writes is active again, (c) unblock from the same screen, (d) a wrong token.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, contactNamed, conversationsOf, serverStatus, startInbox, type ReferenceInbox, type Style } from '../harness/inbox';
import {
  actionBar,
  badge,
  barButton,
  confirmButton,
  confirmDialog,
  connectExtension,
  openConversation,
  paintedText,
  signInToInbox,
  watchPaint,
} from '../harness/steps';

const styles: Style[] = ['helena', 'chatwoot'];

describe.each(styles)('reference inbox, %s API style', (style) => {
  let inbox: ReferenceInbox;
  let browser: ChromiumSession;
  const pageErrors: string[] = [];

  beforeEach(async () => {
    inbox = await startInbox(style);
    browser = await launchChromium();
    pageErrors.length = 0;
  });

  afterEach(async () => {
    await browser?.close();
    await inbox?.close();
  });

  async function inboxPage(role: 'admin' | 'agent') {
    const options = await connectExtension(browser, connection(inbox, role));
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInToInbox(page, inbox, inbox.tokens[role]);
    return page;
  }

  test('(a) an admin blocks a spammer: confirmation, blocked on the server, badge Blocked, next message never shown', async () => {
    const page = await inboxPage('admin');
    await openConversation(page, 'Promo Relâmpago');
    await expect.poll(() => badge(page).textContent()).toBe('Active');

    await barButton(page, 'block').click();
    await expect.poll(() => confirmDialog(page).isVisible()).toBe(true);
    expect(await confirmDialog(page).textContent()).toContain('Block Promo Relâmpago?');
    expect(await confirmDialog(page).textContent()).toContain('new messages they send will not be received');
    await confirmButton(page).click();

    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('blocked');
    expect(conversationsOf(inbox, 'Promo Relâmpago').every((c) => c.status === 'resolved')).toBe(true);
    expect(await barButton(page, 'unblock').isVisible()).toBe(true);

    const spam = 'ÚLTIMA CHANCE: clique aqui agora';
    await watchPaint(page, spam);
    const result = inbox.control.incoming({ contactId: contactNamed(inbox, 'Promo Relâmpago').id, text: spam });
    if (style === 'chatwoot') {
      // Chatwoot stores it on the resolved conversation and the page receives it live.
      expect(result.stored).toBe(true);
      await page.locator(`#msg-${result.messageId}`).waitFor({ state: 'attached' });
      expect(await page.locator(`#msg-${result.messageId}`).getAttribute('data-ig-hidden')).toBe('blocked');
    } else {
      expect(result.dropped).toBe(true);
    }
    await page.waitForTimeout(500);
    const probe = await paintedText(page);
    expect(probe.frames).toBeGreaterThan(5);
    expect(probe.painted).toBe(false);
    expect(await page.getByText(spam).isVisible()).toBe(false);
    expect(pageErrors).toEqual([]);
  });

  test('(b) an agent sees Block disabled with its reason; Archive works; the contact writing makes them Active again', async () => {
    const page = await inboxPage('agent');
    await openConversation(page, 'Mariana Souza');
    await expect.poll(() => badge(page).textContent()).toBe('Active');

    const block = barButton(page, 'block');
    expect(await block.getAttribute('aria-disabled')).toBe('true');
    expect(await block.getAttribute('title')).toBe('Only administrators can block contacts');
    // aria-disabled keeps it focusable and clickable, so the user can learn why (Playwright
    // would otherwise wait for it to become enabled).
    await block.click({ force: true });
    expect(await confirmDialog(page).count()).toBe(0);
    await expect.poll(() => page.getByTestId('ig-action-bar-status').textContent()).toBe('Only administrators can block contacts');
    expect(serverStatus(inbox, 'Mariana Souza')).toBe('active');

    await barButton(page, 'archive').click();
    expect(await confirmDialog(page).textContent()).toContain('An archived contact is reactivated when they send a new message');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Archived');
    expect(serverStatus(inbox, 'Mariana Souza')).toBe('archived');

    // Chatwoot keeps time in whole seconds: let one pass so the new message is after the archive.
    if (style === 'chatwoot') await page.waitForTimeout(1100);
    const result = inbox.control.incoming({ contactId: contactNamed(inbox, 'Mariana Souza').id, text: 'Oi, voltei! Ainda tem o produto?' });
    expect(result.stored).toBe(true);
    await expect.poll(() => badge(page).textContent(), { timeout: 10_000 }).toBe('Active');
    expect(serverStatus(inbox, 'Mariana Souza')).toBe('active');
    expect(await page.locator('.ri-thread').getByText('Oi, voltei! Ainda tem o produto?').isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  test('(c) an admin unblocks a blocked contact from the same screen', async () => {
    const page = await inboxPage('admin');
    // Blocked conversations have left the lists: the "Blocked" view shows them.
    await openConversation(page, 'Empréstimo Fácil', 'Resolved', { blocked: true });
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');

    // Keyboard: Escape cancels the confirmation and focus goes back to the button.
    await barButton(page, 'unblock').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => confirmDialog(page).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => confirmDialog(page).count()).toBe(0);
    expect(await barButton(page, 'unblock').evaluate((element) => (element.getRootNode() as ShadowRoot).activeElement === element)).toBe(true);
    expect(serverStatus(inbox, 'Empréstimo Fácil')).toBe('blocked');

    await barButton(page, 'unblock').click();
    expect(await confirmDialog(page).textContent()).toContain('Unblock Empréstimo Fácil?');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    expect(serverStatus(inbox, 'Empréstimo Fácil')).toBe('active');
    expect(await barButton(page, 'block').isVisible()).toBe(true);
  });

  test('(d) a wrong token: a readable error in the options page and in the action bar, nothing crashes', async () => {
    const options = await connectExtension(browser, { ...connection(inbox, 'admin'), token: 'not-a-real-token' });
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('error');
    expect(await options.getByRole('alert').textContent()).toContain('did not accept your API token');

    const page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signInToInbox(page, inbox, inbox.tokens.admin);
    await openConversation(page, 'Promo Relâmpago');
    await expect.poll(() => page.getByTestId('ig-action-bar-error').textContent()).toContain('did not accept your API token');
    expect(await actionBar(page).getByRole('button', { name: 'Open settings' }).isVisible()).toBe(true);
    expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');
    expect(pageErrors).toEqual([]);
  });
});

describe('the overlay follows the browser\'s language', () => {
  test('a Brazilian agent reads Portuguese, with the seeds\' wording', async () => {
    const inbox = await startInbox('helena');
    const browser = await launchChromium({ language: 'pt-BR' });
    try {
      const options = await connectExtension(browser, connection(inbox, 'agent'));
      await expect.poll(() => options.getByTestId('ig-options-outcome').textContent()).toContain('Conectado como Pedro Agent (Agente).');
      const page = await browser.context.newPage();
      await signInToInbox(page, inbox, inbox.tokens.agent);
      await openConversation(page, 'Beatriz Lima');
      await expect.poll(() => badge(page).textContent()).toBe('Ativo');
      expect(await barButton(page, 'block').textContent()).toBe('Bloquear');
      expect(await barButton(page, 'block').getAttribute('title')).toBe('Somente administradores podem bloquear contatos');
      await barButton(page, 'archive').click();
      expect(await confirmDialog(page).textContent()).toContain('O contato arquivado é reativado quando ele enviar uma nova mensagem.');
    } finally {
      await browser.close();
      await inbox.close();
    }
  });
});
