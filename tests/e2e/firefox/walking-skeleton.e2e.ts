/**
 * Firefox ESR, MV3 build: the extension loads, the user connects it from the options page it
 * opens on install, the action bar mounts on the reference inbox, and a block round trip
 * (block, the spammer's next message not shown, unblock) works, in both API styles.
 */
import type { Page } from 'puppeteer-core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { connectFirefox, until } from '../harness/firefox-steps';
import { connection, contactNamed, serverStatus, startInbox, type ReferenceInbox, type Style } from '../harness/inbox';

/** Finds `testId` in any of Inbox Guard's shadow roots (the bar, the dialog, the toast…). */
const inShadow = (page: Page, testId: string) =>
  page.evaluate((id) => {
    for (const host of document.querySelectorAll('[data-inbox-guard]')) {
      const element = host.shadowRoot?.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      if (element) return { text: element.textContent ?? '', disabled: element.getAttribute('aria-disabled') };
    }
    return null;
  }, testId);

const clickInShadow = (page: Page, testId: string) =>
  page.evaluate((id) => {
    for (const host of document.querySelectorAll('[data-inbox-guard]')) {
      const element = host.shadowRoot?.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      if (element) return element.click();
    }
  }, testId);


describe.each(['helena', 'chatwoot'] as Style[])('Firefox, reference inbox in %s style', (style) => {
  let inbox: ReferenceInbox;
  let firefox: FirefoxSession;

  beforeEach(async () => {
    inbox = await startInbox(style);
    firefox = await launchFirefox();
  });
  afterEach(async () => {
    await firefox?.close();
    await inbox?.close();
  });

  test('connect, see the action bar, block a spammer (their next message is not shown), unblock', async () => {
    const options = await firefox.optionsPage();
    const admin = connection(inbox, 'admin');
    const outcome = await connectFirefox(options, admin);
    expect(outcome).toBe('connected: Connected as Ana Admin (Administrator).');

    const page = await firefox.browser.newPage();
    await page.goto(`${inbox.url}/inbox`);
    await page.type('.ri-signin input[name="token"]', inbox.tokens.admin);
    await page.click('.ri-signin button');
    await page.waitForSelector('.ri-row');
    const rows = await page.$$('.ri-row');
    for (const row of rows) {
      if ((await row.evaluate((element) => element.textContent ?? '')).includes('Promo Relâmpago')) await row.click();
    }
    await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Active', 'the Active badge');

    await clickInShadow(page, 'ig-action-bar-block');
    const dialog = await until(() => inShadow(page, 'ig-confirm'), Boolean, 'the confirmation');
    expect(dialog?.text).toContain('Block Promo Relâmpago?');
    await clickInShadow(page, 'ig-confirm-confirm');
    await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Blocked', 'the Blocked badge');
    expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('blocked');

    const spam = 'Oferta relâmpago só hoje!!!';
    const result = inbox.control.incoming({ contactId: contactNamed(inbox, 'Promo Relâmpago').id, text: spam });
    if (result.stored) await page.waitForSelector(`#msg-${result.messageId}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const shown = await page.evaluate((text) => (document.querySelector('.ri-thread') as HTMLElement).innerText.includes(text), spam);
    expect(shown).toBe(false);

    await clickInShadow(page, 'ig-action-bar-unblock');
    await until(() => inShadow(page, 'ig-confirm'), Boolean, 'the confirmation');
    await clickInShadow(page, 'ig-confirm-confirm');
    await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Active', 'the Active badge again');
    expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');
  });

  if (style === 'chatwoot') {
    test('hiding, the composer lock and the undo toast', async () => {
      const options = await firefox.optionsPage();
      const admin = connection(inbox, 'admin');
      expect(await connectFirefox(options, admin)).toMatch(/^connected/);

      const page = await firefox.browser.newPage();
      await page.goto(`${inbox.url}/inbox`);
      await page.type('.ri-signin input[name="token"]', inbox.tokens.admin);
      await page.click('.ri-signin button');
      await page.waitForSelector('.ri-row');
      for (const row of await page.$$('.ri-row')) {
        if ((await row.evaluate((element) => element.textContent ?? '')).includes('Crypto Gains 24h')) await row.click();
      }
      await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Active', 'the Active badge');
      await clickInShadow(page, 'ig-action-bar-block');
      await until(() => inShadow(page, 'ig-confirm'), Boolean, 'the confirmation');
      await clickInShadow(page, 'ig-confirm-confirm');
      await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Blocked', 'the Blocked badge');

      // Hiding: Chatwoot stores what a blocked contact sends; the page receives it live.
      const contactId = contactNamed(inbox, 'Crypto Gains 24h').id;
      const burst = await inbox.control.burst({ contactId, count: 2, text: 'VIP signal, join now' });
      for (const id of burst.messageIds) await page.waitForSelector(`#msg-${id}`);
      await until(() => inShadow(page, 'ig-action-bar-hidden'), (pill) => pill?.text === '2 hidden', 'the hidden pill');
      expect(await page.evaluate(() => (document.querySelector('.ri-thread') as HTMLElement).innerText.includes('VIP signal'))).toBe(false);

      // The composer lock: Enter and Send do nothing.
      const conversation = inbox.model.latestConversation(contactId)!;
      const outgoing = () => inbox.model.messagesOf(conversation.id).filter((message) => message.direction === 'outgoing').length;
      const before = outgoing();
      await until(() => inShadow(page, 'ig-composer-lock'), Boolean, 'the composer notice');
      await page.type('.ri-composer__input', 'hello?');
      await page.keyboard.press('Enter');
      await page.evaluate(() => (document.querySelector('.ri-composer__send') as HTMLButtonElement).click());
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(outgoing()).toBe(before);

      // Undo: the toast puts the contact back.
      await until(() => inShadow(page, 'ig-undo'), Boolean, 'the undo toast');
      await clickInShadow(page, 'ig-undo-action');
      await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Active', 'the Active badge again');
      expect(serverStatus(inbox, 'Crypto Gains 24h')).toBe('active');
    });
  }
});
