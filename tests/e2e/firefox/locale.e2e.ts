/**
 * Firefox ESR in Portuguese (Brazil): the extension speaks the browser's language. Inbox Guard
 * has no language setting of its own (lib/i18n.ts reads browser.i18n), and Firefox gives an
 * extension the language of its own interface, which can only be one Firefox has: pt-BR needs
 * Firefox's language pack (Debian: firefox-esr-l10n-pt-br, which .ci/run installs). Without it
 * Firefox stays in en-US whatever is asked, so the test is skipped with a note.
 *
 * With `intl.locale.requested` = pt-BR: the options page, the popup panel (opened in a tab) and
 * the overlay's action bar on the reference inbox show the pt_BR catalog's strings, read from
 * public/_locales/pt_BR/messages.json (not typed here again).
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, expect, test } from 'vitest';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { clickInShadow, inShadow, openInboxConversation } from '../harness/firefox-steps';
import { connection, serverStatus, startInbox, type ReferenceInbox } from '../harness/inbox';
import { connectFirefox, openPanelFirefox, panelRead, panelTestId, until } from '../harness/panel';
import { FIREFOX, ROOT } from '../harness/paths';

type Catalog = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const catalog = (locale: string): Catalog => JSON.parse(readFileSync(join(ROOT, 'public', '_locales', locale, 'messages.json'), 'utf8'));
const pt = catalog('pt_BR');
const en = catalog('en');

/** A message as browser.i18n gives it: $NAME$ placeholders filled with the substitutions. */
function message(key: string, ...subs: string[]): string {
  const entry = pt[key];
  if (!entry) throw new Error(`no pt_BR message ${key}`);
  // A Portuguese string the same as the English one would prove nothing (unless it has no words of its own).
  if (/\p{L}/u.test(entry.message.replace(/\$[A-Za-z0-9_]+\$/g, ''))) expect(entry.message, key).not.toBe(en[key]?.message);
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_whole, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
    return content.replace(/\$(\d)/g, (_dollar, index: string) => subs[Number(index) - 1] ?? '');
  });
}

/** Firefox's pt-BR language pack, beside the binary (Debian puts language packs there). */
function hasLanguagePack(): boolean {
  try {
    const dir = join(dirname(realpathSync(FIREFOX)), 'browser', 'extensions');
    return existsSync(dir) && readdirSync(dir).some((name) => name.startsWith('langpack-pt-BR@'));
  } catch {
    return false;
  }
}
const languagePack = hasLanguagePack();
if (!languagePack) console.warn('firefox/locale.e2e.ts skipped: Firefox has no pt-BR language pack (Debian: apt-get install firefox-esr-l10n-pt-br)');

let inbox: ReferenceInbox | undefined;
let firefox: FirefoxSession | undefined;

afterAll(async () => {
  await firefox?.close();
  await inbox?.close();
});

const text = async (page: Page, id: string) => (await panelRead(page, id))?.text ?? null;

test.skipIf(!languagePack)('Firefox in pt-BR: the options page, the panel and the action bar speak Portuguese', async () => {
  inbox = await startInbox('helena');
  firefox = await launchFirefox({ prefs: { 'intl.locale.requested': 'pt-BR', 'intl.accept_languages': 'pt-BR, pt' } });

  // The options page the extension opened on install; connecting reports in Portuguese.
  const options = await firefox.optionsPage();
  expect(await options.evaluate(() => document.documentElement.lang)).toBe('pt-BR');
  expect(await connectFirefox(options, connection(inbox, 'admin'))).toBe(`connected: ${message('options_connected', 'Ana Admin', message('role_admin'))}`);

  // The panel.
  const page = await openPanelFirefox(firefox, options);
  await until(() => panelRead(page, 'connection'), (state) => state?.kind === 'connected', 'the panel connected');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('pt-BR');
  expect(await text(page, 'user')).toBe(message('panel_user', 'Ana Admin', message('role_admin')));
  expect((await text(page, 'sync'))?.trim()).toBe(message('panel_sync_now'));
  expect(await text(page, 'tab-blocked')).toMatch(new RegExp(`^${message('status_blocked')} `));
  expect(await text(page, 'tab-archived')).toMatch(new RegExp(`^${message('status_archived')} `));
  expect(await page.$eval(`[data-testid="${panelTestId('search')}"]`, (input) => (input as HTMLInputElement).placeholder)).toBe(message('list_search'));
  await page.click(`[data-testid="${panelTestId('sync')}"]`);
  const synced = message('panel_synced', '\u0000', '\u0000').split('\u0000')[0]!;
  await until(() => text(page, 'notice'), (notice) => Boolean(notice?.startsWith(synced)), 'the Portuguese sync notice');

  // The overlay's action bar on the inbox, and its confirmation.
  const inboxPage = await openInboxConversation(firefox.browser, inbox, inbox.tokens.admin, 'Promo Relâmpago');
  await until(() => inShadow(inboxPage, 'ig-status-badge'), (badge) => badge?.text === message('status_active'), 'the Portuguese Active badge');
  expect((await inShadow(inboxPage, 'ig-action-bar'))?.label).toBe(message('bar_label'));
  expect((await inShadow(inboxPage, 'ig-action-bar-block'))?.text).toBe(message('action_block'));
  expect((await inShadow(inboxPage, 'ig-action-bar-archive'))?.text).toBe(message('action_archive'));
  await clickInShadow(inboxPage, 'ig-action-bar-block');
  const dialog = await until(() => inShadow(inboxPage, 'ig-confirm'), Boolean, 'the confirmation');
  expect(dialog?.text).toContain(message('confirm_block_title', 'Promo Relâmpago'));
  expect(dialog?.text).toContain(message('confirm_block_body'));
  expect((await inShadow(inboxPage, 'ig-confirm-cancel'))?.text).toBe(message('confirm_cancel'));
  await clickInShadow(inboxPage, 'ig-confirm-cancel');
  await until(() => inShadow(inboxPage, 'ig-confirm'), (dialog) => dialog === null, 'the confirmation closed');
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');
});
