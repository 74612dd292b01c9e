/**
 * The fault matrix: whatever the browser and the network do, every action takes effect on the
 * platform exactly once, and none is lost. Real Chromium, the reference inbox's fault controls
 * (tests/reference-inbox/README.md), the DevTools protocol to stop the service worker.
 *
 * Each test ends by checking the platform's state and its request log: the number of requests
 * that applied a status (PUT answered 200) is exactly the number of actions that should land.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, contactNamed, serverStatus, startInbox, type ReferenceInbox, type Role, type Style } from '../harness/inbox';
import { badge, barButton, confirmButton, connectExtension, openConversation, signInToInbox } from '../harness/steps';

let inbox: ReferenceInbox;
let browser: ChromiumSession;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

async function start(style: Style = 'helena', options: { role?: Role; remember?: boolean } = {}) {
  inbox = await startInbox(style);
  browser = await launchChromium();
  const page = await connectExtension(browser, { ...connection(inbox, options.role ?? 'admin'), remember: options.remember });
  await expect.poll(() => page.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  return page;
}

const idOf = (name: string) => String(contactNamed(inbox, name).id);

/** Requests that set a contact's status and were applied (Helena PUT / Chatwoot PUT, 200). */
const applied = (name: string) =>
  inbox.control
    .requests()
    .filter((request) => request.method === 'PUT' && request.path.endsWith(`/${idOf(name)}`) && request.status === 200);

const ask = (action: 'block' | 'unblock' | 'archive' | 'unarchive', name: string) =>
  browser.ask('contact.setStatus', { contactId: idOf(name), action }) as Promise<
    { ok: true; data: { status: string; confirmed: string; pending?: { state: string } } } | { ok: false; error: { code: string } }
  >;

async function overlayOn(name: string, tab: 'Open' | 'Resolved' = 'Open') {
  const page = await browser.context.newPage();
  await signInToInbox(page, inbox, inbox.tokens.admin);
  await openConversation(page, name, tab);
  await expect.poll(() => badge(page).getAttribute('data-status')).not.toBe('loading');
  return page;
}

/** The toolbar button's badge as every tab without its own count shows it. */
const toolbarDefaultBadge = async () =>
  (await browser.worker()).evaluate(() =>
    (globalThis as unknown as { chrome: { action: { getBadgeText(details: object): Promise<string> } } }).chrome.action.getBadgeText({}),
  );

async function heldRequest() {
  await expect.poll(() => inbox.control.held().length, { timeout: 10_000 }).toBe(1);
  return inbox.control.held()[0]!;
}

describe('the service worker is stopped mid-action', () => {
  test('between enqueue and send: the block is sent once when the worker comes back', async () => {
    await start();
    const page = await overlayOn('Promo Relâmpago');
    inbox.control.faults({ hold: { phase: 'before', count: 1 }, match: '/core/v2/contact/' });
    await barButton(page, 'block').click();
    await confirmButton(page).click();
    await heldRequest();
    await browser.stopWorker();
    await expect.poll(() => inbox.control.held().length).toBe(0);
    // The request that was cut off never reached the platform.
    expect(inbox.control.requests().filter((request) => request.held === 'discarded')).toHaveLength(1);

    // The user goes on working: the next message from the page wakes the worker, which finds
    // the item it was carrying, learns the platform does not have it, and sends it once.
    await page.reload();
    await expect.poll(() => serverStatus(inbox, 'Promo Relâmpago'), { timeout: 15_000 }).toBe('blocked');
    expect(applied('Promo Relâmpago')).toHaveLength(1);
    await openConversation(page, 'Promo Relâmpago', 'Resolved', { blocked: true });
    await expect.poll(() => badge(page).textContent()).toBe('Blocked');
  });

  test('after send, before the response: the platform\'s change is recognised, not sent again', async () => {
    await start('chatwoot');
    const page = await overlayOn('Promo Relâmpago');
    inbox.control.faults({ hold: { phase: 'after', count: 1 }, match: `/contacts/${idOf('Promo Relâmpago')}` });
    await barButton(page, 'block').click();
    await confirmButton(page).click();
    await heldRequest();
    expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('blocked');
    await browser.stopWorker();

    await page.reload();
    await openConversation(page, 'Promo Relâmpago', 'Resolved', { blocked: true });
    await expect.poll(() => badge(page).textContent(), { timeout: 15_000 }).toBe('Blocked');
    expect(applied('Promo Relâmpago')).toHaveLength(1);
    // Chatwoot's second step (closing the conversation) was finished on recovery.
    expect(inbox.model.conversationsOf(contactNamed(inbox, 'Promo Relâmpago').id).every((c) => c.status === 'resolved')).toBe(true);
  });
});

/** How many actions wait in the worker's outbox (read from its IndexedDB). */
async function outboxSize(): Promise<number> {
  const worker = await browser.worker();
  return worker.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('inbox-guard');
        open.onsuccess = () => {
          const count = open.result.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
}

test('browser restart with actions pending: they are sent at start-up', async () => {
  await start('helena', { remember: true });
  await overlayOn('Crypto Gains 24h');
  inbox.control.faults({ offline: true });
  const queued = await ask('block', 'Crypto Gains 24h');
  expect(queued).toMatchObject({ ok: true, data: { status: 'blocked', confirmed: 'active', pending: { state: 'queued' } } });
  await browser.close({ keepProfile: true });
  inbox.control.clearFaults();
  expect(serverStatus(inbox, 'Crypto Gains 24h')).toBe('active');

  browser = await launchChromium({ userDataDir: browser.userDataDir });
  await expect.poll(() => serverStatus(inbox, 'Crypto Gains 24h'), { timeout: 20_000 }).toBe('blocked');
  expect(applied('Crypto Gains 24h')).toHaveLength(1);
});

test('browser restart without a remembered token: kept until the user signs in again', async () => {
  const options = await start('helena');
  await overlayOn('Lucas Almeida');
  inbox.control.faults({ offline: true });
  expect(await ask('archive', 'Lucas Almeida')).toMatchObject({ ok: true, data: { pending: { state: 'queued' } } });
  await options.close();
  await browser.close({ keepProfile: true });
  inbox.control.clearFaults();

  browser = await launchChromium({ userDataDir: browser.userDataDir });
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(serverStatus(inbox, 'Lucas Almeida')).toBe('active');
  const page = await overlayOn('Lucas Almeida');
  await expect.poll(() => page.getByTestId('ig-action-bar-error').textContent()).toContain('Sign in again');

  const again = await connectExtension(browser, connection(inbox, 'admin'));
  await expect.poll(() => again.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  await expect.poll(() => serverStatus(inbox, 'Lucas Almeida'), { timeout: 15_000 }).toBe('archived');
  expect(applied('Lucas Almeida')).toHaveLength(1);
});

test('offline, then online: the badge says "not sent yet", then the block lands once', async () => {
  await start();
  const page = await overlayOn('Ganhe Dinheiro Já');
  inbox.control.faults({ offline: true });
  await barButton(page, 'block').click();
  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Blocked · not sent yet');
  await expect.poll(() => page.getByTestId('ig-action-bar-status').textContent()).toContain('keeps the action');
  inbox.control.clearFaults();
  await expect.poll(() => badge(page).textContent(), { timeout: 15_000 }).toBe('Blocked');
  expect(serverStatus(inbox, 'Ganhe Dinheiro Já')).toBe('blocked');
  expect(applied('Ganhe Dinheiro Já')).toHaveLength(1);
});

describe('429 Too Many Requests: Retry-After is honoured', () => {
  test.each([
    ['in seconds', () => 2],
    ['as an HTTP date', () => new Date(Date.now() + 3_000).toUTCString()],
  ])('%s', async (_form, retryAfter) => {
    await start();
    const value = retryAfter();
    inbox.control.faults({ rateLimit: { count: 1, retryAfter: value }, match: '/core/v2/contact/' });
    const firstTry = Date.now();
    await ask('block', 'Promo Relâmpago');
    await expect.poll(() => serverStatus(inbox, 'Promo Relâmpago'), { timeout: 15_000 }).toBe('blocked');
    const puts = inbox.control.requests().filter((request) => request.method === 'PUT');
    expect(puts.map((request) => request.status)).toEqual([429, 200]);
    // Not before the server said: N seconds after its answer, or the date it named.
    if (typeof value === 'number') expect(puts[1]!.at - puts[0]!.at).toBeGreaterThanOrEqual(value * 1_000);
    else expect(puts[1]!.at).toBeGreaterThanOrEqual(Date.parse(value) - 50);
    expect(puts[0]!.at).toBeGreaterThanOrEqual(firstTry - 50);
  });
});

test('a storm of 5xx: retried with backoff until it lands, once', async () => {
  await start();
  inbox.control.faults({ fail: { status: 503, count: 6 }, match: '/core/v2/contact/' });
  await ask('block', 'Crypto Gains 24h');
  await expect.poll(() => serverStatus(inbox, 'Crypto Gains 24h'), { timeout: 30_000 }).toBe('blocked');
  const statuses = inbox.control.requests().filter((request) => request.method === 'PUT').map((request) => request.status);
  expect(statuses).toEqual([503, 503, 503, 503, 503, 503, 200]);
});

test('401 in the middle of the queue: everything waits, nothing is lost, all lands once after signing in', async () => {
  await start();
  await ask('block', 'Promo Relâmpago');
  inbox.control.faults({ fail: { status: 401, count: 1 }, match: `/core/v2/contact/${idOf('Crypto Gains 24h')}` });
  const paused = await ask('block', 'Crypto Gains 24h');
  expect(paused).toMatchObject({ ok: true, data: { pending: { state: 'paused' } } });
  expect(await ask('archive', 'Julien Moreau')).toMatchObject({ ok: true, data: { pending: { state: 'paused' } } });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(serverStatus(inbox, 'Julien Moreau')).toBe('active');
  // The toolbar button warns that actions wait for the user.
  await expect.poll(() => toolbarDefaultBadge()).toBe('!');

  const again = await connectExtension(browser, connection(inbox, 'admin'));
  await expect.poll(() => again.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  await expect.poll(() => [serverStatus(inbox, 'Crypto Gains 24h'), serverStatus(inbox, 'Julien Moreau')], { timeout: 15_000 }).toEqual([
    'blocked',
    'archived',
  ]);
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('blocked');
  for (const name of ['Promo Relâmpago', 'Crypto Gains 24h', 'Julien Moreau']) expect(applied(name), name).toHaveLength(1);
  await expect.poll(() => toolbarDefaultBadge()).toBe('');
});

test('403: the platform refuses; the user reads why, nothing is retried', async () => {
  await start();
  const page = await overlayOn('Promo Relâmpago');
  inbox.control.faults({ fail: { status: 403, count: 1 }, match: '/core/v2/contact/' });
  await barButton(page, 'block').click();
  await confirmButton(page).click();
  await expect.poll(() => page.getByTestId('ig-action-bar-error').textContent()).toContain('may not do this');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(inbox.control.requests().filter((request) => request.method === 'PUT').map((request) => request.status)).toEqual([403]);
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');
});

test('block then unblock while offline: nothing is sent, the contact ends unblocked', async () => {
  await start();
  await overlayOn('Mariana Souza');
  inbox.control.faults({ offline: true });
  await ask('block', 'Mariana Souza');
  const undone = await ask('unblock', 'Mariana Souza');
  expect(undone).toMatchObject({ ok: true, data: { status: 'active', confirmed: 'active' } });
  expect((undone as { data: { pending?: unknown } }).data.pending).toBeUndefined();
  inbox.control.clearFaults();
  await new Promise((resolve) => setTimeout(resolve, 3_500));
  expect(inbox.control.requests().filter((request) => request.method === 'PUT' && request.status === 200)).toEqual([]);
  expect(serverStatus(inbox, 'Mariana Souza')).toBe('active');
});

test('an aborted IndexedDB transaction when the result is recorded: the block is recognised, not sent again', async () => {
  await start();
  const worker = await browser.worker();
  await worker.evaluate(() => {
    const original = IDBObjectStore.prototype.delete;
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['delete']>) {
      IDBObjectStore.prototype.delete = original;
      this.transaction.abort();
      return original.apply(this, args);
    };
  });
  await ask('block', 'Promo Relâmpago');
  await expect.poll(outboxSize, { timeout: 15_000 }).toBe(0);
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('blocked');
  expect(applied('Promo Relâmpago')).toHaveLength(1);
});

test('the extension reloaded mid-session: its queue survives and drains', async () => {
  // A reload or an update empties session storage: only a remembered token carries over.
  await start('helena', { remember: true });
  await overlayOn('Ganhe Dinheiro Já');
  inbox.control.faults({ offline: true });
  expect(await ask('block', 'Ganhe Dinheiro Já')).toMatchObject({ ok: true, data: { pending: { state: 'queued' } } });
  await browser.reloadExtension();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  inbox.control.clearFaults();
  await expect.poll(() => serverStatus(inbox, 'Ganhe Dinheiro Já'), { timeout: 20_000 }).toBe('blocked');
  expect(applied('Ganhe Dinheiro Já')).toHaveLength(1);
});

test('host permission revoked: the overlay and the queue stop cleanly, and resume when access is given back', async () => {
  await start();
  const page = await overlayOn('Promo Relâmpago');
  await browser.setHostAccess('ON_CLICK');
  const refused = await ask('block', 'Promo Relâmpago');
  expect(refused).toMatchObject({ ok: false, error: { code: 'permission_missing' } });
  await page.reload();
  await page.locator('.ri-chat__name').waitFor();
  await page.waitForTimeout(500);
  expect(await page.locator('inbox-guard-bar').count()).toBe(0);
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');
  const options = await browser.context.newPage();
  await options.goto(browser.extensionUrl('options.html'));
  await expect.poll(() => options.getByTestId('ig-options-access').textContent()).toContain('can no longer reach 127.0.0.1');

  await browser.setHostAccess('ON_ALL_SITES');
  await page.reload();
  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  await barButton(page, 'block').click();
  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Blocked');
  expect(applied('Promo Relâmpago')).toHaveLength(1);
});

test('host permission revoked with a block still queued: nothing is sent without access, and it lands once when access is given back', async () => {
  await start();
  await overlayOn('Ganhe Dinheiro Já');
  inbox.control.faults({ offline: true });
  expect(await ask('block', 'Ganhe Dinheiro Já')).toMatchObject({ ok: true, data: { pending: { state: 'queued' } } });
  await browser.setHostAccess('ON_CLICK');
  inbox.control.clearFaults();
  // Long enough for several retries, had the queue ignored the missing access.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect(serverStatus(inbox, 'Ganhe Dinheiro Já')).toBe('active');
  expect(applied('Ganhe Dinheiro Já')).toHaveLength(0);
  expect(await outboxSize()).toBe(1);

  await browser.setHostAccess('ON_ALL_SITES');
  await expect.poll(() => serverStatus(inbox, 'Ganhe Dinheiro Já'), { timeout: 20_000 }).toBe('blocked');
  await expect.poll(outboxSize, { timeout: 15_000 }).toBe(0);
  expect(applied('Ganhe Dinheiro Já')).toHaveLength(1);
});
