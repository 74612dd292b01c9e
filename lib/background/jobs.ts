/**
 * Bulk jobs and imports: durable in IndexedDB (lib/store/jobs.ts), applied through the outbox.
 *
 *   job row:  waiting ──resolve + gate──▶ queued (outbox item, jobId) ──settled──▶ done | failed
 *                │                         └── cancel (item not in flight) ──▶ cancelled
 *                └──▶ done (already in that status) | not_found | refused (role gate, ambiguous)
 *
 * The runner keeps at most IN_OUTBOX rows of each job in the outbox at once, and adds more as
 * they settle, so a manual action from the overlay waits behind a handful of job items, never
 * behind a thousand. Each pass starts from what IndexedDB says, so a stopped worker or a browser
 * restart resumes where it was (the background calls `kick` at every start, on the browser's
 * start-up and on the outbox alarms). A row is applied at most once: before enqueueing, the
 * runner looks for this row's item already in the outbox (a worker stopped between the two
 * writes), and a contact already in the wanted status counts as done without a request.
 *
 * Imports: each row names a contact by id, phone or e-mail. A phone or e-mail that matches
 * several platform contacts is refused as ambiguous (error `ambiguous`): blocking every match
 * could silence people the file did not mean, and the report shows the row for the user to
 * make precise with a contact id. Waiting rows answer `lookupLocal` at once, and a contact the
 * overlay meets that matches a waiting row has that row applied at once (`meet`).
 */
import { IgError, type ErrorShape } from '../errors';
import type { JobItemView, JobView, TransferRow } from '../page-messaging';
import type { Contact, ContactStatus } from '../platforms/types';
import { CHATWOOT_LIMITS, HELENA_LIMITS, type Pace } from '../outbox/rate-limit';
import { discard, enqueue, pendingFor } from '../outbox/queue';
import { actionFor, refusal, targetStatus, type StatusAction } from '../roles';
import { apiKind, type Settings } from '../settings';
import { singleFlight } from '../single-flight';
import { getStoredContact, rememberContact, setNote, type Scope } from '../store/contacts';
import type { Db, JobItemState, OutboxItem, StoredJob, StoredJobItem } from '../store/db';
import { cancelWaiting, changeJob, createJob, getItem, getJob, itemsInState, itemsWindow, jobsOf, nextWaiting, noCounts, updateItem } from '../store/jobs';
import { keysOf, type ListIndex } from './lists';
import type { Connection } from './platform';

/** Rows of one job in the outbox at once. */
export const IN_OUTBOX = 4;
/** Finished jobs the panel still shows. */
const FINISHED_SHOWN = 5;
const RETRY_LATER_MS = 5_000;
/** Reasons that wait for the user (sign in again, allow access), not for time. */
const FOR_THE_USER = new Set(['unauthorized', 'no_token', 'permission_missing']);
const STOPPING = new Set(['network', 'server_error', 'rate_limited', 'unauthorized', 'no_token', 'permission_missing', 'not_configured']);

export interface JobsDeps {
  openDb(): Promise<Db>;
  connect(): Promise<Connection>;
  lists: ListIndex;
  now: () => number;
  /** The outbox has new items. */
  drain(): void;
  /** These contacts' effective status changed (batched by the caller for the tabs). */
  changed(connection: { settings: Settings; scope: Scope }, ids: string[]): void;
  /** Run again at `at` (the platform was not reachable). */
  wake(at: number): void;
  /** Where the connection's rate limit stands (lib/outbox/rate-limit.ts), for the time left. */
  pace?(settings: Settings): Promise<Pace>;
  log(message: string, detail?: unknown): void;
}

const scopeKey = (scope: Scope) => `${scope.platform}\u0000${scope.account}`;

/** The key a transfer row names its contact by (contact id first, then phone, then e-mail). */
export function rowKey(row: TransferRow): string | null {
  if (row.contactId) return `id:${row.contactId}`;
  if (row.phone) return `phone:${row.phone}`;
  const email = row.email?.trim().toLowerCase();
  if (email && /^[^\s@]+@[^\s@]+$/.test(email)) return `email:${email}`;
  return null;
}

/** Requests per ms the configured limits allow in the long run (the tightest window). */
export function sustainedRatePerMs(settings: Settings): number {
  const windows = settings.rateLimits ?? (apiKind(settings) === 'helena' ? HELENA_LIMITS : CHATWOOT_LIMITS);
  return Math.min(...windows.map((window) => window.limit / window.windowMs));
}

/** A wait for the platform shorter than this is not worth saying (it is over before it is read). */
const WAIT_SHOWN_MS = 1_500;

type Outcome = 'queued' | 'settled' | 'stop';

export function createJobs(deps: JobsDeps) {
  const { now } = deps;
  /** The last pass stopped on something only the user can fix (a 401, no token, no access). */
  let waitingForUser = false;
  /** Per scope: lookup key → the waiting import rows naming it. */
  const waitingRows = new Map<string, Promise<Map<string, { jobId: string; n: number; target: ContactStatus }[]>>>();

  const rowsOf = (scope: Scope) => {
    const key = scopeKey(scope);
    let map = waitingRows.get(key);
    if (!map) {
      map = (async () => {
        const db = await deps.openDb();
        const result = new Map<string, { jobId: string; n: number; target: ContactStatus }[]>();
        for (const job of await jobsOf(db, scope)) {
          if (job.kind !== 'import' || job.state !== 'running') continue;
          for (const item of await itemsInState(db, job.id, ['waiting'])) addRow(result, job.id, item);
        }
        return result;
      })();
      waitingRows.set(key, map);
      map.catch(() => waitingRows.delete(key));
    }
    return map;
  };

  const addRow = (map: Map<string, { jobId: string; n: number; target: ContactStatus }[]>, jobId: string, item: StoredJobItem) => {
    const list = map.get(item.key) ?? [];
    list.push({ jobId, n: item.n, target: item.target });
    map.set(item.key, list);
  };

  const forgetRow = async (scope: Scope, jobId: string, item: StoredJobItem) => {
    const map = await rowsOf(scope).catch(() => null);
    const list = map?.get(item.key);
    if (!map || !list) return;
    const rest = list.filter((row) => !(row.jobId === jobId && row.n === item.n));
    if (rest.length > 0) map.set(item.key, rest);
    else map.delete(item.key);
  };

  const view = async (db: Db, given: StoredJob, settings?: Settings): Promise<JobView> => {
    const job = (await getJob(db, given.id)) ?? given;
    const { counts } = job;
    const remaining = counts.waiting + counts.queued;
    // Running, but its rows wait for the user to sign in again (the runner or the outbox met a 401).
    const stalled = job.state === 'running' && remaining > 0 && (waitingForUser || (await db.countFromIndex('outbox', 'byState', 'paused')) > 0);
    let estimate: number | undefined;
    let waiting: Pick<JobView, 'waitingUntil' | 'waitingFor'> = {};
    if (job.state === 'running' && !stalled && settings) {
      const requests = Math.ceil(remaining * (job.requestsPerRow ?? (job.kind === 'import' ? 2 : 1)));
      // From where the rate limit stands now: a full window or a Retry-After makes it longer,
      // and the panel says what it waits for.
      const pace = await deps.pace?.(settings).catch(() => undefined);
      estimate = Math.ceil(pace ? pace.finishIn(requests) : requests / sustainedRatePerMs(settings));
      if (pace?.reason && remaining > 0 && pace.nextAt - now() >= WAIT_SHOWN_MS) waiting = { waitingUntil: pace.nextAt, waitingFor: pace.reason };
    }
    return {
      id: job.id,
      kind: job.kind,
      ...(job.action ? { action: job.action } : {}),
      state: stalled ? 'paused' : job.state,
      total: job.total,
      done: counts.done,
      failed: counts.failed,
      skipped: counts.not_found + counts.refused + counts.cancelled,
      createdAt: job.createdAt,
      ...(job.finishedAt !== undefined ? { finishedAt: job.finishedAt } : {}),
      ...(estimate !== undefined ? { estimateMs: estimate } : {}),
      ...waiting,
      by: job.by,
    };
  };

  const setItem = async (db: Db, scope: Scope, job: StoredJob, item: StoredJobItem, state: JobItemState, extra: Partial<StoredJobItem> = {}) => {
    const next = await updateItem(db, job.id, item.n, [item.state], (current) => {
      const changed: StoredJobItem = { ...current, ...extra, state };
      if (state !== 'queued') delete changed.seq;
      if (state !== 'failed' && state !== 'refused' && state !== 'not_found' && !extra.error) delete changed.error;
      return changed;
    });
    if (item.state === 'waiting' && job.kind === 'import') await forgetRow(scope, job.id, item);
    return next;
  };

  /** The platform contact(s) a row names. */
  const resolve = async (connection: Connection, db: Db, item: StoredJobItem): Promise<Contact[]> => {
    const [kind, ...rest] = item.key.split(':');
    const value = rest.join(':');
    if (kind === 'id') {
      const stored = await getStoredContact(db, connection.scope, value);
      if (stored) return [stored];
      return [await rememberContact(db, connection.scope, await connection.api.getContact(value), now())];
    }
    const found = kind === 'phone' ? await connection.api.findByPhone(value) : await connection.api.findByEmail(value);
    // What the platform just said is newer than the store: the gate below reads the store.
    if (found.length === 1) {
      await rememberContact(db, connection.scope, found[0]!, now());
      await deps.lists.touch(connection.scope, [found[0]!.id]);
    }
    return found;
  };

  /** Gate and enqueue one row for one known contact. */
  const apply = async (connection: Connection, db: Db, job: StoredJob, item: StoredJobItem, contact: Contact): Promise<Outcome> => {
    const { scope, identity } = connection;
    const stored = (await getStoredContact(db, scope, contact.id)) ?? (await rememberContact(db, scope, contact, now()));
    const who = { contactId: stored.id, contactName: stored.name };
    if (item.note) await setNote(db, scope, stored.id, item.note);
    const pending = await pendingFor(db, scope, stored.id);
    if (pending?.jobId === job.id && pending.jobItem === item.n) {
      // Enqueued before a stopped worker could say so.
      await setItem(db, scope, job, item, 'queued', { ...who, seq: pending.seq! });
      return 'queued';
    }
    const effective = pending && pending.state !== 'failed' ? pending.target : stored.status;
    if (effective === item.target) {
      await setItem(db, scope, job, item, 'done', who);
      return 'settled';
    }
    const action: StatusAction | null = job.kind === 'bulk' ? job.action! : actionFor(effective, item.target);
    const reason = action ? refusal(identity.role, effective, action) : 'reason_not_blocked';
    if (!action || reason) {
      const error: ErrorShape = { code: reason === 'reason_admin_only' ? 'role_forbidden' : 'invalid_transition', detail: reason ?? undefined };
      await setItem(db, scope, job, item, 'refused', { ...who, error });
      return 'settled';
    }
    // Cancelled while this row was being resolved: leave it (cancel marked it).
    if ((await getJob(db, job.id))?.state !== 'running') return 'settled';
    const queued = await enqueue(
      db,
      {
        scope,
        contactId: stored.id,
        contactName: stored.name,
        action,
        confirmed: stored.status,
        by: { userName: identity.userName, role: identity.role },
        jobId: job.id,
        jobItem: item.n,
      },
      now(),
    );
    if (queued.kind === 'cancelled') {
      await setItem(db, scope, job, item, 'done', who);
    } else {
      await setItem(db, scope, job, item, 'queued', { ...who, seq: queued.item.seq! });
    }
    await deps.lists.touch(scope, [stored.id]);
    deps.changed(connection, [stored.id]);
    return queued.kind === 'cancelled' ? 'settled' : 'queued';
  };

  /** Resolves and applies one waiting row. */
  const process = async (connection: Connection, db: Db, job: StoredJob, item: StoredJobItem): Promise<Outcome> => {
    let contacts: Contact[];
    try {
      contacts = await resolve(connection, db, item);
    } catch (error) {
      const igError = IgError.from(error);
      if (STOPPING.has(igError.code)) {
        waitingForUser = FOR_THE_USER.has(igError.code);
        return 'stop';
      }
      await setItem(db, connection.scope, job, item, igError.code === 'not_found' ? 'not_found' : 'failed', { error: igError.toShape() });
      return 'settled';
    }
    if (contacts.length === 0) {
      await setItem(db, connection.scope, job, item, 'not_found');
      return 'settled';
    }
    if (contacts.length > 1) {
      await setItem(db, connection.scope, job, item, 'refused', { error: { code: 'ambiguous', detail: String(contacts.length) } });
      return 'settled';
    }
    return apply(connection, db, job, item, contacts[0]!);
  };

  /** Rows marked queued whose outbox item is gone or failed (a worker stopped before it could say). */
  const reconcile = async (connection: Connection, db: Db, job: StoredJob) => {
    for (const item of await itemsInState(db, job.id, ['queued'])) {
      const outboxItem = item.seq !== undefined ? await db.get('outbox', item.seq) : undefined;
      if (outboxItem?.state === 'failed') {
        await setItem(db, connection.scope, job, item, 'failed', outboxItem.error ? { error: outboxItem.error } : {});
      } else if (!outboxItem && item.contactId) {
        const stored = await getStoredContact(db, connection.scope, item.contactId);
        await setItem(db, connection.scope, job, item, stored?.status === item.target ? 'done' : 'cancelled');
      }
    }
  };

  const finishIfDone = async (db: Db, job: StoredJob): Promise<boolean> => {
    const current = await getJob(db, job.id);
    if (!current || current.counts.waiting + current.counts.queued > 0) return false;
    if (current.state === 'running') await changeJob(db, job.id, (latest) => (latest.state === 'running' ? { ...latest, state: 'done', finishedAt: now() } : null));
    return true;
  };

  const runJob = async (connection: Connection, db: Db, job: StoredJob): Promise<'ok' | 'stop'> => {
    await reconcile(connection, db, job);
    let room = IN_OUTBOX - ((await getJob(db, job.id))?.counts.queued ?? 0);
    let enqueued = false;
    while (room > 0) {
      const batch = await nextWaiting(db, job.id, room);
      if (batch.length === 0) break;
      for (const item of batch) {
        if ((await getJob(db, job.id))?.state !== 'running') return 'ok';
        const outcome = await process(connection, db, job, item);
        if (outcome === 'stop') {
          if (enqueued) deps.drain();
          return 'stop';
        }
        if (outcome === 'queued') {
          room -= 1;
          enqueued = true;
        }
      }
    }
    if (enqueued) deps.drain();
    await finishIfDone(db, job);
    return 'ok';
  };

  const pass = async () => {
    let connection: Connection;
    try {
      connection = await deps.connect();
    } catch (error) {
      waitingForUser = FOR_THE_USER.has(IgError.from(error).code);
      return; // not configured, signed out or offline: the next start or alarm tries again
    }
    waitingForUser = false;
    const db = await deps.openDb();
    const jobs = (await jobsOf(db, connection.scope)).filter((job) => job.state === 'running').reverse();
    for (const job of jobs) {
      if ((await runJob(connection, db, job)) === 'stop') {
        deps.wake(now() + RETRY_LATER_MS);
        return;
      }
    }
  };

  const runner = singleFlight(pass, (error) => {
    deps.log('job runner stopped', error);
    deps.wake(now() + RETRY_LATER_MS);
  });
  const kick = runner.run;

  const start = async (
    connection: Connection,
    job: Pick<StoredJob, 'kind' | 'action' | 'requestsPerRow'>, rows: Omit<StoredJobItem, 'jobId' | 'n' | 'state'>[]) => {
    const db = await deps.openDb();
    const stored: StoredJob = {
      ...job,
      id: crypto.randomUUID(),
      ...connection.scope,
      state: 'running',
      total: rows.length,
      createdAt: now(),
      by: { userName: connection.identity.userName, role: connection.identity.role },
      counts: { ...noCounts(), waiting: rows.length },
      cursor: 0,
      queued: [],
    };
    const items: StoredJobItem[] = rows.map((row, i) => ({ ...row, jobId: stored.id, n: i + 1, state: 'waiting' }));
    await createJob(db, stored, items);
    // The waiting rows answer local lookups at once: added to the map if it is built (it is
    // otherwise built from the store on the first lookup, these rows included).
    const building = stored.kind === 'import' ? waitingRows.get(scopeKey(connection.scope)) : undefined;
    if (building) {
      const map = await building;
      const first = items[0] ? map.get(items[0].key) : undefined;
      if (!first?.some((row) => row.jobId === stored.id)) for (const item of items) addRow(map, stored.id, item);
    }
    void kick();
    return view(db, stored, connection.settings);
  };

  return {
    kick,

    /** Idle: no pass running (tests and the benchmark wait for it). */
    idle: runner.idle,

    async startBulk(connection: Connection, action: StatusAction, contactIds: string[]) {
      const target = targetStatus[action];
      const ids = [...new Set(contactIds)];
      // Contacts the store does not know are read from the platform before their change.
      let unknown = 0;
      for (const id of ids) if ((await deps.lists.lookup(connection.scope, `id:${id}`)) === undefined) unknown += 1;
      return start(
        connection,
        { kind: 'bulk', action, requestsPerRow: 1 + unknown / Math.max(1, ids.length) },
        ids.map((id) => ({ key: `id:${id}`, target })),
      );
    },

    startImport(connection: Connection, rows: TransferRow[]) {
      const items = rows.map((row, i) => {
        const key = rowKey(row);
        if (!key) throw new IgError('invalid_request', { detail: `row ${i + 1}: no contact id, phone or e-mail` });
        return { key, target: row.status, ...(row.note ? { note: row.note } : {}) };
      });
      return start(connection, { kind: 'import' }, items);
    },

    async list(scope: Scope, settings?: Settings, options: { all?: boolean } = {}): Promise<JobView[]> {
      const db = await deps.openDb();
      const jobs = await jobsOf(db, scope);
      const shown = options.all ? jobs : [...jobs.filter((job) => job.state === 'running'), ...jobs.filter((job) => job.state !== 'running').slice(0, FINISHED_SHOWN)];
      return Promise.all(shown.map((job) => view(db, job, settings)));
    },

    async items(scope: Scope, id: string, states: readonly JobItemState[] | undefined, offset: number, limit: number) {
      const db = await deps.openDb();
      const job = await getJob(db, id);
      if (!job || job.platform !== scope.platform || job.account !== scope.account) throw new IgError('not_found', { detail: id });
      const window = await itemsWindow(db, id, states, offset, limit);
      return {
        total: window.total,
        items: window.items.map(
          (item): JobItemView => ({
            n: item.n,
            key: item.key,
            target: item.target,
            state: item.state,
            ...(item.contactId ? { contactId: item.contactId } : {}),
            ...(item.contactName ? { contactName: item.contactName } : {}),
            ...(item.error ? { error: item.error } : {}),
          }),
        ),
      };
    },

    /** Waiting rows cancelled; queued ones taken out of the outbox unless in flight. */
    async cancel(connection: Connection, id: string): Promise<JobView> {
      const db = await deps.openDb();
      const job = await getJob(db, id);
      if (!job || job.platform !== connection.scope.platform || job.account !== connection.scope.account) throw new IgError('not_found', { detail: id });
      if (job.state !== 'running' && job.state !== 'paused') return view(db, job);
      const cancelled = (await changeJob(db, id, (current) => ({ ...current, state: 'cancelled', finishedAt: now() })))!;
      await cancelWaiting(db, id);
      waitingRows.delete(scopeKey(connection.scope));
      const touched: string[] = [];
      for (const item of await itemsInState(db, id, ['queued'])) {
        if (item.seq === undefined || !(await discard(db, item.seq, now()))) continue;
        await updateItem(db, id, item.n, ['queued'], (current) => ({ ...current, state: 'cancelled' }));
        if (item.contactId) touched.push(item.contactId);
      }
      await deps.lists.touch(connection.scope, touched);
      if (touched.length > 0) deps.changed(connection, touched);
      return view(db, cancelled);
    },

    /** An outbox item of a job settled (called from the outbox's onSettled). */
    async settled(item: OutboxItem, outcome: 'done' | 'failed' | 'discarded' | 'retried', error?: ErrorShape) {
      if (!item.jobId || item.jobItem === undefined) return;
      const db = await deps.openDb();
      const state: JobItemState = outcome === 'done' ? 'done' : outcome === 'failed' ? 'failed' : outcome === 'discarded' ? 'cancelled' : 'queued';
      const from: JobItemState[] = outcome === 'retried' ? ['failed'] : ['queued', 'waiting'];
      await updateItem(db, item.jobId, item.jobItem, from, (current) => {
        const next: StoredJobItem = { ...current, state, ...(error ? { error } : {}) };
        if (state === 'queued') {
          next.seq = item.seq!;
          delete next.error;
        } else delete next.seq;
        return next;
      });
      const job = await getJob(db, item.jobId);
      if (job && outcome === 'retried' && job.state === 'done') {
        await changeJob(db, job.id, (current) => {
          const reopened: StoredJob = { ...current, state: 'running' };
          delete reopened.finishedAt;
          return reopened;
        });
      }
      else if (job?.state === 'running') await finishIfDone(db, job);
      void kick();
    },

    /** The local status of `id:…`, `phone:+…` or `email:…`: a waiting imported row, else the contacts. */
    async lookupLocal(scope: Scope, key: string): Promise<ContactStatus | undefined> {
      const rows = (await rowsOf(scope)).get(key);
      if (rows && rows.length > 0) return rows.at(-1)!.target;
      return deps.lists.lookup(scope, key);
    },

    /** The overlay met this contact: an imported row still waiting for it is applied now. */
    async meet(connection: Connection, contact: Contact): Promise<boolean> {
      const map = await rowsOf(connection.scope);
      const rows = keysOf(contact).flatMap((key) => map.get(key) ?? []);
      if (rows.length === 0) return false;
      const db = await deps.openDb();
      let enqueued = false;
      for (const row of rows) {
        const job = await getJob(db, row.jobId);
        const item = await getItem(db, row.jobId, row.n);
        if (!job || job.state !== 'running' || !item || item.state !== 'waiting') {
          if (job && item) await forgetRow(connection.scope, job.id, item);
          continue;
        }
        if ((await apply(connection, db, job, item, contact)) === 'queued') enqueued = true;
      }
      if (enqueued) deps.drain();
      return enqueued;
    },
  };
}

export type Jobs = ReturnType<typeof createJobs>;
