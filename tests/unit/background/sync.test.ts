// @vitest-environment node
import { describe, expect, test, vi } from 'vitest';
import type { Connection } from '@/lib/background/platform';
import { syncLists } from '@/lib/background/sync';
import { IgError } from '@/lib/errors';
import { enqueue } from '@/lib/outbox/queue';
import type { Contact, Page } from '@/lib/platforms/types';
import { rememberContact } from '@/lib/store/contacts';
import { openStore } from '@/lib/store/db';

const scope = { platform: 'chatwoot@https://c.example', account: '1' };
const contact = (id: string, status: Contact['status']): Contact => ({ id, name: `C${id}`, status });

function connection(lists: { blocked: Contact[][]; archived: Contact[][] }, fail?: IgError): Connection {
  const listByStatus = vi.fn(async (status: 'blocked' | 'archived', page: number): Promise<Page<Contact>> => {
    if (fail && page === 2) throw fail;
    const pages = lists[status];
    return { items: pages[page - 1] ?? [], hasMore: page < pages.length };
  });
  return { scope, api: { listByStatus }, settings: {}, identity: {} } as unknown as Connection;
}

const statusOf = async (id: string) => (await (await openStore()).get('contacts', [scope.platform, scope.account, id]))?.status;

describe('sync of the blocked and archived lists', () => {
  test('the platform wins: new blocks arrive, blocks lifted elsewhere go, across pages', async () => {
    const db = await openStore();
    await rememberContact(db, scope, contact('1', 'blocked'), 1);
    await rememberContact(db, scope, contact('2', 'archived'), 1);
    const result = await syncLists(
      db,
      connection({ blocked: [[contact('3', 'blocked')], [contact('4', 'blocked')]], archived: [[contact('2', 'archived')]] }),
      100,
    );
    expect(result).toMatchObject({ blocked: 2, archived: 1 });
    expect([await statusOf('1'), await statusOf('2'), await statusOf('3'), await statusOf('4')]).toEqual(['active', 'archived', 'blocked', 'blocked']);
    expect(result.changed.map((changed) => changed.id).sort()).toEqual(['1', '3', '4']);
  });

  test('a contact with an action still waiting is left as the user wants it', async () => {
    const db = await openStore();
    await rememberContact(db, scope, contact('1', 'active'), 1);
    await enqueue(db, { scope, contactId: '1', contactName: 'C1', action: 'block', confirmed: 'active', by: { userName: 'A', role: 'admin' } }, 1);
    await syncLists(db, connection({ blocked: [[contact('1', 'blocked')]], archived: [] }), 100);
    expect(await statusOf('1')).toBe('active');
    expect(await db.count('outbox')).toBe(1);
  });

  test('a contact whose action failed (waiting for Retry or Discard) follows the platform again', async () => {
    const db = await openStore();
    await rememberContact(db, scope, contact('1', 'active'), 1);
    await enqueue(db, { scope, contactId: '1', contactName: 'C1', action: 'archive', confirmed: 'active', by: { userName: 'A', role: 'admin' } }, 1);
    const [item] = await db.getAll('outbox');
    await db.put('outbox', { ...item!, state: 'failed' });
    await syncLists(db, connection({ blocked: [[contact('1', 'blocked')]], archived: [] }), 100);
    expect(await statusOf('1')).toBe('blocked');
    expect(await db.count('outbox')).toBe(1); // still there for the user to retry or discard
  });

  test('a sync cut short changes nothing', async () => {
    const db = await openStore();
    await rememberContact(db, scope, contact('1', 'blocked'), 1);
    await expect(
      syncLists(db, connection({ blocked: [[contact('3', 'blocked')], [contact('4', 'blocked')]], archived: [] }, new IgError('network')), 100),
    ).rejects.toMatchObject({ code: 'network' });
    expect([await statusOf('1'), await statusOf('3')]).toEqual(['blocked', undefined]);
  });
});
