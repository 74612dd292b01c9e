// @vitest-environment node
// Snooze and merge in the reference inbox: through the page's app API (neither platform API
// documents them), how a snoozed conversation reads in each platform API, how it comes back,
// and the refusals for blocked contacts (respond.io's help, seed 004).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Model } from '../../reference-inbox/model.ts';
import type { ReferenceInbox } from '../../reference-inbox/server.ts';
import type { ModelEvent } from '../../reference-inbox/types.ts';
import { call, contactNamed, control, conversationsOf, messagesOf, start, waitFor, type Json } from './helpers.ts';

let helena: ReferenceInbox;
let chatwoot: ReferenceInbox;
const A = '/api/v1/accounts/1';
const HOUR = 60 * 60 * 1000;

beforeAll(async () => {
  [helena, chatwoot] = await Promise.all([start('helena'), start('chatwoot')]);
});
afterAll(async () => {
  await Promise.all([helena.close(), chatwoot.close()]);
});
beforeEach(async () => {
  await Promise.all([control(helena, 'POST', '/reset'), control(chatwoot, 'POST', '/reset')]);
});
afterEach(() => {
  vi.useRealTimers();
});

async function conversationOf(inbox: ReferenceInbox, name: string): Promise<Json> {
  const contact = await contactNamed(inbox, name);
  const list = await conversationsOf(inbox, contact.id);
  return list[list.length - 1];
}

async function listIds(inbox: ReferenceInbox, status: string): Promise<string[]> {
  const res = await call(inbox, 'GET', `/app-api/conversations?status=${status}`);
  expect(res.status).toBe(200);
  return res.body.map((c: Json) => String(c.id));
}

function snooze(inbox: ReferenceInbox, conversationId: unknown, until: unknown) {
  return call(inbox, 'POST', `/app-api/conversations/${String(conversationId)}/snooze`, { body: { until } });
}

describe('snooze (app API)', () => {
  it.each(['helena', 'chatwoot'] as const)('%s: takes the conversation out of the Open list into the Snoozed one until the given time', async (style) => {
    const inbox = style === 'helena' ? helena : chatwoot;
    const conv = await conversationOf(inbox, 'Mariana Souza');
    const until = Date.now() + HOUR;
    const res = await snooze(inbox, conv.id, until);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: conv.id, status: 'snoozed', snoozedUntil: until, contact: { name: 'Mariana Souza' } });
    expect(await listIds(inbox, 'open')).not.toContain(String(conv.id));
    expect(await listIds(inbox, 'snoozed')).toEqual([String(conv.id)]);
    expect((await call(inbox, 'GET', `/app-api/conversations/${conv.id}`)).body.conversation).toMatchObject({ status: 'snoozed', snoozedUntil: until });
  });

  it('accepts an ISO 8601 time and refuses a time in the past or no time at all', async () => {
    const conv = await conversationOf(helena, 'João Pereira');
    const iso = new Date(Date.now() + 2 * HOUR).toISOString();
    expect((await snooze(helena, conv.id, iso)).body).toMatchObject({ status: 'snoozed', snoozedUntil: Date.parse(iso) });
    const past = await snooze(helena, conv.id, Date.now() - 1000);
    expect(past.status).toBe(400);
    expect(past.body.error).toMatch(/future/);
    expect((await snooze(helena, conv.id, 'tomorrow-ish')).status).toBe(400);
    expect((await call(helena, 'POST', `/app-api/conversations/${conv.id}/snooze`, { body: {} })).status).toBe(400);
  });

  it('shows a snoozed conversation as Chatwoot does (status snoozed, snoozed_until in epoch seconds) and as IN_PROGRESS in Helena', async () => {
    const until = Date.now() + HOUR;
    const cw = await conversationOf(chatwoot, 'Mariana Souza');
    await snooze(chatwoot, cw.id, until);
    const shown = await call(chatwoot, 'GET', `${A}/conversations/${cw.id}`);
    expect(shown.body).toMatchObject({ status: 'snoozed', snoozed_until: Math.floor(until / 1000) });
    const listed = await call(chatwoot, 'GET', `${A}/conversations?status=snoozed`);
    expect(listed.body.data.payload.map((c: Json) => c.id)).toEqual([cw.id]);
    const open = await call(chatwoot, 'GET', `${A}/conversations?status=open`);
    expect(open.body.data.payload.map((c: Json) => c.id)).not.toContain(cw.id);

    const he = await conversationOf(helena, 'Mariana Souza');
    await snooze(helena, he.id, until);
    expect((await call(helena, 'GET', `/chat/v2/session/${he.id}`)).body).toMatchObject({ status: 'IN_PROGRESS', endAt: null });
  });

  it("keeps Chatwoot's toggle_status to the spec's enum: `snoozed` is refused with 422 and changes nothing", async () => {
    const conv = await conversationOf(chatwoot, 'Mariana Souza');
    const res = await call(chatwoot, 'POST', `${A}/conversations/${conv.id}/toggle_status`, {
      body: { status: 'snoozed', snoozed_until: Math.floor(Date.now() / 1000) + 3600 },
    });
    expect(res.status).toBe(422);
    expect((await conversationOf(chatwoot, 'Mariana Souza')).status).toBe('open');
  });

  it.each(['helena', 'chatwoot'] as const)("%s: refuses to snooze a blocked contact's conversation with a readable 422", async (style) => {
    const inbox = style === 'helena' ? helena : chatwoot;
    const conv = await conversationOf(inbox, 'Empréstimo Fácil');
    const res = await snooze(inbox, conv.id, Date.now() + HOUR);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'This contact is blocked: blocked contacts cannot be snoozed.' });
    expect((await conversationOf(inbox, 'Empréstimo Fácil')).status).toBe('resolved');
    expect(await listIds(inbox, 'snoozed')).toEqual([]);
  });

  it.each(['helena', 'chatwoot'] as const)('%s: brings the conversation back to Open, unread, when the contact writes', async (style) => {
    const inbox = style === 'helena' ? helena : chatwoot;
    const conv = await conversationOf(inbox, 'Camille Dubois');
    await snooze(inbox, conv.id, Date.now() + HOUR);
    const incoming = await control(inbox, 'POST', '/incoming', { conversationId: conv.id, text: 'Vous êtes là ?' });
    expect(incoming.body).toMatchObject({ stored: true, conversationId: conv.id });
    const back = (await call(inbox, 'GET', `/app-api/conversations/${conv.id}`)).body.conversation;
    expect(back).toMatchObject({ status: 'open', snoozedUntil: null, unreadCount: 1 });
    expect((await listIds(inbox, 'open'))[0]).toBe(String(conv.id));
    expect(await listIds(inbox, 'snoozed')).toEqual([]);
  });

  it('brings the conversation back to Open when the snooze time passes (live server)', async () => {
    const conv = await conversationOf(chatwoot, 'Lucas Almeida');
    await snooze(chatwoot, conv.id, Date.now() + 1_500);
    expect(await listIds(chatwoot, 'open')).not.toContain(String(conv.id));
    const ids = await waitFor('the snooze to end', async () => {
      const open = await listIds(chatwoot, 'open');
      return open.includes(String(conv.id)) ? open : undefined;
    });
    expect(ids[0]).toBe(String(conv.id)); // back on top of the list
    expect((await call(chatwoot, 'GET', `${A}/conversations/${conv.id}`)).body).toMatchObject({ status: 'open', snoozed_until: null });
  });

  it('wakes each snoozed conversation at its own time, with one `conversation` event each', () => {
    vi.useFakeTimers({ now: new Date('2030-03-04T10:00:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const model = new Model('helena');
    const [a, b] = model.listConversations().filter((c) => c.status === 'open');
    const events: ModelEvent[] = [];
    model.subscribe((e) => events.push(e));
    model.snooze(a!.id, Date.now() + HOUR);
    model.snooze(b!.id, Date.now() + 24 * HOUR);
    events.length = 0;
    vi.advanceTimersByTime(HOUR - 1);
    expect([a!.status, b!.status]).toEqual(['snoozed', 'snoozed']);
    vi.advanceTimersByTime(1);
    expect([a!.status, b!.status]).toEqual(['open', 'snoozed']);
    vi.advanceTimersByTime(23 * HOUR);
    expect([a!.status, b!.status]).toEqual(['open', 'open']);
    expect(events.map((e) => e.type === 'conversation' && e.conversation.id)).toEqual([a!.id, b!.id]);
    model.dispose();
  });

  it('ends the snooze when the agent reopens or resolves the conversation', async () => {
    const conv = await conversationOf(helena, 'Beatriz Lima');
    await snooze(helena, conv.id, Date.now() + HOUR);
    const reopened = await call(helena, 'POST', `/app-api/conversations/${conv.id}/status`, { body: { status: 'open' } });
    expect(reopened.body).toMatchObject({ status: 'open', snoozedUntil: null });
    await snooze(helena, conv.id, Date.now() + HOUR);
    const resolved = await call(helena, 'POST', `/app-api/conversations/${conv.id}/status`, { body: { status: 'resolved' } });
    expect(resolved.body).toMatchObject({ status: 'resolved', snoozedUntil: null });
  });

  it('Helena: blocking the contact completes a snoozed session too; Chatwoot: a blocked contact writing leaves it snoozed (muted)', async () => {
    const he = await conversationOf(helena, 'Antoine Girard');
    await snooze(helena, he.id, Date.now() + HOUR);
    await control(helena, 'PATCH', `/contacts/${he.contactId}`, { status: 'blocked' });
    expect((await conversationOf(helena, 'Antoine Girard')).status).toBe('resolved');

    const cw = await conversationOf(chatwoot, 'Antoine Girard');
    await snooze(chatwoot, cw.id, Date.now() + HOUR);
    await control(chatwoot, 'PATCH', `/contacts/${cw.contactId}`, { status: 'blocked' });
    const res = await control(chatwoot, 'POST', '/incoming', { contactId: cw.contactId, text: 'Allô ?' });
    expect(res.body).toMatchObject({ stored: true, conversationId: cw.id });
    expect((await conversationOf(chatwoot, 'Antoine Girard')).status).toBe('snoozed');
  });
});

describe('merge (app API)', () => {
  function merge(inbox: ReferenceInbox, baseId: unknown, otherId: unknown) {
    return call(inbox, 'POST', `/app-api/contacts/${String(baseId)}/merge`, { body: { otherId } });
  }

  it.each(['helena', 'chatwoot'] as const)("%s: moves the other contact's conversations and messages to this contact and deletes the other", async (style) => {
    const inbox = style === 'helena' ? helena : chatwoot;
    const camille = await contactNamed(inbox, 'Camille Dubois');
    const joao = await contactNamed(inbox, 'João Pereira');
    const [joaoConv] = await conversationsOf(inbox, joao.id);
    const joaoMessages = await messagesOf(inbox, joaoConv.id);

    const res = await merge(inbox, camille.id, joao.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contact: { id: camille.id, name: 'Camille Dubois' }, removedContactId: joao.id, movedConversationIds: [joaoConv.id] });

    const state = (await control(inbox, 'GET', '/state')).body;
    expect(state.contacts.map((c: Json) => c.id)).not.toContain(joao.id);
    const camilleConvs = state.conversations.filter((c: Json) => c.contactId === camille.id).map((c: Json) => c.id);
    expect(camilleConvs).toHaveLength(2);
    expect(camilleConvs).toContain(joaoConv.id);
    expect(await messagesOf(inbox, joaoConv.id)).toEqual(joaoMessages);
    // The latest activity of either is kept (João wrote more recently than Camille).
    expect(state.contacts.find((c: Json) => c.id === camille.id).lastActivityAt).toBe(joao.lastActivityAt);
    // The list now shows Camille on João's old conversation.
    const row = (await call(inbox, 'GET', '/app-api/conversations?status=open')).body.find((c: Json) => c.id === joaoConv.id);
    expect(row.contact).toMatchObject({ id: camille.id, name: 'Camille Dubois' });
  });

  it('is seen through the platform APIs: the other contact is gone, its conversations are listed under this one', async () => {
    const camille = await contactNamed(chatwoot, 'Camille Dubois');
    const joao = await contactNamed(chatwoot, 'João Pereira');
    await merge(chatwoot, camille.id, joao.id);
    expect((await call(chatwoot, 'GET', `${A}/contacts/${joao.id}`)).status).toBe(404);
    const convs = await call(chatwoot, 'GET', `${A}/contacts/${camille.id}/conversations`);
    expect(convs.body.payload).toHaveLength(2);
    expect(convs.body.payload.every((c: Json) => c.meta.sender.id === camille.id)).toBe(true);

    const hCamille = await contactNamed(helena, 'Camille Dubois');
    const hJoao = await contactNamed(helena, 'João Pereira');
    await merge(helena, hCamille.id, hJoao.id);
    expect((await call(helena, 'GET', `/core/v1/contact/${hJoao.id}`)).status).toBe(500); // Helena's "not found"
    expect((await call(helena, 'GET', `/chat/v1/session?ContactId=${hCamille.id}`)).body.totalItems).toBe(2);
  });

  it.each([
    ['helena', 'this contact is blocked'],
    ['helena', 'the other contact is blocked'],
    ['chatwoot', 'this contact is blocked'],
    ['chatwoot', 'the other contact is blocked'],
  ] as const)('%s: refuses with a readable 422 when %s, and changes nothing', async (style, which) => {
    const inbox = style === 'helena' ? helena : chatwoot;
    const blocked = await contactNamed(inbox, 'Empréstimo Fácil');
    const active = await contactNamed(inbox, 'Mariana Souza');
    const [base, other] = which === 'this contact is blocked' ? [blocked, active] : [active, blocked];
    const before = (await control(inbox, 'GET', '/state')).body;
    const res = await merge(inbox, base.id, other.id);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'A blocked contact cannot be merged, and no contact can be merged into a blocked one.' });
    const after = (await control(inbox, 'GET', '/state')).body;
    expect(after.contacts).toEqual(before.contacts);
    expect(after.conversations).toEqual(before.conversations);
  });

  it('refuses to merge a contact with itself (400) or with an unknown contact (404)', async () => {
    const mariana = await contactNamed(chatwoot, 'Mariana Souza');
    expect((await merge(chatwoot, mariana.id, mariana.id)).status).toBe(400);
    expect((await merge(chatwoot, mariana.id, 999_999)).status).toBe(404);
    expect((await merge(chatwoot, 999_999, mariana.id)).status).toBe(404);
  });

  it('takes a merged spammer out of the spam ticker and frees its phone number', async () => {
    const camille = await contactNamed(helena, 'Camille Dubois');
    const promo = await contactNamed(helena, 'Promo Relâmpago');
    await merge(helena, camille.id, promo.id);
    expect(helena.model.spammerIds).not.toContain(promo.id);
    const res = await control(helena, 'POST', '/incoming', { phone: promo.phone, text: 'Voltei!' });
    expect(res.body.contactId).not.toBe(promo.id);
    expect(res.body.contactId).not.toBe(camille.id);
  });

  it('finds contacts for the picker by name, email or phone digits', async () => {
    const byName = await call(helena, 'GET', '/app-api/contacts?q=camille');
    expect(byName.body.map((c: Json) => c.name)).toEqual(['Camille Dubois']);
    const byPhone = await call(helena, 'GET', '/app-api/contacts?q=98765-4321');
    expect(byPhone.body.map((c: Json) => c.name)).toEqual(['Mariana Souza']);
    expect((await call(helena, 'GET', '/app-api/contacts?limit=5')).body).toHaveLength(5);
  });
});
