// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DB_NAME, DB_VERSION, openStore } from '@/lib/store/db';
import { dumpDatabase, restoreDump, type Dump } from '../helpers/idb-dump';

const fixture = (version: number) =>
  JSON.parse(readFileSync(join(process.cwd(), 'tests', 'fixtures', 'store', `v${version}.json`), 'utf8')) as Dump;

test('version 1 → current: every contact, conversation and remembered token survives, and the new stores exist', async () => {
  const v1 = fixture(1);
  await restoreDump(DB_NAME, v1);
  const db = await openStore();
  expect(db.version).toBe(DB_VERSION);
  expect([...db.objectStoreNames].sort()).toEqual(['activity', 'contacts', 'conversations', 'outbox', 'secrets']);
  const after = await dumpDatabase(DB_NAME);
  for (const store of ['contacts', 'conversations', 'secrets']) {
    expect(after.stores[store]?.records).toEqual(v1.stores[store]?.records);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(after.stores[store]?.indexes.sort(byName)).toEqual(v1.stores[store]?.indexes.sort(byName));
  }
  expect(await db.getAllFromIndex('contacts', 'byStatus', ['chatwoot@https://app.chatwoot.com', '7', 'blocked'])).toHaveLength(1);
  expect(await db.count('outbox')).toBe(0);
  await db.add('outbox', {
    platform: 'p', account: 'a', contactId: '1', contactName: 'A', action: 'block', from: 'active', target: 'blocked',
    state: 'queued', attempts: 0, nextAt: 0, createdAt: 0, by: { userName: 'Ana', role: 'admin' },
  });
  expect((await db.getAll('outbox'))[0]?.seq).toBe(1);
});

test('a fresh install gets the current schema in one go', async () => {
  const db = await openStore();
  expect(db.version).toBe(DB_VERSION);
  expect(db.transaction('outbox').store.indexNames.contains('byContact')).toBe(true);
  expect(db.transaction('activity').store.autoIncrement).toBe(true);
});
