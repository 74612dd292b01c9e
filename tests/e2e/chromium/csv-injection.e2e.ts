/**
 * CSV injection (issue 9 §3) in real Chromium, through the panel: contacts whose names (and an
 * e-mail) begin like a spreadsheet formula are exported as CSV; every cell of the downloaded
 * file reads as text (a single quote in front of what would run), the file imports back through
 * the panel with no problem, and a second export is byte for byte the first.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseCsv, parseCsvImport } from '@/lib/transfer';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, startInbox, type ReferenceInbox } from '../harness/inbox';
import { openPopup, panelTestId } from '../harness/panel';
import { connectExtension } from '../harness/steps';

const panel = (page: Page, id = '') => page.getByTestId(panelTestId(id));

/** One name per character a spreadsheet starts a formula with: = + - @ tab CR. */
const ATTACKS = [
  '=HYPERLINK("https://evil.example","Open")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1 Tab',
  '\r=1+1 Return',
];

async function exportBlocked(page: Page): Promise<string> {
  if (await panel(page, 'export-archived').isChecked()) await panel(page, 'export-archived').uncheck();
  const download = page.waitForEvent('download');
  await panel(page, 'export-button').click();
  return readFileSync((await (await download).path())!, 'utf8');
}

describe('an export never hands a spreadsheet a formula', () => {
  let inbox: ReferenceInbox;
  let browser: ChromiumSession;

  beforeEach(async () => {
    inbox = await startInbox('helena');
    browser = await launchChromium();
  });

  afterEach(async () => {
    await browser?.close();
    await inbox?.close();
  });

  test('hostile names are exported as text, and the file imports back as the same contacts', async () => {
    const before = new Set(inbox.model.listContacts().map((contact) => contact.id));
    inbox.model.seedBlocked(ATTACKS.length);
    const seeded = inbox.model.listContacts().filter((contact) => !before.has(contact.id));
    expect(seeded).toHaveLength(ATTACKS.length);
    ATTACKS.forEach((name, i) => inbox.model.updateContact(seeded[i]!.id, { name, ...(i === 2 ? { email: '-x@evil.example' } : {}) }));
    const options = await connectExtension(browser, connection(inbox, 'admin'));
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');

    const page = await openPopup(browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await panel(page, 'sync').click();
    await expect.poll(() => panel(page, 'count-blocked').textContent()).toBe(String(ATTACKS.length + 1));

    await panel(page, 'transfer-section').locator('summary').click();
    const first = await exportBlocked(page);
    const [header, ...records] = parseCsv(first.replace(/^\uFEFF/, ''));
    expect(header).toEqual(['contact_id', 'name', 'phone', 'email', 'status', 'note']);
    expect(records).toHaveLength(ATTACKS.length + 1);
    // What a spreadsheet sees: no cell begins with = + - @ tab or CR (phones included).
    for (const cell of records.flat()) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
    expect(records.map((record) => record[1]).sort()).toEqual([...ATTACKS.map((name) => `'${name}`), 'Empréstimo Fácil'].sort());
    expect(records.every((record) => /^'\+\d+$/.test(record[2]!))).toBe(true);
    expect(records.map((record) => record[3])).toContain("'-x@evil.example");
    // Read back, the cells are the contacts' own.
    const read = parseCsvImport(first);
    if (!read.ok) throw new Error(read.error);
    expect(read.valid.map((row) => row.data.name).sort()).toEqual([...ATTACKS, 'Empréstimo Fácil'].sort());
    expect(read.valid.find((row) => row.data.name === ATTACKS[2])?.data.email).toBe('-x@evil.example');
    expect(read.valid.every((row) => row.data.phone?.startsWith('+55'))).toBe(true);

    // Through the panel: every row valid, applied (all are already blocked), the same export.
    await panel(page, 'import-file').setInputFiles({ name: 'blocked.csv', mimeType: 'text/csv', buffer: Buffer.from(first) });
    await expect.poll(() => panel(page, 'import-summary').textContent()).toBe(`blocked.csv: ${ATTACKS.length + 1} rows, ${ATTACKS.length + 1} valid, 0 with problems.`);
    await panel(page, 'import-apply').click();
    await expect.poll(() => panel(page, 'job').first().getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    expect(await panel(page, 'count-blocked').textContent()).toBe(String(ATTACKS.length + 1));
    expect(await exportBlocked(page)).toBe(first);
    expect(pageErrors).toEqual([]);
  });
});
