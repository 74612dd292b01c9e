/**
 * The benchmark's world: the reference inbox (Chatwoot style) with its large data, Chromium
 * with and without the extension, and the extension's local store filled to match.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { CHROMIUM } from '../e2e/harness/paths';
import type { ReferenceInbox } from '../e2e/harness/inbox';
import { inPage } from './page';

/** The same browser as tests/e2e/harness/chromium.ts, without the extension. */
export async function launchPlainChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'ig-bench-plain-'));
  const language = 'en-US';
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    locale: language,
    viewport: { width: 1440, height: 900 },
    env: { ...process.env, LANGUAGE: language.replace('-', '_'), LANG: `${language.replace('-', '_')}.UTF-8` },
    args: [
      `--lang=${language}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

export interface Seeded {
  /** Conversations with `longMessages` messages each, one per P2 run (a fresh one every run). */
  long: { contactId: string; conversationId: string; name: string }[];
  listRows: number;
  blocked: number;
}

/** 5,000 list rows, `longCount` long conversations, and a 100,000-entry blocklist on the server. */
export function seedServer(inbox: ReferenceInbox, options: { rows: number; longCount: number; longMessages: number; blocked: number }): Seeded {
  inbox.control.seed(options.rows, 1);
  const long = inbox.control.seed(options.longCount, options.longMessages);
  inbox.control.seedBlocked(options.blocked);
  const contacts = new Map(inbox.model.listContacts().map((contact) => [String(contact.id), contact]));
  return {
    long: long.contactIds.map((id, i) => ({
      contactId: String(id),
      conversationId: String(long.conversationIds[i]),
      name: contacts.get(String(id))!.name,
    })),
    listRows: inbox.model.listConversations().filter((conversation) => conversation.status === 'open').length,
    blocked: inbox.model.listContacts().filter((contact) => contact.status === 'blocked').length,
  };
}

export interface StoreFill {
  platform: string;
  account: string;
  /** [id, name, phone] of contacts the platform has blocked. */
  blocked: [string, string, string][];
  /** [conversationId, contactId, name, phone] of conversations whose contact is active. */
  known: [string, string, string, string][];
}

/** What the extension's store would hold after a sync and a first visit, from the server's model. */
export function storeFillFor(inbox: ReferenceInbox, skip: Set<string>): StoreFill {
  const blocked: StoreFill['blocked'] = [];
  const known: StoreFill['known'] = [];
  for (const contact of inbox.model.listContacts()) {
    const id = String(contact.id);
    if (skip.has(id)) continue;
    if (contact.status === 'blocked') blocked.push([id, contact.name, contact.phone]);
    else if (contact.status === 'active' && Object.keys(contact.customAttributes).length === 0) {
      for (const conversation of inbox.model.conversationsOf(contact.id)) known.push([String(conversation.id), id, contact.name, contact.phone]);
    }
  }
  return { platform: `chatwoot@${new URL(inbox.url).origin}`, account: String(inbox.accountId), blocked, known };
}

/**
 * Writes the records in the extension's own IndexedDB (opened without a version: the
 * extension created it), from its service worker, in one transaction; returns the counts the
 * store then holds.
 */
export async function fillStore(worker: Worker, fill: StoreFill): Promise<{ blocked: number; conversations: number; ms: number }> {
  return inPage(worker, async ({ platform, account, blocked, known }: StoreFill) => {
    const started = performance.now();
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('inbox-guard');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const now = Date.now();
    const tx = db.transaction(['contacts', 'conversations'], 'readwrite');
    const contacts = tx.objectStore('contacts');
    const conversations = tx.objectStore('conversations');
    for (const [id, name, phone] of blocked) {
      contacts.put({ platform, account, id, name, phone, status: 'blocked', statusSince: now, blockedAt: now, checkedAt: now });
    }
    const seen = new Set<string>();
    for (const [conversationId, contactId, name, phone] of known) {
      conversations.put({ platform, account, id: conversationId, contactId });
      if (seen.has(contactId)) continue;
      seen.add(contactId);
      contacts.put({ platform, account, id: contactId, name, phone, status: 'active', statusSince: now, checkedAt: now });
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    const count = (store: string, range?: IDBKeyRange, index?: string): Promise<number> =>
      new Promise((resolve, reject) => {
        const source = db.transaction(store).objectStore(store);
        const request = index ? source.index(index).count(range) : source.count(range);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const result = {
      blocked: await count('contacts', IDBKeyRange.only([platform, account, 'blocked']), 'byStatus'),
      conversations: await count('conversations'),
      ms: Math.round(performance.now() - started),
    };
    db.close();
    return result;
  }, fill);
}

/** How many contacts the extension's store holds as blocked now. */
export async function storedBlocked(worker: Worker, platform: string, account: string): Promise<number> {
  return inPage(
    worker,
    async ([p, a]: readonly [string, string]) => {
      const db: IDBDatabase = await new Promise((resolve, reject) => {
        const request = indexedDB.open('inbox-guard');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const count: number = await new Promise((resolve, reject) => {
        const request = db.transaction('contacts').objectStore('contacts').index('byStatus').count(IDBKeyRange.only([p, a, 'blocked']));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      db.close();
      return count;
    },
    [platform, account] as const,
  );
}
