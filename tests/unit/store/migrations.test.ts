// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DB_NAME, DB_VERSION, openStore } from '@/lib/store/db';
import { createJob, nextWaiting, noCounts } from '@/lib/store/jobs';
import { dumpDatabase, restoreDump, type Dump } from '../helpers/idb-dump';

const fixture = (version: number) =>
  JSON.parse(readFileSync(join(process.cwd(), 'tests', 'fixtures', 'store', `v${version}.json`), 'utf8')) as Dump;
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe.each([1, 2, 3, 4])('from a saved version %i to the current schema', (version) => {
  test('every record survives, every index it had is kept, and the new stores and indexes exist', async () => {
    const before = fixture(version);
    await restoreDump(DB_NAME, before);
    const db = await openStore();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['activity', 'contacts', 'conversations', 'jobRows', 'jobs', 'outbox', 'secrets']);
    const after = await dumpDatabase(DB_NAME);
    for (const [store, dump] of Object.entries(before.stores)) {
      expect(after.stores[store]?.records, store).toEqual(dump.records);
      for (const index of dump.indexes) expect(after.stores[store]?.indexes, store).toContainEqual(index);
    }
    expect(after.stores.contacts?.indexes.sort(byName).map((index) => index.name)).toEqual(['byEmail', 'byName', 'byPhone', 'byStatus']);
    expect(await db.getAllFromIndex('contacts', 'byName', ['chatwoot@https://app.chatwoot.com', '7', 'Promo Relâmpago'])).toHaveLength(1);
    expect(await db.getAllFromIndex('contacts', 'byStatus', ['chatwoot@https://app.chatwoot.com', '7', 'blocked'])).toHaveLength(1);
    expect(after.stores.conversations?.indexes.map((index) => index.name)).toEqual(['byContact']);
  });
});

test('from version 4, a blocked contact\'s conversations are found by the contact, as the Blocked view asks', async () => {
  await restoreDump(DB_NAME, fixture(4));
  const db = await openStore();
  const found = await db.getAllFromIndex('conversations', 'byContact', ['chatwoot@https://app.chatwoot.com', '7', '41']);
  expect(found.map((conversation) => conversation.id).sort()).toEqual(['310', '9001', '9002']);
});

test('a queued action saved by version 2 is still there to send after the upgrade', async () => {
  await restoreDump(DB_NAME, fixture(2));
  const db = await openStore();
  expect(await db.getAllFromIndex('outbox', 'byState', 'queued')).toEqual([expect.objectContaining({ contactId: '42', target: 'active', attempts: 2 })]);
  await db.add('outbox', {
    platform: 'p', account: 'a', contactId: '1', contactName: 'A', action: 'block', from: 'active', target: 'blocked',
    state: 'queued', attempts: 0, nextAt: 0, createdAt: 0, by: { userName: 'Ana', role: 'admin' },
  });
  expect((await db.getAll('outbox')).map((item) => item.seq)).toEqual([7, 8]);
});

test('from version 3, the store takes bulk jobs and imports, and what version 3 left behaves as before', async () => {
  await restoreDump(DB_NAME, fixture(3));
  const db = await openStore();
  expect(db.version).toBe(DB_VERSION);
  // The v3 outbox item is still waiting to be sent, with no job attached.
  const [queued] = await db.getAllFromIndex('outbox', 'byState', 'queued');
  expect(queued).toMatchObject({ contactId: '42', target: 'active', attempts: 2 });
  expect(queued?.jobId).toBeUndefined();
  // A job and its rows can be written, and the runner finds the waiting ones.
  const job = {
    id: 'j1', platform: 'p', account: 'a', kind: 'bulk' as const, action: 'block' as const, state: 'running' as const, total: 2, createdAt: 1,
    by: { userName: 'Ana', role: 'admin' as const }, counts: { ...noCounts(), waiting: 1, done: 1 }, cursor: 0, queued: [],
  };
  await createJob(db, job, [
    { jobId: 'j1', n: 1, key: 'id:41', target: 'blocked', state: 'done' },
    { jobId: 'j1', n: 2, key: 'id:42', target: 'blocked', state: 'waiting' },
  ]);
  expect((await nextWaiting(db, 'j1', 5)).map((item) => item.n)).toEqual([2]);
  expect(db.transaction('jobRows').store.keyPath).toEqual(['jobId', 'c']);
});

test('a fresh install gets the current schema in one go', async () => {
  const db = await openStore();
  expect(db.version).toBe(DB_VERSION);
  expect(db.transaction('outbox').store.indexNames.contains('byContact')).toBe(true);
  expect(db.transaction('contacts').store.indexNames.contains('byName')).toBe(true);
  expect(db.transaction('activity').store.autoIncrement).toBe(true);
});
