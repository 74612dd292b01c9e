/**
 * The popup panel's end-to-end steps, shared by the Chromium tests (Playwright) and the Firefox
 * test (Puppeteer over BiDi): the server-side seed the lists are checked against, the import
 * file with one bad row, opening the panel in each browser, and connecting Firefox from the
 * options page it opened at install.
 *
 * Selectors are the panel's data-testids (components/Panel, prefix `ig-panel-`).
 */
export { connectFirefox, until } from './firefox-steps';
import type { Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import type { ChromiumSession } from './chromium';
import type { FirefoxSession } from './firefox';
import { contactNamed, type ReferenceInbox } from './inbox';

/** Contacts archived on the server beside the seed's own (Renata Campos). */
export const ARCHIVED_NAMES = ['Mariana Souza', 'João Pereira', 'Camille Dubois'];

/**
 * Server side: `blocked` more blocked contacts (beside the seed's Empréstimo Fácil) and
 * ARCHIVED_NAMES archived, the way each platform keeps it (Helena: a status; Chatwoot: the two
 * custom attributes the extension writes). Returns the counts the panel should show.
 */
export function seedPanelContacts(inbox: ReferenceInbox, blocked = 40): { blocked: number; archived: number } {
  if (blocked > 0) inbox.control.seedBlocked(blocked);
  const now = Math.floor(Date.now() / 1000);
  for (const name of ARCHIVED_NAMES) {
    const { id } = contactNamed(inbox, name);
    if (inbox.style === 'helena') inbox.model.updateContact(id, { status: 'archived' });
    else inbox.model.updateContact(id, { customAttributes: { inbox_guard_archived: true, inbox_guard_archived_at: now } });
  }
  return { blocked: blocked + 1, archived: ARCHIVED_NAMES.length + 1 };
}

/** Two contacts to archive and one row that is no phone: the report shows it before anything is applied. */
export const IMPORT_CSV = 'phone;status;note\n+55 31 99123-4567;arquivado;imported\n+33 6 98 76 54 32;archived;\nnot a phone;blocked;\n';

export const panelTestId = (id = '') => (id ? `ig-panel-${id}` : 'ig-panel');

/** Chromium: popup.html in a tab the size of the toolbar popup. */
export async function openPopup(browser: ChromiumSession): Promise<Page> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 400, height: 600 });
  // Right after launch the extension opens its settings page (install): one more try.
  await page.goto(browser.extensionUrl('popup.html')).catch(async () => {
    await page.waitForTimeout(1_000);
    await page.goto(browser.extensionUrl('popup.html'));
  });
  await page.getByTestId(panelTestId()).waitFor();
  return page;
}



/**
 * Firefox: the options page's "Open the panel" (BiDi may not navigate a tab to a
 * moz-extension:// page; the extension opens popup.html?tab itself, as a user would have it do).
 */
export async function openPanelFirefox(firefox: FirefoxSession, options: PuppeteerPage): Promise<PuppeteerPage> {
  await options.click('[data-testid="ig-options-open-panel"]');
  const page = await firefox.extensionPage('popup.html?tab');
  await page.waitForSelector(`[data-testid="${panelTestId()}"]`);
  return page;
}

/** Firefox: what a panel element shows (text, data-kind, aria-disabled…), or null when absent. */
export function panelRead(page: PuppeteerPage, id: string) {
  return page.evaluate((testId) => {
    const element = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
    if (!element) return null;
    return {
      text: element.textContent ?? '',
      kind: element.dataset.kind ?? null,
      disabled: element.getAttribute('aria-disabled'),
      setsize: element.getAttribute('aria-setsize'),
    };
  }, panelTestId(id));
}

/** Firefox: the names in the list's rows now in the DOM (the list is virtualized). */
export function panelRowNames(page: PuppeteerPage): Promise<string[]> {
  return page.$$eval(`[data-testid="${panelTestId('list-row')}"] .ig-row__name`, (names) => names.map((name) => name.textContent ?? ''));
}
