/**
 * The complete overlay in real Chromium, on the reference inbox in both API styles: row
 * badges and the Blocked view, the composer lock with snooze and merge disabled, Undo, the
 * context menu (rows, a message and the header of the open conversation, a selected phone or
 * e-mail), the keyboard shortcuts, hidden messages (pill, moderation reveal, toolbar badge), an
 * admin's selector override, and an extension update in the middle of a session. Chatwoot style
 * only: an agent's menu and shortcut refused.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { pickMenuItem, pressShortcut, toolbarBadge, watchMenu } from '../harness/browser-events';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, contactNamed, serverStatus, startInbox, type ReferenceInbox, type Role, type Style } from '../harness/inbox';
import { badge, barButton, blockedViewRow, confirmButton, confirmDialog, connectExtension, openConversation, signInToInbox } from '../harness/steps';

let inbox: ReferenceInbox;
let browser: ChromiumSession;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

async function start(style: Style, role: Role = 'admin', remember = false) {
  inbox = await startInbox(style);
  browser = await launchChromium();
  const options = await connectExtension(browser, { ...connection(inbox, role), remember });
  await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  const page = await browser.context.newPage();
  await signInToInbox(page, inbox, inbox.tokens[role]);
  return page;
}

const row = (page: Page, name: string) => page.locator('.ri-row', { has: page.locator('.ri-row__name', { hasText: name }) }).first();
const rowBadge = (page: Page, name: string) =>
  row(page, name).locator('.ri-row__name').evaluate((element) => getComputedStyle(element, '::after').content);
const applied = (name: string) =>
  inbox.control.requests().filter((request) => request.method === 'PUT' && request.path.endsWith(`/${contactNamed(inbox, name).id}`) && request.status === 200);

/** The text of the focused element, looking into shadow roots. */
const focusedText = (page: Page) =>
  page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.textContent ?? '';
  });

async function block(page: Page) {
  await barButton(page, 'block').click();
  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Blocked');
}

describe.each(['helena', 'chatwoot'] as Style[])('reference inbox, %s API style', (style) => {
  test('rows say archived or blocked; blocked conversations leave the list, the Blocked view brings them back', async () => {
    const page = await start(style);
    await page.locator('.ri-list__tabs [role="tab"]', { hasText: 'Resolved' }).click();
    await expect.poll(() => rowBadge(page, 'Renata Campos')).toBe('"Archived"');
    await expect.poll(() => row(page, 'Empréstimo Fácil').getAttribute('data-ig-status')).toBe('blocked');
    expect(await row(page, 'Empréstimo Fácil').isVisible()).toBe(false);
    const view = page.getByTestId('ig-blocked-view');
    await expect.poll(() => view.textContent()).toBe('Blocked (1)');
    await view.click();
    // The view takes the list's place: the blocked contacts the store knows, not the page's rows.
    await expect.poll(() => page.getByTestId('ig-blocked-view-row').allTextContents()).toEqual([expect.stringContaining('Empréstimo Fácil')]);
    expect(await row(page, 'Renata Campos').isVisible()).toBe(false);
    await blockedViewRow(page, 'Empréstimo Fácil').locator('.ig-view-open').click();
    await page.locator('.ri-chat__name', { hasText: 'Empréstimo Fácil' }).waitFor();
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    await page.getByTestId('ig-blocked-view').click();
    await expect.poll(() => row(page, 'Renata Campos').isVisible()).toBe(true);
  });

  test('a blocked contact cannot be written to; admins unblock right there; snooze and merge wait', async () => {
    const page = await start(style);
    await openConversation(page, 'Promo Relâmpago');
    await block(page);
    const conversation = inbox.model.latestConversation(contactNamed(inbox, 'Promo Relâmpago').id)!;
    const outgoing = () => inbox.model.messagesOf(conversation.id).filter((message) => message.direction === 'outgoing').length;
    const before = outgoing();

    await expect.poll(() => page.getByTestId('ig-composer-lock').textContent()).toContain('This contact is blocked');
    await page.locator('.ri-composer__input').fill('Are you there?');
    await page.locator('.ri-composer__input').press('Enter');
    await page.locator('.ri-composer__send').click({ force: true });
    await page.waitForTimeout(500);
    expect(outgoing()).toBe(before);
    expect(await page.locator('[data-ri-action="snooze"]').getAttribute('aria-disabled')).toBe('true');
    expect(await page.locator('[data-ri-action="merge"]').getAttribute('aria-disabled')).toBe('true');

    await page.getByTestId('ig-composer-unblock').click();
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Unblock Promo Relâmpago?');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await expect.poll(() => page.getByTestId('ig-composer-lock').count()).toBe(0);
    expect(await page.locator('[data-ri-action="merge"]').getAttribute('aria-disabled')).toBeNull();
    await page.locator('.ri-composer__input').fill('Back in touch');
    await page.locator('.ri-composer__send').click();
    await expect.poll(outgoing).toBe(before + 1);
  });

  test('Undo, within five seconds, puts the contact back as it was (queued like any action)', async () => {
    const page = await start(style);
    await openConversation(page, 'Crypto Gains 24h');
    await block(page);
    expect(serverStatus(inbox, 'Crypto Gains 24h')).toBe('blocked');
    await expect.poll(() => page.getByTestId('ig-undo').textContent()).toContain('Crypto Gains 24h is blocked.');
    await page.getByTestId('ig-undo-action').click();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    expect(serverStatus(inbox, 'Crypto Gains 24h')).toBe('active');
    expect(applied('Crypto Gains 24h')).toHaveLength(2);
    await page.waitForTimeout(5_500);
    expect(await page.getByTestId('ig-undo').count()).toBe(0);

    // Undo restores the status before the action: Archived → Block → Undo is Archived again.
    await openConversation(page, 'Renata Campos', 'Resolved');
    await expect.poll(() => badge(page).textContent()).toBe('Archived');
    await block(page);
    expect(serverStatus(inbox, 'Renata Campos')).toBe('blocked');
    await expect.poll(() => page.getByTestId('ig-undo').textContent()).toContain('Renata Campos is blocked.');
    await page.getByTestId('ig-undo-action').click();
    await expect.poll(() => badge(page).textContent()).toBe('Archived');
    await expect.poll(() => serverStatus(inbox, 'Renata Campos')).toBe('archived');
  });

  test('the context menu acts on what was right-clicked, after the same confirmation', async () => {
    const page = await start(style);
    // The overlay is up (its page features listen for the right button) before the right-click.
    await page.locator('inbox-guard-toast').waitFor({ state: 'attached' });
    await row(page, 'Mariana Souza').click({ button: 'right' });
    await pickMenuItem(browser, inbox.url, 'inbox-guard-archive');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Archive Mariana Souza?');
    await confirmButton(page).click();
    await expect.poll(() => serverStatus(inbox, 'Mariana Souza')).toBe('archived');

    // A phone number selected anywhere on the page, written any way.
    await pickMenuItem(browser, inbox.url, 'inbox-guard-selection', '+55 (11) 98765-4321');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Block Mariana Souza?');
    await page.keyboard.press('Escape');
    await expect.poll(() => confirmDialog(page).count()).toBe(0);
    await pickMenuItem(browser, inbox.url, 'inbox-guard-selection', 'nobody@nowhere.example');
    await expect.poll(() => page.getByTestId('ig-notice').textContent()).toContain('No contact matches “nobody@nowhere.example”.');
    expect(serverStatus(inbox, 'Mariana Souza')).toBe('archived');
  });

  test('keyboard shortcuts open the confirmation, which works by keyboard alone', async () => {
    const page = await start(style);
    await openConversation(page, 'Ganhe Dinheiro Já');
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await pressShortcut(browser, inbox.url, 'toggle-block');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Block Ganhe Dinheiro Já?');
    // Destructive: focus starts on Cancel; Tab moves to Block; Enter confirms.
    await expect.poll(() => focusedText(page)).toBe('Cancel');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedText(page)).toBe('Block');
    await page.keyboard.press('Enter');
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    expect(serverStatus(inbox, 'Ganhe Dinheiro Já')).toBe('blocked');
    await pressShortcut(browser, inbox.url, 'toggle-archive');
    await expect.poll(() => page.getByTestId('ig-notice').textContent()).toContain("A blocked contact can't be archived: unblock them first.");
    expect(await confirmDialog(page).count()).toBe(0);
  });

  test('right-clicking a message or the header of the open conversation offers that contact\'s actions, which work', async () => {
    const page = await start(style);
    await openConversation(page, 'Crypto Gains 24h');
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    const offered = await watchMenu(browser);
    await page.locator('.ri-thread .ri-msg__text').first().click({ button: 'right' });
    await expect.poll(offered).toEqual(['inbox-guard-archive', 'inbox-guard-block']);
    await pickMenuItem(browser, inbox.url, 'inbox-guard-block');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Block Crypto Gains 24h?');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    expect(serverStatus(inbox, 'Crypto Gains 24h')).toBe('blocked');

    // The same conversation, right-clicked again: the menu now offers what fits a blocked contact.
    await page.locator('.ri-chat__name').click({ button: 'right' });
    await expect.poll(offered).toEqual(['inbox-guard-unblock']);
    await pickMenuItem(browser, inbox.url, 'inbox-guard-unblock');
    await expect.poll(() => confirmDialog(page).textContent()).toContain('Unblock Crypto Gains 24h?');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    expect(serverStatus(inbox, 'Crypto Gains 24h')).toBe('active');
    await page.locator('.ri-thread .ri-msg__text').last().click({ button: 'right' });
    await expect.poll(offered).toEqual(['inbox-guard-archive', 'inbox-guard-block']);
  });

  test('Back and Forward in the inbox: the bar follows to each conversation and acts on its contact', async () => {
    const page = await start(style);
    await openConversation(page, 'Promo Relâmpago');
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await openConversation(page, 'Lucas Almeida');
    await expect.poll(() => page.locator('.ri-chat__name').textContent()).toBe('Lucas Almeida');
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    // The browser's Back: the address changes before the page redraws its header.
    await page.goBack();
    await page.locator('.ri-chat__name', { hasText: 'Promo Relâmpago' }).waitFor();
    await expect.poll(() => page.locator('inbox-guard-bar').count()).toBe(1);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    await barButton(page, 'block').click();
    expect(await confirmDialog(page).textContent()).toContain('Block Promo Relâmpago?');
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
    await expect.poll(() => serverStatus(inbox, 'Promo Relâmpago')).toBe('blocked');
    await page.goForward();
    await page.locator('.ri-chat__name', { hasText: 'Lucas Almeida' }).waitFor();
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    expect(await page.locator('inbox-guard-bar').count()).toBe(1);
    expect(serverStatus(inbox, 'Lucas Almeida')).toBe('active');
  });

  test('hidden messages: the pill counts them, the toolbar shows the count, admins reveal them for moderation', async () => {
    const page = await start(style);
    await openConversation(page, 'Promo Relâmpago');
    // The bar knows the contact before the platform goes away.
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    // Helena drops a blocked contact's messages (reference inbox README, seeds 000 and 002): they
    // reach the page only while the block waits to be sent, here because the platform is offline.
    if (style === 'helena') inbox.control.faults({ offline: true });
    await barButton(page, 'block').click();
    await confirmButton(page).click();
    await expect.poll(() => badge(page).textContent()).toBe(style === 'helena' ? 'Blocked · not sent yet' : 'Blocked');
    const burst = await inbox.control.burst({ contactId: contactNamed(inbox, 'Promo Relâmpago').id, count: 3, text: 'spam burst' });
    expect(burst.stored).toBe(3);
    await expect.poll(() => page.getByTestId('ig-action-bar-hidden').textContent()).toBe('3 hidden');
    await expect.poll(() => toolbarBadge(browser, inbox.url)).toBe('3');
    const hidden = page.locator('.ri-thread').getByText('spam burst');
    expect(await hidden.first().isVisible()).toBe(false);
    await page.getByTestId('ig-action-bar-hidden').click();
    await expect.poll(() => hidden.first().isVisible()).toBe(true);
    await page.getByTestId('ig-action-bar-hidden').click();
    await expect.poll(() => hidden.first().isVisible()).toBe(false);
    if (style === 'helena') {
      inbox.control.clearFaults();
      await expect.poll(() => badge(page).textContent(), { timeout: 15_000 }).toBe('Blocked');
      expect(await hidden.first().isVisible()).toBe(false);
      expect(await page.getByTestId('ig-action-bar-hidden').textContent()).toBe('3 hidden');
    }
  });

  test('an admin points the overlay at other elements from the options page, without a release', async () => {
    inbox = await startInbox(style);
    browser = await launchChromium();
    const options = await connectExtension(browser, { ...connection(inbox, 'admin'), selectors: '{ "headerAnchor": ".ri-chat__tools" }' });
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    const page = await browser.context.newPage();
    await signInToInbox(page, inbox, inbox.tokens.admin);
    await openConversation(page, 'Promo Relâmpago');
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    expect(await page.locator('.ri-chat__tools + inbox-guard-bar').count()).toBe(1);
  });

  test('the extension updated mid-session: one overlay again, no errors', async () => {
    // An update empties session storage: a remembered token carries the session over.
    const page = await start(style, 'admin', true);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      // Chrome's error when an orphaned script still calls the extension API.
      if (message.type() === 'error' || /Extension context invalidated/.test(message.text())) problems.push(message.text());
    });
    await openConversation(page, 'Promo Relâmpago');
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    const before = await page.locator('inbox-guard-bar').elementHandle();
    await browser.reloadExtension();
    // The old copy removes itself; the new one (put into the tab by the update) takes over.
    await expect.poll(() => before!.evaluate((host) => host.isConnected), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => page.locator('inbox-guard-bar').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => badge(page).textContent()).toBe('Active');
    expect(await page.locator('style#inbox-guard-style').count()).toBe(1);
    expect(await page.locator('inbox-guard-dialog').count()).toBe(1);
    await block(page);
    expect(problems.filter((text) => !/Failed to load resource/.test(text))).toEqual([]);
  });
});

test('an agent\'s context menu and shortcut cannot block (Chatwoot lets agents block; the extension does not)', async () => {
  const page = await start('chatwoot', 'agent');
  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  await pressShortcut(browser, inbox.url, 'toggle-block');
  await expect.poll(() => page.getByTestId('ig-notice').textContent()).toContain('Only administrators can block');
  expect(await confirmDialog(page).count()).toBe(0);
  await page.getByTestId('ig-notice-action').click();
  await row(page, 'Promo Relâmpago').click({ button: 'right' });
  await pickMenuItem(browser, inbox.url, 'inbox-guard-block');
  await expect.poll(() => page.getByTestId('ig-notice').textContent()).toContain('Only administrators can block');
  await page.getByTestId('ig-notice-action').click();
  // "Block “…”" on a selected number: refused too, before any lookup or dialog.
  await pickMenuItem(browser, inbox.url, 'inbox-guard-selection', '+55 (11) 98765-4321');
  await expect.poll(() => page.getByTestId('ig-notice').textContent()).toContain('Only administrators can block');
  await page.waitForTimeout(800);
  expect(await confirmDialog(page).count()).toBe(0);
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');
  expect(serverStatus(inbox, 'Mariana Souza')).toBe('active');
});
