/**
 * Firefox ESR, MV3 build: a bulk job and an export from the popup panel (opened in a tab by the
 * options page's "Open the panel", as tests/e2e/firefox/popup.e2e.ts does), against the
 * reference inbox in Helena style, where archived is a platform status.
 *
 * Bulk: two archived contacts selected, Unarchive, confirmed: the job shows done and the server
 * has both active. Export: the blocked list as CSV. Firefox saves the panel's download (an
 * <a download> on a blob) into the download folder the profile names, where the test reads the
 * file and parses it with the extension's own import (lib/transfer): every contact blocked on
 * the server, and nothing else, is in it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterEach, expect, test } from 'vitest';
import { parseCsvImport } from '@/lib/transfer';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { connection, serverStatus, startInbox, type ReferenceInbox } from '../harness/inbox';
import { connectFirefox, openPanelFirefox, panelRead, panelRowNames, panelTestId, seedPanelContacts, until } from '../harness/panel';

let inbox: ReferenceInbox | undefined;
let firefox: FirefoxSession | undefined;
let downloads: string | undefined;

afterEach(async () => {
  await firefox?.close();
  await inbox?.close();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

const click = (page: Page, id: string) => page.click(`[data-testid="${panelTestId(id)}"]`);
const text = async (page: Page, id: string) => (await panelRead(page, id))?.text ?? null;

/** The state of the job whose title names `action` (data-state of JobProgress), or null. */
const jobState = (page: Page, title: string) =>
  page.evaluate(
    (testId, wanted) => {
      const job = [...document.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)].find((element) => element.textContent?.includes(wanted));
      return job?.dataset.state ?? null;
    },
    panelTestId('job'),
    title,
  );

test('Firefox: a bulk Unarchive of two contacts runs to done; the blocked list exports as a CSV that reads back', async () => {
  inbox = await startInbox('helena');
  const expected = seedPanelContacts(inbox, 5);
  downloads = await mkdtemp(join(tmpdir(), 'ig-firefox-downloads-'));
  firefox = await launchFirefox({
    prefs: {
      'browser.download.dir': downloads,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
    },
  });
  const options = await firefox.optionsPage();
  expect(await connectFirefox(options, connection(inbox, 'admin'))).toMatch(/^connected: /);
  const page = await openPanelFirefox(firefox, options);
  await until(() => panelRead(page, 'connection'), (state) => state?.kind === 'connected', 'the panel connected');
  await click(page, 'sync');
  await until(() => text(page, 'count-blocked'), (count) => count === String(expected.blocked), 'the blocked count');
  await until(() => text(page, 'count-archived'), (count) => count === String(expected.archived), 'the archived count');

  // Bulk: the Archived tab, the first two contacts, Unarchive, confirmed.
  await click(page, 'tab-archived');
  const archived = await until(() => panelRowNames(page), (names) => names.length === expected.archived, 'the archived rows');
  const checks = await page.$$(`[data-testid="${panelTestId('list-check')}"]`);
  await checks[0]!.click();
  await checks[1]!.click();
  await until(() => text(page, 'selection'), (selection) => Boolean(selection?.includes('2')), 'two selected');
  await click(page, 'bulk-unarchive');
  const dialog = await until(() => text(page, 'confirm'), Boolean, 'the confirmation');
  expect(dialog).toContain('Unarchive 2 contacts?');
  // Nothing is sent before the confirmation.
  expect(archived.slice(0, 2).map((name) => serverStatus(inbox!, name))).toEqual(['archived', 'archived']);
  await click(page, 'confirm-confirm');
  await until(() => jobState(page, 'Unarchive'), (state) => state === 'done', 'the Unarchive job done', 30_000);
  expect(archived.slice(0, 2).map((name) => serverStatus(inbox!, name))).toEqual(['active', 'active']);
  expect(archived.slice(2).map((name) => serverStatus(inbox!, name))).toEqual(['archived', 'archived']);
  await until(() => text(page, 'count-archived'), (count) => count === String(expected.archived - 2), 'the archived count after the job');

  // Export: the blocked list only, as CSV (the default format).
  await page.click(`[data-testid="${panelTestId('transfer-section')}"] summary`);
  await click(page, 'export-archived');
  expect(await page.$eval(`[data-testid="${panelTestId('export-archived')}"]`, (box) => (box as HTMLInputElement).checked)).toBe(false);
  await click(page, 'export-button');
  const saved = await until(
    async () => (existsSync(downloads!) ? readdirSync(downloads!) : []),
    (names) => names.some((name) => name.endsWith('.csv')) && !names.some((name) => name.endsWith('.part')),
    'the exported file in the download folder',
  );
  const name = saved.find((file) => file.endsWith('.csv'))!;
  expect(name).toMatch(/^inbox-guard-blocked-\d{4}-\d{2}-\d{2}\.csv$/);
  await until(() => text(page, 'notice'), (notice) => notice === `Exported ${expected.blocked} contacts.`, 'the export notice');

  const exported = parseCsvImport(readFileSync(join(downloads, name), 'utf8'));
  if (!exported.ok) throw new Error(exported.error);
  expect(exported.problems).toEqual([]);
  expect(exported.valid.every((row) => row.data.status === 'blocked')).toBe(true);
  const blockedOnServer = inbox.model.listContacts().filter((contact) => contact.status === 'blocked');
  expect(exported.valid.map((row) => row.data.contactId).sort()).toEqual(blockedOnServer.map((contact) => String(contact.id)).sort());
  expect(exported.valid).toHaveLength(expected.blocked);
});
