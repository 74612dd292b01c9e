/**
 * The extension's IndexedDB (idb), opened only by the background.
 *
 * Stores:
 * - `contacts`: the last status the platform confirmed for each contact, keyed by
 *   [platform, account, id], indexed by status, phone and e-mail (the local blocklist);
 * - `conversations`: conversation id → contact id, so a page can be answered without a request;
 * - `secrets`: the API token when the user ticked "remember on this device", sealed
 *   (AES-GCM, its non-extractable key beside it: lib/background/token.ts);
 * - `outbox` (v2): actions written before any request, drained by lib/outbox/;
 * - `activity` (v2): who did what to whom, when, and how it ended;
 * - v3 indexes contacts by name (Chatwoot's list rows show a name, not an id);
 * - `jobs` and `jobRows` (v4): bulk jobs and imports (lib/store/jobs.ts), their rows (one per
 *   contact or imported line) in chunks of 1,000, so 100,000 lines are written in 0.1 s;
 * - v5 indexes conversations by contact (the page's Blocked view: a blocked contact's conversations).
 * `upgrade` runs every step from the old version up, so each version adds one step, and each
 * step is tested from a saved example of the version before (tests/fixtures/store/).
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { ErrorShape } from '../errors';
import type { ContactStatus, Role } from '../platforms/types';
import type { StatusAction } from '../roles';

export const DB_NAME = 'inbox-guard';
export const DB_VERSION = 5;

/** A secret as IndexedDB keeps it: AES-GCM ciphertext and the key that opens it (never exported). */
export interface SealedSecret {
  name: string;
  key: CryptoKey;
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
  savedAt: number;
}

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
  /** See ContactView.blockedAfterOrder. */
  blockedAfterOrder?: number;
  /** The note an import gave this contact (v4). */
  note?: string;
}

export interface StoredConversation {
  platform: string;
  account: string;
  id: string;
  contactId: string;
}

export type OutboxState = 'queued' | 'sending' | 'paused' | 'failed';

export interface OutboxItem {
  /** Order of arrival (the key). */
  seq?: number;
  platform: string;
  account: string;
  contactId: string;
  contactName: string;
  conversationId?: string;
  action: StatusAction;
  /** The status the platform had confirmed (or the previous item's target) when queued. */
  from: ContactStatus;
  target: ContactStatus;
  state: OutboxState;
  attempts: number;
  /** Not to be tried before (ms). */
  nextAt: number;
  createdAt: number;
  /** When the request went out, while `state` is "sending". */
  sentAt?: number;
  error?: ErrorShape;
  by: { userName: string; role: Role };
  /** The bulk job or import this item belongs to (v4), and its row there. */
  jobId?: string;
  jobItem?: number;
}

export interface ActivityEntry {
  seq?: number;
  at: number;
  platform: string;
  account: string;
  contactId: string;
  contactName: string;
  action: StatusAction;
  by: { userName: string; role: Role };
  result: 'done' | 'failed' | 'discarded';
  error?: ErrorShape;
  jobId?: string;
}

export type JobState = 'running' | 'paused' | 'cancelled' | 'done';
export type JobItemState = 'waiting' | 'queued' | 'done' | 'failed' | 'not_found' | 'refused' | 'cancelled';

export interface StoredJob {
  id: string;
  platform: string;
  account: string;
  kind: 'bulk' | 'import';
  action?: StatusAction;
  state: JobState;
  total: number;
  createdAt: number;
  finishedAt?: number;
  by: { userName: string; role: Role };
  /** Rows in each state (changed with the row, in one transaction). */
  counts: Record<JobItemState, number>;
  /** Rows up to this one are past "waiting" (where the runner looks next). */
  cursor: number;
  /** Rows in the outbox now. */
  queued: number[];
  /**
   * Requests one row costs on average, for the time-left estimate: a bulk row whose contact is
   * not in the store is read first (2), a known one is one change (1); an import row is looked up
   * (2). Absent in jobs from before it existed.
   */
  requestsPerRow?: number;
}

export interface StoredJobItem {
  jobId: string;
  /** Row number in the job, from 1. */
  n: number;
  /** What the row named: `id:123`, `phone:+5511…` or `email:a@b.c` (lower case). */
  key: string;
  target: ContactStatus;
  state: JobItemState;
  note?: string;
  contactId?: string;
  contactName?: string;
  /** The outbox item carrying this row, while `state` is "queued". */
  seq?: number;
  error?: ErrorShape;
}

export interface InboxGuardDB extends DBSchema {
  contacts: {
    key: [string, string, string];
    value: StoredContact;
    indexes: {
      byStatus: [string, string, ContactStatus];
      byPhone: [string, string, string];
      byEmail: [string, string, string];
      byName: [string, string, string];
    };
  };
  conversations: {
    key: [string, string, string];
    value: StoredConversation;
    indexes: { byContact: [string, string, string] };
  };
  secrets: {
    key: string;
    /** `{ name, value }` (the token in clear) is what versions before sealing wrote. */
    value: SealedSecret | { name: string; value: string; savedAt: number };
  };
  outbox: {
    key: number;
    value: OutboxItem;
    indexes: { byContact: [string, string, string]; byState: OutboxState };
  };
  activity: {
    key: number;
    value: ActivityEntry;
    indexes: { byAt: number };
  };
  jobs: {
    key: string;
    value: StoredJob;
  };
  jobRows: {
    key: [string, number];
    value: { jobId: string; c: number; rows: StoredJobItem[] };
  };
}

export type Db = IDBPDatabase<InboxGuardDB>;
type UpgradeTx = IDBPTransaction<InboxGuardDB, StoreNames<InboxGuardDB>[], 'versionchange'>;

/** One step per version: `steps[n]` upgrades version n to n + 1. */
const steps: ((db: Db, tx: UpgradeTx) => void)[] = [
  (db) => {
    const contacts = db.createObjectStore('contacts', { keyPath: ['platform', 'account', 'id'] });
    contacts.createIndex('byStatus', ['platform', 'account', 'status']);
    contacts.createIndex('byPhone', ['platform', 'account', 'phone']);
    contacts.createIndex('byEmail', ['platform', 'account', 'email']);
    db.createObjectStore('conversations', { keyPath: ['platform', 'account', 'id'] });
    db.createObjectStore('secrets', { keyPath: 'name' });
  },
  (db) => {
    const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    outbox.createIndex('byContact', ['platform', 'account', 'contactId']);
    outbox.createIndex('byState', 'state');
    const activity = db.createObjectStore('activity', { keyPath: 'seq', autoIncrement: true });
    activity.createIndex('byAt', 'at');
  },
  (_db, tx) => {
    tx.objectStore('contacts').createIndex('byName', ['platform', 'account', 'name']);
  },
  (db) => {
    db.createObjectStore('jobs', { keyPath: 'id' });
    db.createObjectStore('jobRows', { keyPath: ['jobId', 'c'] });
  },
  (_db, tx) => {
    tx.objectStore('conversations').createIndex('byContact', ['platform', 'account', 'contactId']);
  },
];

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
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let version = oldVersion; version < DB_VERSION; version += 1) steps[version]?.(db, tx);
    },
    blocking() {
      // A newer version (an extension update) wants the database: let it have it.
      void opening?.then((db) => db.close());
      opening = undefined;
    },
    terminated() {
      // The browser closed the connection (storage pressure, a crash): open again next time.
      opening = undefined;
    },
  });
}

/** For tests: forget the cached connection. */
export async function closeStore(): Promise<void> {
  const current = opening;
  opening = undefined;
  if (current) (await current.catch(() => undefined))?.close();
}
