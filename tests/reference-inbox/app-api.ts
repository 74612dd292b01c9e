/**
 * The web inbox's own API (`/app-api/*`) and its live stream (`/app-api/stream`, SSE). This is
 * the foreign site's private backend, not a platform API: the page (public/app.js) is its only
 * intended client, it is never logged, rate-limited or faulted, and it has one shape for both
 * styles. Any user's token signs in (Bearer header; `?token=` for EventSource, which cannot
 * send headers). Model events (model.ts) become SSE events `message`, `conversation`,
 * `contact`, `contact-removed` and `reset`.
 *
 * Snooze and merge live here only: neither platform API documents them (Chatwoot's
 * toggle_status enum stops at open|resolved|pending; Helena has no snooze or merge).
 */
import type { ServerResponse } from 'node:http';
import { isRecord, matchRoute, readJson, route, sendJson, toInt, type Ctx, type Route } from './http.ts';
import { ModelError, type Model } from './model.ts';
import { internationalFormat } from './phone.ts';
import type { Contact, Conversation, ConversationStatus, Message, ModelEvent } from './types.ts';

export interface AppApi {
  handle(ctx: Ctx): Promise<void>;
  /** Ends every open SSE stream (server shutdown). */
  close(): void;
}

const HEARTBEAT_MS = 15_000;
const LIST_STATUSES: readonly ConversationStatus[] = ['open', 'snoozed', 'resolved'];
const CONTACT_SEARCH_LIMIT = 20;
const BLOCKED_SNOOZE = 'This contact is blocked: blocked contacts cannot be snoozed.';
const BLOCKED_MERGE = 'A blocked contact cannot be merged, and no contact can be merged into a blocked one.';

/** `until` as epoch milliseconds or an ISO 8601 date-time; NaN when it is neither. */
function parseTime(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.NaN;
}

export function contactView(c: Contact) {
  return {
    id: c.id,
    name: c.name,
    phone: c.phone,
    phoneDisplay: internationalFormat(c.phone),
    email: c.email,
    status: c.status,
    customAttributes: { ...c.customAttributes },
    lastActivityAt: c.lastActivityAt,
  };
}

export function messageView(m: Message) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    direction: m.direction,
    text: m.text,
    createdAt: m.createdAt,
    senderUserId: m.senderUserId,
    private: m.private,
  };
}

export function createAppApi(model: Model): AppApi {
  const streams = new Set<{ res: ServerResponse; timer: NodeJS.Timeout }>();

  function summary(conv: Conversation) {
    const last = model.lastMessage(conv.id);
    return {
      id: conv.id,
      status: conv.status,
      unreadCount: conv.unreadCount,
      updatedAt: conv.updatedAt,
      snoozedUntil: conv.snoozedUntil,
      contact: contactView(model.contactOf(conv)),
      lastMessage: last ? { text: last.text, direction: last.direction, createdAt: last.createdAt } : null,
    };
  }

  function encode(event: ModelEvent): string {
    switch (event.type) {
      case 'message':
        return `event: message\ndata: ${JSON.stringify({
          conversationId: event.conversation.id,
          message: messageView(event.message),
          conversation: summary(event.conversation),
        })}\n\n`;
      case 'conversation':
        return `event: conversation\ndata: ${JSON.stringify(summary(event.conversation))}\n\n`;
      case 'contact':
        return `event: contact\ndata: ${JSON.stringify({ contact: contactView(event.contact) })}\n\n`;
      case 'contactRemoved':
        return `event: contact-removed\ndata: ${JSON.stringify({ contactId: event.contactId, mergedInto: event.mergedInto })}\n\n`;
      case 'reset':
        return `event: reset\ndata: ${JSON.stringify({ reason: event.reason })}\n\n`;
    }
  }

  const unsubscribe = model.subscribe((event) => {
    if (streams.size === 0) return;
    const chunk = encode(event);
    for (const s of streams) s.res.write(chunk);
  });

  function authenticate(ctx: Ctx): boolean {
    const header = ctx.req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1]?.trim();
    const user = token ? model.userByToken(token) : undefined;
    if (!user) {
      sendJson(ctx.res, 401, { error: 'Sign in with a valid API token.' });
      return false;
    }
    ctx.user = user;
    return true;
  }

  function conversationOr404(ctx: Ctx): Conversation | undefined {
    const id = ctx.params.id ?? '';
    const conv = model.conversation(id);
    if (!conv) sendJson(ctx.res, 404, { error: 'This conversation does not exist.' });
    return conv;
  }

  async function jsonBody(ctx: Ctx): Promise<Record<string, unknown> | undefined> {
    const result = await readJson(ctx.req);
    if (!result.ok || (result.value !== undefined && !isRecord(result.value))) {
      sendJson(ctx.res, 400, { error: 'The request body is not valid JSON.' });
      return undefined;
    }
    return (result.value ?? {}) as Record<string, unknown>;
  }

  const routes: Route[] = [
    route('GET', '/app-api/me', (ctx) => {
      const u = ctx.user;
      if (!u) return;
      sendJson(ctx.res, 200, {
        user: { id: u.id, name: u.name, email: u.email, role: u.role },
        account: { id: model.account.id, name: model.account.name },
        style: model.style,
      });
    }),
    route('GET', '/app-api/conversations', (ctx) => {
      const status = (ctx.url.searchParams.get('status') ?? 'open') as ConversationStatus;
      if (!LIST_STATUSES.includes(status)) return sendJson(ctx.res, 400, { error: 'status must be open, snoozed or resolved' });
      const limit = toInt(ctx.url.searchParams.get('limit'), Infinity);
      const list = model.listConversations().filter((c) => c.status === status).sort((a, b) => b.updatedAt - a.updatedAt);
      const page = limit >= 1 && limit < list.length ? list.slice(0, limit) : list;
      sendJson(ctx.res, 200, page.map(summary), { 'x-total-count': String(list.length) });
    }),
    route('GET', '/app-api/conversations/:id', (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      sendJson(ctx.res, 200, {
        conversation: summary(conv),
        contact: contactView(model.contactOf(conv)),
        messages: model.messagesOf(conv.id).map(messageView),
      });
    }),
    route('POST', '/app-api/conversations/:id/messages', async (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      const body = await jsonBody(ctx);
      if (!body) return;
      const text = typeof body.text === 'string' ? body.text : '';
      if (text.trim() === '') return sendJson(ctx.res, 400, { error: 'Type a message first.' });
      const result = model.sendOutgoing(conv.id, text, ctx.user?.id ?? null);
      if (!result.ok) return sendJson(ctx.res, 422, { error: 'This contact is blocked: the message was not sent.' });
      sendJson(ctx.res, 201, messageView(result.message));
    }),
    route('POST', '/app-api/conversations/:id/read', (ctx) => {
      const conv = conversationOr404(ctx);
      if (conv) sendJson(ctx.res, 200, summary(model.markRead(conv.id)));
    }),
    route('POST', '/app-api/conversations/:id/snooze', async (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      const body = await jsonBody(ctx);
      if (!body) return;
      const until = parseTime(body.until);
      if (!Number.isFinite(until)) return sendJson(ctx.res, 400, { error: '`until` must be a time: epoch milliseconds or an ISO 8601 date.' });
      const result = model.snooze(conv.id, until);
      if (!result.ok) return sendJson(ctx.res, 422, { error: BLOCKED_SNOOZE });
      sendJson(ctx.res, 200, summary(result.conversation));
    }),
    route('GET', '/app-api/contacts', (ctx) => {
      const q = (ctx.url.searchParams.get('q') ?? '').trim().toLowerCase();
      const digits = q.replace(/\D/g, '');
      const limit = Math.min(Math.max(1, toInt(ctx.url.searchParams.get('limit'), CONTACT_SEARCH_LIMIT)), 100);
      const hits: Contact[] = [];
      for (const c of model.listContacts()) {
        if (hits.length >= limit) break;
        const match = q === '' || c.name.toLowerCase().includes(q) || (c.email ?? '').toLowerCase().includes(q) || (digits !== '' && c.phone.includes(digits));
        if (match) hits.push(c);
      }
      sendJson(ctx.res, 200, hits.map(contactView));
    }),
    route('POST', '/app-api/contacts/:id/merge', async (ctx) => {
      const base = model.contact(ctx.params.id ?? '');
      if (!base) return sendJson(ctx.res, 404, { error: 'This contact does not exist.' });
      const body = await jsonBody(ctx);
      if (!body) return;
      const otherId = body.otherId;
      if (typeof otherId !== 'string' && typeof otherId !== 'number') return sendJson(ctx.res, 400, { error: 'Choose the contact to merge (`otherId`).' });
      const other = model.contact(otherId);
      if (!other) return sendJson(ctx.res, 404, { error: 'The contact to merge does not exist.' });
      if (other === base) return sendJson(ctx.res, 400, { error: 'A contact cannot be merged with itself.' });
      const result = model.mergeContacts(base.id, other.id);
      if (!result.ok) return sendJson(ctx.res, 422, { error: BLOCKED_MERGE });
      sendJson(ctx.res, 200, {
        contact: contactView(result.contact),
        removedContactId: result.removedContactId,
        movedConversationIds: result.movedConversationIds,
      });
    }),
    route('POST', '/app-api/conversations/:id/status', async (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      const body = await jsonBody(ctx);
      if (!body) return;
      if (body.status !== 'open' && body.status !== 'resolved') return sendJson(ctx.res, 400, { error: 'status must be open or resolved' });
      sendJson(ctx.res, 200, summary(model.setConversationStatus(conv.id, body.status)));
    }),
  ];

  function openStream(ctx: Ctx): void {
    const token = ctx.url.searchParams.get('token') ?? '';
    if (!model.userByToken(token)) return sendJson(ctx.res, 401, { error: 'Sign in with a valid API token.' });
    const { res } = ctx;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    const timer = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    timer.unref();
    const stream = { res, timer };
    streams.add(stream);
    const end = () => {
      clearInterval(timer);
      streams.delete(stream);
    };
    ctx.req.on('close', end);
    res.on('close', end);
  }

  return {
    async handle(ctx) {
      if (ctx.url.pathname === '/app-api/stream' && ctx.method === 'GET') return openStream(ctx);
      if (!authenticate(ctx)) return;
      const match = matchRoute(routes, ctx.method, ctx.url.pathname);
      if (match.kind !== 'found') return sendJson(ctx.res, 404, { error: 'Not found' });
      ctx.params = match.params;
      try {
        await match.route.handler(ctx);
      } catch (error) {
        if (error instanceof ModelError) return sendJson(ctx.res, error.code === 'invalid' ? 400 : 404, { error: error.message });
        throw error;
      }
    },
    close() {
      unsubscribe();
      for (const s of streams) {
        clearInterval(s.timer);
        s.res.end();
      }
      streams.clear();
    },
  };
}
