// @vitest-environment node
// The reference inbox's controls for proving a durable action queue: held requests ('before' and
// 'after' being applied), offline, the request log's detail and a configurable Helena rate limit.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server.ts';
import { call, control, start, waitFor, type Json, type Reply } from './helpers.ts';

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

const BLOCK = { fields: ['Status'], status: 'BLOCKED' };

function contactId(inbox: ReferenceInbox, name: string): string {
  const contact = inbox.model.listContacts().find((c) => c.name === name);
  if (!contact) throw new Error(`no contact named ${name}`);
  return String(contact.id);
}

function statusOf(inbox: ReferenceInbox, id: string): string | undefined {
  return inbox.model.contact(id)?.status;
}

/** Waits until `GET /__control/held` lists `n` requests, and returns them. */
async function heldList(inbox: ReferenceInbox, n: number): Promise<Json[]> {
  return waitFor(`${n} held request(s)`, async () => {
    const res = await control(inbox, 'GET', '/held');
    return res.body.held.length === n ? (res.body.held as Json[]) : undefined;
  });
}

/** Starts a request and keeps its promise settled-or-not, without an unhandled rejection. */
function pending(promise: Promise<Reply>): { promise: Promise<Reply>; settled: () => boolean } {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => undefined);
  return { promise: tracked, settled: () => done };
}

describe("hold, phase 'before'", () => {
  // Two cases: a body-less request (nothing left to read once held) and one with a JSON body.
  const cases: { name: string; inbox: () => ReferenceInbox; contact: string; request: (id: string) => [string, string, unknown] }[] = [
    {
      name: 'Chatwoot POST …/mute (no body)',
      inbox: () => chatwoot,
      contact: 'Mariana Souza',
      request: (id) => ['POST', `/api/v1/accounts/1/conversations/${String(chatwoot.model.latestConversation(Number(id))?.id)}/mute`, undefined],
    },
    { name: 'Helena PUT /core/v2/contact/{id} (JSON body)', inbox: () => helena, contact: 'Mariana Souza', request: (id) => ['PUT', `/core/v2/contact/${id}`, BLOCK] },
  ];
  it.each(cases)('never applies a held request whose client aborts, and logs it as discarded with status 0: $name', async ({ inbox: get, contact, request }) => {
    const inbox = get();
    const id = contactId(inbox, contact);
    const [method, path, body] = request(id);
    await control(inbox, 'POST', '/faults', { hold: { phase: 'before', count: 1 }, match: path });
    const since = Date.now();
    const abort = new AbortController();
    const req = pending(call(inbox, method, path, { body, signal: abort.signal }));
    const [held] = await heldList(inbox, 1);
    expect(held).toMatchObject({ method, path, phase: 'before' });
    expect(statusOf(inbox, id)).toBe('active');

    abort.abort();
    await expect(req.promise).rejects.toThrow();
    await heldList(inbox, 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statusOf(inbox, id)).toBe('active');
    const log = (await control(inbox, 'GET', `/requests?since=${since}`)).body;
    expect(log).toEqual([expect.objectContaining({ method, path, status: 0, held: 'discarded', holdPhase: 'before', holdId: held.id })]);

    // The rule held one request only: the next one goes through and is applied.
    expect((await call(inbox, method, path, { body })).status).toBe(200);
    expect(statusOf(inbox, id)).toBe('blocked');
  });

  it('applies a released request exactly once and answers it normally', async () => {
    const conversation = chatwoot.model.listConversations().find((c) => c.status === 'open');
    if (!conversation) throw new Error('no open conversation');
    const before = chatwoot.model.messagesOf(conversation.id).length;
    await control(chatwoot, 'POST', '/faults', { hold: { phase: 'before', count: 1 }, match: '/messages' });
    const path = `/api/v1/accounts/1/conversations/${conversation.id}/messages`;
    const req = pending(call(chatwoot, 'POST', path, { body: { content: 'Seu pedido saiu', message_type: 'outgoing' } }));
    const [held] = await heldList(chatwoot, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(req.settled()).toBe(false);
    expect(chatwoot.model.messagesOf(conversation.id)).toHaveLength(before);

    expect((await control(chatwoot, 'POST', '/release', { id: held.id })).body).toEqual({ released: 1 });
    const res = await req.promise;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ content: 'Seu pedido saiu', message_type: 1 });
    expect(chatwoot.model.messagesOf(conversation.id)).toHaveLength(before + 1);
    expect((await control(chatwoot, 'GET', '/held')).body).toEqual({ held: [] });
    const logged = chatwoot.control.requests().filter((r) => r.path === path);
    expect(logged).toEqual([expect.objectContaining({ method: 'POST', status: 200, held: 'released', holdPhase: 'before', holdId: held.id })]);
  });

  it('holds only requests whose path contains `match`, and only `count` of them', async () => {
    await control(helena, 'POST', '/faults', { hold: { phase: 'before', count: 2 }, match: '/core/v1/agent' });
    expect((await call(helena, 'GET', '/core/v1/contact')).status).toBe(200);
    const a = pending(call(helena, 'GET', '/core/v1/agent'));
    const b = pending(call(helena, 'GET', '/core/v1/agent?x=1'));
    const list = await heldList(helena, 2);
    expect(list.map((h) => h.path).sort()).toEqual(['/core/v1/agent', '/core/v1/agent?x=1']);
    expect((await call(helena, 'GET', '/core/v1/agent')).status).toBe(200);
    expect(helena.control.release()).toBe(2);
    expect([(await a.promise).status, (await b.promise).status]).toEqual([200, 200]);
  });
});

describe("hold, phase 'after'", () => {
  it('applies the request, holds the answer, and drops it when the client aborts', async () => {
    const id = contactId(helena, 'Mariana Souza');
    await control(helena, 'POST', '/faults', { hold: { phase: 'after', count: 1 }, match: '/core/v2/contact/' });
    const since = Date.now();
    const abort = new AbortController();
    const req = pending(call(helena, 'PUT', `/core/v2/contact/${id}`, { body: BLOCK, signal: abort.signal }));
    const [held] = await heldList(helena, 1);
    expect(held).toMatchObject({ method: 'PUT', phase: 'after' });
    expect(statusOf(helena, id)).toBe('blocked'); // applied before it is listed
    expect(req.settled()).toBe(false);

    abort.abort();
    await expect(req.promise).rejects.toThrow();
    await heldList(helena, 0);
    expect(statusOf(helena, id)).toBe('blocked');
    const log = (await control(helena, 'GET', `/requests?since=${since}`)).body;
    expect(log).toEqual([expect.objectContaining({ status: 200, held: 'dropped', holdPhase: 'after', holdId: held.id })]);
  });

  it('writes the held answer, headers and body, once released', async () => {
    await control(chatwoot, 'POST', '/faults', { hold: { phase: 'after', count: 1 } });
    const req = pending(call(chatwoot, 'GET', '/api/v1/profile'));
    await heldList(chatwoot, 1);
    expect(chatwoot.control.release()).toBe(1);
    const res = await req.promise;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body).toMatchObject({ email: 'ana@aurora.example' });
    expect(chatwoot.control.requests().at(-1)).toMatchObject({ path: '/api/v1/profile', status: 200, held: 'released', holdPhase: 'after' });
  });

  it('holds a fault’s answer too, when a fail rule also matches', async () => {
    await control(helena, 'POST', '/faults', { hold: { phase: 'after', count: 1 }, fail: { status: 503, count: 1 } });
    const req = pending(call(helena, 'GET', '/core/v1/agent'));
    await heldList(helena, 1);
    helena.control.release();
    expect((await req.promise).status).toBe(503);
    expect(helena.control.requests().at(-1)).toMatchObject({ status: 503, fault: true, held: 'released' });
  });
});

describe('listing and clearing held requests', () => {
  it('lists every held request with id, method, path, phase and since, over HTTP, in the state and in-process', async () => {
    const t0 = Date.now();
    await control(helena, 'POST', '/faults', { hold: { phase: 'before', count: 1 }, match: '/core/v1/agent' });
    await control(helena, 'POST', '/faults', { hold: { phase: 'after', count: 1 }, match: '/core/v1/contact' });
    expect((await control(helena, 'GET', '/faults')).body.holds).toEqual([
      { phase: 'before', remaining: 1, match: '/core/v1/agent' },
      { phase: 'after', remaining: 1, match: '/core/v1/contact' },
    ]);
    const a = pending(call(helena, 'GET', '/core/v1/agent'));
    const b = pending(call(helena, 'GET', '/core/v1/contact?Status=ACTIVE'));
    const list = await heldList(helena, 2);
    const byPhase = Object.fromEntries(list.map((h) => [h.phase, h]));
    expect(byPhase.before).toEqual({ id: expect.any(Number), method: 'GET', path: '/core/v1/agent', phase: 'before', since: expect.any(Number) });
    expect(byPhase.after).toEqual({ id: expect.any(Number), method: 'GET', path: '/core/v1/contact?Status=ACTIVE', phase: 'after', since: expect.any(Number) });
    expect(byPhase.before.since).toBeGreaterThanOrEqual(t0);
    expect(byPhase.before.id).not.toBe(byPhase.after.id);
    expect((await control(helena, 'GET', '/state')).body.held).toEqual(list);
    expect(helena.control.held()).toEqual(list);
    expect((await control(helena, 'GET', '/faults')).body.holds).toEqual([]);

    expect((await control(helena, 'POST', '/release', { id: 999_999 })).status).toBe(404);
    expect((await control(helena, 'POST', '/release', {})).body).toEqual({ released: 2 });
    expect([(await a.promise).status, (await b.promise).status]).toEqual([200, 200]);
  });

  it('refuses an invalid hold with 400', async () => {
    expect((await control(helena, 'POST', '/faults', { hold: { phase: 'during', count: 1 } })).status).toBe(400);
    expect((await control(helena, 'POST', '/faults', { hold: { phase: 'before', count: 0 } })).status).toBe(400);
    expect((await control(helena, 'POST', '/faults', { offline: 'yes' })).status).toBe(400);
  });

  it('DELETE /__control/faults releases every held request: they are answered normally', async () => {
    const id = contactId(helena, 'Mariana Souza');
    await control(helena, 'POST', '/faults', { hold: { phase: 'before', count: 1 }, match: '/core/v2/contact/' });
    await control(helena, 'POST', '/faults', { hold: { phase: 'after', count: 1 }, match: '/core/v1/agent' });
    const a = pending(call(helena, 'PUT', `/core/v2/contact/${id}`, { body: BLOCK }));
    const b = pending(call(helena, 'GET', '/core/v1/agent'));
    await heldList(helena, 2);
    await control(helena, 'DELETE', '/faults');
    expect([(await a.promise).status, (await b.promise).status]).toEqual([200, 200]);
    expect(statusOf(helena, id)).toBe('blocked');
    expect((await control(helena, 'GET', '/held')).body.held).toEqual([]);
  });

  it('POST /__control/reset discards every held request: a "before" one is never applied, sockets are closed', async () => {
    const id = contactId(helena, 'Mariana Souza');
    await control(helena, 'POST', '/faults', { hold: { phase: 'before', count: 1 }, match: '/core/v2/contact/' });
    await control(helena, 'POST', '/faults', { hold: { phase: 'after', count: 1 }, match: '/core/v1/agent' });
    const a = pending(call(helena, 'PUT', `/core/v2/contact/${id}`, { body: BLOCK }));
    const b = pending(call(helena, 'GET', '/core/v1/agent'));
    await heldList(helena, 2);
    await control(helena, 'POST', '/reset');
    await expect(a.promise).rejects.toThrow();
    await expect(b.promise).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statusOf(helena, id)).toBe('active');
    expect((await control(helena, 'GET', '/held')).body.held).toEqual([]);
    expect((await control(helena, 'GET', '/faults')).body).toMatchObject({ holds: [], offline: false });
    expect(helena.control.requests()).toEqual([]); // the fresh log is not polluted by the discarded ones
  });

  it('close() does not hang on held requests, and their clients see the connection end', async () => {
    const inbox = await startReferenceInbox({ style: 'helena' });
    inbox.control.faults({ hold: { phase: 'before', count: 1 }, match: '/core/v1/agent' });
    inbox.control.faults({ hold: { phase: 'after', count: 1 }, match: '/core/v1/contact' });
    const a = pending(call(inbox, 'GET', '/core/v1/agent'));
    const b = pending(call(inbox, 'GET', '/core/v1/contact'));
    await waitFor('2 held', () => inbox.control.held().length === 2);
    const closed = await Promise.race([
      inbox.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('hung'), 2000)),
    ]);
    expect(closed).toBe('closed');
    await expect(a.promise).rejects.toThrow();
    await expect(b.promise).rejects.toThrow();
  });
});

describe('offline', () => {
  it('makes every platform-API fetch fail with a network error until DELETE /__control/faults', async () => {
    const since = Date.now();
    expect((await control(chatwoot, 'POST', '/faults', { offline: true })).body).toMatchObject({ offline: true });
    const error = await call(chatwoot, 'GET', '/api/v1/profile').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError); // fetch's network error, as when the server is unreachable
    expect((error as TypeError).message).toBe('fetch failed');
    await expect(call(chatwoot, 'POST', '/api/v1/accounts/1/conversations/1/toggle_status', { body: { status: 'resolved' } })).rejects.toThrow(TypeError);
    expect(chatwoot.model.conversation(1)?.status).toBe('open');

    // The controls, the app API and the page still answer.
    expect((await control(chatwoot, 'GET', '/state')).status).toBe(200);
    expect((await call(chatwoot, 'GET', '/app-api/me')).status).toBe(200);
    expect((await call(chatwoot, 'GET', '/inbox', { token: null })).status).toBe(200);

    const log = (await control(chatwoot, 'GET', `/requests?since=${since}`)).body as Json[];
    expect(log.length).toBeGreaterThanOrEqual(2);
    for (const entry of log) expect(entry).toMatchObject({ status: 0, fault: true, offline: true });

    await control(chatwoot, 'DELETE', '/faults');
    expect((await call(chatwoot, 'GET', '/api/v1/profile')).status).toBe(200);
  });

  it('is lifted by `offline: false` too, and by the in-process clearFaults()', async () => {
    helena.control.faults({ offline: true });
    await expect(call(helena, 'GET', '/core/v1/agent')).rejects.toThrow(TypeError);
    helena.control.faults({ offline: false });
    expect((await call(helena, 'GET', '/core/v1/agent')).status).toBe(200);
    helena.control.faults({ offline: true });
    helena.control.clearFaults();
    expect((await call(helena, 'GET', '/core/v1/agent')).status).toBe(200);
  });
});

describe('request log detail', () => {
  it('has method, path, query, status, at and the fault flag for every platform-API request', async () => {
    const since = Date.now();
    await control(helena, 'POST', '/faults', { fail: { status: 502, count: 1 } });
    await call(helena, 'GET', '/core/v1/agent?a=1');
    await call(helena, 'GET', '/core/v1/agent?a=2');
    const state = (await control(helena, 'GET', `/state?since=${since}`)).body;
    expect(state.requests).toEqual([
      { method: 'GET', path: '/core/v1/agent', query: '?a=1', status: 502, at: expect.any(Number), fault: true },
      { method: 'GET', path: '/core/v1/agent', query: '?a=2', status: 200, at: expect.any(Number) },
    ]);
    expect(state.requests[0].at).toBeGreaterThanOrEqual(since);
    expect((await control(helena, 'GET', `/requests?since=${state.requests[1].at + 60_000}`)).body).toEqual([]);
  });
});

describe('configurable Helena rate limit', () => {
  it('answers 429 beyond the configured count, logs it with status 429, and DELETE forgets the count', async () => {
    const set = await control(helena, 'POST', '/rate-limit', { windows: [{ limit: 3, windowMs: 60_000 }] });
    expect(set.body).toEqual({ windows: [{ limit: 3, windowMs: 60_000 }], default: false });
    const since = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(helena, 'GET', '/core/v1/agent')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const log = (await control(helena, 'GET', `/requests?since=${since}`)).body as Json[];
    expect(log.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(log[3].fault).toBeUndefined(); // the limiter's own 429, not an injected fault
    expect((await call(helena, 'GET', '/core/v1/agent')).body).toMatchObject({ error: true, key: 'TOO_MANY_REQUESTS' });

    await control(helena, 'DELETE', '/rate-limit');
    expect((await call(helena, 'GET', '/core/v1/agent')).status).toBe(200);
    expect((await control(helena, 'GET', '/rate-limit')).body.windows).toEqual([{ limit: 3, windowMs: 60_000 }]);
  });

  it('slides: a short window lets requests through again once it has passed', async () => {
    helena.control.rateLimit([{ limit: 2, windowMs: 1_000 }, { limit: 100, windowMs: 60_000 }]);
    const first = await Promise.all([0, 1, 2].map(() => call(helena, 'GET', '/core/v1/agent')));
    expect(first.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await call(helena, 'GET', '/core/v1/agent')).status).toBe(200);
  });

  it('keeps 200 per 5 s and 1,000 per 5 min as the defaults, restored by reset or `windows: null`', async () => {
    const defaults = { windows: [{ limit: 200, windowMs: 5_000 }, { limit: 1_000, windowMs: 300_000 }], default: true };
    expect((await control(helena, 'GET', '/rate-limit')).body).toEqual(defaults);
    helena.control.rateLimit([{ limit: 1, windowMs: 1_000 }]);
    await control(helena, 'POST', '/reset');
    expect((await control(helena, 'GET', '/state')).body.rateLimit).toEqual(defaults);
    await control(helena, 'POST', '/rate-limit', [{ limit: 1, windowMs: 1_000 }]);
    expect((await control(helena, 'POST', '/rate-limit', { windows: null })).body).toEqual(defaults);
  });

  it('refuses invalid windows, and any window in Chatwoot style', async () => {
    expect((await control(helena, 'POST', '/rate-limit', { windows: [{ limit: 0, windowMs: 1000 }] })).status).toBe(400);
    expect((await control(helena, 'POST', '/rate-limit', { windows: [{ limit: 5 }] })).status).toBe(400);
    expect((await control(helena, 'POST', '/rate-limit', { limit: 5, windowMs: 1000 })).status).toBe(400);
    expect((await control(chatwoot, 'POST', '/rate-limit', { windows: [{ limit: 5, windowMs: 1000 }] })).status).toBe(400);
    expect(() => chatwoot.control.rateLimit([{ limit: 5, windowMs: 1000 }])).toThrow(/Chatwoot/);
  });
});
