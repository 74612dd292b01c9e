/**
 * Statuses for the conversation rows a page lists. Rows that carry a conversation id are
 * answered from the store, and a few unknown ones at a time are looked up on the platform (the
 * page asks again as rows come into view); rows that only show a name (Chatwoot) are answered
 * from the contacts the store knows by that name, when they agree.
 */
import type { RowKey, RowStatus } from '../messaging';
import { contactIdOfConversation, contactsNamed, getStoredContact, type Scope } from '../store/contacts';
import type { Db } from '../store/db';
import { pendingFor } from '../outbox/queue';

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
