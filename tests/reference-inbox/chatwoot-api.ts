/**
 * Chatwoot-style Application API (mounted when style = chatwoot), after
 * /work/shared/contracts/chatwoot/FACTS.md and application_swagger.json, with upstream's
 * jbuilder shapes where the spec is vague: profile, contacts (list/search/filter/show/update,
 * their conversations), conversations (show, list, messages, toggle_status, mute/unmute), agents.
 *
 * Auth is the `api_access_token` header; there is no role enforcement (upstream lets agents
 * update and block contacts). The shared Model (model.ts) applies the platform behaviour;
 * server.ts routes here every platform path after logging and faults.
 */
import type { ServerResponse } from 'node:http';
import { isRecord, matchRoute, readJson, route, sendJson, toInt, type Ctx, type Route } from './http.ts';
import { ModelError, type ContactPatch, type Model } from './model.ts';
import { digitsOf } from './phone.ts';
import type { PlatformApi } from './platform.ts';
import type { Contact, Conversation, Message, User } from './types.ts';

const PAGE_SIZE = 15;
const CONVERSATIONS_PAGE_SIZE = 25;
const MESSAGES_PAGE_SIZE = 20;
const INBOX_ID = 1;

const sec = (ms: number): number => Math.floor(ms / 1000);

function notFound(res: ServerResponse): void {
  sendJson(res, 404, { error: 'Resource could not be found' });
}

function unprocessable(res: ServerResponse, error: string): void {
  sendJson(res, 422, { error });
}

/** Chatwoot's role per account: administrator | agent. Owners and managers are administrators. */
function cwRole(user: User): 'administrator' | 'agent' {
  return user.role === 'agent' ? 'agent' : 'administrator';
}

export function createChatwootApi(model: Model): PlatformApi {
  const accountId = Number(model.account.id);

  // ── JSON shapes ───────────────────────────────────────────────────────────

  /** contact_list_item (upstream `api/v1/models/_contact`; last_activity_at omitted while null). */
  function contactJson(c: Contact) {
    return {
      additional_attributes: { ...c.additionalAttributes },
      availability_status: 'offline',
      email: c.email,
      id: c.id,
      name: c.name,
      phone_number: c.phone,
      blocked: c.status === 'blocked',
      identifier: c.identifier,
      thumbnail: '',
      custom_attributes: { ...c.customAttributes },
      ...(c.lastActivityAt === null ? {} : { last_activity_at: c.lastActivityAt }),
      created_at: sec(c.createdAt),
      contact_inboxes: [],
    };
  }

  /** Contact#push_event_data: the `sender` of a contact's message. */
  function contactPushData(c: Contact) {
    return {
      additional_attributes: { ...c.additionalAttributes },
      custom_attributes: { ...c.customAttributes },
      email: c.email,
      id: c.id,
      identifier: c.identifier,
      name: c.name,
      phone_number: c.phone,
      thumbnail: '',
      blocked: c.status === 'blocked',
      type: 'contact',
    };
  }

  /** `agent` schema. */
  function agentJson(u: User) {
    return {
      id: u.id,
      account_id: accountId,
      availability_status: 'online',
      auto_offline: true,
      confirmed: true,
      email: u.email,
      available_name: u.name,
      name: u.name,
      role: cwRole(u),
      thumbnail: '',
      custom_role_id: null,
    };
  }

  function userPushData(u: User) {
    return { id: u.id, name: u.name, available_name: u.name, avatar_url: '', type: 'user', availability_status: 'online', thumbnail: '' };
  }

  /**
   * Message#push_event_data. `sender_type` is the Rails polymorphic class name ("Contact" /
   * "User") as upstream serialises it; the spec's enum says contact|agent|agent_bot.
   */
  function messageJson(m: Message, conversation: Conversation) {
    const contact = model.contactOf(conversation);
    const incoming = m.direction === 'incoming';
    const agent = incoming || m.senderUserId === null ? undefined : model.user(m.senderUserId);
    const sender = incoming ? contactPushData(contact) : agent ? userPushData(agent) : undefined;
    return {
      id: m.id,
      content: m.text,
      account_id: accountId,
      inbox_id: INBOX_ID,
      conversation_id: conversation.id,
      message_type: incoming ? 0 : 1,
      created_at: sec(m.createdAt),
      updated_at: new Date(m.createdAt).toISOString(),
      private: m.private,
      status: 'sent',
      source_id: null,
      content_type: 'text',
      content_attributes: {},
      sender_type: incoming ? 'Contact' : 'User',
      sender_id: incoming ? contact.id : m.senderUserId,
      external_source_ids: {},
      additional_attributes: {},
      processed_message_content: m.text,
      sentiment: {},
      conversation: {
        assignee_id: conversation.assigneeUserId,
        unread_count: conversation.unreadCount,
        last_activity_at: sec(conversation.updatedAt),
        contact_inbox: { source_id: digitsOf(contact.phone) },
      },
      ...(sender ? { sender } : {}),
    };
  }

  function senderMeta(c: Contact) {
    // The same fields as a list item, without contact_inboxes, and last_activity_at even when null.
    const { contact_inboxes: _inboxes, ...fields } = contactJson(c);
    return { ...fields, last_activity_at: c.lastActivityAt };
  }


  /** conversation + meta (conversation_show). `muted` is Conversation#muted?, i.e. the contact is blocked. */
  function conversationJson(conv: Conversation) {
    const contact = model.contactOf(conv);
    const messages = model.messagesOf(conv.id);
    const last = messages[messages.length - 1];
    const firstReply = messages.find((m) => m.direction === 'outgoing' && !m.private);
    const assignee = conv.assigneeUserId === null ? undefined : model.user(conv.assigneeUserId);
    return {
      meta: {
        sender: senderMeta(contact),
        channel: 'Channel::Whatsapp',
        assignee: assignee ? agentJson(assignee) : null,
        hmac_verified: false,
      },
      id: conv.id,
      messages: last ? [messageJson(last, conv)] : [],
      account_id: accountId,
      uuid: conv.uuid,
      additional_attributes: {},
      agent_last_seen_at: 0,
      assignee_last_seen_at: 0,
      can_reply: true,
      contact_last_seen_at: 0,
      custom_attributes: {},
      inbox_id: INBOX_ID,
      labels: [],
      muted: contact.status === 'blocked',
      // Upstream's status enum has `snoozed` (the spec's stops at pending); epoch seconds, as the spec types it.
      snoozed_until: conv.snoozedUntil === null ? null : sec(conv.snoozedUntil),
      status: conv.status,
      created_at: sec(conv.createdAt),
      updated_at: conv.updatedAt / 1000,
      timestamp: sec(conv.updatedAt),
      first_reply_created_at: firstReply ? sec(firstReply.createdAt) : 0,
      unread_count: conv.unreadCount,
      last_non_activity_message: last ? messageJson(last, conv) : null,
      last_activity_at: sec(conv.updatedAt),
      priority: null,
      waiting_since: 0,
      sla_policy_id: null,
    };
  }

  function profileJson(u: User) {
    return {
      id: u.id,
      access_token: u.token,
      account_id: accountId,
      available_name: u.name,
      avatar_url: '',
      confirmed: true,
      display_name: null,
      message_signature: null,
      email: u.email,
      hmac_identifier: '',
      inviter_id: null,
      name: u.name,
      provider: 'email',
      pubsub_token: `pubsub-${String(u.id)}`,
      role: cwRole(u),
      ui_settings: {},
      uid: u.email,
      type: 'User',
      custom_attributes: {},
      accounts: [
        {
          id: accountId,
          name: model.account.name,
          status: 'active',
          active_at: new Date(u.createdAt).toISOString(),
          role: cwRole(u),
          permissions: [],
          availability: 'online',
          availability_status: 'online',
          auto_offline: true,
          custom_role_id: null,
          custom_role: null,
        },
      ],
    };
  }

  function contactsPage(ctx: Ctx, items: Contact[]): void {
    const page = Math.max(1, toInt(ctx.url.searchParams.get('page'), 1));
    const start = (page - 1) * PAGE_SIZE;
    sendJson(ctx.res, 200, {
      meta: { count: items.length, current_page: String(page) },
      payload: items.slice(start, start + PAGE_SIZE).map(contactJson),
    });
  }

  // ── helpers ───────────────────────────────────────────────────────────────

  function contactOr404(ctx: Ctx): Contact | undefined {
    const id = ctx.params.id ?? '';
    const contact = /^\d+$/.test(id) ? model.contact(Number(id)) : undefined;
    if (!contact) notFound(ctx.res);
    return contact;
  }

  function conversationOr404(ctx: Ctx): Conversation | undefined {
    const id = ctx.params.conversation_id ?? '';
    const conv = /^\d+$/.test(id) ? model.conversation(Number(id)) : undefined;
    if (!conv) notFound(ctx.res);
    return conv;
  }

  async function body(ctx: Ctx): Promise<Record<string, unknown> | undefined> {
    const result = await readJson(ctx.req);
    if (!result.ok) {
      sendJson(ctx.res, 400, { error: result.error });
      return undefined;
    }
    if (result.value === undefined) return {};
    if (!isRecord(result.value)) {
      sendJson(ctx.res, 400, { error: 'Expected a JSON object' });
      return undefined;
    }
    return result.value;
  }

  const SORTABLE = new Set(['name', 'email', 'phone_number', 'last_activity_at', 'created_at']);

  function sortContacts(items: Contact[], sort: string | null): Contact[] {
    const raw = sort && SORTABLE.has(sort.replace(/^-/, '')) ? sort : '-last_activity_at';
    const desc = raw.startsWith('-');
    const key = raw.replace(/^-/, '');
    const value = (c: Contact): string | number | null =>
      key === 'name' ? c.name.toLowerCase()
      : key === 'email' ? c.email?.toLowerCase() ?? null
      : key === 'phone_number' ? c.phone
      : key === 'created_at' ? c.createdAt
      : c.lastActivityAt;
    return [...items].sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === vb) return Number(a.id) - Number(b.id);
      if (va === null) return 1; // NULLS LAST either way
      if (vb === null) return -1;
      const cmp = va < vb ? -1 : 1;
      return desc ? -cmp : cmp;
    });
  }

  // ── contact filter ────────────────────────────────────────────────────────

  const OPERATORS = new Set(['equal_to', 'not_equal_to', 'contains', 'does_not_contain', 'is_present', 'is_not_present']);

  function attributeOf(c: Contact, key: string): unknown {
    switch (key) {
      case 'name': return c.name;
      case 'email': return c.email;
      case 'phone_number': return c.phone;
      case 'identifier': return c.identifier;
      case 'blocked': return c.status === 'blocked';
      default:
        return key in c.additionalAttributes && !(key in c.customAttributes) ? c.additionalAttributes[key] : c.customAttributes[key];
    }
  }

  const norm = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v)).toLowerCase();

  /** SQL semantics: a missing value (NULL) matches neither `=` nor `!=`, only is_not_present. */
  function test(c: Contact, key: string, op: string, values: unknown[]): boolean {
    const value = attributeOf(c, key);
    const absent = value === null || value === undefined || value === '';
    if (op === 'is_present') return !absent;
    if (op === 'is_not_present') return absent;
    if (value === null || value === undefined) return false;
    const v = norm(value);
    const wanted = values.map(norm);
    switch (op) {
      case 'equal_to': return wanted.includes(v);
      case 'not_equal_to': return !wanted.includes(v);
      case 'contains': return wanted.some((w) => v.includes(w));
      default: return !wanted.some((w) => v.includes(w)); // does_not_contain
    }
  }

  type Condition = { key: string; op: string; values: unknown[]; join: 'AND' | 'OR' | null };

  function parseFilter(raw: Record<string, unknown>): Condition[] | string {
    const payload = raw.payload;
    if (!Array.isArray(payload) || payload.length === 0) return 'payload must be a non-empty array of conditions';
    const out: Condition[] = [];
    for (const item of payload as unknown[]) {
      if (!isRecord(item)) return 'Invalid filter condition';
      const key = item.attribute_key;
      const op = item.filter_operator;
      const values = item.values ?? [];
      const join = item.query_operator;
      if (typeof key !== 'string' || key === '') return 'Invalid attribute key';
      if (typeof op !== 'string' || !OPERATORS.has(op)) return `Invalid operator. The allowed operators for ${key} are [${[...OPERATORS].join(',')}].`;
      if (!Array.isArray(values)) return 'values must be an array';
      const j = typeof join === 'string' ? join.toUpperCase() : null;
      if (j !== null && j !== 'AND' && j !== 'OR') return 'Invalid query operator';
      out.push({ key, op, values: values as unknown[], join: j as Condition['join'] });
    }
    return out;
  }

  /** `a AND b OR c` with SQL precedence: OR of AND-groups; each condition's query_operator joins it to the next. */
  function matchesFilter(c: Contact, conditions: Condition[]): boolean {
    let group = true;
    for (let i = 0; i < conditions.length; i++) {
      const cond = conditions[i];
      if (!cond) continue;
      group = group && test(c, cond.key, cond.op, cond.values);
      if (cond.join === 'OR' || i === conditions.length - 1) {
        if (group) return true;
        group = true;
      }
    }
    return false;
  }

  // ── contact update (contact_update_payload) ───────────────────────────────

  function parseContactUpdate(raw: Record<string, unknown>): ContactPatch | string {
    const patch: ContactPatch = {};
    if ('name' in raw) {
      if (typeof raw.name !== 'string') return 'Name is invalid';
      patch.name = raw.name;
    }
    if ('email' in raw) {
      if (raw.email !== null && typeof raw.email !== 'string') return 'Email is invalid';
      if (typeof raw.email === 'string' && raw.email !== '' && !raw.email.includes('@')) return 'Email is invalid';
      patch.email = raw.email === '' ? null : (raw.email as string | null);
    }
    if ('phone_number' in raw && raw.phone_number !== null && raw.phone_number !== '') {
      if (typeof raw.phone_number !== 'string' || !/^\+[1-9]\d{1,14}$/.test(raw.phone_number)) return 'Phone number should be in e164 format';
      patch.phone = raw.phone_number;
    }
    if ('identifier' in raw) {
      if (raw.identifier !== null && typeof raw.identifier !== 'string') return 'Identifier is invalid';
      patch.identifier = raw.identifier as string | null;
    }
    if ('blocked' in raw) {
      // Rails casts "true"/"false"/1/0 for a boolean column.
      const b = raw.blocked;
      const on = b === true || b === 'true' || b === 1 || b === '1';
      const off = b === false || b === 'false' || b === 0 || b === '0';
      if (!on && !off) return 'Blocked is invalid';
      patch.status = on ? 'blocked' : 'active';
    }
    if ('custom_attributes' in raw && raw.custom_attributes !== null) {
      if (!isRecord(raw.custom_attributes)) return 'Custom attributes must be an object';
      patch.customAttributes = raw.custom_attributes;
    }
    if ('additional_attributes' in raw && raw.additional_attributes !== null) {
      if (!isRecord(raw.additional_attributes)) return 'Additional attributes must be an object';
      patch.additionalAttributes = raw.additional_attributes;
    }
    return patch;
  }

  async function updateContact(ctx: Ctx): Promise<void> {
    const contact = contactOr404(ctx);
    if (!contact) return;
    const raw = await body(ctx);
    if (!raw) return;
    const patch = parseContactUpdate(raw);
    if (typeof patch === 'string') return unprocessable(ctx.res, patch);
    try {
      model.updateContact(contact.id, patch);
    } catch (error) {
      if (error instanceof ModelError) return unprocessable(ctx.res, error.code === 'phone_taken' ? 'Phone number has already been taken' : error.message);
      throw error;
    }
    sendJson(ctx.res, 200, { payload: contactJson(contact) });
  }

  const A = '/api/v1/accounts/:account_id';

  const routes: Route[] = [
    route('GET', '/api/v1/profile', (ctx) => {
      if (ctx.user) sendJson(ctx.res, 200, profileJson(ctx.user));
    }),
    route('GET', `${A}/agents`, (ctx) => {
      sendJson(ctx.res, 200, model.users.map(agentJson));
    }),

    // Contacts
    route('GET', `${A}/contacts/search`, (ctx) => {
      const q = (ctx.url.searchParams.get('q') ?? '').trim().toLowerCase();
      const sort = ctx.url.searchParams.get('sort');
      contactsPage(ctx, model.memo(`cw-search:${sort}:${q}`, () => sortContacts(model.listContacts().filter((c) =>
        q === '' ||
        c.name.toLowerCase().includes(q) ||
        (c.email ?? '').toLowerCase().includes(q) ||
        c.phone.includes(q) ||
        (c.identifier ?? '').toLowerCase().includes(q)), sort)));
    }),
    route('POST', `${A}/contacts/filter`, async (ctx) => {
      const raw = await body(ctx);
      if (!raw) return;
      const conditions = parseFilter(raw);
      if (typeof conditions === 'string') return unprocessable(ctx.res, conditions);
      const sort = ctx.url.searchParams.get('sort');
      contactsPage(ctx, model.memo(`cw-filter:${sort}:${JSON.stringify(conditions)}`, () =>
        sortContacts(model.listContacts().filter((c) => matchesFilter(c, conditions)), sort)));
    }),
    route('GET', `${A}/contacts`, (ctx) => {
      const sort = ctx.url.searchParams.get('sort');
      contactsPage(ctx, model.memo(`cw-contacts:${sort}`, () => sortContacts(model.listContacts(), sort)));
    }),
    route('GET', `${A}/contacts/:id`, (ctx) => {
      const contact = contactOr404(ctx);
      if (contact) sendJson(ctx.res, 200, { payload: contactJson(contact) });
    }),
    route('PUT', `${A}/contacts/:id`, updateContact),
    route('PATCH', `${A}/contacts/:id`, updateContact),
    route('GET', `${A}/contacts/:id/conversations`, (ctx) => {
      const contact = contactOr404(ctx);
      if (!contact) return;
      const list = [...model.conversationsOf(contact.id)].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 20);
      sendJson(ctx.res, 200, { payload: list.map(conversationJson) });
    }),

    // Conversations
    route('GET', `${A}/conversations`, (ctx) => {
      const status = ctx.url.searchParams.get('status') ?? 'open';
      const assigneeType = ctx.url.searchParams.get('assignee_type') ?? 'all';
      const page = Math.max(1, toInt(ctx.url.searchParams.get('page'), 1));
      const me = ctx.user?.id;
      const byStatus = model.listConversations()
        .filter((c) => status === 'all' || c.status === status)
        .sort((a, b) => b.updatedAt - a.updatedAt);
      const mine = byStatus.filter((c) => me !== undefined && c.assigneeUserId === me);
      const unassigned = byStatus.filter((c) => c.assigneeUserId === null);
      const assigned = byStatus.filter((c) => c.assigneeUserId !== null);
      const chosen = assigneeType === 'me' ? mine : assigneeType === 'unassigned' ? unassigned : assigneeType === 'assigned' ? assigned : byStatus;
      const start = (page - 1) * CONVERSATIONS_PAGE_SIZE;
      sendJson(ctx.res, 200, {
        data: {
          meta: { mine_count: mine.length, unassigned_count: unassigned.length, assigned_count: assigned.length, all_count: byStatus.length },
          payload: chosen.slice(start, start + CONVERSATIONS_PAGE_SIZE).map(conversationJson),
        },
      });
    }),
    route('GET', `${A}/conversations/:conversation_id`, (ctx) => {
      const conv = conversationOr404(ctx);
      if (conv) sendJson(ctx.res, 200, conversationJson(conv));
    }),
    route('GET', `${A}/conversations/:conversation_id/messages`, (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      // Upstream's MessageFinder: the 20 latest, or the 20 before/after a message id.
      const before = toInt(ctx.url.searchParams.get('before'), Infinity);
      const after = toInt(ctx.url.searchParams.get('after'), -Infinity);
      const all = model.messagesOf(conv.id).filter((m) => Number(m.id) < before && Number(m.id) > after);
      const page = Number.isFinite(after) ? all.slice(0, MESSAGES_PAGE_SIZE) : all.slice(-MESSAGES_PAGE_SIZE);
      const contact = model.contactOf(conv);
      const assignee = conv.assigneeUserId === null ? undefined : model.user(conv.assigneeUserId);
      sendJson(ctx.res, 200, {
        meta: {
          labels: [],
          additional_attributes: {},
          contact: contactPushData(contact),
          assignee: assignee ? agentJson(assignee) : null,
          agent_last_seen_at: null,
          assignee_last_seen_at: null,
        },
        payload: page.map((m) => messageJson(m, conv)),
      });
    }),
    route('POST', `${A}/conversations/:conversation_id/messages`, async (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      const raw = await body(ctx);
      if (!raw) return;
      const content = raw.content;
      if (typeof content !== 'string' || content.trim() === '') return unprocessable(ctx.res, "Content can't be blank");
      const type = raw.message_type ?? 'outgoing';
      if (type === 'incoming') {
        const result = model.incoming({ conversationId: conv.id, text: content });
        const message = model.messagesOf(result.conversationId ?? conv.id).find((m) => m.id === result.messageId);
        const target = model.conversation(result.conversationId ?? conv.id);
        if (message && target) return sendJson(ctx.res, 200, messageJson(message, target));
        return unprocessable(ctx.res, 'Message could not be created');
      }
      if (type !== 'outgoing') return unprocessable(ctx.res, `'${String(type)}' is not a valid message_type`);
      const result = model.sendOutgoing(conv.id, content, ctx.user?.id ?? null, raw.private === true);
      if (!result.ok) {
        return sendJson(ctx.res, 422, {
          description: 'Contact is blocked',
          errors: [{ field: 'contact', message: 'is blocked', code: 'blocked' }],
        });
      }
      sendJson(ctx.res, 200, messageJson(result.message, conv));
    }),
    route('POST', `${A}/conversations/:conversation_id/toggle_status`, async (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      const raw = await body(ctx);
      if (!raw) return;
      const status = raw.status;
      let next: Conversation['status'];
      if (status === undefined || status === null || status === '') next = conv.status === 'open' ? 'resolved' : 'open';
      else if (status === 'open' || status === 'pending') next = 'open'; // no bot queue here: pending reads as open
      else if (status === 'resolved') next = 'resolved';
      // The spec's enum is open|resolved|pending: `snoozed` (upstream's extra) is refused like any other value.
      else return unprocessable(ctx.res, `'${String(status)}' is not a valid status`);
      model.setConversationStatus(conv.id, next);
      sendJson(ctx.res, 200, { meta: {}, payload: { success: true, current_status: conv.status, conversation_id: conv.id } });
    }),
    // Outside the spec, used by the dashboard: mute = resolve + block the contact; unmute = unblock.
    route('POST', `${A}/conversations/:conversation_id/mute`, (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      model.setConversationStatus(conv.id, 'resolved');
      model.updateContact(conv.contactId, { status: 'blocked' });
      ctx.res.writeHead(200).end();
    }),
    route('POST', `${A}/conversations/:conversation_id/unmute`, (ctx) => {
      const conv = conversationOr404(ctx);
      if (!conv) return;
      model.updateContact(conv.contactId, { status: 'active' });
      ctx.res.writeHead(200).end();
    }),
  ];

  return {
    resetLimits: () => undefined,
    limiter: null,
    async handle(ctx) {
      const header = ctx.req.headers.api_access_token;
      const token = Array.isArray(header) ? header[0] : header;
      const user = token ? model.userByToken(token.trim()) : undefined;
      if (!user) return sendJson(ctx.res, 401, { error: 'Invalid Access Token' });
      const account = /^\/api\/v1\/accounts\/([^/]+)/.exec(ctx.url.pathname)?.[1];
      if (account !== undefined && account !== String(accountId)) {
        return sendJson(ctx.res, 401, { error: 'You are not authorized to access this account' });
      }
      ctx.user = user;
      const match = matchRoute(routes, ctx.method, ctx.url.pathname);
      if (match.kind !== 'found') return notFound(ctx.res);
      ctx.params = match.params;
      await match.route.handler(ctx);
    },
  };
}
