// @vitest-environment node
// Chatwoot-style API of the reference inbox: api_access_token auth and account scoping, profile roles,
// contact list/search/filter/update shapes, and upstream's behaviour for blocked contacts' messages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReferenceInbox } from '../../reference-inbox/server.ts';
import { call, contactNamed, control, conversationsOf, messagesOf, start } from './helpers.ts';

let inbox: ReferenceInbox;
const A = '/api/v1/accounts/1';

beforeAll(async () => {
  inbox = await start('chatwoot');
});
afterAll(() => inbox.close());
beforeEach(async () => {
  await control(inbox, 'POST', '/reset');
});

describe('Chatwoot-style API: auth and profile', () => {
  it('refuses a missing api_access_token with 401 Invalid Access Token', async () => {
    const res = await call(inbox, 'GET', `${A}/contacts`, { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid Access Token' });
  });

  it('refuses an unknown token, and a Bearer header is not how Chatwoot authenticates', async () => {
    expect((await call(inbox, 'GET', '/api/v1/profile', { token: 'cw_nope' })).status).toBe(401);
    const bearer = await call(inbox, 'GET', '/api/v1/profile', { token: null, headers: { authorization: 'Bearer cw_demo_admin' } });
    expect(bearer.status).toBe(401);
  });

  it('refuses an account the user does not belong to', async () => {
    const res = await call(inbox, 'GET', '/api/v1/accounts/2/contacts');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'You are not authorized to access this account' });
  });

  it('maps owner, admin and manager to administrator and agent to agent in the profile', async () => {
    expect(inbox.accountId).toBe(1);
    const roles: Record<string, string> = {};
    for (const role of ['owner', 'admin', 'manager', 'agent'] as const) {
      const res = await call(inbox, 'GET', '/api/v1/profile', { token: inbox.tokens[role] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: inbox.users[role].id, email: inbox.users[role].email, account_id: 1, type: 'User', confirmed: true });
      expect(res.body.accounts).toHaveLength(1);
      expect(res.body.accounts[0]).toMatchObject({ id: 1, name: 'Loja Aurora', status: 'active', custom_role_id: null, custom_role: null });
      roles[role] = res.body.accounts[0].role;
      expect(res.body.role).toBe(res.body.accounts[0].role);
    }
    expect(roles).toEqual({ owner: 'administrator', admin: 'administrator', manager: 'administrator', agent: 'agent' });
  });
});

describe('Chatwoot-style API: contacts', () => {
  it('lists 15 contacts a page with meta.count and a string current_page', async () => {
    const res = await call(inbox, 'GET', `${A}/contacts?page=1`);
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 13, current_page: '1' });
    expect(res.body.payload).toHaveLength(13);
    await control(inbox, 'POST', '/seed', { contacts: 20, messagesPerConversation: 1 });
    const page2 = await call(inbox, 'GET', `${A}/contacts?page=2`);
    expect(page2.body.meta).toEqual({ count: 33, current_page: '2' });
    expect(page2.body.payload).toHaveLength(15);
  });

  it('shows a contact as contact_list_item with integer ids and blocked flag', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const res = await call(inbox, 'GET', `${A}/contacts/${mariana.id}`);
    expect(res.body.payload).toMatchObject({
      id: mariana.id,
      name: 'Mariana Souza',
      email: 'mariana.souza@correio.example',
      phone_number: '+5511987654321',
      blocked: false,
      identifier: null,
      thumbnail: '',
      availability_status: 'offline',
      additional_attributes: {},
      custom_attributes: {},
      contact_inboxes: [],
    });
    expect(Number.isInteger(res.body.payload.id)).toBe(true);
    expect(Number.isInteger(res.body.payload.last_activity_at)).toBe(true);
    expect(Number.isInteger(res.body.payload.created_at)).toBe(true);
  });

  it('answers unknown ids with 404 Resource could not be found', async () => {
    const res = await call(inbox, 'GET', `${A}/contacts/99999`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Resource could not be found' });
    expect((await call(inbox, 'GET', `${A}/conversations/99999`)).status).toBe(404);
  });

  it('searches name, email and phone number with q', async () => {
    const byName = await call(inbox, 'GET', `${A}/contacts/search?q=dubois`);
    expect(byName.body.payload.map((c: { name: string }) => c.name)).toEqual(['Camille Dubois']);
    const byPhone = await call(inbox, 'GET', `${A}/contacts/search?q=${encodeURIComponent('+5521998765432')}`);
    expect(byPhone.body.payload.map((c: { name: string }) => c.name)).toEqual(['João Pereira']);
    const byEmail = await call(inbox, 'GET', `${A}/contacts/search?q=courriel.example`);
    expect(byEmail.body.meta.count).toBe(3); // Antoine Girard has no email
  });

  it('filters on blocked, on name, and on a custom attribute', async () => {
    const blocked = await call(inbox, 'POST', `${A}/contacts/filter`, {
      body: { payload: [{ attribute_key: 'blocked', filter_operator: 'equal_to', values: [true], query_operator: null }] },
    });
    expect(blocked.body.payload.map((c: { name: string }) => c.name)).toEqual(['Empréstimo Fácil']);
    const blockedString = await call(inbox, 'POST', `${A}/contacts/filter?page=1`, {
      body: { payload: [{ attribute_key: 'blocked', filter_operator: 'equal_to', values: ['true'] }] },
    });
    expect(blockedString.body.meta.count).toBe(1);
    const archived = await call(inbox, 'POST', `${A}/contacts/filter`, {
      body: { payload: [{ attribute_key: 'inbox_guard_archived_at', filter_operator: 'is_present', values: [] }] },
    });
    expect(archived.body.payload.map((c: { name: string }) => c.name)).toEqual(['Renata Campos']);
    const either = await call(inbox, 'POST', `${A}/contacts/filter`, {
      body: {
        payload: [
          { attribute_key: 'name', filter_operator: 'contains', values: ['camille'], query_operator: 'OR' },
          { attribute_key: 'name', filter_operator: 'contains', values: ['julien'], query_operator: null },
        ],
      },
    });
    expect(either.body.payload.map((c: { name: string }) => c.name).sort()).toEqual(['Camille Dubois', 'Julien Moreau']);
  });

  it('merges custom_attributes on update instead of replacing them', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    await call(inbox, 'PUT', `${A}/contacts/${mariana.id}`, { body: { custom_attributes: { plan: 'gold', inbox_guard_archived_at: 1793527200 } } });
    const res = await call(inbox, 'PATCH', `${A}/contacts/${mariana.id}`, { body: { custom_attributes: { inbox_guard_archived_at: null }, unknown_key: 1 } });
    expect(res.status).toBe(200);
    expect(res.body.payload.custom_attributes).toEqual({ plan: 'gold', inbox_guard_archived_at: null });
  });

  it('blocks with {blocked: true} without resolving the contact’s conversations', async () => {
    const joao = await contactNamed(inbox, 'João Pereira');
    const res = await call(inbox, 'PUT', `${A}/contacts/${joao.id}`, { token: inbox.tokens.agent, body: { blocked: true } });
    expect(res.status).toBe(200);
    expect(res.body.payload.blocked).toBe(true);
    const conversations = await call(inbox, 'GET', `${A}/contacts/${joao.id}/conversations`);
    expect(conversations.body.payload).toHaveLength(1);
    expect(conversations.body.payload[0]).toMatchObject({ status: 'open', muted: true });
    expect(conversations.body.payload[0].meta.sender).toMatchObject({ id: joao.id, blocked: true });
    const unblock = await call(inbox, 'PATCH', `${A}/contacts/${joao.id}`, { body: { blocked: false } });
    expect(unblock.body.payload.blocked).toBe(false);
  });
});

describe('Chatwoot-style API: conversations and messages', () => {
  it('shows a conversation with meta.sender carrying the contact id', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const [conv] = await conversationsOf(inbox, mariana.id);
    const res = await call(inbox, 'GET', `${A}/conversations/${conv.id}`);
    expect(res.body).toMatchObject({
      id: conv.id,
      account_id: 1,
      inbox_id: 1,
      status: 'open',
      muted: false,
      labels: [],
      unread_count: 1,
      meta: { sender: { id: mariana.id, name: 'Mariana Souza', blocked: false }, channel: 'Channel::Whatsapp', hmac_verified: false },
    });
    expect(res.body.messages).toHaveLength(1);
    expect(typeof res.body.uuid).toBe('string');
  });

  it('resolves and reopens with toggle_status, and refuses an unknown status with 422', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const [conv] = await conversationsOf(inbox, mariana.id);
    const res = await call(inbox, 'POST', `${A}/conversations/${conv.id}/toggle_status`, { body: { status: 'resolved' } });
    expect(res.body).toEqual({ meta: {}, payload: { success: true, current_status: 'resolved', conversation_id: conv.id } });
    const bad = await call(inbox, 'POST', `${A}/conversations/${conv.id}/toggle_status`, { body: { status: 'closed' } });
    expect(bad.status).toBe(422);
  });

  it("stores a blocked contact's incoming message on the resolved conversation without reopening it", async () => {
    const spammer = await contactNamed(inbox, 'Crypto Gains 24h');
    const [conv] = await conversationsOf(inbox, spammer.id);
    await call(inbox, 'PUT', `${A}/contacts/${spammer.id}`, { body: { blocked: true } });
    await call(inbox, 'POST', `${A}/conversations/${conv.id}/toggle_status`, { body: { status: 'resolved' } });
    const unreadBefore = (await call(inbox, 'GET', `${A}/conversations/${conv.id}`)).body.unread_count;
    const res = await control(inbox, 'POST', '/incoming', { contactId: spammer.id, text: 'Last chance!!!' });
    expect(res.body).toMatchObject({ stored: true, dropped: false, conversationId: conv.id });
    const after = await call(inbox, 'GET', `${A}/conversations/${conv.id}`);
    expect(after.body.status).toBe('resolved');
    expect(after.body.unread_count).toBe(unreadBefore);
    const messages = await call(inbox, 'GET', `${A}/conversations/${conv.id}/messages`);
    expect(messages.body.payload.at(-1)).toMatchObject({ content: 'Last chance!!!', message_type: 0, sender_type: 'Contact', sender_id: spammer.id });
  });

  it('reopens a resolved conversation when an unblocked contact writes', async () => {
    const camille = await contactNamed(inbox, 'Camille Dubois');
    const [conv] = await conversationsOf(inbox, camille.id);
    await call(inbox, 'POST', `${A}/conversations/${conv.id}/toggle_status`, { body: { status: 'resolved' } });
    await control(inbox, 'POST', '/incoming', { contactId: camille.id, text: 'Re-bonjour !' });
    expect((await call(inbox, 'GET', `${A}/conversations/${conv.id}`)).body.status).toBe('open');
  });

  it('does not reactivate anyone: custom attributes are never interpreted', async () => {
    const renata = await contactNamed(inbox, 'Renata Campos');
    expect(renata.customAttributes.inbox_guard_archived_at).toEqual(expect.any(Number));
    await control(inbox, 'POST', '/incoming', { contactId: renata.id, text: 'Olá de novo' });
    const res = await call(inbox, 'GET', `${A}/contacts/${renata.id}`);
    expect(res.body.payload.custom_attributes.inbox_guard_archived_at).toEqual(renata.customAttributes.inbox_guard_archived_at);
  });

  it('refuses an outgoing message to a blocked contact with 422 and the bad_request_error shape', async () => {
    const blocked = await contactNamed(inbox, 'Empréstimo Fácil');
    const [conv] = await conversationsOf(inbox, blocked.id);
    const before = (await messagesOf(inbox, conv.id)).length;
    const res = await call(inbox, 'POST', `${A}/conversations/${conv.id}/messages`, { body: { content: 'Oi', message_type: 'outgoing', private: false } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ description: 'Contact is blocked', errors: [{ field: 'contact', message: 'is blocked', code: 'blocked' }] });
    expect(await messagesOf(inbox, conv.id)).toHaveLength(before);
  });

  it('creates outgoing messages and routes message_type incoming through the incoming path', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const [conv] = await conversationsOf(inbox, mariana.id);
    const out = await call(inbox, 'POST', `${A}/conversations/${conv.id}/messages`, { body: { content: 'Chegou?' } });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ content: 'Chegou?', message_type: 1, sender_type: 'User', sender_id: inbox.users.admin.id, private: false, conversation_id: conv.id });
    await call(inbox, 'POST', `${A}/conversations/${conv.id}/toggle_status`, { body: { status: 'resolved' } });
    const inc = await call(inbox, 'POST', `${A}/conversations/${conv.id}/messages`, { body: { content: 'Chegou sim!', message_type: 'incoming' } });
    expect(inc.body).toMatchObject({ message_type: 0, sender_type: 'Contact' });
    expect((await call(inbox, 'GET', `${A}/conversations/${conv.id}`)).body.status).toBe('open');
  });

  it('lists messages with meta.contact and integer epoch created_at', async () => {
    const julien = await contactNamed(inbox, 'Julien Moreau');
    const [conv] = await conversationsOf(inbox, julien.id);
    const res = await call(inbox, 'GET', `${A}/conversations/${conv.id}/messages`);
    expect(res.body.meta).toMatchObject({ labels: [], additional_attributes: {}, contact: { id: julien.id } });
    expect(res.body.payload).toHaveLength(5);
    for (const m of res.body.payload) {
      expect(Number.isInteger(m.created_at)).toBe(true);
      expect(m).toMatchObject({ account_id: 1, inbox_id: 1, conversation_id: conv.id, private: false, status: 'sent', content_type: 'text' });
    }
  });
});
