/**
 * Accessibility in real Chromium with axe-core (tests/e2e/harness/axe.ts): no serious or
 * critical violation on the options page, nor in anything the overlay injects into the
 * reference inbox in each state a user meets — the action bar, the confirmation open, the undo
 * toast, the composer-lock notice, the hidden-messages pill, an agent's disabled Block. On the
 * inbox, axe is scoped to our nodes (the shadow hosts marked `data-inbox-guard`): the inbox's
 * own markup is not ours to judge; no rule is turned off.
 *
 * Another extension page is one more test: open it (`browser.extensionUrl('popup.html')`) and
 * expect `await axeProblems(page)` to equal []. The popup panel is checked that way, whole page,
 * in each state an admin meets: the lists after a sync (a row selected, the bulk bar), the
 * confirmation open, an import report with a bad row, a finished job with the outbox and the
 * activity log open.
 */
import { afterEach, expect, test } from 'vitest';
import { axeProblems, OUR_NODES } from '../harness/axe';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, contactNamed, startInbox, type ReferenceInbox, type Role } from '../harness/inbox';
import { IMPORT_CSV, openPopup, seedPanelContacts } from '../harness/panel';
import { badge, barButton, confirmDialog, connectExtension, openConversation, signInToInbox } from '../harness/steps';

let inbox: ReferenceInbox;
let browser: ChromiumSession;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

async function start(role: Role) {
  inbox = await startInbox('chatwoot');
  browser = await launchChromium();
  const options = await connectExtension(browser, connection(inbox, role));
  await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  const page = await browser.context.newPage();
  await signInToInbox(page, inbox, inbox.tokens[role]);
  return { options, page };
}

test('the options page, connected, and every overlay surface an admin meets: no serious or critical violation', async () => {
  const { options, page } = await start('admin');
  expect(await axeProblems(options), 'options page').toEqual([]);

  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  expect(await axeProblems(page, { scope: OUR_NODES }), 'action bar').toEqual([]);

  await barButton(page, 'block').click();
  await expect.poll(() => confirmDialog(page).isVisible()).toBe(true);
  expect(await axeProblems(page, { scope: OUR_NODES }), 'confirmation dialog').toEqual([]);

  await page.getByTestId('ig-confirm-confirm').click();
  await expect.poll(() => page.getByTestId('ig-undo').isVisible()).toBe(true);
  await expect.poll(() => page.getByTestId('ig-composer-lock').isVisible()).toBe(true);
  expect(await axeProblems(page, { scope: OUR_NODES }), 'undo toast and composer lock').toEqual([]);

  await inbox.control.burst({ contactId: contactNamed(inbox, 'Promo Relâmpago').id, count: 2, text: 'spam burst' });
  await expect.poll(() => page.getByTestId('ig-action-bar-hidden').textContent()).toBe('2 hidden');
  // WCAG 2.2.1: under the pointer the undo toast does not time out; left, it goes.
  await page.getByTestId('ig-undo').hover();
  await page.waitForTimeout(5_500);
  expect(await page.getByTestId('ig-undo').isVisible()).toBe(true);
  await page.mouse.move(5, 5);
  await expect.poll(() => page.getByTestId('ig-undo').count(), { timeout: 3_000 }).toBe(0);
  expect(await axeProblems(page, { scope: OUR_NODES }), 'hidden-messages pill').toEqual([]);
  await page.getByTestId('ig-action-bar-hidden').click();
  expect(await axeProblems(page, { scope: OUR_NODES }), 'hidden messages revealed').toEqual([]);

  // The Blocked view switch above the list (the block resolved the conversation), pressed.
  await page.locator('.ri-list__tabs [role="tab"]', { hasText: 'Resolved' }).click();
  await page.getByTestId('ig-blocked-view').click();
  await expect.poll(() => page.getByTestId('ig-blocked-view').getAttribute('aria-pressed')).toBe('true');
  expect(await axeProblems(page, { scope: OUR_NODES }), 'Blocked view').toEqual([]);
});

test('an agent\'s bar, Block disabled and its reason shown: no serious or critical violation', async () => {
  const { page } = await start('agent');
  await openConversation(page, 'Mariana Souza');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  // aria-disabled, not disabled: it stays focusable and, pressed, says why.
  await barButton(page, 'block').click({ force: true });
  await expect.poll(() => page.getByTestId('ig-action-bar-status').textContent()).toContain('Only administrators');
  expect(await axeProblems(page, { scope: OUR_NODES }), 'agent bar with the reason shown').toEqual([]);

  // The check can fail: an unnamed button among our nodes is reported, the page's markup is not.
  await page.evaluate(() => {
    const host = document.createElement('span');
    host.setAttribute('data-inbox-guard', '');
    host.attachShadow({ mode: 'open' }).innerHTML = '<button type="button"></button>';
    document.body.append(host);
  });
  const problems = await axeProblems(page, { scope: OUR_NODES });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^critical button-name /);
});

test('the popup panel: the lists after a sync, the confirmation open, an import report, the outbox and activity: no serious or critical violation', async () => {
  inbox = await startInbox('helena');
  const expected = seedPanelContacts(inbox, 12);
  browser = await launchChromium();
  const options = await connectExtension(browser, connection(inbox, 'admin'));
  await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  const page = await openPopup(browser);
  const panel = (id: string) => page.getByTestId(`ig-panel-${id}`);
  await expect.poll(() => panel('connection').getAttribute('data-kind')).toBe('connected');

  await panel('sync').click();
  await expect.poll(() => panel('notice').textContent()).toMatch(/Synced/);
  await expect.poll(() => panel('count-blocked').textContent()).toBe(String(expected.blocked));
  await expect.poll(() => panel('count-archived').textContent()).toBe(String(expected.archived));
  await expect.poll(() => panel('list-row').count()).toBeGreaterThan(3);
  await panel('list-check').first().check();
  await expect.poll(() => panel('bulk').isVisible()).toBe(true);
  expect(await axeProblems(page), 'the blocked list, one row selected').toEqual([]);
  await panel('tab-archived').click();
  await expect.poll(() => panel('list-row').count()).toBe(expected.archived);
  expect(await axeProblems(page), 'the archived list').toEqual([]);
  // Each row's button is heard with its contact, not as one more "Unarchive".
  for (const name of await panel('list-row').locator('.ig-row__name').allTextContents()) {
    expect(await page.getByRole('button', { name: `Unarchive ${name}`, exact: true }).count(), name).toBe(1);
  }

  await panel('list-action').first().click();
  await expect.poll(() => panel('confirm').isVisible()).toBe(true);
  expect(await axeProblems(page), 'the confirmation open').toEqual([]);
  await panel('confirm-cancel').click();
  await expect.poll(() => panel('confirm').count()).toBe(0);

  await panel('transfer-section').locator('summary').click();
  await panel('import-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });
  await expect.poll(() => panel('import-summary').textContent()).toBe('contacts.csv: 3 rows, 2 valid, 1 with problems.');
  expect(await axeProblems(page), 'the import report').toEqual([]);

  // The import applied (a job), then an action left waiting in the outbox (the platform unreachable).
  await panel('import-apply').click();
  await expect.poll(() => panel('job').first().getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
  inbox.control.faults({ offline: true });
  const waiting = (await panel('list-row').first().locator('.ig-row__name').textContent())!;
  await panel('list-action').first().click();
  await panel('confirm-confirm').click();
  await panel('outbox-section').locator('summary').click();
  await panel('activity-section').locator('summary').click();
  await expect.poll(() => panel('outbox-item').count()).toBeGreaterThan(0);
  await expect.poll(() => panel('activity-entry').count()).toBeGreaterThan(0);
  expect(await axeProblems(page), 'a finished job, the outbox and the activity log').toEqual([]);
  expect(await page.getByRole('button', { name: `Retry Unarchive · ${waiting}`, exact: true }).count()).toBe(1);
  expect(await page.getByRole('button', { name: `Discard Unarchive · ${waiting}`, exact: true }).count()).toBe(1);
  inbox.control.clearFaults();
});
