/**
 * The web inbox's own API (`/app-api/*`) and its live stream (`/app-api/stream`, SSE). This is
 * the foreign site's private backend, not a platform API: the page (public/app.js) is its only
 * intended client, it is never logged, rate-limited or faulted, and it has one shape for both
 * styles. Any user's token signs in (Bearer header; `?token=` for EventSource, which cannot
 * send headers). Model events (model.ts) become SSE events `message`, `conversation`,
 * `contact` and `reset`.
 */
import type { ServerResponse } from 'node:http';
import { isRecord, matchRoute, readJson, route, sendJson, type Ctx, type Route } from './http.ts';
import { ModelError, type Model } from './model.ts';
import { internationalFormat } from './phone.ts';
import type { Contact, Conversation, Message, ModelEvent } from './types.ts';

export interface AppApi {
  handle(ctx: Ctx): Promise<void>;
  /** Ends every open SSE stream (server shutdown). */
  close(): void;
}

const HEARTBEAT_MS = 15_000;

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
      const status = ctx.url.searchParams.get('status') ?? 'open';
      if (status !== 'open' && status !== 'resolved') return sendJson(ctx.res, 400, { error: 'status must be open or resolved' });
      const list = model.listConversations().filter((c) => c.status === status).sort((a, b) => b.updatedAt - a.updatedAt);
      sendJson(ctx.res, 200, list.map(summary));
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
        if (error instanceof ModelError) return sendJson(ctx.res, 404, { error: error.message });
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
