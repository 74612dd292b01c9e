/**
 * What a user does in Firefox (Puppeteer over BiDi), as steps shared by the Firefox tests:
 * wait for something the page shows, connect the extension from the settings page it opened,
 * open a conversation on the reference inbox and read or press Inbox Guard's overlay there.
 */
import type { Browser, Page as PuppeteerPage } from 'puppeteer-core';
import type { ReferenceInbox } from './inbox';
import type { Connection } from './steps';

/** Polls `read` until `accept` says yes (Puppeteer has no expect.poll of its own). */
export async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** Firefox: fills the options page the extension opened at install and tests the connection. */
export async function connectFirefox(options: PuppeteerPage, connection: Connection): Promise<string> {
  await options.select('[data-testid="ig-options-platform"]', 'reference');
  await options.click(`[data-testid="ig-options-apiStyle-${connection.apiStyle}"]`);
  await options.type('[data-testid="ig-options-serverUrl"]', connection.serverUrl);
  if (connection.apiStyle === 'chatwoot') await options.type('[data-testid="ig-options-accountId"]', connection.accountId);
  else await options.type('[data-testid="ig-options-agentEmail"]', connection.agentEmail);
  await options.type('[data-testid="ig-options-token"]', connection.token);
  await options.click('[data-testid="ig-options-test"]');
  return until(
    () => options.$eval('[data-testid="ig-options-outcome"]', (element) => `${(element as HTMLElement).dataset.kind}: ${element.textContent}`),
    (text) => !text.startsWith('idle') && !text.startsWith('busy'),
    'the connection test',
  );
}

/** Firefox: `testId` in any of Inbox Guard's shadow roots on an inbox page (the bar, the dialog…), or null. */
export function inShadow(page: PuppeteerPage, testId: string) {
  return page.evaluate((id) => {
    for (const host of document.querySelectorAll('[data-inbox-guard]')) {
      const element = host.shadowRoot?.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      if (element) return {
          text: element.textContent ?? '',
          disabled: element.getAttribute('aria-disabled'),
          title: element.getAttribute('title'),
          label: element.getAttribute('aria-label'),
        };
    }
    return null;
  }, testId);
}

/** Firefox: clicks `testId` in Inbox Guard's shadow roots. */
export async function clickInShadow(page: PuppeteerPage, testId: string): Promise<void> {
  await page.evaluate((id) => {
    for (const host of document.querySelectorAll('[data-inbox-guard]')) {
      const element = host.shadowRoot?.querySelector<HTMLElement>(`[data-testid="${id}"]`);
      if (element) return element.click();
    }
  }, testId);
}

/** Firefox: signs in to the reference inbox in a new tab and opens `name`'s conversation. */
export async function openInboxConversation(browser: Browser, inbox: ReferenceInbox, token: string, name: string): Promise<PuppeteerPage> {
  const page = await browser.newPage();
  await page.goto(`${inbox.url}/inbox`);
  await page.type('.ri-signin input[name="token"]', token);
  await page.click('.ri-signin button');
  await page.waitForSelector('.ri-row');
  for (const row of await page.$$('.ri-row')) {
    if ((await row.evaluate((element) => element.textContent ?? '')).includes(name)) {
      await row.click();
      return page;
    }
  }
  throw new Error(`no conversation with ${name} in the inbox`);
}

/**
 * Firefox: on an inbox page already signed in, opens `name`'s conversation from the list of
 * `tab` (the site's own navigation) and waits for its header.
 */
export async function clickConversationRow(page: PuppeteerPage, name: string, tab: 'open' | 'resolved' = 'open'): Promise<void> {
  await page.click(`#ri-tab-${tab}`);
  const row = await until(
    () => page.$$('.ri-row').then(async (rows) => {
      for (const row of rows) if ((await row.evaluate((element) => element.querySelector('.ri-row__name')?.textContent ?? '')) === name) return row;
      return null;
    }),
    Boolean,
    `${name}'s conversation in the list`,
  );
  await row!.click();
  await until(() => page.evaluate(() => document.querySelector('.ri-chat__name')?.textContent ?? ''), (shown) => shown === name, `${name}'s conversation open`);
}
