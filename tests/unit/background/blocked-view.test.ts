// @vitest-environment node
/**
 * What the page's Blocked view is answered from: the blocked list (the index the panel reads)
 * and the conversations the store knows; a contact whose conversations are not known has them
 * asked of the platform, a few per window and once a minute at most, and remembered.
 */
import { expect, test, vi } from 'vitest';
import { createListIndex } from '@/lib/background/lists';
import { blockedConversations } from '@/lib/background/rows';
import { rememberContact, rememberConversation } from '@/lib/store/contacts';
import { openStore } from '@/lib/store/db';

const scope = { platform: 'chatwoot@https://c.example', account: '1' };

async function seed(blocked: number) {
  const db = await openStore();
  for (let i = 1; i <= blocked; i += 1) await rememberContact(db, scope, { id: String(i), name: `Spam ${String(i).padStart(2, '0')}`, status: 'blocked' }, 1);
  await rememberContact(db, scope, { id: '99', name: 'Maria', status: 'active' }, 1);
  await rememberConversation(db, scope, '7', '1');
  await rememberConversation(db, scope, '31', '1');
  return db;
}

test('the count is the blocked contacts; known conversations come newest first; a closed view reads nothing more', async () => {
  const db = await seed(3);
  const lists = createListIndex(openStore);
  const conversationsOf = vi.fn(async (id: string) => [`${id}00`]);
  const asked = new Map<string, number>();
  const closed = await blockedConversations(db, scope, lists, { offset: 0, limit: 1, withConversations: false }, conversationsOf, asked, 1_000);
  expect(closed.total).toBe(3);
  expect(conversationsOf).not.toHaveBeenCalled();

  const open = await blockedConversations(db, scope, lists, { offset: 0, limit: 25, withConversations: true }, conversationsOf, asked, 1_000);
  expect(open.rows.map((row) => [row.name, row.conversations])).toEqual([
    ['Spam 01', ['31', '7']],
    ['Spam 02', ['200']],
    ['Spam 03', ['300']],
  ]);
  // Asked once, then remembered: the next window needs no request.
  expect(conversationsOf.mock.calls.map(([id]) => id)).toEqual(['2', '3']);
  await blockedConversations(db, scope, lists, { offset: 0, limit: 25, withConversations: true }, conversationsOf, asked, 2_000);
  expect(conversationsOf).toHaveBeenCalledTimes(2);
});

test('a few lookups per window, each contact once a minute, and a platform that fails lists the row without a link', async () => {
  const db = await seed(14);
  const lists = createListIndex(openStore);
  const conversationsOf = vi.fn(async () => {
    throw new Error('offline');
  });
  const asked = new Map<string, number>();
  const first = await blockedConversations(db, scope, lists, { offset: 0, limit: 25, withConversations: true }, conversationsOf, asked, 1_000);
  expect(first.rows).toHaveLength(14);
  expect(first.rows.filter((row) => row.conversations.length === 0)).toHaveLength(13);
  expect(conversationsOf).toHaveBeenCalledTimes(10);
  // Within the minute: only those not asked yet.
  await blockedConversations(db, scope, lists, { offset: 0, limit: 25, withConversations: true }, conversationsOf, asked, 30_000);
  expect(conversationsOf).toHaveBeenCalledTimes(13);
  // A minute later they may be asked again.
  await blockedConversations(db, scope, lists, { offset: 0, limit: 25, withConversations: true }, conversationsOf, asked, 70_000);
  expect(conversationsOf).toHaveBeenCalledTimes(23);
});
