/**
 * Where the API token lives: storage.session by default (in memory only, gone when the browser
 * closes, and not readable by content scripts), or, when the user ticks "remember on this
 * device", the extension-origin IndexedDB — **sealed**: AES-GCM ciphertext under a key made for
 * it, a non-extractable CryptoKey kept beside it. Never storage.local or storage.sync, never in a
 * message to a tab, never in cleartext on disk.
 *
 * Why sealed, and why the key is where it is (issue 9 §6):
 * - IndexedDB is append-only on disk (Chromium: LevelDB's log and tables; Firefox: SQLite's
 *   journal), so a deleted record, or one overwritten "before delete", stays readable in the
 *   profile's files until the browser compacts them. Only never writing the token in clear
 *   keeps it off the disk; overwrite-then-delete would only add a second copy beside the first.
 * - The key cannot live in storage.session only: that is emptied when the browser closes, which
 *   would make "remember" forget. It cannot be derived from something the user types either:
 *   the token is what they type. So it lives in IndexedDB as a CryptoKey the browser keeps and
 *   no script can export (`extractable: false`); ours can only use it to decrypt.
 * - What that buys: no program that scans a profile's files for tokens (the usual token
 *   stealers grep LevelDB for them) nor a backup, an index or a disk image finds it, and after
 *   "remember" is unticked what lingers until compaction is ciphertext and a key record. What it
 *   does not buy: someone who copies the whole profile and knows how browsers serialise keys can
 *   still decrypt it. That is the limit of remembering a secret with no master password; on a
 *   shared computer, leave "remember" unticked. (README, security model.)
 * - A fresh key and IV at every save; the record's name is bound as additional data.
 */
import { browser } from 'wxt/browser';
import { openStore, type Db, type SealedSecret } from '../store/db';

const SESSION_KEY = 'apiToken';
const SECRET_NAME = 'apiToken';
const AAD = new TextEncoder().encode(`inbox-guard:${SECRET_NAME}`);

function isSealed(record: unknown): record is SealedSecret {
  if (typeof record !== 'object' || record === null) return false;
  const { key, iv, data } = record as Partial<SealedSecret>;
  return (
    typeof key === 'object' && key !== null && 'algorithm' in key && ArrayBuffer.isView(iv) && (data instanceof ArrayBuffer || ArrayBuffer.isView(data))
  );
}

async function seal(db: Db, token: string): Promise<void> {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: AAD }, key, new TextEncoder().encode(token));
  await db.put('secrets', { name: SECRET_NAME, key, iv, data, savedAt: Date.now() });
}

/** The remembered token, or null (none, or a record that does not open: the user signs in again). */
async function unseal(db: Db): Promise<string | null> {
  const record: unknown = await db.get('secrets', SECRET_NAME);
  if (!record) return null;
  // Saved in clear by an earlier version: sealed now (the clear copy goes with the next compaction).
  const legacy = (record as { value?: unknown }).value;
  if (typeof legacy === 'string' && legacy) {
    await seal(db, legacy);
    return legacy;
  }
  if (!isSealed(record)) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv, additionalData: AAD }, record.key, record.data);
    return new TextDecoder().decode(plain) || null;
  } catch {
    return null;
  }
}

export async function getToken(): Promise<string | null> {
  const session = await browser.storage.session.get(SESSION_KEY);
  const fromSession = session[SESSION_KEY];
  if (typeof fromSession === 'string' && fromSession) return fromSession;
  return unseal(await openStore());
}

export async function saveToken(token: string, remember: boolean): Promise<void> {
  const db = await openStore();
  if (remember) {
    await seal(db, token);
    await browser.storage.session.remove(SESSION_KEY);
  } else {
    await browser.storage.session.set({ [SESSION_KEY]: token });
    await db.delete('secrets', SECRET_NAME);
  }
}

/** Moves an existing token between the two places when the user changes the checkbox. */
export async function setRemember(remember: boolean): Promise<void> {
  const token = await getToken();
  if (token) await saveToken(token, remember);
}

export async function hasToken(): Promise<boolean> {
  return (await getToken()) !== null;
}

export async function forgetToken(): Promise<void> {
  await browser.storage.session.remove(SESSION_KEY);
  const db = await openStore();
  await db.delete('secrets', SECRET_NAME);
}
