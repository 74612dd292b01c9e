/**
 * Chatwoot (cloud or self-hosted) as a `PlatformApi`.
 *
 * Facts from ../shared/contracts/chatwoot/FACTS.md and application_swagger.json:
 * - auth is the header `api_access_token` (§1); every path is under /api/v1/accounts/{id};
 * - block is `PUT …/contacts/{id}` `{ blocked: true }` (§2). Upstream Chatwoot does not close
 *   conversations on block, so this adapter resolves the contact's open ones with
 *   `POST …/conversations/{id}/toggle_status` (§4), as the seeds say blocking does;
 * - Chatwoot has no contact archive. Archive is two custom attributes, `inbox_guard_archived`
 *   (true, what the archived list filters on with the spec's `equal_to`) and
 *   `inbox_guard_archived_at` (epoch seconds), plus resolving open conversations; unarchive
 *   clears both. The seeds say an
 *   archived contact is reactivated when they write again; Chatwoot does not do that, so a
 *   contact whose `last_activity_at` is later than the archive time reads as active, and this
 *   adapter clears the attribute on the server when it sees that;
 * - the role is `GET /api/v1/profile` → `accounts[].role` (administrator | agent) for the
 *   configured account (§3). Upstream lets agents block; the extension's role gate stops them.
 */
import { z } from '../../schema';
import { IgError } from '../../errors';
import { createHttp, idSegment, type PlatformQuirks } from '../http';
import { CHATWOOT_ID } from '../ids';
import { toE164 } from '../../phone';
import type { ApiDeps, Contact, ContactStatus, Identity, Page, PlatformApi } from '../types';

export const ARCHIVED_FLAG = 'inbox_guard_archived';
export const ARCHIVED_AT = 'inbox_guard_archived_at';

const text = z.nullish(z.string());

export const ChatwootContact = z.object({
  id: z.number(),
  name: text,
  email: text,
  phone_number: text,
  blocked: z.nullish(z.boolean()),
  custom_attributes: z.nullish(z.record(z.string(), z.unknown())),
  last_activity_at: z.nullish(z.number()),
});
export type ChatwootContact = z.infer<typeof ChatwootContact>;

const ContactShow = z.object({ payload: ChatwootContact });

/** contacts_list_response: list, search and filter (15 a page). */
export const ContactList = z.object({
  meta: z.object({ count: z.number(), current_page: z.optional(z.union([z.string(), z.number()])) }),
  payload: z.array(ChatwootContact),
});

const PAGE_SIZE = 15;

export const ChatwootConversation = z.object({
  id: z.number(),
  status: z.string(),
});

const ConversationShow = z.object({
  id: z.number(),
  status: z.string(),
  meta: z.object({ sender: ChatwootContact }),
});

const ContactConversations = z.object({ payload: z.array(ChatwootConversation) });

const StatusToggle = z.object({
  payload: z.object({ success: z.boolean(), current_status: z.optional(z.string()) }),
});

export const ChatwootProfile = z.object({
  id: z.number(),
  name: text,
  available_name: text,
  email: text,
  accounts: z.array(z.object({ id: z.number(), name: text, role: text })),
});

const quirks: PlatformQuirks = {
  authHeaders: (token) => ({ api_access_token: token }),
  errorText(body) {
    if (!body || typeof body !== 'object') return undefined;
    const record = body as Record<string, unknown>;
    if (typeof record.description === 'string') return record.description;
    if (typeof record.message === 'string') return record.message;
    if (typeof record.error === 'string') return record.error;
    if (Array.isArray(record.errors)) return record.errors.map(String).join('; ');
    return undefined;
  },
};

function archivedAt(contact: ChatwootContact): number | undefined {
  if (contact.custom_attributes?.[ARCHIVED_FLAG] !== true) return undefined;
  const value = contact.custom_attributes[ARCHIVED_AT];
  return typeof value === 'number' && value > 0 ? value : 0;
}

const archive = (at: number) => ({ [ARCHIVED_FLAG]: true, [ARCHIVED_AT]: at });
const unarchive = { [ARCHIVED_FLAG]: false, [ARCHIVED_AT]: null };

/** Archived unless the contact wrote after the archive time (then the seeds say: active). */
export function chatwootStatus(contact: ChatwootContact): { status: ContactStatus; staleArchive: boolean } {
  if (contact.blocked) return { status: 'blocked', staleArchive: false };
  const at = archivedAt(contact);
  if (at === undefined) return { status: 'active', staleArchive: false };
  if ((contact.last_activity_at ?? 0) > at) return { status: 'active', staleArchive: true };
  return { status: 'archived', staleArchive: false };
}

function toContact(dto: ChatwootContact): Contact {
  return {
    id: String(dto.id),
    name: dto.name || dto.phone_number || dto.email || String(dto.id),
    phone: (dto.phone_number && toE164(dto.phone_number)) || undefined,
    email: dto.email || undefined,
    status: chatwootStatus(dto).status,
  };
}

export interface ChatwootOptions extends ApiDeps {
  accountId: string;
  /** Seconds since the epoch; injectable for tests. */
  now?: () => number;
}

export function createChatwootApi(options: ChatwootOptions): PlatformApi {
  const request = createHttp(options, quirks);
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const account = `/api/v1/accounts/${encodeURIComponent(options.accountId)}`;
  // Contact and conversation ids are integers; anything else is refused before a request.
  const id = (value: string) => idSegment(value, CHATWOOT_ID, 'Chatwoot');

  const update = async (contactId: string, body: Record<string, unknown>) => {
    const result = await request({
      method: 'PUT',
      path: `${account}/contacts/${id(contactId)}`,
      body,
      // The spec documents 204 (with a body); servers answer 200 { payload }. Accept both.
      schema: z.union([ContactShow, z.undefined()]),
    });
    if (result) return result.payload;
    return (await request({ method: 'GET', path: `${account}/contacts/${id(contactId)}`, schema: ContactShow }))
      .payload;
  };

  /** Reads a contact, clearing an archive the contact has since written past. */
  const settle = async (dto: ChatwootContact): Promise<Contact> => {
    if (chatwootStatus(dto).staleArchive) {
      return toContact(await update(String(dto.id), { custom_attributes: unarchive }));
    }
    return toContact(dto);
  };

  /** Resolves one conversation; Chatwoot answers `success: false` when it did not. */
  const resolve = async (conversationId: string) => {
    const answer = await request({
      method: 'POST',
      path: `${account}/conversations/${id(conversationId)}/toggle_status`,
      body: { status: 'resolved' },
      schema: StatusToggle,
    });
    if (!answer.payload.success) {
      throw new IgError('rejected', { detail: `conversation ${conversationId} was not resolved` });
    }
  };

  const resolveOpenConversations = async (contactId: string) => {
    const { payload } = await request({
      method: 'GET',
      path: `${account}/contacts/${id(contactId)}/conversations`,
      schema: ContactConversations,
    });
    for (const conversation of payload) {
      // Snoozed conversations are still live (Chatwoot reports them as "snoozed").
      if (!['open', 'pending', 'snoozed'].includes(conversation.status)) continue;
      await resolve(String(conversation.id));
    }
  };

  const searchContacts = async (q: string) =>
    (await request({ method: 'GET', path: `${account}/contacts/search`, query: { q, page: 1 }, schema: ContactList })).payload;

  const filterPage = async (payload: unknown[], page: number): Promise<Page<ChatwootContact>> => {
    const answer = await request({
      method: 'POST',
      path: `${account}/contacts/filter`,
      query: { page },
      body: { payload },
      schema: ContactList,
    });
    return { items: answer.payload, hasMore: page * PAGE_SIZE < answer.meta.count, total: answer.meta.count };
  };

  return {
    async conversationsOf(contactId) {
      const { payload } = await request({
        method: 'GET',
        path: `${account}/contacts/${id(contactId)}/conversations`,
        schema: ContactConversations,
      });
      // Conversation ids grow with time: the newest first.
      return payload.map((conversation) => conversation.id).sort((a, b) => b - a).map(String);
    },

    async whoAmI(): Promise<Identity> {
      const profile = await request({ method: 'GET', path: '/api/v1/profile', schema: ChatwootProfile });
      const membership = profile.accounts.find((entry) => String(entry.id) === options.accountId);
      if (!membership) throw new IgError('account_not_found', { detail: options.accountId });
      return {
        userName: profile.available_name || profile.name || profile.email || String(profile.id),
        userEmail: profile.email || undefined,
        role: membership.role === 'administrator' ? 'admin' : 'agent',
        roleSource: membership.role === 'administrator' || membership.role === 'agent' ? 'platform' : 'assumed',
        accountId: options.accountId,
        accountName: membership.name || undefined,
      };
    },

    async getContact(contactId) {
      const { payload } = await request({
        method: 'GET',
        path: `${account}/contacts/${id(contactId)}`,
        schema: ContactShow,
      });
      return settle(payload);
    },

    async contactOfConversation(conversationId) {
      const conversation = await request({
        method: 'GET',
        path: `${account}/conversations/${id(conversationId)}`,
        schema: ConversationShow,
      });
      return settle(conversation.meta.sender);
    },

    async findByPhone(e164) {
      return (await searchContacts(e164)).map(toContact).filter((contact) => contact.phone === e164);
    },

    async findByEmail(email) {
      const wanted = email.trim().toLowerCase();
      return (await searchContacts(email.trim())).map(toContact).filter((contact) => contact.email?.toLowerCase() === wanted);
    },

    search: async (text) => (await searchContacts(text.trim())).map(toContact),

    async listByStatus(status, page) {
      // Filter values are strings in the spec, booleans included.
      const conditions =
        status === 'blocked'
          ? [{ attribute_key: 'blocked', filter_operator: 'equal_to', values: ['true'], query_operator: null }]
          : [
              { attribute_key: ARCHIVED_FLAG, filter_operator: 'equal_to', values: ['true'], query_operator: 'AND' },
              { attribute_key: 'blocked', filter_operator: 'equal_to', values: ['false'], query_operator: null },
            ];
      const answer = await filterPage(conditions, page);
      // A contact who wrote after the archive is active again (see the header), not archived.
      const items = answer.items.map(toContact).filter((contact) => contact.status === status);
      return { ...answer, items };
    },

    async finishStatus(contactId, status) {
      if (status !== 'active') await resolveOpenConversations(contactId);
    },

    closeConversation: resolve,

    async setStatus(contactId, status) {
      let dto: ChatwootContact;
      if (status === 'blocked') {
        dto = await update(contactId, { blocked: true });
      } else if (status === 'archived') {
        // Never earlier than the contact's own last activity: a server clock ahead of ours must
        // not make the archive look already "written past".
        const current = await request({ method: 'GET', path: `${account}/contacts/${id(contactId)}`, schema: ContactShow });
        const at = Math.max(now(), current.payload.last_activity_at ?? 0);
        dto = await update(contactId, { blocked: false, custom_attributes: archive(at) });
      } else {
        dto = await update(contactId, { blocked: false, custom_attributes: unarchive });
      }
      if (status !== 'active') await resolveOpenConversations(contactId);
      const contact = toContact(dto);
      if (contact.status !== status) {
        throw new IgError('invalid_response', { detail: `status is ${contact.status} after setting ${status}` });
      }
      return contact;
    },
  };
}
