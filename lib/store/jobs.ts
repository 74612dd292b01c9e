/**
 * Bulk jobs and imports in IndexedDB (v4): one `jobs` record per job, and its rows (one per
 * contact or imported line) in `jobRows` chunks of CHUNK rows, keyed [jobId, chunk].
 *
 * Why chunks: an import of 100,000 lines must land in the local list at once. One record per
 * line costs about 9 s of IndexedDB puts in Chromium; 100 records of 1,000 lines cost 0.1 s.
 * A row changes state a few times, at the platform's pace (tens per second): rewriting its
 * chunk then is cheap.
 *
 * The job record carries the count of rows in each state, the rows in the outbox (`queued`)
 * and where the first waiting row may be (`cursor`); each is changed in the same transaction
 * as the row, so a worker stopped between two writes cannot leave them wrong.
 */
import type { Scope } from './contacts';
import type { Db, JobItemState, StoredJob, StoredJobItem } from './db';

export const CHUNK = 1_000;

export const ITEM_STATES: JobItemState[] = ['waiting', 'queued', 'done', 'failed', 'not_found', 'refused', 'cancelled'];

export type ItemCounts = Record<JobItemState, number>;

export const noCounts = (): ItemCounts => ({ waiting: 0, queued: 0, done: 0, failed: 0, not_found: 0, refused: 0, cancelled: 0 });

const chunkOf = (n: number) => Math.floor((n - 1) / CHUNK);

/** Writes a job and all its rows in one transaction: all there, or nothing. */
export async function createJob(db: Db, job: StoredJob, items: StoredJobItem[]): Promise<void> {
  const tx = db.transaction(['jobs', 'jobRows'], 'readwrite');
  const settled = () => undefined; // a failed put aborts the transaction: `tx.done` says so
  void tx.objectStore('jobs').put(job).catch(settled);
  for (let c = 0; c * CHUNK < items.length; c += 1) {
    void tx.objectStore('jobRows').put({ jobId: job.id, c, rows: items.slice(c * CHUNK, (c + 1) * CHUNK) }).catch(settled);
  }
  await tx.done;
}

export async function getJob(db: Db, id: string): Promise<StoredJob | undefined> {
  return db.get('jobs', id);
}

/** Changes a job's own fields (state, finishedAt) in one transaction, keeping its counters. */
export async function changeJob(db: Db, id: string, change: (job: StoredJob) => StoredJob | null): Promise<StoredJob | undefined> {
  const tx = db.transaction('jobs', 'readwrite');
  const job = await tx.store.get(id);
  const next = job ? change(job) : null;
  if (next) await tx.store.put(next);
  await tx.done;
  return next ?? job;
}

/** The jobs of a scope, newest first. */
export async function jobsOf(db: Db, scope: Scope): Promise<StoredJob[]> {
  return (await db.getAll('jobs'))
    .filter((job) => job.platform === scope.platform && job.account === scope.account)
    .sort((a, b) => b.createdAt - a.createdAt);
}

export async function getItem(db: Db, jobId: string, n: number): Promise<StoredJobItem | undefined> {
  return (await db.get('jobRows', [jobId, chunkOf(n)]))?.rows[(n - 1) % CHUNK];
}

/** Every row of a job in these states, in row order. */
export async function itemsInState(db: Db, jobId: string, states: readonly JobItemState[]): Promise<StoredJobItem[]> {
  if (states.length === 1 && states[0] === 'queued') {
    const job = await getJob(db, jobId);
    const rows = await Promise.all((job?.queued ?? []).map((n) => getItem(db, jobId, n)));
    return rows.filter((row): row is StoredJobItem => row?.state === 'queued').sort((a, b) => a.n - b.n);
  }
  const chunks = await db.getAll('jobRows', IDBKeyRange.bound([jobId, 0], [jobId, Infinity]));
  return chunks.flatMap((chunk) => chunk.rows.filter((row) => states.includes(row.state)));
}

/** Up to `count` waiting rows from the job's cursor on; moves the cursor past settled rows. */
export async function nextWaiting(db: Db, jobId: string, count: number): Promise<StoredJobItem[]> {
  const job = await getJob(db, jobId);
  if (!job) return [];
  const found: StoredJobItem[] = [];
  let cursor = job.cursor;
  for (let c = chunkOf(job.cursor + 1); c * CHUNK < job.total && found.length < count; c += 1) {
    const chunk = await db.get('jobRows', [jobId, c]);
    for (const row of chunk?.rows ?? []) {
      if (row.n <= job.cursor) continue;
      if (row.state === 'waiting') found.push(row);
      else if (found.length === 0) cursor = row.n;
      if (found.length >= count) break;
    }
  }
  if (cursor !== job.cursor) await changeJob(db, jobId, (current) => (current.cursor < cursor ? { ...current, cursor } : null));
  return found;
}

/**
 * Changes one row if it is still in one of `from` states (any when null), with the job's
 * counters, in one transaction; returns the new row, or null.
 */
export async function updateItem(
  db: Db,
  jobId: string,
  n: number,
  from: readonly JobItemState[] | null,
  change: (item: StoredJobItem) => StoredJobItem,
): Promise<StoredJobItem | null> {
  const tx = db.transaction(['jobs', 'jobRows'], 'readwrite');
  const [job, chunk] = await Promise.all([tx.objectStore('jobs').get(jobId), tx.objectStore('jobRows').get([jobId, chunkOf(n)])]);
  const item = chunk?.rows[(n - 1) % CHUNK];
  if (!job || !chunk || !item || (from && !from.includes(item.state))) {
    await tx.done;
    return null;
  }
  const next = change(item);
  chunk.rows[(n - 1) % CHUNK] = next;
  const counts = { ...job.counts, [item.state]: job.counts[item.state] - 1 };
  counts[next.state] += 1;
  const queued = job.queued.filter((row) => row !== n);
  if (next.state === 'queued') queued.push(n);
  await Promise.all([tx.objectStore('jobRows').put(chunk), tx.objectStore('jobs').put({ ...job, counts, queued })]);
  await tx.done;
  return next;
}

/** Every waiting row of a job → cancelled, in one transaction. */
export async function cancelWaiting(db: Db, jobId: string): Promise<number> {
  const tx = db.transaction(['jobs', 'jobRows'], 'readwrite');
  const job = await tx.objectStore('jobs').get(jobId);
  let cancelled = 0;
  let cursor = await tx.objectStore('jobRows').openCursor(IDBKeyRange.bound([jobId, 0], [jobId, Infinity]));
  while (cursor) {
    let changed = false;
    const rows = cursor.value.rows.map((row) => {
      if (row.state !== 'waiting') return row;
      changed = true;
      cancelled += 1;
      return { ...row, state: 'cancelled' as const };
    });
    if (changed) void cursor.update({ ...cursor.value, rows }).catch(() => undefined); // tx.done reports a failure
    cursor = await cursor.continue();
  }
  if (job) {
    const counts = { ...job.counts, waiting: job.counts.waiting - cancelled, cancelled: job.counts.cancelled + cancelled };
    await tx.objectStore('jobs').put({ ...job, counts });
  }
  await tx.done;
  return cancelled;
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
    const total = (await getJob(db, jobId))?.total ?? 0;
    const first = Math.floor(offset / CHUNK);
    const last = Math.floor((offset + limit - 1) / CHUNK);
    const chunks = await db.getAll('jobRows', IDBKeyRange.bound([jobId, first], [jobId, last]));
    const rows = chunks.flatMap((chunk) => chunk.rows);
    return { total, items: rows.slice(offset - first * CHUNK, offset - first * CHUNK + limit) };
  }
  const all = await itemsInState(db, jobId, states);
  return { total: all.length, items: all.slice(offset, offset + limit) };
}
