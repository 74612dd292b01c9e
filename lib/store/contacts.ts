/**
 * Queries on the local contact store: remember what the platform said about a contact and a
 * conversation, and answer "what is this contact's status" without a request.
 */
import type { IDBPObjectStore } from 'idb';
import type { Contact } from '../platforms/types';
import type { Db, InboxGuardDB, StoredContact } from './db';

export interface Scope {
  platform: string;
  account: string;
}

type ContactsStore = IDBPObjectStore<InboxGuardDB, ('contacts' | 'outbox' | 'activity')[], 'contacts', 'readwrite'>;

export async function getStoredContact(db: Db, scope: Scope, id: string): Promise<StoredContact | undefined> {
  return db.get('contacts', [scope.platform, scope.account, id]);
}

/** The stored record for `contact`; keeps `statusSince` / `blockedAt` when the status is unchanged. */
export function nextRecord(previous: StoredContact | undefined, scope: Scope, contact: Contact, now: number): StoredContact {
  const changed = !previous || previous.status !== contact.status;
  return {
    ...scope,
    id: contact.id,
    name: contact.name,
    phone: contact.phone,
    email: contact.email,
    status: contact.status,
    statusSince: changed ? now : previous.statusSince,
    blockedAt: contact.status === 'blocked' ? (changed ? now : (previous.blockedAt ?? now)) : undefined,
    checkedAt: now,
    ...(contact.status === 'blocked' && previous?.blockedAfterOrder !== undefined ? { blockedAfterOrder: previous.blockedAfterOrder } : {}),
    ...(previous?.note !== undefined ? { note: previous.note } : {}),
  };
}

/** Contacts of a scope with exactly this name (a list row that shows no id). */
export async function contactsNamed(db: Db, scope: Scope, name: string): Promise<StoredContact[]> {
  return db.getAllFromIndex('contacts', 'byName', [scope.platform, scope.account, name]);
}

/** Remembers where the page's messages stood when a block was made (see ContactView). */
export async function rememberBlockOrder(db: Db, scope: Scope, id: string, order: number): Promise<void> {
  const tx = db.transaction('contacts', 'readwrite');
  const stored = await tx.store.get([scope.platform, scope.account, id]);
  if (stored) await tx.store.put({ ...stored, blockedAfterOrder: order });
  await tx.done;
}

/** Records the platform's view of a contact inside an open transaction. */
export async function putContact(store: ContactsStore, scope: Scope, contact: Contact, now: number): Promise<StoredContact> {
  const stored = nextRecord(await store.get([scope.platform, scope.account, contact.id]), scope, contact, now);
  await store.put(stored);
  return stored;
}

/** Records the platform's view of a contact. */
export async function rememberContact(db: Db, scope: Scope, contact: Contact, now = Date.now()): Promise<StoredContact> {
  const tx = db.transaction('contacts', 'readwrite');
  const stored = nextRecord(await tx.store.get([scope.platform, scope.account, contact.id]), scope, contact, now);
  await tx.store.put(stored);
  await tx.done;
  return stored;
}

export async function contactIdOfConversation(db: Db, scope: Scope, conversationId: string): Promise<string | undefined> {
  return (await db.get('conversations', [scope.platform, scope.account, conversationId]))?.contactId;
}

export async function rememberConversation(db: Db, scope: Scope, conversationId: string, contactId: string): Promise<void> {
  await db.put('conversations', { ...scope, id: conversationId, contactId });
}

/** Keeps an imported row's note on the contact it resolved to. */
export async function setNote(db: Db, scope: Scope, id: string, note: string): Promise<void> {
  const tx = db.transaction('contacts', 'readwrite');
  const stored = await tx.store.get([scope.platform, scope.account, id]);
  if (stored) await tx.store.put({ ...stored, note });
  await tx.done;
}
