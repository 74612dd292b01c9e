/**
 * The extension's IndexedDB (idb), opened only by the background.
 *
 * Stores:
 * - `contacts`: the last known status of each contact, keyed by [platform, account, id],
 *   indexed by status, phone and e-mail (the local blocklist the overlay consults);
 * - `conversations`: conversation id → contact id, so a page can be answered without a request;
 * - `secrets`: the API token when the user ticked "remember on this device" (never in
 *   storage.local / storage.sync).
 * `upgrade` runs each step from the old version, so every future version adds a step.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ContactStatus } from '../platforms/types';

export const DB_NAME = 'inbox-guard';
export const DB_VERSION = 1;

export interface StoredContact {
  platform: string;
  account: string;
  id: string;
  name: string;
  phone?: string;
  email?: string;
  status: ContactStatus;
  /** When this status was set, as far as this extension knows (ms). */
  statusSince: number;
  /** When the contact was blocked through this extension or first seen blocked (ms). */
  blockedAt?: number;
  checkedAt: number;
}

export interface StoredConversation {
  platform: string;
  account: string;
  id: string;
  contactId: string;
}

export interface InboxGuardDB extends DBSchema {
  contacts: {
    key: [string, string, string];
    value: StoredContact;
    indexes: {
      byStatus: [string, string, ContactStatus];
      byPhone: [string, string, string];
      byEmail: [string, string, string];
    };
  };
  conversations: {
    key: [string, string, string];
    value: StoredConversation;
  };
  secrets: {
    key: string;
    value: { name: string; value: string; savedAt: number };
  };
}

export type Db = IDBPDatabase<InboxGuardDB>;

let opening: Promise<Db> | undefined;

export function openStore(name = DB_NAME): Promise<Db> {
  if (name !== DB_NAME) return open(name);
  opening ??= open(name).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

function open(name: string): Promise<Db> {
  return openDB<InboxGuardDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const contacts = db.createObjectStore('contacts', { keyPath: ['platform', 'account', 'id'] });
        contacts.createIndex('byStatus', ['platform', 'account', 'status']);
        contacts.createIndex('byPhone', ['platform', 'account', 'phone']);
        contacts.createIndex('byEmail', ['platform', 'account', 'email']);
        db.createObjectStore('conversations', { keyPath: ['platform', 'account', 'id'] });
        db.createObjectStore('secrets', { keyPath: 'name' });
      }
    },
    blocking() {
      // A newer version (an extension update) wants the database: let it have it.
      void opening?.then((db) => db.close());
      opening = undefined;
    },
  });
}

/** For tests: forget the cached connection. */
export async function closeStore(): Promise<void> {
  const current = opening;
  opening = undefined;
  if (current) (await current).close();
}
