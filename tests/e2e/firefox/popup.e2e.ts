/**
 * Firefox ESR, MV3 build: the popup panel, as tests/e2e/chromium/popup.e2e.ts checks it in
 * Chromium, against the reference inbox in both API styles. Firefox will not let BiDi navigate
 * a tab to moz-extension://…/popup.html, so the panel is reached as a user can reach it in a
 * tab: the options page's "Open the panel" (the extension opens popup.html?tab itself).
 *
 * An admin: after "Sync now" both lists show with their counts, search narrows the list, an
 * unblock is confirmed first and the server then has the contact active, an import shows its
 * report (one bad row) before it is applied; axe-core finds no serious or critical violation in
 * the panel, its confirmation nor the import report. An agent: the blocked
 * list is read-only (Unblock aria-disabled, the reason shown), Unarchive is offered.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterEach, describe, expect, test } from 'vitest';
import { axeProblems } from '../harness/axe';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { connection, serverStatus, startInbox, type ReferenceInbox, type Role, type Style } from '../harness/inbox';
import { connectFirefox, IMPORT_CSV, openPanelFirefox, panelRead, panelRowNames, panelTestId, seedPanelContacts, until } from '../harness/panel';

const click = (page: Page, id: string) => page.click(`[data-testid="${panelTestId(id)}"]`);
const text = async (page: Page, id: string) => (await panelRead(page, id))?.text ?? null;

describe.each(['chatwoot', 'helena'] as Style[])('Firefox, the popup panel, reference inbox in %s style', (style) => {
  let inbox: ReferenceInbox;
  let firefox: FirefoxSession;

  afterEach(async () => {
    await firefox?.close();
    await inbox?.close();
  });

  /** Seeds the server, connects as `role` and opens the panel; the panel is connected. */
  async function start(role: Role) {
    inbox = await startInbox(style);
    const expected = seedPanelContacts(inbox);
    firefox = await launchFirefox();
    const options = await firefox.optionsPage();
    expect(await connectFirefox(options, connection(inbox, role))).toMatch(/^connected: /);
    const page = await openPanelFirefox(firefox, options);
    await until(() => panelRead(page, 'connection'), (state) => state?.kind === 'connected', 'the panel connected');
    return { page, expected };
  }

  async function syncNow(page: Page, expected: { blocked: number; archived: number }) {
    await click(page, 'sync');
    await until(() => text(page, 'notice'), (notice) => Boolean(notice?.startsWith('Synced')), 'the sync notice');
    await until(() => text(page, 'count-blocked'), (count) => count === String(expected.blocked), 'the blocked count');
    await until(() => text(page, 'count-archived'), (count) => count === String(expected.archived), 'the archived count');
  }

  test('an admin: both lists with counts after Sync now, search, unblock with confirmation, an import report; axe finds nothing serious', async () => {
    const { page, expected } = await start('admin');
    expect(await text(page, 'user')).toBe('Ana Admin (Administrator)');
    await syncNow(page, expected);

    // The blocked list: virtualized, every row knows the list's size.
    const visible = await until(() => panelRowNames(page), (names) => names.length > 3, 'the blocked rows');
    expect(visible.length).toBeLessThan(expected.blocked);
    expect((await panelRead(page, 'list-row'))?.setsize).toBe(String(expected.blocked));
    expect(await axeProblems(page), 'panel with the blocked list').toEqual([]);

    // The archived list.
    await click(page, 'tab-archived');
    const archived = await until(() => panelRowNames(page), (names) => names.length === expected.archived, 'the archived rows');
    expect([...archived].sort()).toEqual(['Camille Dubois', 'João Pereira', 'Mariana Souza', 'Renata Campos']);
    await click(page, 'tab-blocked');

    // Search narrows the list, then Unblock asks first and the server follows.
    await page.type(`[data-testid="${panelTestId('search')}"]`, 'Empréstimo');
    await until(() => panelRowNames(page), (names) => names.length === 1 && names[0] === 'Empréstimo Fácil', 'the search');
    await click(page, 'list-action');
    const dialog = await until(() => text(page, 'confirm'), Boolean, 'the confirmation');
    expect(dialog).toContain('Unblock Empréstimo Fácil?');
    expect(serverStatus(inbox, 'Empréstimo Fácil')).toBe('blocked');
    expect(await axeProblems(page), 'confirmation dialog').toEqual([]);
    await click(page, 'confirm-confirm');
    await until(async () => serverStatus(inbox, 'Empréstimo Fácil'), (status) => status === 'active', 'active on the server');
    await until(() => text(page, 'notice'), (notice) => notice === 'Empréstimo Fácil is unblocked.', 'the unblocked notice');
    await until(() => text(page, 'list-empty'), Boolean, 'the search now empty');

    // Import: the report (row, value, reason) before anything is applied, then applied.
    await page.click(`[data-testid="${panelTestId('transfer-section')}"] summary`);
    const file = join(await mkdtemp(join(tmpdir(), 'ig-import-')), 'contacts.csv');
    await writeFile(file, IMPORT_CSV);
    const input = (await page.$(`[data-testid="${panelTestId('import-file')}"]`)) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await until(() => text(page, 'import-summary'), (summary) => summary === 'contacts.csv: 3 rows, 2 valid, 1 with problems.', 'the import report');
    expect(await page.$$eval(`[data-testid="${panelTestId('import-problem')}"]`, (rows) => rows.map((row) => row.textContent ?? ''))).toEqual([
      expect.stringContaining('not a phone'),
    ]);
    expect(serverStatus(inbox, 'Beatriz Lima')).toBe('active');
    expect(await axeProblems(page), 'import report').toEqual([]);
    await click(page, 'import-apply');
    await until(async () => [serverStatus(inbox, 'Beatriz Lima'), serverStatus(inbox, 'Julien Moreau')], (both) => both.every((status) => status === 'archived'), 'the import applied', 30_000);
  });

  if (style === 'chatwoot') {
    test('an agent: the blocked list is read-only, Unarchive is offered', async () => {
      const { page, expected } = await start('agent');
      await syncNow(page, expected);
      await until(() => panelRowNames(page), (names) => names.length > 3, 'the blocked rows');
      expect(await text(page, 'list-readonly')).toBe('Only administrators can block contacts');
      expect((await panelRead(page, 'list-action'))?.disabled).toBe('true');
      // Pressed anyway, it asks nothing and changes nothing.
      await click(page, 'list-action');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await panelRead(page, 'confirm')).toBeNull();

      await click(page, 'tab-archived');
      await until(() => panelRowNames(page), (names) => names.length === expected.archived, 'the archived rows');
      expect((await panelRead(page, 'list-action'))?.disabled).toBeNull();
      expect(await panelRead(page, 'list-readonly')).toBeNull();
      expect(await axeProblems(page), 'agent panel').toEqual([]);
    });
  }
});
