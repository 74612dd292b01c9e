/**
 * The panel's lists (Blocked | Archived), answered from memory: one index per store scope,
 * built once from IndexedDB (contacts + outbox) and patched contact by contact as the
 * background writes (`touch`), or dropped when many change at once (`invalidate`). A scroll of
 * the popup over 100,000 contacts is then a filter and a slice, not a read of the whole store.
 *
 * Each contact's status here is its effective status: the confirmed one with a waiting (not
 * failed) outbox item's target on top, as the overlay shows it (see `contactView`).
 * The same index answers "what is this id / phone / e-mail's local status" (`lookup`).
 * Search: name and e-mail case- and accent-insensitive; a query made of digits and phone
 * punctuation also matches the digits of the phone.
 */
import type { ContactStatus } from '../platforms/types';
import type { ContactRow, ListStatus } from '../page-messaging';
import type { Scope } from '../store/contacts';
import type { Db, OutboxItem, StoredContact } from '../store/db';

interface Entry {
  contact: StoredContact;
  /** The contact's latest outbox item, if any. */
  item?: OutboxItem;
  status: ContactStatus;
  /** Name and e-mail without accents, lower case. */
  text: string;
  digits: string;
}

interface ScopeIndex {
  entries: Map<string, Entry>;
  /** Lookup key (`id:…`, `phone:…`, `email:…`) → contact id. */
  keys: Map<string, string>;
  /** Sorted by name, per list; rebuilt lazily after a patch. */
  sorted: Partial<Record<ListStatus, Entry[]>>;
}

/** Lower case, accents off: "Relâmpago" finds "relampago". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export const keysOf = (contact: { id: string; phone?: string; email?: string }): string[] => [
  `id:${contact.id}`,
  ...(contact.phone ? [`phone:${contact.phone}`] : []),
  ...(contact.email ? [`email:${contact.email.toLowerCase()}`] : []),
];

const scopeKey = (scope: Scope) => `${scope.platform}\u0000${scope.account}`;

function entryOf(contact: StoredContact, item: OutboxItem | undefined): Entry {
  const waiting = item && item.state !== 'failed' ? item : undefined;
  return {
    contact,
    item,
    status: waiting?.target ?? contact.status,
    text: fold(`${contact.name}\u0000${contact.email ?? ''}`),
    digits: (contact.phone ?? '').replace(/\D/g, ''),
  };
}

export function rowOf(entry: Entry): ContactRow {
  const { contact, item } = entry;
  const waiting = item && item.state !== 'failed' ? item : undefined;
  return {
    id: contact.id,
    name: contact.name,
    ...(contact.phone ? { phone: contact.phone } : {}),
    ...(contact.email ? { email: contact.email } : {}),
    status: entry.status,
    confirmed: contact.status,
    statusSince: waiting ? waiting.createdAt : contact.statusSince,
    ...(item
      ? {
          pending: {
            action: item.action,
            state: item.state,
            ...(item.error ? { error: item.error } : {}),
            ...(item.state === 'queued' && item.attempts > 0 ? { nextAt: item.nextAt } : {}),
          },
        }
      : {}),
    ...(contact.note ? { note: contact.note } : {}),
  };
}

const byName = (a: Entry, b: Entry) => (a.contact.name < b.contact.name ? -1 : a.contact.name > b.contact.name ? 1 : a.contact.id < b.contact.id ? -1 : 1);

export function createListIndex(openDb: () => Promise<Db>) {
  const scopes = new Map<string, Promise<ScopeIndex>>();

  const build = async (scope: Scope): Promise<ScopeIndex> => {
    const db = await openDb();
    const tx = db.transaction(['contacts', 'outbox']);
    const [contacts, items] = await Promise.all([
      tx.objectStore('contacts').getAll(IDBKeyRange.bound([scope.platform, scope.account], [scope.platform, scope.account, []])),
      tx.objectStore('outbox').getAll(),
    ]);
    await tx.done;
    const latest = new Map<string, OutboxItem>();
    for (const item of items) if (item.platform === scope.platform && item.account === scope.account) latest.set(item.contactId, item);
    const index: ScopeIndex = { entries: new Map(), keys: new Map(), sorted: {} };
    for (const contact of contacts) put(index, entryOf(contact, latest.get(contact.id)));
    return index;
  };

  const put = (index: ScopeIndex, entry: Entry) => {
    const previous = index.entries.get(entry.contact.id);
    if (previous) for (const key of keysOf(previous.contact)) if (index.keys.get(key) === previous.contact.id) index.keys.delete(key);
    index.entries.set(entry.contact.id, entry);
    for (const key of keysOf(entry.contact)) index.keys.set(key, entry.contact.id);
  };

  const get = (scope: Scope): Promise<ScopeIndex> => {
    const key = scopeKey(scope);
    let index = scopes.get(key);
    if (!index) {
      index = build(scope);
      scopes.set(key, index);
      index.catch(() => scopes.delete(key));
    }
    return index;
  };

  const sortedList = (index: ScopeIndex, status: ListStatus): Entry[] => {
    let list = index.sorted[status];
    if (!list) {
      list = [...index.entries.values()].filter((entry) => entry.status === status).sort(byName);
      index.sorted[status] = list;
    }
    return list;
  };

  return {
    /** Many contacts changed at once (a sync, an import): the next question rebuilds. */
    invalidate(scope?: Scope) {
      if (scope) scopes.delete(scopeKey(scope));
      else scopes.clear();
    },

    /** These contacts changed (status, name, outbox item): re-read them, if the index is built. */
    async touch(scope: Scope, ids: Iterable<string>) {
      const built = scopes.get(scopeKey(scope));
      if (!built) return;
      const index = await built.catch(() => null);
      if (!index) return;
      const db = await openDb();
      for (const id of new Set(ids)) {
        const [contact, items] = await Promise.all([
          db.get('contacts', [scope.platform, scope.account, id]),
          db.getAllFromIndex('outbox', 'byContact', [scope.platform, scope.account, id]),
        ]);
        if (contact) put(index, entryOf(contact, items.at(-1)));
      }
      index.sorted = {};
    },

    /** One window of one list, searched by name, e-mail or the phone's digits. */
    async list(scope: Scope, status: ListStatus, query: string | undefined, offset: number, limit: number) {
      const index = await get(scope);
      let list = sortedList(index, status);
      const text = fold((query ?? '').trim());
      if (text) {
        // A query that looks like a phone number (digits and its punctuation) matches the phone's
        // digits, whatever the spelling; "Ana 3" looks for a name, not for every phone with a 3.
        const digits = /^[\d\s()+\-.]+$/.test(text) ? text.replace(/\D/g, '') : '';
        list = list.filter((entry) => entry.text.includes(text) || (digits.length > 0 && entry.digits.includes(digits)));
      }
      return { total: list.length, rows: list.slice(offset, offset + limit).map(rowOf) };
    },

    async counts(scope: Scope): Promise<Record<ListStatus, number>> {
      const index = await get(scope);
      return { blocked: sortedList(index, 'blocked').length, archived: sortedList(index, 'archived').length };
    },

    /** Every contact of these lists, by name. */
    async rows(scope: Scope, statuses: readonly ListStatus[]): Promise<ContactRow[]> {
      const index = await get(scope);
      return [...new Set(statuses)].flatMap((status) => sortedList(index, status).map(rowOf));
    },

    /** These contacts' rows (effective status, pending action), in this order; unknown ids left out. */
    async rowsOf(scope: Scope, ids: readonly string[]): Promise<ContactRow[]> {
      const index = await get(scope);
      return ids.flatMap((id) => {
        const entry = index.entries.get(id);
        return entry ? [rowOf(entry)] : [];
      });
    },

    /** The local (effective) status of `id:…`, `phone:+…` or `email:…`, from memory. */
    async lookup(scope: Scope, key: string): Promise<ContactStatus | undefined> {
      const index = await get(scope);
      const id = index.keys.get(key);
      return id === undefined ? undefined : index.entries.get(id)?.status;
    },

  };
}

export type ListIndex = ReturnType<typeof createListIndex>;
