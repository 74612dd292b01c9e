/**
 * The reference inbox as the e2e tests use it: started in-process per test, plus lookups on
 * its model (server state) by the names a user sees.
 */
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server';

export type { ReferenceInbox };
export type Style = 'helena' | 'chatwoot';
export type Role = 'owner' | 'admin' | 'manager' | 'agent';

export function startInbox(style: Style): Promise<ReferenceInbox> {
  return startReferenceInbox({ style });
}

export function contactNamed(inbox: ReferenceInbox, name: string) {
  const contact = inbox.model.listContacts().find((candidate) => candidate.name === name);
  if (!contact) throw new Error(`no contact named ${name}`);
  return contact;
}

/** The contact's status as the platform sees it (Chatwoot style: archive is our attribute). */
export function serverStatus(inbox: ReferenceInbox, name: string): 'active' | 'archived' | 'blocked' {
  const contact = contactNamed(inbox, name);
  if (inbox.style === 'helena' || contact.status === 'blocked') return contact.status;
  const flagged = contact.customAttributes.inbox_guard_archived === true;
  const archivedAt = Number(contact.customAttributes.inbox_guard_archived_at ?? 0);
  const archived = flagged && !((contact.lastActivityAt ?? 0) > archivedAt);
  return archived ? 'archived' : 'active';
}

export function conversationsOf(inbox: ReferenceInbox, name: string) {
  return inbox.model.conversationsOf(contactNamed(inbox, name).id);
}

/** What the options page needs to sign in as `role` on this inbox. */
export function connection(inbox: ReferenceInbox, role: Role) {
  return {
    apiStyle: inbox.style,
    serverUrl: inbox.url,
    accountId: String(inbox.accountId),
    agentEmail: inbox.users[role].email,
    token: inbox.tokens[role],
  };
}
