// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { claim, enqueue, pauseAll, resumeAll, scan, type EnqueueInput } from '@/lib/outbox/queue';
import { openStore } from '@/lib/store/db';

const scope = { platform: 'helena@https://api.wts.chat', account: 'acme' };
const by = { userName: 'Ana', role: 'admin' as const };
const input = (contactId: string, action: EnqueueInput['action'], confirmed: EnqueueInput['confirmed'] = 'active'): EnqueueInput => ({
  scope,
  contactId,
  contactName: `Contact ${contactId}`,
  action,
  confirmed,
  by,
});

describe('the outbox queue', () => {
  test('an action is written before anything is sent', async () => {
    const db = await openStore();
    const result = await enqueue(db, input('1', 'block'), 1_000);
    expect(result.kind).toBe('queued');
    expect(await db.getAll('outbox')).toEqual([expect.objectContaining({ contactId: '1', target: 'blocked', from: 'active', state: 'queued', attempts: 0 })]);
  });

  test('block then unblock while waiting: nothing is left to send', async () => {
    const db = await openStore();
    await enqueue(db, input('1', 'block'), 1_000);
    const result = await enqueue(db, input('1', 'unblock'), 2_000);
    expect(result.kind).toBe('cancelled');
    expect(await db.count('outbox')).toBe(0);
    expect((await db.getAll('activity')).map((entry) => [entry.action, entry.result])).toEqual([['block', 'discarded']]);
  });

  test('archive then block while waiting: one item, from the confirmed status to the last wish', async () => {
    const db = await openStore();
    await enqueue(db, input('1', 'archive'), 1_000);
    await enqueue(db, input('1', 'block'), 2_000);
    expect(await db.getAll('outbox')).toEqual([expect.objectContaining({ from: 'active', target: 'blocked', action: 'block' })]);
  });

  test('an opposite action while one is on its way queues a second item after it', async () => {
    const db = await openStore();
    const { item } = (await enqueue(db, input('1', 'block'), 1_000)) as { item: { seq: number } };
    await claim(db, item.seq, 1_100);
    const second = await enqueue(db, input('1', 'unblock', 'active'), 1_200);
    expect(second.kind).toBe('queued');
    expect((await db.getAll('outbox')).map((entry) => [entry.state, entry.from, entry.target])).toEqual([
      ['sending', 'active', 'blocked'],
      ['queued', 'blocked', 'active'],
    ]);
  });

  test('one contact\'s items go in order; other contacts are not held up', async () => {
    const db = await openStore();
    const first = (await enqueue(db, input('1', 'block'), 1_000)) as { item: { seq: number } };
    await claim(db, first.item.seq, 1_000);
    await enqueue(db, input('1', 'unblock'), 1_000);
    await enqueue(db, input('2', 'archive'), 1_000);
    const { due, orphans } = await scan(db, 2_000, new Set([first.item.seq]));
    expect(due?.contactId).toBe('2');
    expect(orphans).toEqual([]);
  });

  test('an item "sending" that no request carries is an orphan to verify', async () => {
    const db = await openStore();
    const first = (await enqueue(db, input('1', 'block'), 1_000)) as { item: { seq: number } };
    await claim(db, first.item.seq, 1_000);
    const { due, orphans } = await scan(db, 2_000, new Set());
    expect(due).toBeUndefined();
    expect(orphans.map((item) => item.contactId)).toEqual(['1']);
  });

  test('a paused queue takes new work paused too, and resumes all of it', async () => {
    const db = await openStore();
    await enqueue(db, input('1', 'block'), 1_000);
    await pauseAll(db, { code: 'unauthorized' });
    await enqueue(db, input('2', 'archive'), 1_000);
    expect((await db.getAll('outbox')).map((item) => item.state)).toEqual(['paused', 'paused']);
    expect(await resumeAll(db, 5_000)).toBe(2);
    expect((await db.getAll('outbox')).map((item) => [item.state, item.nextAt, item.error])).toEqual([
      ['queued', 5_000, undefined],
      ['queued', 5_000, undefined],
    ]);
  });

  test('a waiting item is not due before its time; the scan says when to look again', async () => {
    const db = await openStore();
    const { item } = (await enqueue(db, input('1', 'block'), 1_000)) as { item: { seq: number } };
    const tx = db.transaction('outbox', 'readwrite');
    await tx.store.put({ ...(await tx.store.get(item.seq))!, nextAt: 9_000 });
    await tx.done;
    expect(await scan(db, 2_000, new Set())).toEqual({ orphans: [], wakeAt: 9_000 });
  });
});
