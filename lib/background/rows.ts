/**
 * Statuses for the conversation rows a page lists. Rows that carry a conversation id are
 * answered from the store, and a few unknown ones at a time are looked up on the platform (the
 * page asks again as rows come into view); rows that only show a name (Chatwoot) are answered
 * from the contacts the store knows by that name, when they agree. The page's Blocked view is
 * answered here too (`blockedConversations`).
 */
import type { BlockedRow, RowKey, RowStatus } from '../messaging';
import { contactIdOfConversation, contactsNamed, getStoredContact, rememberConversation, type Scope } from '../store/contacts';
import type { Db } from '../store/db';
import { pendingFor } from '../outbox/queue';
import type { ListIndex } from './lists';

export const LOOKUPS_PER_ASK = 10;

export async function rowStatuses(
  db: Db,
  scope: Scope,
  rows: RowKey[],
  lookUp: (conversationId: string) => Promise<void>,
): Promise<RowStatus[]> {
  const answers: RowStatus[] = [];
  let lookups = 0;
  for (const row of rows) {
    let contactId: string | undefined;
    if (row.conversationId) {
      contactId = await contactIdOfConversation(db, scope, row.conversationId);
      if (!contactId && lookups < LOOKUPS_PER_ASK) {
        lookups += 1;
        try {
          await lookUp(row.conversationId);
          contactId = await contactIdOfConversation(db, scope, row.conversationId);
        } catch {
          // Not now (offline, rate limited): the page asks again later.
        }
      }
    } else if (row.name) {
      const named = await contactsNamed(db, scope, row.name);
      if (named.length > 0 && named.every((contact) => contact.status === named[0]!.status)) contactId = named[0]!.id;
    }
    if (!contactId) continue;
    const stored = await getStoredContact(db, scope, contactId);
    if (!stored) continue;
    const item = await pendingFor(db, scope, contactId);
    const waiting = item && item.state !== 'failed' ? item : undefined;
    answers.push({ key: row.key, status: waiting?.target ?? stored.status, pending: Boolean(waiting) });
  }
  return answers;
}

/** A contact whose conversations were asked of the platform lately is not asked again before this. */
const CONVERSATIONS_ASKED_MS = 60_000;
const CONVERSATION_LOOKUPS_PER_ASK = 10;

/**
 * The page's Blocked view: one window of the blocked list (the same index the panel reads),
 * each contact with the conversations the store knows. A contact whose conversations the store
 * does not know has them asked of the platform (a few per window, once a minute at most); they
 * are remembered, so the next window is answered without a request.
 */
export async function blockedConversations(
  db: Db,
  scope: Scope,
  lists: Pick<ListIndex, 'list'>,
  window: { offset: number; limit: number; withConversations: boolean },
  conversationsOf: (contactId: string) => Promise<string[]>,
  asked: Map<string, number>,
  now: number,
): Promise<{ total: number; rows: BlockedRow[] }> {
  const { total, rows } = await lists.list(scope, 'blocked', undefined, window.offset, window.limit);
  // The switch alone (the view closed) needs the count: nothing is read for the rows.
  let lookups = window.withConversations ? 0 : CONVERSATION_LOOKUPS_PER_ASK;
  const answers: BlockedRow[] = [];
  for (const row of rows) {
    let ids = window.withConversations
      ? (await db.getAllFromIndex('conversations', 'byContact', [scope.platform, scope.account, row.id])).map((conversation) => conversation.id)
      : [];
    const key = `${scope.platform}\u0000${scope.account}\u0000${row.id}`;
    if (ids.length === 0 && lookups < CONVERSATION_LOOKUPS_PER_ASK && now - (asked.get(key) ?? -Infinity) > CONVERSATIONS_ASKED_MS) {
      lookups += 1;
      asked.set(key, now);
      try {
        ids = await conversationsOf(row.id);
        for (const id of ids) await rememberConversation(db, scope, id, row.id);
      } catch {
        // Not now (offline, rate limited): the row is listed without a conversation.
      }
    }
    answers.push({
      contactId: row.id,
      name: row.name,
      pending: Boolean(row.pending && row.pending.state !== 'failed'),
      conversations: newestFirst(ids).slice(0, 5),
    });
  }
  return { total, rows: answers };
}

/** Ids that grow with time (Chatwoot) newest first; others (Helena's uuids) as they are. */
function newestFirst(ids: string[]): string[] {
  return ids.every((id) => /^\d+$/.test(id)) ? [...ids].sort((a, b) => Number(b) - Number(a)) : ids;
}
