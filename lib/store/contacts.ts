/**
 * Queries on the local contact store: remember what the platform said about a contact and a
 * conversation, and answer "what is this contact's status" without a request.
 */
import type { Contact } from '../platforms/types';
import type { Db, StoredContact } from './db';

export interface Scope {
  platform: string;
  account: string;
}

export async function getStoredContact(db: Db, scope: Scope, id: string): Promise<StoredContact | undefined> {
  return db.get('contacts', [scope.platform, scope.account, id]);
}

/** Records the platform's view of a contact; keeps `statusSince` / `blockedAt` when unchanged. */
export async function rememberContact(db: Db, scope: Scope, contact: Contact, now = Date.now()): Promise<StoredContact> {
  const tx = db.transaction('contacts', 'readwrite');
  const previous = await tx.store.get([scope.platform, scope.account, contact.id]);
  const changed = !previous || previous.status !== contact.status;
  const stored: StoredContact = {
    ...scope,
    id: contact.id,
    name: contact.name,
    phone: contact.phone,
    email: contact.email,
    status: contact.status,
    statusSince: changed ? now : previous.statusSince,
    blockedAt: contact.status === 'blocked' ? (changed ? now : (previous.blockedAt ?? now)) : undefined,
    checkedAt: now,
  };
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
