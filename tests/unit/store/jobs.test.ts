// @vitest-environment node
/**
 * The job store: rows in chunks of 1,000, the job's counters changed with each row, the
 * runner's cursor, the report's windows across chunk boundaries.
 */
import { expect, test } from 'vitest';
import { openStore, type StoredJob, type StoredJobItem } from '@/lib/store/db';
import { cancelWaiting, CHUNK, createJob, getJob, itemsInState, itemsWindow, nextWaiting, noCounts, updateItem } from '@/lib/store/jobs';

const TOTAL = 2_500;

async function job(): Promise<StoredJob> {
  const db = await openStore();
  const stored: StoredJob = {
    id: 'j', platform: 'p', account: 'a', kind: 'import', state: 'running', total: TOTAL, createdAt: 1,
    by: { userName: 'Ana', role: 'admin' }, counts: { ...noCounts(), waiting: TOTAL }, cursor: 0, queued: [],
  };
  const items: StoredJobItem[] = Array.from({ length: TOTAL }, (_, i) => ({ jobId: 'j', n: i + 1, key: `phone:+55119${10_000_000 + i}`, target: 'blocked', state: 'waiting' }));
  await createJob(db, stored, items);
  return stored;
}

test('2,500 rows: three chunks, every row readable in order, windows across a chunk boundary', async () => {
  await job();
  const db = await openStore();
  expect(await db.count('jobRows')).toBe(Math.ceil(TOTAL / CHUNK));
  const window = await itemsWindow(db, 'j', undefined, 995, 10);
  expect(window.total).toBe(TOTAL);
  expect(window.items.map((item) => item.n)).toEqual([996, 997, 998, 999, 1000, 1001, 1002, 1003, 1004, 1005]);
  expect((await itemsWindow(db, 'j', undefined, 2_495, 50)).items.map((item) => item.n)).toEqual([2496, 2497, 2498, 2499, 2500]);
});

test('a row changes state with the job\'s counters; a row already moved on is left alone', async () => {
  await job();
  const db = await openStore();
  expect(await updateItem(db, 'j', 1_001, ['waiting'], (item) => ({ ...item, state: 'queued', seq: 9 }))).toMatchObject({ n: 1_001, state: 'queued' });
  expect(await updateItem(db, 'j', 1_001, ['waiting'], (item) => ({ ...item, state: 'done' }))).toBeNull();
  await updateItem(db, 'j', 2, ['waiting'], (item) => ({ ...item, state: 'not_found' }));
  const stored = (await getJob(db, 'j'))!;
  expect(stored.counts).toMatchObject({ waiting: TOTAL - 2, queued: 1, not_found: 1 });
  expect(stored.queued).toEqual([1_001]);
  expect((await itemsInState(db, 'j', ['queued'])).map((item) => item.n)).toEqual([1_001]);
  expect((await itemsWindow(db, 'j', ['not_found', 'queued'], 0, 10)).items.map((item) => item.n)).toEqual([2, 1_001]);
});

test('the runner\'s next waiting rows skip what is settled, and cancel takes every waiting row at once', async () => {
  await job();
  const db = await openStore();
  for (const n of [1, 2, 3]) await updateItem(db, 'j', n, null, (item) => ({ ...item, state: 'done' }));
  expect((await nextWaiting(db, 'j', 2)).map((item) => item.n)).toEqual([4, 5]);
  expect((await getJob(db, 'j'))!.cursor).toBe(3);
  expect(await cancelWaiting(db, 'j')).toBe(TOTAL - 3);
  expect((await getJob(db, 'j'))!.counts).toMatchObject({ waiting: 0, done: 3, cancelled: TOTAL - 3 });
  expect(await nextWaiting(db, 'j', 5)).toEqual([]);
});
