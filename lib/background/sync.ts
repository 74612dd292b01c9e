/**
 * Pulls the platform's blocked and archived lists into the local store, so the local
 * blocklist matches the platform even for changes made elsewhere (another agent, the
 * platform's own screens, another device).
 *
 * The server wins, except for contacts with an action still waiting in the outbox. A contact
 * the store has as blocked or archived that is in neither list has been made active
 * elsewhere. That conclusion needs the whole list: nothing is written until every page of both
 * lists has been read, and a list that cannot be read to its end (an error, a server that never
 * says "no more") fails the sync, which then changes nothing.
 */
import { IgError } from '../errors';
import type { Contact } from '../platforms/types';
import { nextRecord } from '../store/contacts';
import type { Db, StoredContact } from '../store/db';
import type { Connection } from './platform';

export interface SyncResult {
  blocked: number;
  archived: number;
  changed: StoredContact[];
}

/** A guard against a server that never says "no more": far beyond any real blocklist. */
const MAX_PAGES = 100_000;

/** Every page of one list; throws rather than return a partial list (see `syncLists`). */
async function readAll(connection: Connection, status: 'blocked' | 'archived'): Promise<Contact[]> {
  const contacts: Contact[] = [];
  for (let page = 1; ; page += 1) {
    if (page > MAX_PAGES) throw new IgError('invalid_response', { detail: `${status} list: more than ${MAX_PAGES} pages` });
    const answer = await connection.api.listByStatus(status, page);
    contacts.push(...answer.items);
    if (!answer.hasMore) return contacts;
    if (answer.items.length === 0) throw new IgError('invalid_response', { detail: `${status} list: empty page ${page} with more to come` });
  }
}

export async function syncLists(db: Db, connection: Connection, now: number): Promise<SyncResult> {
  const [blocked, archived] = [await readAll(connection, 'blocked'), await readAll(connection, 'archived')];
  const listed = new Map<string, Contact>();
  for (const contact of [...archived, ...blocked]) listed.set(contact.id, contact);

  const { platform, account } = connection.scope;
  const tx = db.transaction(['contacts', 'outbox'], 'readwrite');
  const contacts = tx.objectStore('contacts');
  const pending = new Set(
    (await tx.objectStore('outbox').getAll())
      // A failed action waits for the user (Retry or Discard) and changes nothing meanwhile:
      // its contact is synced like any other.
      .filter((item) => item.platform === platform && item.account === account && item.state !== 'failed')
      .map((item) => item.contactId),
  );
  const changed: StoredContact[] = [];
  const write = async (previous: StoredContact | undefined, contact: Contact) => {
    if (pending.has(contact.id)) return;
    if (previous && previous.status === contact.status && previous.name === contact.name) return;
    const record = nextRecord(previous, connection.scope, contact, now);
    await contacts.put(record);
    changed.push(record);
  };

  for (const contact of listed.values()) {
    await write(await contacts.get([platform, account, contact.id]), contact);
  }
  for (const status of ['blocked', 'archived'] as const) {
    for (const previous of await contacts.index('byStatus').getAll([platform, account, status])) {
      if (listed.has(previous.id)) continue;
      await write(previous, { id: previous.id, name: previous.name, phone: previous.phone, email: previous.email, status: 'active' });
    }
  }
  await tx.done;
  return { blocked: blocked.length, archived: archived.length, changed };
}
