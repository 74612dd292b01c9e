/**
 * The popup panel in real Chromium, opened as chrome-extension://<id>/popup.html in a tab (the
 * toolbar popup itself cannot be driven; "Open in a tab" shows the same page). Against the
 * reference inbox (Helena style, where archived is a platform status): the lists with their
 * counts after a sync, search, unblock with confirmation, a bulk job, an import with a bad row
 * (report first, then apply), and export; Find (the platform's search) for active contacts,
 * bulk-archived by an admin and by an agent, whose Block stays disabled with its reason (with
 * an axe check of the Find view). Server state is checked on the inbox's model.
 *
 * Also saves the README's popup screenshots (docs/screenshots/popup-*.png).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseCsvImport } from '@/lib/transfer';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, contactNamed, serverStatus, startInbox, type ReferenceInbox } from '../harness/inbox';
import { IMPORT_CSV, openPopup, panelTestId, seedPanelContacts } from '../harness/panel';
import { axeProblems } from '../harness/axe';
import { ROOT } from '../harness/paths';
import { badge, connectExtension, openConversation, signInToInbox } from '../harness/steps';

const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** A README screenshot of the popup as it is now (the page is popup-sized). */
export async function savePopupScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

const panel = (page: Page, id = '') => page.getByTestId(panelTestId(id));

const rowNames = (page: Page) => panel(page, 'list-row').locator('.ig-row__name').allTextContents();

describe('the popup panel', () => {
  let inbox: ReferenceInbox;
  let browser: ChromiumSession;
  const pageErrors: string[] = [];

  beforeEach(async () => {
    inbox = await startInbox('helena');
    browser = await launchChromium();
    pageErrors.length = 0;
  });

  afterEach(async () => {
    await browser?.close();
    await inbox?.close();
  });

  test('before any connection: the panel says so and opens the settings', async () => {
    const page = await openPopup(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const state = panel(page, 'connection');
    await expect.poll(() => state.getAttribute('data-kind')).toMatch(/^(not_configured|error)$/);
    expect((await state.innerText()).trim()).not.toBe('');
    // No list is offered without a connection.
    expect(await panel(page, 'list').count()).toBe(0);
    // The settings page the extension opened at install would only be focused again: close it.
    for (const other of browser.context.pages()) if (other.url().includes('/options.html')) await other.close();
    const opened = browser.context.waitForEvent('page');
    await state.getByRole('button', { name: 'Open settings' }).click();
    expect((await opened).url()).toContain('/options.html');
    expect(pageErrors).toEqual([]);
  });

  test('an admin: both lists with counts, search, unblock with confirmation, bulk, import with a report, export', async () => {
    // Server side: a long blocklist, and a few archived contacts beside the seed's.
    seedPanelContacts(inbox, 40);
    const options = await connectExtension(browser, connection(inbox, 'admin'));
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');

    const page = await openPopup(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await expect.poll(() => panel(page, 'connection').getAttribute('data-kind')).toBe('connected');
    expect(await panel(page, 'user').textContent()).toBe('Ana Admin (Administrator)');

    await panel(page, 'sync').click();
    await expect.poll(() => panel(page, 'notice').textContent()).toMatch(/Synced/);
    // 40 seeded + Empréstimo Fácil; 3 + Renata Campos.
    await expect.poll(() => panel(page, 'count-blocked').textContent()).toBe('41');
    await expect.poll(() => panel(page, 'count-archived').textContent()).toBe('4');
    const visible = await panel(page, 'list-row').count();
    expect(visible).toBeGreaterThan(3);
    expect(visible).toBeLessThan(41);
    expect(await panel(page, 'list-row').first().getAttribute('aria-setsize')).toBe('41');
    await savePopupScreenshot(page, 'popup-blocked');

    // Search, then unblock with confirmation.
    await panel(page, 'search').fill('Empréstimo');
    await expect.poll(() => rowNames(page)).toEqual(['Empréstimo Fácil']);
    await panel(page, 'list-action').first().click();
    expect(await panel(page, 'confirm').textContent()).toContain('Unblock Empréstimo Fácil?');
    expect(serverStatus(inbox, 'Empréstimo Fácil')).toBe('blocked');
    await panel(page, 'confirm-confirm').click();
    await expect.poll(() => serverStatus(inbox, 'Empréstimo Fácil')).toBe('active');
    await expect.poll(() => panel(page, 'notice').textContent()).toBe('Empréstimo Fácil is unblocked.');
    await panel(page, 'search').fill('');

    // Bulk: the Archived tab, two contacts, Unarchive.
    await panel(page, 'tab-archived').click();
    await expect.poll(() => panel(page, 'list-row').count()).toBe(4);
    const archived = await rowNames(page);
    await panel(page, 'list-check').nth(0).check();
    await panel(page, 'list-check').nth(1).check();
    await panel(page, 'bulk-unarchive').click();
    expect(await panel(page, 'confirm').textContent()).toContain('Unarchive 2 contacts?');
    await panel(page, 'confirm-confirm').click();
    await expect.poll(() => panel(page, 'job').filter({ hasText: 'Unarchive' }).getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(archived.slice(0, 2).map((name) => serverStatus(inbox, name))).toEqual(['active', 'active']);
    await expect.poll(() => panel(page, 'count-archived').textContent()).toBe('2');

    // Import: two contacts to archive, one bad row; the report comes before anything is applied.
    await panel(page, 'transfer-section').locator('summary').click();
    await panel(page, 'import-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });
    await expect.poll(() => panel(page, 'import-summary').textContent()).toBe('contacts.csv: 3 rows, 2 valid, 1 with problems.');
    expect(await panel(page, 'import-problem').allInnerTexts()).toEqual([expect.stringContaining('not a phone')]);
    expect(serverStatus(inbox, 'Beatriz Lima')).toBe('active');
    await panel(page, 'import-report').scrollIntoViewIfNeeded();
    await savePopupScreenshot(page, 'popup-import-report');
    await panel(page, 'import-apply').click();
    await expect.poll(() => serverStatus(inbox, 'Beatriz Lima'), { timeout: 30_000 }).toBe('archived');
    await expect.poll(() => serverStatus(inbox, 'Julien Moreau'), { timeout: 30_000 }).toBe('archived');

    // Export: the blocked list as CSV, which reads back.
    await panel(page, 'export-archived').uncheck();
    const download = page.waitForEvent('download');
    await panel(page, 'export-button').click();
    const file = await (await download).path();
    const exported = parseCsvImport(readFileSync(file, 'utf8'));
    if (!exported.ok) throw new Error(exported.error);
    expect(exported.problems).toEqual([]);
    expect(exported.valid).toHaveLength(40);
    expect(exported.valid.every((row) => row.data.status === 'blocked')).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  test('Sync now brings a block made elsewhere into an open inbox tab, without a reload', async () => {
    const options = await connectExtension(browser, connection(inbox, 'admin'));
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    const tab = await browser.context.newPage();
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    await signInToInbox(tab, inbox, inbox.tokens.admin);
    await openConversation(tab, 'Promo Relâmpago');
    await expect.poll(() => badge(tab).textContent()).toBe('Active');
    let navigations = 0;
    tab.on('framenavigated', (frame) => {
      if (frame === tab.mainFrame()) navigations += 1;
    });

    // Another admin blocks the spammer on the platform itself; nothing tells this tab.
    inbox.model.updateContact(contactNamed(inbox, 'Promo Relâmpago').id, { status: 'blocked' });
    await tab.waitForTimeout(1_000);
    expect(await badge(tab).textContent()).toBe('Active');

    const page = await openPopup(browser);
    await expect.poll(() => panel(page, 'connection').getAttribute('data-kind')).toBe('connected');
    await panel(page, 'sync').click();
    await expect.poll(() => panel(page, 'notice').textContent()).toMatch(/Synced/);
    await expect.poll(() => badge(tab).textContent()).toBe('Blocked');
    expect(navigations).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  /** Find: the contacts whose e-mail is at correio.example, rows by name. */
  async function findCorreio(page: Page) {
    await panel(page, 'tab-find').click();
    await panel(page, 'find-search').fill('correio.example');
    await expect.poll(() => panel(page, 'find-row').locator('.ig-row__name').allTextContents()).toEqual(
      expect.arrayContaining(['Mariana Souza', 'João Pereira', 'Beatriz Lima', 'Renata Campos']),
    );
  }
  const findRow = (page: Page, name: string) => panel(page, 'find-row').filter({ has: page.locator('.ig-row__name', { hasText: name }) });

  test('Find: an admin finds two active contacts on the platform and bulk-archives them; the job ends and the server has them archived', async () => {
    const options = await connectExtension(browser, connection(inbox, 'admin'));
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    const page = await openPopup(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await expect.poll(() => panel(page, 'connection').getAttribute('data-kind')).toBe('connected');

    await findCorreio(page);
    expect(await findRow(page, 'Mariana Souza').getByTestId(panelTestId('find-badge')).textContent()).toBe('Active');
    expect(await findRow(page, 'Renata Campos').getByTestId(panelTestId('find-badge')).textContent()).toBe('Archived');
    await findRow(page, 'Mariana Souza').getByTestId(panelTestId('find-check')).check();
    await findRow(page, 'João Pereira').getByTestId(panelTestId('find-check')).check();
    await expect.poll(() => panel(page, 'bulk').isVisible()).toBe(true);
    expect(await axeProblems(page), 'the Find view, two rows selected').toEqual([]);

    await panel(page, 'bulk-archive').click();
    expect(await panel(page, 'confirm').textContent()).toContain('Archive 2 contacts?');
    expect(serverStatus(inbox, 'Mariana Souza')).toBe('active');
    await panel(page, 'confirm-confirm').click();
    await expect.poll(() => panel(page, 'job').filter({ hasText: 'Archive' }).getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect([serverStatus(inbox, 'Mariana Souza'), serverStatus(inbox, 'João Pereira')]).toEqual(['archived', 'archived']);
    expect(serverStatus(inbox, 'Beatriz Lima')).toBe('active');
    // The search is asked again when the job ends: the badges follow.
    await expect.poll(() => findRow(page, 'João Pereira').getByTestId(panelTestId('find-badge')).textContent()).toBe('Archived');
    await expect.poll(() => panel(page, 'count-archived').textContent()).toBe('3');

    // Nothing found says so.
    await panel(page, 'find-search').fill('zzzz nobody');
    await expect.poll(() => panel(page, 'find-status').textContent()).toBe('No contact on the platform matches “zzzz nobody”.');
    expect(pageErrors).toEqual([]);
  });

  test('the panel left open follows a job live through a 503 storm with Retry-After, a 401 and signing in again, to its end', async () => {
    const ids = inbox.control.seed(5, 1).contactIds.map(String);
    const options = await connectExtension(browser, connection(inbox, 'admin'));
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    const page = await openPopup(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await expect.poll(() => panel(page, 'connection').getAttribute('data-kind')).toBe('connected');

    // The five, found on the platform (so each row of the job is one change), selected, Block.
    await panel(page, 'tab-find').click();
    await panel(page, 'find-search').fill('massa.example');
    await expect.poll(() => panel(page, 'find-row').count()).toBe(5);
    for (const check of await panel(page, 'find-check').all()) await check.check();
    await panel(page, 'bulk-block').click();
    expect(await panel(page, 'confirm').textContent()).toContain('Block 5 contacts?');
    // The platform: three 503s, each saying to come back in 2 s, then the token refused (401).
    inbox.control.faults({ fail: { status: 503, count: 3, retryAfter: 2 }, match: '/core/v2/contact/' });
    inbox.control.faults({ fail: { status: 401, count: 1 }, match: '/core/v2/contact/' });
    const since = Date.now();
    await panel(page, 'confirm-confirm').click();

    // Paused for the user: a warning, in the job, the notice and the connection line.
    await expect.poll(() => panel(page, 'job').getAttribute('data-state'), { timeout: 30_000 }).toBe('paused');
    expect(await panel(page, 'job-state').getAttribute('class')).toContain('ig-job__state--warning');
    await expect.poll(() => panel(page, 'notice').getAttribute('data-kind')).toBe('warning');
    expect(await panel(page, 'notice').textContent()).toBe('A job is paused until you sign in again in the settings; then it goes on by itself.');
    // Amber (--ig-warn), not the green of "done" (--ig-ok, rgb(29, 107, 58)).
    expect(await panel(page, 'notice').evaluate((element) => getComputedStyle(element).color)).toBe('rgb(107, 65, 0)');
    await expect.poll(() => panel(page, 'connection').getAttribute('data-kind')).toBe('paused');
    expect(await page.locator('.ig-dot').count()).toBe(0);

    // Each Retry-After was for the whole queue: nothing reached the platform inside the waits it announced.
    const requests = inbox.control.requests(since);
    const storm = requests.filter((request) => request.status === 503);
    expect(storm).toHaveLength(3);
    for (const busy of storm) {
      const early = requests.filter((request) => request.at > busy.at && request.at < busy.at + 2_000);
      expect(early, `requests within 2 s of the 503 at ${busy.at - since} ms`).toEqual([]);
    }
    expect(ids.map((id) => inbox.model.listContacts().find((contact) => String(contact.id) === id)?.status)).toEqual(Array(5).fill('active'));

    // Signed in again in the settings; the panel, left open, follows the job to its end.
    const again = await connectExtension(browser, connection(inbox, 'admin'));
    await expect.poll(() => again.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    await expect.poll(() => panel(page, 'job').getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await panel(page, 'job-counts').textContent()).toContain('5 of 5');
    await expect.poll(() => panel(page, 'notice').textContent()).toBe('Finished: 5 done, 0 failed, 0 skipped');
    await expect.poll(() => panel(page, 'connection').getAttribute('data-kind')).toBe('connected');
    expect(ids.map((id) => inbox.model.listContacts().find((contact) => String(contact.id) === id)?.status)).toEqual(Array(5).fill('blocked'));
    expect(pageErrors).toEqual([]);
  });

  test('Find: an agent may bulk-archive what was found, but Block is disabled with the reason', async () => {
    const options = await connectExtension(browser, connection(inbox, 'agent'));
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    const page = await openPopup(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await expect.poll(() => panel(page, 'connection').getAttribute('data-kind')).toBe('connected');

    await findCorreio(page);
    const rowBlock = findRow(page, 'Beatriz Lima').getByTestId(panelTestId('find-action-block'));
    expect(await rowBlock.getAttribute('aria-disabled')).toBe('true');
    expect(await rowBlock.getAttribute('title')).toBe('Only administrators can block contacts');
    await findRow(page, 'Beatriz Lima').getByTestId(panelTestId('find-check')).check();
    await findRow(page, 'Lucas Almeida').getByTestId(panelTestId('find-check')).check();
    expect(await panel(page, 'bulk-block').getAttribute('aria-disabled')).toBe('true');
    expect(await panel(page, 'bulk-block').getAttribute('title')).toBe('Only administrators can block contacts');
    await panel(page, 'bulk-block').click({ force: true });
    expect(await panel(page, 'confirm').count()).toBe(0);

    expect(await panel(page, 'bulk-archive').getAttribute('aria-disabled')).toBeNull();
    await panel(page, 'bulk-archive').click();
    expect(await panel(page, 'confirm').textContent()).toContain('Archive 2 contacts?');
    await panel(page, 'confirm-confirm').click();
    await expect.poll(() => panel(page, 'job').filter({ hasText: 'Archive' }).getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect([serverStatus(inbox, 'Beatriz Lima'), serverStatus(inbox, 'Lucas Almeida')]).toEqual(['archived', 'archived']);
    expect(pageErrors).toEqual([]);
  });
});
