// @vitest-environment node
// Helena-style API of the reference inbox: auth, contact DTOs and envelopes, fields-based updates,
// blocking/archiving behaviour from the seeds, sessions, agents and the 200-per-5-s rate limit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReferenceInbox } from '../../reference-inbox/server.ts';
import { call, contactNamed, control, conversationsOf, messagesOf, start } from './helpers.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let inbox: ReferenceInbox;
beforeAll(async () => {
  inbox = await start('helena');
});
afterAll(() => inbox.close());
beforeEach(async () => {
  await control(inbox, 'POST', '/reset');
});

describe('Helena-style API: auth', () => {
  it('refuses a request without a token with 401 UNAUTHORIZED', async () => {
    const res = await call(inbox, 'GET', '/core/v1/contact', { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: true, key: 'UNAUTHORIZED' });
    expect(typeof res.body.text).toBe('string');
  });

  it('refuses an unknown token with 401', async () => {
    const res = await call(inbox, 'GET', '/core/v1/contact', { token: 'pn_not_a_token' });
    expect(res.status).toBe(401);
    expect(res.body.key).toBe('UNAUTHORIZED');
  });

  it('accepts the raw token without the Bearer scheme', async () => {
    const res = await call(inbox, 'GET', '/core/v1/contact', { token: null, headers: { authorization: 'pn_demo_agent' } });
    expect(res.status).toBe(200);
  });

  it('lets any role block a contact (the token is account-level, no role enforcement)', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const res = await call(inbox, 'PUT', `/core/v2/contact/${mariana.id}`, {
      token: inbox.tokens.agent,
      body: { fields: ['Status'], status: 'BLOCKED' },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('BLOCKED');
  });
});

describe('Helena-style API: contacts', () => {
  it('returns a PublicContactDTO by id with uuid ids and the raw +cc|national phone', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const res = await call(inbox, 'GET', `/core/v1/contact/${mariana.id}?IncludeDetails=Tags`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: mariana.id,
      companyId: inbox.accountId,
      name: 'Mariana Souza',
      nameWhatsapp: 'Mariana Souza',
      phoneNumber: '+55|11987654321',
      phoneNumberFormatted: '(11) 98765-4321',
      email: 'mariana.souza@correio.example',
      instagram: null,
      annotation: null,
      tagIds: [],
      tagNames: [],
      status: 'ACTIVE',
      origin: 'CREATED_FROM_HUB',
      customFields: {},
      metadata: {},
      portfolioIds: [],
      portfolioNames: [],
    });
    expect(res.body.id).toMatch(UUID_V4);
    expect(String(inbox.accountId)).toMatch(UUID_V4);
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
  });

  it('finds a contact by phone digits, with or without a leading +', async () => {
    const a = await call(inbox, 'GET', '/core/v1/contact/phonenumber/5511987654321');
    const b = await call(inbox, 'GET', `/core/v1/contact/phonenumber/${encodeURIComponent('+5511987654321')}`);
    expect(a.status).toBe(200);
    expect(a.body.name).toBe('Mariana Souza');
    expect(b.body.id).toBe(a.body.id);
  });

  it('answers an unknown contact with HTTP 500 FORM_ERROR, as third parties report', async () => {
    const res = await call(inbox, 'GET', '/core/v1/contact/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: true, key: 'FORM_ERROR', text: 'Contact not found', httpStatusCode: 'INTERNALSERVERERROR' });
  });

  it('lists ACTIVE contacts by default in the paged envelope and honours Status', async () => {
    const res = await call(inbox, 'GET', '/core/v1/contact');
    expect(res.body).toMatchObject({ pageNumber: 1, pageSize: 15, orderBy: 'CreatedAt', orderDirection: 'ASCENDING', hasMorePages: false });
    expect(res.body.items.every((c: { status: string }) => c.status === 'ACTIVE')).toBe(true);
    expect(res.body.totalItems).toBe(res.body.items.length);
    const blocked = await call(inbox, 'GET', '/core/v1/contact?Status=BLOCKED');
    expect(blocked.body.items.map((c: { name: string }) => c.name)).toEqual(['Empréstimo Fácil']);
    const archived = await call(inbox, 'GET', '/core/v1/contact?status=archived');
    expect(archived.body.items.map((c: { name: string }) => c.name)).toEqual(['Renata Campos']);
  });

  it('ignores search params on GET, pages, and clamps PageSize to 100', async () => {
    const all = await call(inbox, 'GET', '/core/v1/contact?Name=Mariana&TextFilter=Mariana');
    expect(all.body.totalItems).toBeGreaterThan(1);
    const page2 = await call(inbox, 'GET', '/core/v1/contact?PageNumber=2&PageSize=4');
    expect(page2.body).toMatchObject({ pageNumber: 2, pageSize: 4, totalPages: Math.ceil(all.body.totalItems / 4), hasMorePages: true });
    expect(page2.body.items).toHaveLength(4);
    const big = await call(inbox, 'GET', '/core/v1/contact?PageSize=500');
    expect(big.body.pageSize).toBe(100);
  });

  it('filters with POST /core/v1/contact/filter on text, name, phone and status', async () => {
    const byText = await call(inbox, 'POST', '/core/v1/contact/filter', { body: { textFilter: 'camille' } });
    expect(byText.body.items.map((c: { name: string }) => c.name)).toEqual(['Camille Dubois']);
    const byPhoneText = await call(inbox, 'POST', '/core/v1/contact/filter', { body: { textFilter: '98765-4321' } });
    expect(byPhoneText.body.items.map((c: { name: string }) => c.name)).toEqual(['Mariana Souza']);
    const byPhone = await call(inbox, 'POST', '/core/v1/contact/filter', { body: { phoneNumber: '+55 (21) 99876-5432' } });
    expect(byPhone.body.items.map((c: { name: string }) => c.name)).toEqual(['João Pereira']);
    const blocked = await call(inbox, 'POST', '/core/v1/contact/filter', { body: { status: 'BLOCKED', pageSize: 100 } });
    expect(blocked.body.totalItems).toBe(1);
    const defaultActive = await call(inbox, 'POST', '/core/v1/contact/filter', { body: { name: 'Renata' } });
    expect(defaultActive.body.totalItems).toBe(0);
  });

  it('changes only the attributes named in `fields`', async () => {
    const camille = await contactNamed(inbox, 'Camille Dubois');
    const res = await call(inbox, 'PUT', `/core/v2/contact/${camille.id}`, {
      body: { fields: ['Email'], email: 'camille@new.example', name: 'Ignored Name', status: 'ARCHIVED' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: 'camille@new.example', name: 'Camille Dubois', status: 'ACTIVE' });
  });

  it('refuses an invalid status value with 400 VALIDATION_ERROR', async () => {
    const camille = await contactNamed(inbox, 'Camille Dubois');
    const res = await call(inbox, 'PUT', `/core/v2/contact/${camille.id}`, { body: { fields: ['Status'], status: 'DELETED' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: true, key: 'VALIDATION_ERROR' });
  });

  it('updates by phone number too', async () => {
    const res = await call(inbox, 'PUT', '/core/v1/contact/phonenumber/5511976543210', { body: { fields: ['Status'], status: 'ARCHIVED' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Lucas Almeida', status: 'ARCHIVED' });
  });
});

describe('Helena-style API: blocking and archiving behaviour', () => {
  it('closes (COMPLETED) every open session of a contact set to BLOCKED', async () => {
    const joao = await contactNamed(inbox, 'João Pereira');
    const [session] = await conversationsOf(inbox, joao.id);
    const before = await call(inbox, 'GET', `/chat/v2/session/${session.id}`);
    expect(before.body.status).toBe('IN_PROGRESS');
    await call(inbox, 'PUT', `/core/v2/contact/${joao.id}`, { body: { fields: ['Status'], status: 'BLOCKED' } });
    const after = await call(inbox, 'GET', `/chat/v2/session/${session.id}`);
    expect(after.body.status).toBe('COMPLETED');
    expect(after.body.endAt).not.toBeNull();
  });

  it("drops a blocked contact's new incoming message (not stored anywhere)", async () => {
    const spammer = await contactNamed(inbox, 'Promo Relâmpago');
    await call(inbox, 'PUT', `/core/v2/contact/${spammer.id}`, { body: { fields: ['Status'], status: 'BLOCKED' } });
    const [session] = await conversationsOf(inbox, spammer.id);
    const countBefore = (await messagesOf(inbox, session.id)).length;
    const res = await control(inbox, 'POST', '/incoming', { contactId: spammer.id, text: 'COMPRE JÁ!!!' });
    expect(res.body).toMatchObject({ stored: false, dropped: true });
    expect(res.body.messageId).toBeUndefined();
    expect(await messagesOf(inbox, session.id)).toHaveLength(countBefore);
    expect(await conversationsOf(inbox, spammer.id)).toHaveLength(1);
    const list = await call(inbox, 'GET', `/chat/v1/session/${session.id}/message?PageSize=100`);
    expect(list.body.items.some((m: { text: string }) => m.text === 'COMPRE JÁ!!!')).toBe(false);
  });

  it('reactivates an ARCHIVED contact who writes again, in a new open session', async () => {
    const renata = await contactNamed(inbox, 'Renata Campos');
    expect(renata.status).toBe('archived');
    const res = await control(inbox, 'POST', '/incoming', { phone: '+5511955554444', text: 'Oi, preciso de ajuda de novo' });
    expect(res.body).toMatchObject({ stored: true, dropped: false });
    const contact = await call(inbox, 'GET', `/core/v1/contact/${renata.id}`);
    expect(contact.body.status).toBe('ACTIVE');
    const session = await call(inbox, 'GET', `/chat/v2/session/${res.body.conversationId}`);
    expect(session.body).toMatchObject({ status: 'IN_PROGRESS', contactId: renata.id, lastMessageText: 'Oi, preciso de ajuda de novo', unreadCount: 1 });
    expect(await conversationsOf(inbox, renata.id)).toHaveLength(2);
  });

  it('refuses to send to a blocked contact with 400 CONTACT_BLOCKED, by session and by phone', async () => {
    const blocked = await contactNamed(inbox, 'Empréstimo Fácil');
    const [session] = await conversationsOf(inbox, blocked.id);
    const bySession = await call(inbox, 'POST', `/chat/v1/session/${session.id}/message`, { body: { text: 'Olá' } });
    expect(bySession.status).toBe(400);
    expect(bySession.body).toEqual({ error: true, key: 'CONTACT_BLOCKED', text: 'Contact is blocked' });
    const byPhone = await call(inbox, 'POST', '/chat/v1/message/send', { body: { from: '551140000000', to: '5511900000009', body: { text: 'Olá' } } });
    expect(byPhone.status).toBe(400);
    expect(byPhone.body.key).toBe('CONTACT_BLOCKED');
  });

  it('sends to an active contact and answers PROCESSING', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const [session] = await conversationsOf(inbox, mariana.id);
    const res = await call(inbox, 'POST', `/chat/v1/session/${session.id}/message`, { body: { text: 'Seu pedido chegou?' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sessionId: session.id, status: 'PROCESSING' });
    const messages = await call(inbox, 'GET', `/chat/v1/session/${session.id}/message?PageSize=100`);
    const last = messages.body.items.at(-1);
    expect(last).toMatchObject({ id: res.body.id, direction: 'FROM_HUB', type: 'TEXT', text: 'Seu pedido chegou?', userId: inbox.users.admin.id });
    expect(messages.body.items[0].direction).toBe('TO_HUB');
  });
});

describe('Helena-style API: sessions and agents', () => {
  it('adds contactDetails to a session only when includeDetails asks (case-insensitively)', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const [session] = await conversationsOf(inbox, mariana.id);
    const plain = await call(inbox, 'GET', `/chat/v2/session/${session.id}`);
    expect(plain.body).toMatchObject({ id: session.id, contactId: mariana.id, status: 'IN_PROGRESS', channelType: 'CLOUDAPI_WHATSAPP', type: 'INDIVIDUAL', windowStatus: 'ACTIVE' });
    expect(plain.body.contactDetails).toBeUndefined();
    const detailed = await call(inbox, 'GET', `/chat/v2/session/${session.id}?INCLUDEDETAILS=contactdetails`);
    expect(detailed.body.contactDetails).toMatchObject({ id: mariana.id, name: 'Mariana Souza', phonenumber: '+55|11987654321', status: 'ACTIVE', pictureUrl: null });
  });

  it('lists sessions by ContactId and completes one', async () => {
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const list = await call(inbox, 'GET', `/chat/v1/session?ContactId=${mariana.id}`);
    expect(list.body.totalItems).toBe(1);
    const id = list.body.items[0].id;
    const done = await call(inbox, 'PUT', `/chat/v1/session/${id}/complete`, { body: { reactivateOnNewMessage: false, stopBotInExecution: true } });
    expect(done.status).toBe(200);
    expect((await call(inbox, 'GET', `/chat/v2/session/${id}`)).body.status).toBe('COMPLETED');
  });

  it('lists agents as a bare array with Helena profiles (manager → Admin, owner → isOwner)', async () => {
    const res = await call(inbox, 'GET', '/core/v1/agent');
    expect(Array.isArray(res.body)).toBe(true);
    const byEmail = Object.fromEntries(res.body.map((a: { email: string }) => [a.email, a]));
    expect(byEmail['olivia@aurora.example']).toMatchObject({ profile: 'Admin', isOwner: true, userId: inbox.users.owner.id });
    expect(byEmail['ana@aurora.example']).toMatchObject({ profile: 'Admin', isOwner: false });
    expect(byEmail['marcos@aurora.example']).toMatchObject({ profile: 'Admin', isOwner: false });
    expect(byEmail['pedro@aurora.example']).toMatchObject({ profile: 'Agent', isOwner: false });
    expect(byEmail['rita@aurora.example']).toMatchObject({ profile: 'RestrictedAgent' });
    expect(res.body[0].id).not.toBe(res.body[0].userId);
  });
});

describe('Helena-style API: rate limit', () => {
  it('answers 429 TOO_MANY_REQUESTS, without Retry-After, past 200 requests in 5 seconds', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await call(inbox, 'GET', '/core/v1/agent')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await call(inbox, 'GET', '/core/v1/agent');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: true, key: 'TOO_MANY_REQUESTS' });
    expect(limited.headers.get('retry-after')).toBeNull();
    // The controls are not limited, and a reset forgets the counted requests.
    expect((await control(inbox, 'POST', '/reset')).status).toBe(200);
    expect((await call(inbox, 'GET', '/core/v1/agent')).status).toBe(200);
  });
});
