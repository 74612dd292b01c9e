/**
 * The handlers of the admin panel (popup): who am I and the lists' sizes, the lists themselves
 * (from the in-memory index of lib/background/lists.ts), bulk jobs and imports (the runner in
 * lib/background/jobs.ts), export, the outbox's waiting and failed items with retry and
 * discard, the activity log, and "Sync now". service.ts wires them in with what they share.
 *
 * "Find" is the one question answered by the platform rather than the store: its free-text
 * search (through the connection's rate-limited client), so active contacts, which no local
 * list holds, can be archived or blocked from the panel. What it finds is remembered, so the
 * rows carry any pending action and a bulk job needs no second read.
 *
 * The panel may be open while the platform cannot be reached: the store scope of the last
 * successful connection (same settings) is kept in storage.local, so the lists stay readable
 * offline.
 */
import { browser } from 'wxt/browser';
import { IgError, type ErrorShape } from '../errors';
import type { Session } from '../messaging';
import { FIND_LIMIT, type ActivityView, type OutboxView, type RequestOf, type ResponseOf } from '../page-messaging';
import { discard, retry } from '../outbox/queue';
import type { Settings } from '../settings';
import { getStoredContact, rememberContact, type Scope } from '../store/contacts';
import type { ActivityEntry, Db, OutboxItem } from '../store/db';
import type { Jobs } from './jobs';
import type { ListIndex } from './lists';
import type { Connection } from './platform';
import { fingerprint } from './platform';
import { loadSettings } from './settings-store';

const SCOPE_KEY = 'panelScope';
export const LAST_SYNC_KEY = 'lastSyncAt';
const OUTBOX_SHOWN = 500;

export interface PanelDeps {
  openDb(): Promise<Db>;
  connect(): Promise<Connection>;
  session(): Promise<Session>;
  lists: ListIndex;
  jobs: Jobs;
  now: () => number;
  drain(): void;
  /** Tells open tabs that this contact changed. */
  tell(connection: { settings: Settings; scope: Scope }, contactId: string): Promise<void>;
  syncNow(): Promise<number>;
  isSyncing(): boolean;
}

type PanelType =
  | 'panel.state'
  | 'contacts.list'
  | 'contacts.find'
  | 'bulk.start'
  | 'import.apply'
  | 'export.rows'
  | 'jobs.list'
  | 'job.items'
  | 'job.cancel'
  | 'outbox.list'
  | 'outbox.retry'
  | 'outbox.discard'
  | 'activity.list'
  | 'sync.now';

export type PanelHandlers = { [T in PanelType]: (payload: RequestOf<T>) => Promise<ResponseOf<T>> };

const inScope = (scope: Scope) => (item: { platform: string; account: string }) => item.platform === scope.platform && item.account === scope.account;

function outboxView(item: OutboxItem): OutboxView {
  return {
    seq: item.seq!,
    contactId: item.contactId,
    contactName: item.contactName,
    action: item.action,
    state: item.state,
    attempts: item.attempts,
    nextAt: item.nextAt,
    createdAt: item.createdAt,
    ...(item.error ? { error: item.error } : {}),
    ...(item.jobId ? { jobId: item.jobId } : {}),
    by: item.by,
  };
}

function activityView(entry: ActivityEntry): ActivityView {
  return {
    seq: entry.seq!,
    at: entry.at,
    contactId: entry.contactId,
    contactName: entry.contactName,
    action: entry.action,
    by: entry.by,
    result: entry.result,
    ...(entry.error ? { error: entry.error as ErrorShape } : {}),
    ...(entry.jobId ? { jobId: entry.jobId } : {}),
  };
}

export function createPanelHandlers(deps: PanelDeps): PanelHandlers {
  /** The connection, remembering its scope for when the platform cannot be reached. */
  const connect = async (): Promise<Connection> => {
    const connection = await deps.connect();
    await browser.storage.local.set({ [SCOPE_KEY]: { key: fingerprint(connection.settings), scope: connection.scope } });
    return connection;
  };

  /** The store scope: the connection's, or the last one of these settings while offline. */
  const scope = async (): Promise<{ scope: Scope; settings: Settings; connection?: Connection }> => {
    try {
      const connection = await connect();
      return { scope: connection.scope, settings: connection.settings, connection };
    } catch (error) {
      const settings = await loadSettings();
      if (!settings) throw new IgError('not_configured');
      const saved = (await browser.storage.local.get(SCOPE_KEY))[SCOPE_KEY] as { key: string; scope: Scope } | undefined;
      if (saved && saved.key === fingerprint(settings)) return { scope: saved.scope, settings };
      throw IgError.from(error);
    }
  };

  /**
   * The scope as last connected with these settings, without asking the platform: what the
   * panel polls every second while a job is open must not send anything (signed out, each poll
   * would be one more refused "who am I").
   */
  const localScope = async (): Promise<{ scope: Scope; settings: Settings }> => {
    const settings = await loadSettings();
    const saved = settings ? ((await browser.storage.local.get(SCOPE_KEY))[SCOPE_KEY] as { key: string; scope: Scope } | undefined) : undefined;
    if (settings && saved && saved.key === fingerprint(settings)) return { scope: saved.scope, settings };
    return scope();
  };

  const outboxItem = async (seq: number): Promise<{ db: Db; item: OutboxItem; scope: Scope; settings: Settings }> => {
    const db = await deps.openDb();
    const where = await scope();
    const item = await db.get('outbox', seq);
    if (!item || !inScope(where.scope)(item)) throw new IgError('not_found', { detail: `outbox ${seq}` });
    return { db, item, scope: where.scope, settings: where.settings };
  };

  return {
    async 'panel.state'() {
      const session = await deps.session();
      const where = await scope().catch((error: unknown) => {
        if (IgError.from(error).code === 'not_configured') throw error;
        return null;
      });
      const db = await deps.openDb();
      const items = where ? (await db.getAll('outbox')).filter(inScope(where.scope)) : [];
      const count = (...states: OutboxItem['state'][]) => items.filter((item) => states.includes(item.state)).length;
      const lastSyncAt = (await browser.storage.local.get(LAST_SYNC_KEY))[LAST_SYNC_KEY];
      return {
        session,
        ...(where?.connection?.identity.accountName ? { accountName: where.connection.identity.accountName } : {}),
        counts: where ? await deps.lists.counts(where.scope) : { blocked: 0, archived: 0 },
        outbox: { queued: count('queued', 'sending'), failed: count('failed'), paused: count('paused') },
        jobs: where ? await deps.jobs.list(where.scope, where.settings) : [],
        ...(typeof lastSyncAt === 'number' ? { lastSyncAt } : {}),
        syncing: deps.isSyncing(),
      };
    },

    async 'contacts.list'({ status, query, offset, limit }) {
      const where = await scope();
      return deps.lists.list(where.scope, status, query, offset, limit);
    },

    async 'contacts.find'({ query }) {
      const connection = await connect();
      const { scope } = connection;
      const found = [...new Map((await connection.api.search(query)).map((contact) => [contact.id, contact])).values()];
      const shown = found.slice(0, FIND_LIMIT);
      const db = await deps.openDb();
      const changed: string[] = [];
      for (const contact of shown) {
        const previous = await getStoredContact(db, scope, contact.id);
        await rememberContact(db, scope, contact, deps.now());
        if (previous && previous.status !== contact.status) changed.push(contact.id);
      }
      const ids = shown.map((contact) => contact.id);
      await deps.lists.touch(scope, ids);
      // The platform knew better than the store: open tabs hear it too.
      for (const id of changed) await deps.tell(connection, id);
      return { rows: await deps.lists.rowsOf(scope, ids), more: found.length > FIND_LIMIT };
    },

    async 'bulk.start'({ action, contactIds }) {
      return deps.jobs.startBulk(await connect(), action, contactIds);
    },

    async 'import.apply'({ rows }) {
      return deps.jobs.startImport(await connect(), rows);
    },

    async 'export.rows'({ statuses }) {
      const where = await scope();
      const rows = await deps.lists.rows(where.scope, statuses);
      return {
        rows: rows.map((row) => ({
          contactId: row.id,
          name: row.name,
          ...(row.phone ? { phone: row.phone } : {}),
          ...(row.email ? { email: row.email } : {}),
          status: row.status,
          ...(row.note ? { note: row.note } : {}),
        })),
      };
    },

    async 'jobs.list'() {
      const where = await localScope();
      return { jobs: await deps.jobs.list(where.scope, where.settings, { all: true }) };
    },

    async 'job.items'({ id, states, offset, limit }) {
      const where = await scope();
      return deps.jobs.items(where.scope, id, states, offset, limit);
    },

    async 'job.cancel'({ id }) {
      return deps.jobs.cancel(await connect(), id);
    },

    async 'outbox.list'() {
      const where = await scope();
      const db = await deps.openDb();
      const items = (await db.getAll('outbox')).filter(inScope(where.scope));
      return { items: items.reverse().slice(0, OUTBOX_SHOWN).map(outboxView) };
    },

    async 'outbox.retry'({ seq }) {
      const { db, item, scope: itemScope, settings } = await outboxItem(seq);
      const retried = await retry(db, item.seq!, deps.now());
      if (!retried) throw new IgError('invalid_request', { detail: `outbox ${seq} is ${item.state}` });
      await deps.jobs.settled(retried, 'retried');
      await deps.lists.touch(itemScope, [item.contactId]);
      await deps.tell({ settings, scope: itemScope }, item.contactId);
      deps.drain();
      return {};
    },

    async 'outbox.discard'({ seq }) {
      const { db, item, scope: itemScope, settings } = await outboxItem(seq);
      const discarded = await discard(db, item.seq!, deps.now());
      if (!discarded) throw new IgError('invalid_request', { detail: `outbox ${seq} is ${item.state}` });
      await deps.jobs.settled(discarded, 'discarded');
      await deps.lists.touch(itemScope, [item.contactId]);
      await deps.tell({ settings, scope: itemScope }, item.contactId);
      return {};
    },

    async 'activity.list'({ before, limit }) {
      const where = await scope();
      const db = await deps.openDb();
      const entries: ActivityView[] = [];
      const range = before === undefined ? null : IDBKeyRange.upperBound(before, true);
      let cursor = await db.transaction('activity').store.openCursor(range, 'prev');
      const mine = inScope(where.scope);
      while (cursor && entries.length < limit) {
        if (mine(cursor.value)) entries.push(activityView(cursor.value));
        cursor = await cursor.continue();
      }
      return { entries };
    },

    async 'sync.now'() {
      const changed = await deps.syncNow();
      return { changed, at: deps.now() };
    },
  };
}
