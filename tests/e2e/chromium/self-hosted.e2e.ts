/**
 * A self-hosted inbox (an origin the manifest does not list): the content script is
 * registered at run time once the user has given the host permission, and unregistered when
 * it is taken away. The e2e build lists only 127.0.0.1 for the content script, so the
 * reference inbox reached as `localhost` plays the self-hosted server.
 */
import { afterEach, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, startInbox, type ReferenceInbox } from '../harness/inbox';
import { badge, connectExtension, openConversation, signInToInbox } from '../harness/steps';

let inbox: ReferenceInbox;
let browser: ChromiumSession;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

const registered = async () =>
  (await browser.worker()).evaluate(async () =>
    (
      await (globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> } } }).chrome.scripting.getRegisteredContentScripts()
    ).map((script) => [script.id, ...(script.matches ?? [])].join(' ')),
  );

test('the overlay runs on a self-hosted inbox through a content script registered at run time', async () => {
  inbox = await startInbox('chatwoot');
  browser = await launchChromium();
  const selfHosted = inbox.url.replace('127.0.0.1', 'localhost');
  const options = await connectExtension(browser, { ...connection(inbox, 'admin'), serverUrl: selfHosted });
  await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  expect(await registered()).toEqual(['inbox-guard-self-hosted http://localhost/*']);

  const page = await browser.context.newPage();
  await signInToInbox(page, { ...inbox, url: selfHosted }, inbox.tokens.admin);
  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');

  // The user takes the site access away: the registration goes with it.
  await browser.setHostAccess('ON_CLICK');
  await expect.poll(registered).toEqual([]);
  await page.reload();
  await page.locator('.ri-chat__name').waitFor();
  await page.waitForTimeout(500);
  expect(await page.locator('inbox-guard-bar').count()).toBe(0);

  await browser.setHostAccess('ON_ALL_SITES');
  await expect.poll(registered).toEqual(['inbox-guard-self-hosted http://localhost/*']);
  await page.reload();
  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
});
