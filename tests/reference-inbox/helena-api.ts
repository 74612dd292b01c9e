/**
 * Helena-style platform API (mounted when style = helena), after
 * /work/shared/contracts/helena/FACTS.md: contacts (/core/v1, /core/v2), sessions and messages
 * (/chat/v1, /chat/v2) and agents, with Helena's auth (account-level `pn_` token, no roles),
 * paged envelope, rate limit (rate-limit.ts) and error bodies.
 *
 * It reads and changes the shared Model (model.ts), which applies the platform behaviour
 * (blocking closes sessions, a blocked contact's messages are dropped...). server.ts routes here
 * every path that is not the page, the app API or /__control, after logging and faults.
 */
import type { ServerResponse } from 'node:http';
import { isRecord, matchRoute, pickCi, queryAllCi, queryCi, readJson, route, sendJson, toInt, type Ctx, type Route } from './http.ts';
import { ModelError, type ContactPatch, type Model } from './model.ts';
import { digitsOf, helenaRaw, nationalFormat } from './phone.ts';
import type { PlatformApi } from './platform.ts';
import { HELENA_WINDOWS, SlidingWindowLimiter } from './rate-limit.ts';
import type { Contact, ContactStatus, Conversation, Message, User } from './types.ts';

const iso = (ms: number): string => new Date(ms).toISOString();

// ── error bodies ────────────────────────────────────────────────────────────

function helenaError(res: ServerResponse, status: number, key: string, text: string): void {
  sendJson(res, status, { error: true, key, text });
}

/** Third parties report "not found" as HTTP 500 FORM_ERROR (FACTS §8, UNVERIFIED). */
function notFound(res: ServerResponse, what: string): void {
  sendJson(res, 500, { error: true, key: 'FORM_ERROR', text: `${what} not found`, httpStatusCode: 'INTERNALSERVERERROR' });
}

function validation(res: ServerResponse, text: string): void {
  helenaError(res, 400, 'VALIDATION_ERROR', text);
}

// ── DTOs ────────────────────────────────────────────────────────────────────

const STATUS_OUT: Record<ContactStatus, string> = { active: 'ACTIVE', archived: 'ARCHIVED', blocked: 'BLOCKED' };

function parseStatus(value: unknown): ContactStatus | 'invalid' | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return 'invalid';
  const upper = value.trim().toUpperCase();
  if (upper === 'ACTIVE') return 'active';
  if (upper === 'ARCHIVED') return 'archived';
  if (upper === 'BLOCKED') return 'blocked';
  return 'invalid';
}

function contactDto(model: Model, c: Contact) {
  return {
    id: c.id,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    importedAt: null,
    companyId: model.account.id,
    name: c.name,
    nameWhatsapp: c.name,
    nameInstagram: null,
    nameMessenger: null,
    phoneNumber: helenaRaw(c.phone),
    phoneNumberFormatted: nationalFormat(c.phone),
    email: c.email,
    instagram: null,
    messengerId: null,
    annotation: null,
    tagIds: [],
    tagNames: [],
    status: STATUS_OUT[c.status],
    origin: 'CREATED_FROM_HUB',
    utm: null,
    customFields: { ...c.customAttributes },
    metadata: {},
    portfolioIds: [],
    portfolioNames: [],
  };
}

/** PublicContactDataDTO: the session's contact, cased `phonenumber` (FACTS §3). */
function contactDetailsDto(c: Contact) {
  return {
    id: c.id,
    name: c.name,
    phonenumber: helenaRaw(c.phone),
    phonenumberFormatted: nationalFormat(c.phone),
    email: c.email,
    pictureUrl: null,
    status: STATUS_OUT[c.status],
    tagsId: [],
    tagsName: [],
  };
}

function sessionDto(model: Model, s: Conversation, withContact: boolean) {
  const last = model.lastMessage(s.id);
  return {
    id: s.id,
    companyId: model.account.id,
    contactId: s.contactId,
    channelId: model.channelId,
    departmentId: null,
    userId: s.assigneeUserId,
    number: s.number,
    // Helena documents no snooze: a snoozed session is still in progress.
    status: s.status === 'resolved' ? 'COMPLETED' : 'IN_PROGRESS',
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    startAt: iso(s.createdAt),
    endAt: s.endAt === null ? null : iso(s.endAt),
    lastMessageText: last?.text ?? null,
    unreadCount: s.unreadCount,
    windowStatus: 'ACTIVE',
    channelType: 'CLOUDAPI_WHATSAPP',
    type: 'INDIVIDUAL',
    utm: null,
    metadata: {},
    ...(withContact ? { contactDetails: contactDetailsDto(model.contactOf(s)) } : {}),
  };
}

function messageDto(s: Conversation, m: Message) {
  const incoming = m.direction === 'incoming';
  return {
    id: m.id,
    sessionId: m.conversationId,
    senderId: incoming ? s.contactId : m.senderUserId,
    userId: incoming ? null : m.senderUserId,
    direction: incoming ? 'TO_HUB' : 'FROM_HUB',
    type: 'TEXT',
    status: 'DELIVERED',
    origin: 'WHATSAPP',
    text: m.text,
    fileId: null,
    createdAt: iso(m.createdAt),
  };
}

/** PublicAgentDTO. Helena has no manager profile: managers are `Admin` (profile enum Admin|Agent|RestrictedAgent). */
function agentDto(model: Model, u: User) {
  const profile = u.restricted ? 'RestrictedAgent' : u.role === 'agent' ? 'Agent' : 'Admin';
  return {
    id: u.agentId,
    userId: u.id,
    companyId: model.account.id,
    name: u.name,
    shortName: u.name.split(' ')[0] ?? u.name,
    email: u.email,
    phoneNumber: null,
    phoneNumberFormatted: null,
    profile,
    isOwner: u.role === 'owner',
    departments: [],
    availability: 'AVAILABLE',
  };
}

// ── paging ──────────────────────────────────────────────────────────────────

interface Paging {
  pageNumber: number;
  pageSize: number;
  descending: boolean;
}

function paging(pageNumber: unknown, pageSize: unknown, direction: unknown): Paging {
  return {
    pageNumber: Math.max(1, toInt(pageNumber, 1)),
    pageSize: Math.min(100, Math.max(1, toInt(pageSize, 15))),
    descending: typeof direction === 'string' && direction.toUpperCase() === 'DESCENDING',
  };
}

/** The paged envelope (FACTS §4); only the returned page is mapped. */
function envelope<T, R>(all: T[], p: Paging, map: (item: T) => R) {
  const ordered = p.descending ? [...all].reverse() : all;
  const totalItems = ordered.length;
  const totalPages = Math.ceil(totalItems / p.pageSize);
  const start = (p.pageNumber - 1) * p.pageSize;
  return {
    pageNumber: p.pageNumber,
    pageSize: p.pageSize,
    orderBy: 'CreatedAt',
    orderDirection: p.descending ? 'DESCENDING' : 'ASCENDING',
    totalPages,
    totalItems,
    hasMorePages: p.pageNumber < totalPages,
    items: ordered.slice(start, start + p.pageSize).map(map),
  };
}

function queryPaging(url: URL): Paging {
  return paging(queryCi(url, 'PageNumber'), queryCi(url, 'PageSize'), queryCi(url, 'OrderDirection'));
}

// ── contact update body (PublicReqUpdateContactDTO) ─────────────────────────

/** The `fields` enum (FACTS §4; one value was truncated in the source). Case-insensitive like .NET enums. */
const UPDATE_FIELDS = new Set([
  'name', 'phonenumber', 'email', 'instagram', 'annotation', 'tags', 'status', 'customfields', 'pictureurl',
  'portfolio', 'sequenceids', 'utm', 'metadata',
]);

function parseUpdate(body: unknown): { ok: true; patch: ContactPatch } | { ok: false; text: string } {
  if (!isRecord(body)) return { ok: false, text: 'The request body is invalid.' };
  const rawFields = pickCi(body, 'fields');
  if (rawFields !== undefined && rawFields !== null && !Array.isArray(rawFields)) {
    return { ok: false, text: 'The field fields must be an array.' };
  }
  const fields = new Set<string>();
  for (const f of (rawFields ?? []) as unknown[]) {
    if (typeof f !== 'string' || !UPDATE_FIELDS.has(f.toLowerCase())) {
      return { ok: false, text: `The value '${String(f)}' is not valid for fields.` };
    }
    fields.add(f.toLowerCase());
  }
  // The body is deserialised before `fields` is looked at, so a bad status is a 400 either way.
  const status = parseStatus(pickCi(body, 'status'));
  if (status === 'invalid') return { ok: false, text: `The value '${String(pickCi(body, 'status'))}' is not valid for status.` };

  const patch: ContactPatch = {};
  if (fields.has('name')) {
    const name = pickCi(body, 'name');
    if (typeof name !== 'string' || name.trim() === '') return { ok: false, text: 'Name is required.' };
    patch.name = name.trim();
  }
  if (fields.has('email')) {
    const email = pickCi(body, 'email');
    if (email !== null && email !== undefined && (typeof email !== 'string' || (email !== '' && !email.includes('@')))) {
      return { ok: false, text: 'Email is invalid.' };
    }
    patch.email = typeof email === 'string' && email !== '' ? email : null;
  }
  if (fields.has('phonenumber')) {
    const phone = pickCi(body, 'phoneNumber');
    if (typeof phone !== 'string' || digitsOf(phone).length < 6) return { ok: false, text: 'PhoneNumber is invalid.' };
    patch.phone = phone;
  }
  if (fields.has('status')) {
    if (status === undefined) return { ok: false, text: 'Status is required.' };
    patch.status = status;
  }
  if (fields.has('customfields')) {
    const custom = pickCi(body, 'customFields');
    if (custom !== null && custom !== undefined && !isRecord(custom)) return { ok: false, text: 'CustomFields must be an object.' };
    if (isRecord(custom)) {
      patch.customAttributes = custom;
      patch.removeNullAttributes = true;
    }
  }
  return { ok: true, patch };
}

// ── filters ─────────────────────────────────────────────────────────────────

function includesCi(haystack: string | null, needle: string): boolean {
  return haystack !== null && haystack.toLowerCase().includes(needle.toLowerCase());
}

function phoneMatches(contact: Contact, query: string): boolean {
  const q = digitsOf(query);
  if (q === '') return false;
  const d = digitsOf(contact.phone);
  return d === q || (q.length >= 8 && d.endsWith(q));
}

function filterContacts(model: Model, body: Record<string, unknown>, status: ContactStatus): Contact[] {
  const text = pickCi(body, 'textFilter');
  const name = pickCi(body, 'name');
  const email = pickCi(body, 'email');
  const phone = pickCi(body, 'phoneNumber');
  return model.listContacts().filter((c) => {
    if (c.status !== status) return false;
    if (typeof text === 'string' && text.trim() !== '') {
      const t = text.trim();
      const phoneLike = /^[\d\s()+\-.|]+$/.test(t) && digitsOf(t) !== '';
      const hit = includesCi(c.name, t) || includesCi(c.email, t) || (phoneLike && digitsOf(c.phone).includes(digitsOf(t)));
      if (!hit) return false;
    }
    if (typeof name === 'string' && name !== '' && !includesCi(c.name, name)) return false;
    if (typeof email === 'string' && email !== '' && !includesCi(c.email, email)) return false;
    if (typeof phone === 'string' && phone !== '' && !phoneMatches(c, phone)) return false;
    return true;
  });
}

// ── the API ─────────────────────────────────────────────────────────────────

/** `Authorization: Bearer pn_…`, or the raw token without a scheme (3P report, FACTS §2). */
function tokenOf(header: string | undefined): string | null {
  if (!header) return null;
  const trimmed = header.trim();
  const m = /^Bearer\s+(.+)$/i.exec(trimmed);
  return (m?.[1] ?? trimmed).trim() || null;
}

export function createHelenaApi(model: Model): PlatformApi {
  const limiter = new SlidingWindowLimiter(HELENA_WINDOWS);

  async function body(ctx: Ctx): Promise<unknown> {
    const result = await readJson(ctx.req);
    if (!result.ok) {
      validation(ctx.res, result.error);
      return undefined;
    }
    return result.value ?? {};
  }

  function contactOr404(ctx: Ctx, id: string): Contact | undefined {
    const contact = model.contact(id);
    if (!contact) notFound(ctx.res, 'Contact');
    return contact;
  }

  function contactByPhoneOr404(ctx: Ctx, phone: string): Contact | undefined {
    const contact = digitsOf(phone) === '' ? undefined : model.contactByPhone(phone);
    if (!contact) notFound(ctx.res, 'Contact');
    return contact;
  }

  function sessionOr404(ctx: Ctx, id: string): Conversation | undefined {
    const session = model.conversation(id);
    if (!session) notFound(ctx.res, 'Session');
    return session;
  }

  async function updateContact(ctx: Ctx, contact: Contact): Promise<void> {
    const raw = await body(ctx);
    if (raw === undefined) return;
    const parsed = parseUpdate(raw);
    if (!parsed.ok) return validation(ctx.res, parsed.text);
    try {
      model.updateContact(contact.id, parsed.patch);
    } catch (error) {
      if (error instanceof ModelError) return validation(ctx.res, error.message);
      throw error;
    }
    sendJson(ctx.res, 200, contactDto(model, contact));
  }

  function sendResult(ctx: Ctx, result: ReturnType<Model['sendOutgoing']>): void {
    if (!result.ok) return helenaError(ctx.res, 400, 'CONTACT_BLOCKED', 'Contact is blocked');
    const { message } = result;
    sendJson(ctx.res, 200, {
      id: message.id,
      sessionId: message.conversationId,
      status: 'PROCESSING',
      statusUrl: `/chat/v1/message/${String(message.id)}/status`,
    });
  }

  function textOf(raw: unknown, path: 'text' | 'body.text'): string | null {
    if (!isRecord(raw)) return null;
    const holder = path === 'text' ? raw : pickCi(raw, 'body');
    const text = isRecord(holder) ? pickCi(holder, 'text') : undefined;
    return typeof text === 'string' && text.trim() !== '' ? text : null;
  }

  const routes: Route[] = [
    // Contacts
    route('GET', '/core/v1/contact/phonenumber/:phone', (ctx) => {
      const contact = contactByPhoneOr404(ctx, ctx.params.phone ?? '');
      if (contact) sendJson(ctx.res, 200, contactDto(model, contact));
    }),
    route('PUT', '/core/v1/contact/phonenumber/:phone', async (ctx) => {
      const contact = contactByPhoneOr404(ctx, ctx.params.phone ?? '');
      if (contact) await updateContact(ctx, contact);
    }),
    route('POST', '/core/v1/contact/filter', async (ctx) => {
      const raw = await body(ctx);
      if (raw === undefined) return;
      if (!isRecord(raw)) return validation(ctx.res, 'The request body is invalid.');
      const status = parseStatus(pickCi(raw, 'status'));
      if (status === 'invalid') return validation(ctx.res, `The value '${String(pickCi(raw, 'status'))}' is not valid for status.`);
      const p = paging(pickCi(raw, 'pageNumber'), pickCi(raw, 'pageSize'), pickCi(raw, 'orderDirection'));
      const criteria = JSON.stringify(['textFilter', 'name', 'email', 'phoneNumber'].map((key) => pickCi(raw, key) ?? null));
      const items = model.memo(`helena-filter:${status ?? 'active'}:${criteria}`, () => filterContacts(model, raw, status ?? 'active'));
      sendJson(ctx.res, 200, envelope(items, p, (c) => contactDto(model, c)));
    }),
    route('GET', '/core/v1/contact', (ctx) => {
      // Like the real one, search params on GET are ignored; Status is honoured.
      const status = parseStatus(queryCi(ctx.url, 'Status'));
      if (status === 'invalid') return validation(ctx.res, `The value '${queryCi(ctx.url, 'Status') ?? ''}' is not valid for Status.`);
      const items = model.memo(`helena-contacts:${status ?? 'active'}`, () => model.listContacts().filter((c) => c.status === (status ?? 'active')));
      sendJson(ctx.res, 200, envelope(items, queryPaging(ctx.url), (c) => contactDto(model, c)));
    }),
    route('GET', '/core/v1/contact/:id', (ctx) => {
      const contact = contactOr404(ctx, ctx.params.id ?? '');
      if (contact) sendJson(ctx.res, 200, contactDto(model, contact));
    }),
    route('PUT', '/core/v2/contact/:id', async (ctx) => {
      const contact = contactOr404(ctx, ctx.params.id ?? '');
      if (contact) await updateContact(ctx, contact);
    }),

    // Sessions
    route('GET', '/chat/v2/session/:id', (ctx) => {
      const session = sessionOr404(ctx, ctx.params.id ?? '');
      if (!session) return;
      const details = queryAllCi(ctx.url, 'includeDetails').flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase());
      sendJson(ctx.res, 200, sessionDto(model, session, details.includes('contactdetails')));
    }),
    route('GET', '/chat/v1/session', (ctx) => {
      const contactId = queryCi(ctx.url, 'ContactId');
      const items = contactId ? model.conversationsOf(contactId) : model.listConversations();
      sendJson(ctx.res, 200, envelope(items, queryPaging(ctx.url), (s) => sessionDto(model, s, true)));
    }),
    route('PUT', '/chat/v1/session/:id/complete', async (ctx) => {
      const session = sessionOr404(ctx, ctx.params.id ?? '');
      if (!session) return;
      const raw = await body(ctx);
      if (raw === undefined) return;
      const reactivate = isRecord(raw) && pickCi(raw, 'reactivateOnNewMessage') === true;
      model.setConversationStatus(session.id, 'resolved', { reactivateOnNewMessage: reactivate });
      sendJson(ctx.res, 200, sessionDto(model, session, false));
    }),
    route('PUT', '/chat/v1/session/:id/status', async (ctx) => {
      const session = sessionOr404(ctx, ctx.params.id ?? '');
      if (!session) return;
      const raw = await body(ctx);
      if (raw === undefined) return;
      const next = isRecord(raw) ? pickCi(raw, 'newStatus') : undefined;
      const upper = typeof next === 'string' ? next.toUpperCase() : '';
      if (!['STARTED', 'PENDING', 'IN_PROGRESS', 'COMPLETED'].includes(upper)) {
        return validation(ctx.res, `The value '${String(next)}' is not valid for newStatus.`);
      }
      model.setConversationStatus(session.id, upper === 'COMPLETED' ? 'resolved' : 'open');
      sendJson(ctx.res, 200, sessionDto(model, session, false));
    }),

    // Messages
    route('GET', '/chat/v1/session/:id/message', (ctx) => {
      const session = sessionOr404(ctx, ctx.params.id ?? '');
      if (!session) return;
      const items = model.messagesOf(session.id).filter((m) => !m.private);
      sendJson(ctx.res, 200, envelope(items, queryPaging(ctx.url), (m) => messageDto(session, m)));
    }),
    route('POST', '/chat/v1/session/:id/message', async (ctx) => {
      const session = sessionOr404(ctx, ctx.params.id ?? '');
      if (!session) return;
      const raw = await body(ctx);
      if (raw === undefined) return;
      const text = textOf(raw, 'text');
      if (text === null) return validation(ctx.res, 'Text is required.');
      sendResult(ctx, model.sendOutgoing(session.id, text, ctx.user?.id ?? null));
    }),
    route('POST', '/chat/v1/message/send', async (ctx) => {
      const raw = await body(ctx);
      if (raw === undefined) return;
      const to = isRecord(raw) ? pickCi(raw, 'to') : undefined;
      if (typeof to !== 'string' || digitsOf(to) === '') return validation(ctx.res, 'To is required.');
      const text = textOf(raw, 'body.text');
      if (text === null) return validation(ctx.res, 'Body.Text is required.');
      const contact = contactByPhoneOr404(ctx, to);
      if (contact) sendResult(ctx, model.sendToContact(contact.id, text, ctx.user?.id ?? null));
    }),

    // Agents: a bare array, not the paged envelope (FACTS §6, 3P).
    route('GET', '/core/v1/agent', (ctx) => {
      sendJson(ctx.res, 200, model.users.map((u) => agentDto(model, u)));
    }),
    route('GET', '/core/v1/agent/:id', (ctx) => {
      const user = model.users.find((u) => String(u.agentId) === ctx.params.id);
      if (!user) return notFound(ctx.res, 'Agent');
      sendJson(ctx.res, 200, agentDto(model, user));
    }),
  ];

  return {
    resetLimits: () => limiter.clear(),
    limiter,
    async handle(ctx) {
      const token = tokenOf(ctx.req.headers.authorization);
      const user = token === null ? undefined : model.userByToken(token);
      if (!user) return helenaError(ctx.res, 401, 'UNAUTHORIZED', 'Missing or invalid API token');
      if (!limiter.tryAcquire()) return helenaError(ctx.res, 429, 'TOO_MANY_REQUESTS', 'Too many requests, slow down');
      ctx.user = user;
      const match = matchRoute(routes, ctx.method, ctx.url.pathname);
      if (match.kind === 'none') return void ctx.res.writeHead(404).end();
      if (match.kind === 'wrong-method') return void ctx.res.writeHead(405).end();
      ctx.params = match.params;
      await match.route.handler(ctx);
    },
  };
}
