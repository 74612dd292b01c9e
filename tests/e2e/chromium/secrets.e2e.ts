/**
 * The API token never leaves where it belongs. During a whole session (connect, open
 * conversations, block, archive, unblock, a sign-in error), every message the background
 * sends to tabs, every storage area, the extension's IndexedDB and the inbox page (its DOM,
 * the overlay's shadow DOM, its storage) are read, and the token is found only in session
 * storage — or, when the user ticked "remember on this device", nowhere readable: IndexedDB's
 * secrets hold it sealed (AES-GCM, lib/background/token.ts). And on disk: every file of the
 * Chromium profile is read raw (LevelDB logs and tables, where IndexedDB keeps deleted records
 * until compaction) while remembered, after a browser restart and after unticking "remember":
 * the token's bytes are never there.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
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

  test('remembered: sealed in IndexedDB\'s secrets, readable nowhere', async () => {
    inbox = await startInbox('chatwoot');
    browser = await launchChromium();
    const admin = { ...connection(inbox, 'admin'), remember: true };
    await connectExtension(browser, admin);
    const seen = await workSession(admin.token);
    // A record is there (the sealed token), and the token is not in it.
    expect(seen.idb.secrets).toContain('"name":"apiToken"');
    expect(seen.idb.secrets).not.toContain(admin.token);
    for (const message of seen.sent) expect(message).not.toContain(admin.token);
    expect(seen.session).not.toContain(admin.token);
    expect(seen.local).not.toContain(admin.token);
    expect(seen.sync).not.toContain(admin.token);
    for (const [store, records] of Object.entries(seen.idb)) if (store !== 'secrets') expect(records, store).not.toContain(admin.token);
  });
});

/** The files of a directory tree, read raw. */
async function filesUnder(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const found: { path: string; bytes: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else if (entry.isFile()) {
      const bytes = await readFile(path).catch(() => null);
      if (bytes) found.push({ path, bytes });
    }
  }
  return found;
}

/** The profile's files that hold `text` as bytes (Latin-1/UTF-8 or UTF-16, as V8 serialises strings). */
async function filesHolding(userDataDir: string, text: string): Promise<string[]> {
  const needles = [Buffer.from(text, 'latin1'), Buffer.from(text, 'utf16le')];
  return (await filesUnder(userDataDir)).filter(({ bytes }) => needles.some((needle) => bytes.includes(needle))).map(({ path }) => path.slice(userDataDir.length));
}

describe('on disk', () => {
  test('the remembered token is never in the profile\'s files: remembered, after a restart, after unticking "remember"', async () => {
    inbox = await startInbox('helena');
    browser = await launchChromium();
    const { userDataDir } = browser;
    const admin = { ...connection(inbox, 'admin'), remember: true };
    const options = await connectExtension(browser, admin);
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
    const indexedDb = join('Default', 'IndexedDB', `chrome-extension_${browser.extensionId}_0.indexeddb.leveldb`);
    // The secrets record reached the disk (its name is there), the token did not.
    await expect.poll(() => filesHolding(userDataDir, 'apiToken'), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringContaining(indexedDb)]));
    expect(await filesHolding(userDataDir, admin.token)).toEqual([]);

    // Remembered means remembered: a browser restart on the same profile is still signed in.
    await browser.close({ keepProfile: true });
    browser = await launchChromium({ userDataDir });
    expect(await browser.ask('connection.test', {})).toMatchObject({ ok: true, data: { role: 'admin' } });
    expect(await filesHolding(userDataDir, admin.token)).toEqual([]);

    // Unticking "remember": the token stays for the session, and the disk never had it.
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html'));
    await expect.poll(() => page.getByTestId('ig-options-remember').isChecked()).toBe(true);
    await page.getByTestId('ig-options-remember').uncheck();
    await page.getByTestId('ig-options-save').click();
    await expect.poll(() => page.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('saved');
    expect(await browser.ask('settings.get', {})).toMatchObject({ ok: true, data: { hasToken: true, settings: { rememberToken: false } } });
    const idb = await evidenceOf(browser);
    expect(idb.secrets).toBe('[]');
    expect(await filesHolding(userDataDir, admin.token)).toEqual([]);
    // And after the browser has closed and started again (LevelDB flushes its log into tables).
    await browser.close({ keepProfile: true });
    browser = await launchChromium({ userDataDir });
    expect(await browser.ask('settings.get', {})).toMatchObject({ ok: true, data: { hasToken: false } });
    expect(await filesHolding(userDataDir, admin.token)).toEqual([]);
  });
});

/** The extension's secrets store as the background reads it. */
async function evidenceOf(session: ChromiumSession): Promise<{ secrets: string }> {
  const worker = await session.worker();
  return worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('inbox-guard');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const secrets = await new Promise<string>((resolve) => {
      const all = db.transaction('secrets').objectStore('secrets').getAll();
      all.onsuccess = () => resolve(JSON.stringify(all.result));
    });
    db.close();
    return { secrets };
  });
}
