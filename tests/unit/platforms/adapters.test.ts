// @vitest-environment node
/**
 * The same adapter behaviours, run against the reference inbox in both API styles (the real
 * HTTP server, in-process): what the background relies on, whichever platform it talks to.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createChatwootApi } from '@/lib/platforms/chatwoot/api';
import { createHelenaApi } from '@/lib/platforms/helena/api';
import type { PlatformApi } from '@/lib/platforms/types';
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server';
import { failure } from '../helpers/failure';

type Role = 'owner' | 'admin' | 'manager' | 'agent';

function adapter(inbox: ReferenceInbox, role: Role, token = inbox.tokens[role]): PlatformApi {
  const deps = { baseUrl: inbox.url, fetch, getToken: async () => token };
  return inbox.style === 'helena'
    ? createHelenaApi({ ...deps, agentEmail: inbox.users[role].email })
    : createChatwootApi({ ...deps, accountId: String(inbox.accountId) });
}

const named = (inbox: ReferenceInbox, name: string) => {
  const contact = inbox.model.listContacts().find((candidate) => candidate.name === name);
  if (!contact) throw new Error(name);
  return contact;
};


describe.each(['helena', 'chatwoot'] as const)('%s adapter against the reference inbox', (style) => {
  let inbox: ReferenceInbox;
  beforeAll(async () => {
    inbox = await startReferenceInbox({ style });
  });
  afterAll(() => inbox.close());

  test.each([
    ['owner', style === 'helena' ? 'owner' : 'admin'],
    ['admin', 'admin'],
    ['manager', 'admin'],
    ['agent', 'agent'],
  ] as const)('the %s is recognised with the role the platform gives (%s)', async (role, expected) => {
    const me = await adapter(inbox, role).whoAmI();
    expect(me.role).toBe(expected);
    expect(me.roleSource).toBe('platform');
    expect(me.userName).toBe(inbox.users[role].name);
    expect(me.accountId).toBe(String(inbox.accountId));
  });

  test('a wrong token is "unauthorized"', async () => {
    expect((await failure(adapter(inbox, 'admin', 'nope').whoAmI())).code).toBe('unauthorized');
  });

  test('the contact of a conversation, with its status', async () => {
    const spammer = named(inbox, 'Promo Relâmpago');
    const conversation = inbox.model.latestConversation(spammer.id)!;
    const contact = await adapter(inbox, 'admin').contactOfConversation(String(conversation.id));
    expect(contact).toMatchObject({ id: String(spammer.id), name: 'Promo Relâmpago', status: 'active', phone: '+5511900000001' });
    expect((await adapter(inbox, 'admin').getContact(String(named(inbox, 'Empréstimo Fácil').id))).status).toBe('blocked');
  });

  test('block closes the contact\'s open conversations; unblock restores', async () => {
    const api = adapter(inbox, 'admin');
    const contact = named(inbox, 'Crypto Gains 24h');
    expect((await api.setStatus(String(contact.id), 'blocked')).status).toBe('blocked');
    expect(inbox.model.contact(contact.id)?.status).toBe('blocked');
    expect(inbox.model.conversationsOf(contact.id).every((c) => c.status === 'resolved')).toBe(true);
    expect((await api.setStatus(String(contact.id), 'active')).status).toBe('active');
    expect(inbox.model.contact(contact.id)?.status).toBe('active');
  });

  test('archive, and the archived contact who writes reads as active again', async () => {
    const api = adapter(inbox, 'agent');
    const contact = named(inbox, 'Julien Moreau');
    expect((await api.setStatus(String(contact.id), 'archived')).status).toBe('archived');
    expect((await api.getContact(String(contact.id))).status).toBe('archived');
    if (style === 'chatwoot') {
      // Chatwoot has no archive: the adapter also resolves the open conversations.
      expect(inbox.model.conversationsOf(contact.id).every((c) => c.status === 'resolved')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    inbox.control.incoming({ contactId: contact.id, text: 'Bonjour, je suis de retour' });
    expect((await api.getContact(String(contact.id))).status).toBe('active');
    if (style === 'chatwoot') {
      // The adapter wrote the reactivation back to the server.
      expect(inbox.model.contact(contact.id)?.customAttributes).toMatchObject({ inbox_guard_archived: false, inbox_guard_archived_at: null });
    }
  });

  test('find a contact by phone, by e-mail, by text, whatever their status', async () => {
    const api = adapter(inbox, 'admin');
    expect((await api.findByPhone('+5511987654321')).map((contact) => contact.name)).toEqual(['Mariana Souza']);
    expect((await api.findByPhone('+5511900000009')).map((contact) => contact.status)).toEqual(['blocked']);
    expect(await api.findByPhone('+5511911112222')).toEqual([]);
    expect((await api.findByEmail('VIP@cryptogains.example')).map((contact) => contact.name)).toEqual(['Crypto Gains 24h']);
    expect(await api.findByEmail('nobody@nowhere.example')).toEqual([]);
    expect((await api.search('Camille')).map((contact) => contact.name)).toContain('Camille Dubois');
  });

  test('the blocked and archived lists, page by page', async () => {
    const api = adapter(inbox, 'admin');
    const blocked = await api.listByStatus('blocked', 1);
    expect(blocked.items.map((contact) => contact.name)).toContain('Empréstimo Fácil');
    expect(blocked.items.every((contact) => contact.status === 'blocked')).toBe(true);
    const ids = inbox.control.seed(40).contactIds;
    for (const contactId of ids) await api.setStatus(String(contactId), 'blocked');
    const all: string[] = [];
    for (let page = 1; ; page += 1) {
      const answer = await api.listByStatus('blocked', page);
      all.push(...answer.items.map((contact) => contact.id));
      if (!answer.hasMore) break;
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining(ids.map(String)));
    const archived = await api.setStatus(String(named(inbox, 'Antoine Girard').id), 'archived');
    expect((await api.listByStatus('archived', 1)).items.map((contact) => contact.id)).toContain(archived.id);
  });

  test('close one conversation', async () => {
    const conversation = inbox.model.latestConversation(named(inbox, 'Beatriz Lima').id)!;
    await adapter(inbox, 'agent').closeConversation(String(conversation.id));
    expect(inbox.model.conversation(conversation.id)?.status).toBe('resolved');
  });

  test('an unknown contact is "not found"', async () => {
    const unknown = style === 'helena' ? '00000000-0000-4000-8000-000000000000' : '999999';
    expect((await failure(adapter(inbox, 'admin').getContact(unknown))).code).toBe('not_found');
  });

  test('the platform down is a "network" error', async () => {
    const api = style === 'helena'
      ? createHelenaApi({ baseUrl: 'http://127.0.0.1:9', fetch, getToken: async () => 't' })
      : createChatwootApi({ baseUrl: 'http://127.0.0.1:9', fetch, getToken: async () => 't', accountId: '1' });
    expect((await failure(api.whoAmI())).code).toBe('network');
  });

  test('a 5xx and a 429 with Retry-After are told apart', async () => {
    const api = adapter(inbox, 'admin');
    inbox.control.faults({ fail: { status: 503, count: 1 } });
    expect((await failure(api.whoAmI())).code).toBe('server_error');
    inbox.control.faults({ rateLimit: { count: 1, retryAfter: 3 } });
    const limited = await failure(api.whoAmI());
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryAfterMs).toBe(3000);
    inbox.control.clearFaults();
  });
});
