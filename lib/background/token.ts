/**
 * Where the API token lives: storage.session by default (gone when the browser closes, and
 * not readable by content scripts), or, when the user ticks "remember on this device", the
 * extension-origin IndexedDB. Never storage.local or storage.sync, never in a message to a tab.
 */
import { browser } from 'wxt/browser';
import { openStore } from '../store/db';

const SESSION_KEY = 'apiToken';
const SECRET_NAME = 'apiToken';

export async function getToken(): Promise<string | null> {
  const session = await browser.storage.session.get(SESSION_KEY);
  const fromSession = session[SESSION_KEY];
  if (typeof fromSession === 'string' && fromSession) return fromSession;
  const db = await openStore();
  const remembered = await db.get('secrets', SECRET_NAME);
  return remembered?.value || null;
}

export async function saveToken(token: string, remember: boolean): Promise<void> {
  const db = await openStore();
  if (remember) {
    await db.put('secrets', { name: SECRET_NAME, value: token, savedAt: Date.now() });
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
