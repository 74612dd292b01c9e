/**
 * The API token never leaves where it belongs. During a whole session (connect, open
 * conversations, block, archive, unblock, a sign-in error), every message the background
 * sends to tabs, every storage area, the extension's IndexedDB and the inbox page (its DOM,
 * the overlay's shadow DOM, its storage) are read, and the token is found only in session
 * storage — or, when the user ticked "remember on this device", only in IndexedDB's secrets.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, startInbox, type ReferenceInbox } from '../harness/inbox';
import { badge, barButton, confirmButton, connectExtension, openConversation, signInToInbox } from '../harness/steps';

let inbox: ReferenceInbox;
let browser: ChromiumSession;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

interface Evidence {
  sent: string[];
  local: string;
  sync: string;
  session: string;
  idb: Record<string, string>;
}

async function evidence(): Promise<Evidence> {
  const worker = await browser.worker();
  return worker.evaluate(async () => {
    const chromeApi = (globalThis as unknown as {
      chrome: { storage: Record<'local' | 'sync' | 'session', { get(keys: null): Promise<unknown> }> };
    }).chrome;
    const idb: Record<string, string> = {};
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('inbox-guard');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const name of db.objectStoreNames) {
      idb[name] = await new Promise<string>((resolve) => {
        const all = db.transaction(name).objectStore(name).getAll();
        all.onsuccess = () => resolve(JSON.stringify(all.result));
      });
    }
    db.close();
    return {
      sent: (globalThis as unknown as { __igSent?: string[] }).__igSent ?? [],
      local: JSON.stringify(await chromeApi.storage.local.get(null)),
      sync: JSON.stringify(await chromeApi.storage.sync.get(null)),
      session: JSON.stringify(await chromeApi.storage.session.get(null)),
      idb,
    };
  });
}

/** Records every message the background sends to a tab from now on. */
async function recordTabMessages() {
  const worker = await browser.worker();
  await worker.evaluate(() => {
    const tabs = (globalThis as unknown as { chrome: { tabs: { sendMessage: (...args: unknown[]) => unknown } } }).chrome.tabs;
    const sent: string[] = [];
    (globalThis as unknown as { __igSent: string[] }).__igSent = sent;
    const original = tabs.sendMessage.bind(tabs);
    tabs.sendMessage = (...args: unknown[]) => {
      sent.push(JSON.stringify(args.filter((arg) => typeof arg !== 'function')));
      return original(...args);
    };
  });
}

async function workSession(token: string) {
  await recordTabMessages();
  const page = await browser.context.newPage();
  // The agent signs in to the site as someone else: whatever the site keeps is its own.
  await signInToInbox(page, inbox, inbox.tokens.owner);
  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  await barButton(page, 'block').click();
  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Blocked');
  await openConversation(page, 'Mariana Souza');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  await barButton(page, 'archive').click();
  await confirmButton(page).click();
  await expect.poll(() => badge(page).textContent()).toBe('Archived');
  const seen = await evidence();
  expect(seen.sent.length).toBeGreaterThan(0);
  const pageText = await page.evaluate(() => {
    const shadows = [...document.querySelectorAll('*')].flatMap((element) => (element.shadowRoot ? [element.shadowRoot.innerHTML] : []));
    return [document.documentElement.outerHTML, ...shadows, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie].join('\n');
  });
  expect(pageText).not.toContain(token);
  return seen;
}

describe('the API token stays where it belongs', () => {
  test('by default: only in session storage', async () => {
    inbox = await startInbox('helena');
    browser = await launchChromium();
    const admin = connection(inbox, 'admin');
    await connectExtension(browser, admin);
    const seen = await workSession(admin.token);
    expect(seen.session).toContain(admin.token);
    for (const message of seen.sent) expect(message).not.toContain(admin.token);
    expect(seen.local).not.toContain(admin.token);
    expect(seen.sync).not.toContain(admin.token);
    for (const [store, records] of Object.entries(seen.idb)) expect(records, store).not.toContain(admin.token);
  });

  test('remembered: only in IndexedDB\'s secrets', async () => {
    inbox = await startInbox('chatwoot');
    browser = await launchChromium();
    const admin = { ...connection(inbox, 'admin'), remember: true };
    await connectExtension(browser, admin);
    const seen = await workSession(admin.token);
    expect(seen.idb.secrets).toContain(admin.token);
    for (const message of seen.sent) expect(message).not.toContain(admin.token);
    expect(seen.session).not.toContain(admin.token);
    expect(seen.local).not.toContain(admin.token);
    expect(seen.sync).not.toContain(admin.token);
    for (const [store, records] of Object.entries(seen.idb)) if (store !== 'secrets') expect(records, store).not.toContain(admin.token);
  });
});
