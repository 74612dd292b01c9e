// @vitest-environment node
// The reference inbox's controls for the benchmark: message bursts (each message through the
// incoming path, so blocked contacts behave as they do one message at a time), a 100,000-contact
// blocklist seeded at once, and lists large enough to page.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReferenceInbox } from '../../reference-inbox/server.ts';
import type { ModelEvent } from '../../reference-inbox/types.ts';
import { call, contactNamed, control, conversationsOf, messagesOf, start, type Json } from './helpers.ts';

let helena: ReferenceInbox;
let chatwoot: ReferenceInbox;
const A = '/api/v1/accounts/1';

beforeAll(async () => {
  [helena, chatwoot] = await Promise.all([start('helena'), start('chatwoot')]);
});
afterAll(async () => {
  await Promise.all([helena.close(), chatwoot.close()]);
});
beforeEach(async () => {
  await Promise.all([control(helena, 'POST', '/reset'), control(chatwoot, 'POST', '/reset')]);
});

function recordEvents(inbox: ReferenceInbox): { events: ModelEvent[]; stop: () => void } {
  const events: ModelEvent[] = [];
  const stop = inbox.model.subscribe((e) => events.push(e));
  return { events, stop };
}

describe('POST /__control/burst', () => {
  it.each(['helena', 'chatwoot'] as const)('%s: stores every message of an active contact, in order, with one `message` event each', async (style) => {
    const inbox = style === 'helena' ? helena : chatwoot;
    const mariana = await contactNamed(inbox, 'Mariana Souza');
    const [conv] = await conversationsOf(inbox, mariana.id);
    const before = (await messagesOf(inbox, conv.id)).length;
    const { events, stop } = recordEvents(inbox);
    const res = await control(inbox, 'POST', '/burst', { contactId: mariana.id, count: 200 });
    stop();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stored: 200, dropped: 0, conversationId: conv.id });
    expect(new Set(res.body.messageIds).size).toBe(200);
    const messages = await messagesOf(inbox, conv.id);
    expect(messages).toHaveLength(before + 200);
    expect(messages.slice(before).map((m: Json) => m.id)).toEqual(res.body.messageIds);
    expect(messages.at(-1)).toMatchObject({ direction: 'incoming', text: 'Burst message 200 of 200' });
    expect(events.filter((e) => e.type === 'message')).toHaveLength(200);
  });

  it("Helena: drops every message of a blocked contact (nothing stored, no event) and names the contact's conversation", async () => {
    const blocked = await contactNamed(helena, 'Empréstimo Fácil');
    const [conv] = await conversationsOf(helena, blocked.id);
    const before = await messagesOf(helena, conv.id);
    const { events, stop } = recordEvents(helena);
    const res = await control(helena, 'POST', '/burst', { contactId: blocked.id, count: 300, text: 'Crédito liberado!' });
    stop();
    expect(res.body).toEqual({ stored: 0, dropped: 300, messageIds: [], conversationId: conv.id });
    expect(await messagesOf(helena, conv.id)).toEqual(before);
    expect(events).toEqual([]);
  });

  it("Chatwoot: stores a blocked contact's messages on its resolved conversation, which stays resolved and unread-free", async () => {
    const blocked = await contactNamed(chatwoot, 'Empréstimo Fácil');
    const [conv] = await conversationsOf(chatwoot, blocked.id);
    const res = await control(chatwoot, 'POST', '/burst', { conversationId: conv.id, count: 300, text: 'Crédito liberado!' });
    expect(res.body).toMatchObject({ stored: 300, dropped: 0, conversationId: conv.id });
    expect(res.body.messageIds).toHaveLength(300);
    const [after] = await conversationsOf(chatwoot, blocked.id);
    expect(after).toMatchObject({ status: 'resolved', unreadCount: conv.unreadCount });
    expect((await messagesOf(chatwoot, conv.id)).filter((m: Json) => m.text === 'Crédito liberado!')).toHaveLength(300);
  });

  it('Helena: an archived contact writing a burst is reactivated and opens one new session, not one per message', async () => {
    const renata = await contactNamed(helena, 'Renata Campos');
    const [old] = await conversationsOf(helena, renata.id);
    const res = await control(helena, 'POST', '/burst', { conversationId: old.id, count: 50 });
    expect(res.body).toMatchObject({ stored: 50, dropped: 0 });
    const convs = await conversationsOf(helena, renata.id);
    expect(convs).toHaveLength(2);
    expect(convs[1]).toMatchObject({ id: res.body.conversationId, status: 'open', unreadCount: 50 });
    expect((await contactNamed(helena, 'Renata Campos')).status).toBe('active');
  });

  it('sends 5,000 messages in one go', async () => {
    const lucas = await contactNamed(chatwoot, 'Lucas Almeida');
    const res = await control(chatwoot, 'POST', '/burst', { contactId: lucas.id, count: 5000, spacingMs: 0 });
    expect(res.body.stored).toBe(5000);
  });

  it('spaces the messages by spacingMs, and a reset ends a spaced burst early', async () => {
    const lucas = await contactNamed(helena, 'Lucas Almeida');
    let t = performance.now();
    const spaced = await control(helena, 'POST', '/burst', { contactId: lucas.id, count: 4, spacingMs: 40 });
    expect(spaced.body.stored).toBe(4);
    expect(performance.now() - t).toBeGreaterThanOrEqual(110);

    t = performance.now();
    const long = helena.control.burst({ contactId: lucas.id, count: 1000, spacingMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 70));
    helena.control.reset();
    const result = await long;
    expect(result.stored).toBeGreaterThan(0);
    expect(result.stored).toBeLessThan(1000);
    // Unreset, the burst would last 20 s.
    expect(performance.now() - t).toBeLessThan(10_000);
  });

  it('refuses a bad burst: no contact, a count out of 1..5000, a negative spacing, an unknown contact', async () => {
    const mariana = await contactNamed(helena, 'Mariana Souza');
    expect((await control(helena, 'POST', '/burst', { count: 3 })).status).toBe(400);
    expect((await control(helena, 'POST', '/burst', { contactId: mariana.id, count: 0 })).status).toBe(400);
    expect((await control(helena, 'POST', '/burst', { contactId: mariana.id, count: 5001 })).status).toBe(400);
    expect((await control(helena, 'POST', '/burst', { contactId: mariana.id, count: 2, spacingMs: -1 })).status).toBe(400);
    expect((await control(helena, 'POST', '/burst', { contactId: 'nobody', count: 2 })).status).toBe(404);
    await expect(helena.control.burst({ contactId: mariana.id, count: 0 })).rejects.toThrow(/count/);
  });
});

describe('POST /__control/seed-blocked', () => {
  it.each(['helena', 'chatwoot'] as const)('%s: adds 100,000 blocked contacts with a resolved conversation each, with one reset event', async (style) => {
    const inbox = style === 'helena' ? helena : chatwoot;
    const { events, stop } = recordEvents(inbox);
    const res = await control(inbox, 'POST', '/seed-blocked', { count: 100_000 });
    stop();
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(100_000);
    expect(res.body.sampleIds).toHaveLength(5);
    expect(Object.keys(res.body)).toEqual(['count', 'sampleIds']);
    expect(events.map((e) => e.type)).toEqual(['reset']);
    for (const id of res.body.sampleIds) {
      expect(inbox.model.contact(id)?.status).toBe('blocked');
      const convs = inbox.model.conversationsOf(id);
      expect(convs.map((c) => c.status)).toEqual(['resolved']);
      expect(inbox.model.messagesOf(convs[0]!.id)).toHaveLength(1);
    }

    // The platform APIs list them as blocked (the seed's own blocked contact makes 100,001).
    if (style === 'helena') {
      const page = await call(helena, 'GET', '/core/v1/contact?Status=BLOCKED&PageSize=100&PageNumber=1000');
      expect(page.body).toMatchObject({ totalItems: 100_001, totalPages: 1001, hasMorePages: true });
      expect(page.body.items).toHaveLength(100);
    } else {
      const filter = { payload: [{ attribute_key: 'blocked', filter_operator: 'equal_to', values: [true], query_operator: null }] };
      const page = await call(chatwoot, 'POST', `${A}/contacts/filter?page=2`, { body: filter });
      expect(page.body.meta.count).toBe(100_001);
      expect(page.body.payload.every((c: Json) => c.blocked === true)).toBe(true);
    }
    // The page's list shows the most recent conversations and says how many there are.
    const resolved = await call(inbox, 'GET', '/app-api/conversations?status=resolved&limit=50');
    expect(resolved.body).toHaveLength(50);
    expect(resolved.headers.get('x-total-count')).toBe('100002');
  });

  it('refuses a count that is not an integer from 0 to 200,000', async () => {
    expect((await control(helena, 'POST', '/seed-blocked', { count: -1 })).status).toBe(400);
    expect((await control(helena, 'POST', '/seed-blocked', { count: 1.5 })).status).toBe(400);
    expect((await control(helena, 'POST', '/seed-blocked', { count: 200_001 })).status).toBe(400);
    expect(helena.control.seedBlocked(3).count).toBe(3);
  });
});

describe('large seeds the page opens', () => {
  it('serves a 5,000-message conversation whole to the page, oldest first', async () => {
    const seeded = await control(helena, 'POST', '/seed', { contacts: 1, messagesPerConversation: 5000 });
    const res = await call(helena, 'GET', `/app-api/conversations/${seeded.body.conversationIds[0]}`);
    expect(res.body.messages).toHaveLength(5000);
    const times = res.body.messages.map((m: Json) => m.createdAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('lists 5,000 seeded conversations, most recent first', async () => {
    await control(chatwoot, 'POST', '/seed', { contacts: 5000, messagesPerConversation: 1 });
    const res = await call(chatwoot, 'GET', '/app-api/conversations?status=open');
    expect(res.body.length).toBeGreaterThanOrEqual(5000);
    const times = res.body.map((c: Json) => c.updatedAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
