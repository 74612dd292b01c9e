/**
 * Firefox ESR, MV3 build: "Remember on this device" keeps the token sealed (AES-GCM with a
 * non-extractable CryptoKey in the extension's IndexedDB, lib/background/token.ts) and it opens
 * again once session storage is emptied, as after a browser restart; unticking deletes it.
 * The same code as in Chromium, but Firefox's own WebCrypto and IndexedDB (SQLite) store the key.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { connectFirefox } from '../harness/firefox-steps';
import { connection, startInbox, type ReferenceInbox } from '../harness/inbox';

let inbox: ReferenceInbox;
let firefox: FirefoxSession;

beforeEach(async () => {
  inbox = await startInbox('helena');
  firefox = await launchFirefox();
});
afterEach(async () => {
  await firefox?.close();
  await inbox?.close();
});

test('the remembered token is sealed in IndexedDB, opens after session storage empties, and goes when unticked', async () => {
  const options = await firefox.optionsPage();
  const admin = connection(inbox, 'admin');
  await options.click('[data-testid="ig-options-remember"]');
  expect(await connectFirefox(options, admin)).toBe('connected: Connected as Ana Admin (Administrator).');

  const state = () =>
    options.evaluate(async () => {
      const ext = (globalThis as unknown as {
        browser: { storage: { session: { get(keys: null): Promise<unknown>; clear(): Promise<void> } }; runtime: { sendMessage(m: unknown): Promise<unknown> } };
      }).browser;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('inbox-guard');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const records = await new Promise<Record<string, unknown>[]>((resolve) => {
        const all = db.transaction('secrets').objectStore('secrets').getAll();
        all.onsuccess = () => resolve(all.result as Record<string, unknown>[]);
      });
      db.close();
      return {
        session: JSON.stringify(await ext.storage.session.get(null)),
        records: JSON.stringify(records),
        sealed: records.map((record) => ({
          algorithm: (record.key as CryptoKey | undefined)?.algorithm?.name,
          extractable: (record.key as CryptoKey | undefined)?.extractable,
          data: record.data instanceof ArrayBuffer ? new TextDecoder('latin1').decode(record.data) : null,
        })),
      };
    });

  const remembered = await state();
  expect(remembered.sealed).toEqual([{ algorithm: 'AES-GCM', extractable: false, data: expect.any(String) }]);
  expect(remembered.records + remembered.sealed[0]!.data).not.toContain(admin.token);
  expect(remembered.session).not.toContain(admin.token);

  // What a browser restart does to session storage; the sealed token still signs in.
  const reply = await options.evaluate(async () => {
    const ext = (globalThis as unknown as { browser: { storage: { session: { clear(): Promise<void> } }; runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser;
    await ext.storage.session.clear();
    return ext.runtime.sendMessage({ type: 'connection.test', payload: {} });
  });
  expect(reply).toMatchObject({ ok: true, data: { role: 'admin' } });

  // Unticked and saved: the record is gone, the token is the session's.
  await options.click('[data-testid="ig-options-remember"]');
  await options.click('[data-testid="ig-options-save"]');
  await options.waitForSelector('[data-testid="ig-options-outcome"][data-kind="saved"]');
  const unticked = await state();
  expect(unticked.records).toBe('[]');
  expect(unticked.session).toContain(admin.token);
});
