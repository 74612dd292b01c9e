// @vitest-environment node
// The reference inbox's test controls (faults, request log, incoming, seed, reset, spam) and the web
// page's app API and SSE stream, on one instance per style.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReferenceInbox } from '../../reference-inbox/server.ts';
import { call, contactNamed, control, conversationsOf, start } from './helpers.ts';

let helena: ReferenceInbox;
let chatwoot: ReferenceInbox;

beforeAll(async () => {
  [helena, chatwoot] = await Promise.all([start('helena'), start('chatwoot')]);
});
afterAll(async () => {
  await Promise.all([helena.close(), chatwoot.close()]);
});
beforeEach(async () => {
  await Promise.all([control(helena, 'POST', '/reset'), control(chatwoot, 'POST', '/reset')]);
});

describe('faults', () => {
  it('fails the next N platform requests with the given 5xx, then recovers', async () => {
    await control(helena, 'POST', '/faults', { fail: { status: 503, count: 2 } });
    const a = await call(helena, 'GET', '/core/v1/agent');
    const b = await call(helena, 'GET', '/core/v1/contact');
    const c = await call(helena, 'GET', '/core/v1/agent');
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(a.headers.get('content-type')).toContain('text/html');
  });

  it('shapes a 500 fault like the platform and never faults the controls, the page or the app API', async () => {
    await control(chatwoot, 'POST', '/faults', { fail: { status: 500, count: 5 } });
    expect((await control(chatwoot, 'GET', '/state')).status).toBe(200);
    expect((await call(chatwoot, 'GET', '/app-api/me')).status).toBe(200);
    expect((await call(chatwoot, 'GET', '/inbox', { token: null })).status).toBe(200);
    const res = await call(chatwoot, 'GET', '/api/v1/profile');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ status: 500, error: 'Internal Server Error' });
  });

  it('only fails paths containing `match`', async () => {
    await control(helena, 'POST', '/faults', { fail: { status: 502, count: 1 }, match: '/chat/' });
    expect((await call(helena, 'GET', '/core/v1/agent')).status).toBe(200);
    const mariana = await contactNamed(helena, 'Mariana Souza');
    const [session] = await conversationsOf(helena, mariana.id);
    expect((await call(helena, 'GET', `/chat/v2/session/${session.id}`)).status).toBe(502);
    expect((await call(helena, 'GET', `/chat/v2/session/${session.id}`)).status).toBe(200);
  });

  it('answers 429 with Retry-After in seconds', async () => {
    await control(chatwoot, 'POST', '/faults', { rateLimit: { count: 1, retryAfter: 7 } });
    const res = await call(chatwoot, 'GET', '/api/v1/profile');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await call(chatwoot, 'GET', '/api/v1/profile')).status).toBe(200);
  });

  it('answers 429 with Retry-After as an HTTP-date', async () => {
    const date = new Date(Date.now() + 60_000).toUTCString();
    await control(helena, 'POST', '/faults', { rateLimit: { count: 1, retryAfter: date } });
    const res = await call(helena, 'GET', '/core/v1/agent');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe(date);
    expect(res.body).toMatchObject({ error: true, key: 'TOO_MANY_REQUESTS' });
  });

  it('a 503 (or any fail status) may say when to come back: Retry-After in the given form', async () => {
    await control(helena, 'POST', '/faults', { fail: { status: 503, count: 1, retryAfter: 5 } });
    const busy = await call(helena, 'GET', '/core/v1/agent');
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    await control(helena, 'POST', '/faults', { fail: { status: 503, count: 1 } });
    expect((await call(helena, 'GET', '/core/v1/agent')).headers.get('retry-after')).toBeNull();
    expect((await control(helena, 'POST', '/faults', { fail: { status: 503, count: 1, retryAfter: -1 } })).status).toBe(400);
  });

  it('uneven latency: a fixed part plus a random part up to `latencyJitterMs`, within its bounds', async () => {
    await control(helena, 'POST', '/faults', { latencyMs: 300, latencyJitterMs: 300, match: '/core/' });
    expect((await control(helena, 'GET', '/faults')).body.latency).toEqual({ ms: 300, jitterMs: 300, match: '/core/' });
    const t = performance.now();
    expect((await call(helena, 'GET', '/core/v1/agent')).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(295);
    expect((await control(helena, 'POST', '/faults', { latencyJitterMs: 10 })).status).toBe(400);
  });

  it('delays every platform request until cleared, but not the controls', async () => {
    // A long latency against a wide bound: what is checked is which requests wait, not how fast
    // this machine answers the others.
    await control(helena, 'POST', '/faults', { latencyMs: 1500 });
    let t = performance.now();
    expect((await call(helena, 'GET', '/core/v1/agent')).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(1490);
    t = performance.now();
    await control(helena, 'GET', '/faults');
    expect(performance.now() - t).toBeLessThan(1490);
    await control(helena, 'DELETE', '/faults');
    t = performance.now();
    await call(helena, 'GET', '/core/v1/agent');
    expect(performance.now() - t).toBeLessThan(1490);
  });

  it('refuses an invalid fault config with 400', async () => {
    expect((await control(helena, 'POST', '/faults', { fail: { status: 418, count: 1 } })).status).toBe(400);
    expect((await control(helena, 'POST', '/faults', { rateLimit: { count: 1 } })).status).toBe(400);
  });
});

describe('request log', () => {
  it('records platform-API requests only, with method, path, status and time', async () => {
    const since = Date.now();
    await call(helena, 'GET', '/core/v1/contact?Status=BLOCKED');
    await call(helena, 'GET', '/core/v1/agent', { token: 'bad' });
    await call(helena, 'GET', '/app-api/me');
    const state = await control(helena, 'GET', `/state?since=${since}`);
    expect(state.body.requests.map((r: { method: string; path: string; status: number; query: string }) => [r.method, r.path, r.status, r.query])).toEqual([
      ['GET', '/core/v1/contact', 200, '?Status=BLOCKED'],
      ['GET', '/core/v1/agent', 401, ''],
    ]);
    expect(state.body.requests[0].at).toBeGreaterThanOrEqual(since);
  });
});

describe('incoming, seed and reset', () => {
  it('creates a new contact when an unknown number writes', async () => {
    const res = await control(chatwoot, 'POST', '/incoming', { phone: '+5511912345678', text: 'Oi, vi o anúncio' });
    expect(res.body).toMatchObject({ stored: true, dropped: false });
    const contact = await call(chatwoot, 'GET', `/api/v1/accounts/1/contacts/${res.body.contactId}`);
    expect(contact.body.payload.phone_number).toBe('+5511912345678');
  });

  it('refuses an incoming message for an unknown contact id with 404', async () => {
    expect((await control(helena, 'POST', '/incoming', { contactId: 'nope', text: 'x' })).status).toBe(404);
  });

  it('seeds 10,000 contacts, each with an open conversation', async () => {
    const res = await control(helena, 'POST', '/seed', { contacts: 10_000 });
    expect(res.status).toBe(200);
    expect(res.body.contactIds).toHaveLength(10_000);
    expect(new Set(res.body.contactIds).size).toBe(10_000);
    const list = await call(helena, 'GET', '/core/v1/contact?PageSize=100&PageNumber=101');
    expect(list.body.totalItems).toBe(10_000 + 11); // + the 11 seeded ACTIVE contacts
    expect(list.body.items).toHaveLength(11);
    const open = await call(helena, 'GET', '/app-api/conversations?status=open');
    expect(open.body.length).toBeGreaterThan(10_000);
  });

  it('seeds one conversation with 5,000 messages', async () => {
    const res = await control(chatwoot, 'POST', '/seed', { contacts: 1, messagesPerConversation: 5000 });
    const [conversationId] = res.body.conversationIds;
    const detail = await call(chatwoot, 'GET', `/app-api/conversations/${conversationId}`);
    expect(detail.body.messages).toHaveLength(5000);
    const page = await call(chatwoot, 'GET', `/api/v1/accounts/1/conversations/${conversationId}/messages`);
    expect(page.body.payload).toHaveLength(20);
  });

  it('resets to the same seed, ids and tokens', async () => {
    const before = await control(helena, 'GET', '/state');
    const mariana = before.body.contacts.find((c: { name: string }) => c.name === 'Mariana Souza');
    await call(helena, 'PUT', `/core/v2/contact/${mariana.id}`, { body: { fields: ['Status'], status: 'BLOCKED' } });
    await control(helena, 'POST', '/seed', { contacts: 5 });
    await control(helena, 'POST', '/reset');
    const after = await control(helena, 'GET', '/state');
    expect(after.body.contacts).toHaveLength(before.body.contacts.length);
    expect(after.body.contacts.map((c: { id: string }) => c.id)).toEqual(before.body.contacts.map((c: { id: string }) => c.id));
    expect(after.body.contacts.find((c: { id: string }) => c.id === mariana.id).status).toBe('active');
    expect(after.body.users.map((u: { token: string }) => u.token)).toEqual(before.body.users.map((u: { token: string }) => u.token));
  });

  it('has 3 spammers who keep writing through the incoming path', async () => {
    const state = await control(chatwoot, 'GET', '/state');
    expect(state.body.spam.spammerIds).toHaveLength(3);
    const count = state.body.messages.length;
    await control(chatwoot, 'POST', '/spam/tick');
    await control(chatwoot, 'POST', '/spam/tick');
    const after = await control(chatwoot, 'GET', '/state');
    expect(after.body.messages).toHaveLength(count + 2);
    const newest = after.body.messages.slice(-2).map((m: { direction: string }) => m.direction);
    expect(newest).toEqual(['incoming', 'incoming']);
  });
});

describe('app API and live stream', () => {
  it('needs a Bearer token of any user', async () => {
    expect((await call(helena, 'GET', '/app-api/me', { token: null })).status).toBe(401);
    const me = await call(helena, 'GET', '/app-api/me', { token: helena.tokens.agent });
    expect(me.body).toEqual({
      user: { id: helena.users.agent.id, name: 'Pedro Agent', email: 'pedro@aurora.example', role: 'agent' },
      account: { id: helena.accountId, name: 'Loja Aurora' },
      style: 'helena',
    });
  });

  it('refuses to send to a blocked contact with a readable 422', async () => {
    const blocked = await contactNamed(chatwoot, 'Empréstimo Fácil');
    const [conv] = await conversationsOf(chatwoot, blocked.id);
    const res = await call(chatwoot, 'POST', `/app-api/conversations/${conv.id}/messages`, { body: { text: 'Olá' } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'This contact is blocked: the message was not sent.' });
  });

  it('delivers an incoming message over SSE as a `message` event', async () => {
    const mariana = await contactNamed(helena, 'Mariana Souza');
    const abort = new AbortController();
    const res = await fetch(`${helena.url}/app-api/stream?token=${helena.tokens.agent}`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const first = await reader.read();
    text += decoder.decode(first.value);
    await control(helena, 'POST', '/incoming', { contactId: mariana.id, text: 'Chegou, obrigada!' });
    while (!/event: message\ndata: .*\n\n/.test(text)) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    abort.abort();
    const data = JSON.parse(/event: message\ndata: (.*)\n\n/.exec(text)![1]!);
    expect(data.message).toMatchObject({ direction: 'incoming', text: 'Chegou, obrigada!' });
    expect(data.conversation).toMatchObject({ id: data.conversationId, status: 'open', contact: { id: mariana.id, name: 'Mariana Souza' } });
    expect(data.conversation.lastMessage).toMatchObject({ text: 'Chegou, obrigada!', direction: 'incoming' });
  });

  it('refuses the stream without a valid token', async () => {
    const res = await fetch(`${helena.url}/app-api/stream?token=nope`);
    expect(res.status).toBe(401);
  });
});
