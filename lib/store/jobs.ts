/**
 * Bulk jobs and imports in IndexedDB (v4): one `jobs` record per job, one `jobItems` row per
 * contact (bulk) or imported line (import), keyed [jobId, n] and indexed by [jobId, state], so
 * the runner (lib/background/jobs.ts) reads the next few waiting rows and the panel counts
 * each state without reading a 100,000-row job.
 *
 * A job's counters are never stored: they are the counts of its rows in each state, so a
 * worker stopped between two writes cannot leave them wrong.
 */
import type { Scope } from './contacts';
import type { Db, JobItemState, StoredJob, StoredJobItem } from './db';

export const ITEM_STATES: JobItemState[] = ['waiting', 'queued', 'done', 'failed', 'not_found', 'refused', 'cancelled'];

export type ItemCounts = Record<JobItemState, number>;

/** Writes a job and all its rows in one transaction: all there, or nothing. */
export async function createJob(db: Db, job: StoredJob, items: StoredJobItem[]): Promise<void> {
  const tx = db.transaction(['jobs', 'jobItems'], 'readwrite');
  const store = tx.objectStore('jobItems');
  const settled = () => undefined; // a failed put aborts the transaction: `tx.done` says so
  void tx.objectStore('jobs').put(job).catch(settled);
  // Not awaited one by one: the transaction orders them, and 100,000 awaits cost seconds.
  for (const item of items) void store.put(item).catch(settled);
  await tx.done;
}

export async function getJob(db: Db, id: string): Promise<StoredJob | undefined> {
  return db.get('jobs', id);
}

export async function putJob(db: Db, job: StoredJob): Promise<void> {
  await db.put('jobs', job);
}

/** The jobs of a scope, newest first. */
export async function jobsOf(db: Db, scope: Scope): Promise<StoredJob[]> {
  return (await db.getAll('jobs'))
    .filter((job) => job.platform === scope.platform && job.account === scope.account)
    .sort((a, b) => b.createdAt - a.createdAt);
}

export async function countItems(db: Db, jobId: string): Promise<ItemCounts> {
  const tx = db.transaction('jobItems');
  const index = tx.store.index('byJobState');
  const counts = await Promise.all(ITEM_STATES.map((state) => index.count([jobId, state])));
  await tx.done;
  return Object.fromEntries(ITEM_STATES.map((state, i) => [state, counts[i]!])) as ItemCounts;
}

export async function itemsInState(db: Db, jobId: string, state: JobItemState, count?: number): Promise<StoredJobItem[]> {
  return db.getAllFromIndex('jobItems', 'byJobState', [jobId, state], count);
}

export async function getItem(db: Db, jobId: string, n: number): Promise<StoredJobItem | undefined> {
  return db.get('jobItems', [jobId, n]);
}

/** Changes one row if it is still in one of `from` states; returns the new row, or null. */
export async function updateItem(
  db: Db,
  jobId: string,
  n: number,
  from: readonly JobItemState[] | null,
  change: (item: StoredJobItem) => StoredJobItem,
): Promise<StoredJobItem | null> {
  const tx = db.transaction('jobItems', 'readwrite');
  const item = await tx.store.get([jobId, n]);
  if (!item || (from && !from.includes(item.state))) {
    await tx.done;
    return null;
  }
  const next = change(item);
  await tx.store.put(next);
  await tx.done;
  return next;
}

/** A window of a job's rows in row order, optionally only some states. */
export async function itemsWindow(
  db: Db,
  jobId: string,
  states: readonly JobItemState[] | undefined,
  offset: number,
  limit: number,
): Promise<{ total: number; items: StoredJobItem[] }> {
  if (!states) {
    const range = IDBKeyRange.bound([jobId, -Infinity], [jobId, Infinity]);
    const total = await db.count('jobItems', range);
    const items: StoredJobItem[] = [];
    let cursor = await db.transaction('jobItems').store.openCursor(range);
    if (cursor && offset > 0) cursor = await cursor.advance(offset);
    while (cursor && items.length < limit) {
      items.push(cursor.value);
      cursor = await cursor.continue();
    }
    return { total, items };
  }
  const all = (await Promise.all([...new Set(states)].map((state) => itemsInState(db, jobId, state)))).flat().sort((a, b) => a.n - b.n);
  return { total: all.length, items: all.slice(offset, offset + limit) };
}
