/**
 * Helena (and its white labels WTS Chat, FLW, Conecta, Chatspot) as a `PlatformApi`.
 *
 * Facts from ../shared/contracts/helena/FACTS.md:
 * - auth is `Authorization: Bearer pn_…`, an account-level token (§2);
 * - a contact carries `status` ACTIVE | ARCHIVED | BLOCKED and is changed with
 *   `PUT /core/v2/contact/{id}` `{ fields: ["Status"], status }` (§4; attributes not named in
 *   `fields` are ignored, so "Status" is always named);
 * - a conversation is a session; `GET /chat/v2/session/{id}` gives its `contactId` (§5);
 * - there is no "who am I": the user names their agent (e-mail) in the options, and the role
 *   comes from that agent's `profile` and `isOwner` in `GET /core/v1/agent`, a bare array (§6).
 *   When no agent matches, least privilege (agent) applies;
 * - errors: `error: true` in the body (even with 2xx), and "not found" comes back as HTTP 500
 *   with `key: "FORM_ERROR"` (§8, third-party observation).
 * Helena itself closes the session on block and reactivates an archived contact who writes.
 */
import { z } from '../../schema';
import { IgError } from '../../errors';
import { e164Digits, toE164 } from '../../phone';
import { createHttp, idSegment, type PlatformQuirks } from '../http';
import { HELENA_ID } from '../ids';
import type { ApiDeps, Contact, ContactStatus, Identity, Page, PlatformApi, Role } from '../types';

const HelenaStatus = z.enum(['ACTIVE', 'ARCHIVED', 'BLOCKED']);

const text = z.nullish(z.string());

export const HelenaContact = z.object({
  id: z.string(),
  name: text,
  nameWhatsapp: text,
  phoneNumber: text,
  email: text,
  status: HelenaStatus,
  companyId: text,
});

/** The paged envelope of list and filter answers (FACTS.md §4 "Pagination envelope"). */
export const HelenaPage = z.object({
  pageNumber: z.optional(z.number()),
  pageSize: z.optional(z.number()),
  totalItems: z.optional(z.number()),
  totalPages: z.optional(z.number()),
  hasMorePages: z.boolean(),
  items: z.array(HelenaContact),
});

export const HelenaSession = z.object({
  id: z.string(),
  contactId: z.string(),
  companyId: text,
  status: text,
});

/** `GET /chat/v1/session` (FACTS §5): the pagination envelope around sessions. */
const HelenaSessionPage = z.object({ items: z.array(z.object({ id: z.string() })) });

export const HelenaAgent = z.object({
  id: z.string(),
  userId: text,
  companyId: text,
  name: text,
  email: text,
  profile: text,
  isOwner: z.nullish(z.boolean()),
});

const ErrorBody = z.object({
  error: z.optional(z.unknown()),
  key: z.optional(z.string()),
  text: z.optional(z.string()),
  message: z.optional(z.string()),
});

const quirks: PlatformQuirks = {
  authHeaders: (token) => ({ Authorization: `Bearer ${token}` }),
  errorText(body) {
    const parsed = ErrorBody.safeParse(body);
    return parsed.success ? (parsed.data.text ?? parsed.data.message ?? parsed.data.key) : undefined;
  },
  isErrorBody: (body) => ErrorBody.safeParse(body).data?.error === true,
  classify(status, body) {
    const parsed = ErrorBody.safeParse(body).data;
    if (parsed?.key === 'FORM_ERROR' && /not found|não encontrad|introuvable/i.test(parsed.text ?? '')) {
      return new IgError('not_found', { status, detail: parsed.text });
    }
    if (parsed?.key === 'FORM_ERROR') return new IgError('rejected', { status, detail: parsed.text });
    return undefined;
  },
};

const toStatus: Record<z.infer<typeof HelenaStatus>, ContactStatus> = {
  ACTIVE: 'active',
  ARCHIVED: 'archived',
  BLOCKED: 'blocked',
};
const fromStatus: Record<ContactStatus, z.infer<typeof HelenaStatus>> = {
  active: 'ACTIVE',
  archived: 'ARCHIVED',
  blocked: 'BLOCKED',
};

/** Helena stores phones as "+55|11987654321". */
export function helenaPhoneToE164(raw: string | null | undefined): string | undefined {
  return raw ? (toE164(raw) ?? undefined) : undefined;
}

function toContact(dto: z.infer<typeof HelenaContact>): Contact {
  return {
    id: dto.id,
    name: dto.name || dto.nameWhatsapp || helenaPhoneToE164(dto.phoneNumber) || dto.email || dto.id,
    phone: helenaPhoneToE164(dto.phoneNumber),
    email: dto.email || undefined,
    status: toStatus[dto.status],
  };
}

export function helenaRole(agent: z.infer<typeof HelenaAgent>): Role {
  if (agent.isOwner) return 'owner';
  return agent.profile === 'Admin' ? 'admin' : 'agent';
}

const STATUSES = ['ACTIVE', 'ARCHIVED', 'BLOCKED'] as const;
const PAGE_SIZE = 100;

export interface HelenaOptions extends ApiDeps {
  /** The e-mail of the agent the user says they are (Helena tokens do not say). */
  agentEmail?: string;
}

export function createHelenaApi(options: HelenaOptions): PlatformApi {
  const request = createHttp(options, quirks);
  // Contact and session ids are uuids; anything else is refused before a request (never a path).
  const path = (id: string) => idSegment(id, HELENA_ID, 'Helena');

  const getContact = async (contactId: string) =>
    toContact(await request({ method: 'GET', path: `/core/v1/contact/${path(contactId)}`, schema: HelenaContact }));

  /** The filter answers one status at a time (default ACTIVE), so "any status" is three asks. */
  const filterAnyStatus = async (criteria: Record<string, string>): Promise<Contact[]> => {
    const pages = await Promise.all(
      STATUSES.map((status) =>
        request({
          method: 'POST',
          path: '/core/v1/contact/filter',
          body: { ...criteria, status, pageNumber: 1, pageSize: PAGE_SIZE },
          schema: HelenaPage,
        }),
      ),
    );
    return pages.flatMap((page) => page.items.map(toContact));
  };

  return {
    async whoAmI(): Promise<Identity> {
      // A token limited in scope may not list agents (403): where no role can be established,
      // the least privilege applies. A refused token (401) is still an error.
      const agents = await request({ method: 'GET', path: '/core/v1/agent', schema: z.array(HelenaAgent) }).catch((error: unknown) => {
        if (error instanceof IgError && error.code === 'forbidden') return [];
        throw error;
      });
      const email = options.agentEmail?.trim().toLowerCase();
      const me = email ? agents.find((agent) => agent.email?.toLowerCase() === email) : undefined;
      const accountId = me?.companyId ?? agents.find((agent) => agent.companyId)?.companyId ?? 'default';
      if (!me) {
        return { userName: options.agentEmail || '?', role: 'agent', roleSource: 'assumed', accountId };
      }
      return {
        userName: me.name || me.email || me.id,
        userEmail: me.email || undefined,
        role: helenaRole(me),
        roleSource: 'platform',
        accountId,
      };
    },

    getContact,

    async contactOfConversation(sessionId) {
      const session = await request({
        method: 'GET',
        path: `/chat/v2/session/${path(sessionId)}`,
        schema: HelenaSession,
      });
      return getContact(session.contactId);
    },

    async findByPhone(e164) {
      try {
        const dto = await request({
          method: 'GET',
          path: `/core/v1/contact/phonenumber/${e164Digits(e164)}`,
          schema: HelenaContact,
        });
        return [toContact(dto)];
      } catch (error) {
        if (error instanceof IgError && error.code === 'not_found') return [];
        throw error;
      }
    },

    async findByEmail(email) {
      const wanted = email.trim().toLowerCase();
      return (await filterAnyStatus({ email: email.trim() })).filter((contact) => contact.email?.toLowerCase() === wanted);
    },

    search: (text) => filterAnyStatus({ textFilter: text.trim() }),

    async listByStatus(status, page): Promise<Page<Contact>> {
      const answer = await request({
        method: 'POST',
        path: '/core/v1/contact/filter',
        body: { status: fromStatus[status], pageNumber: page, pageSize: PAGE_SIZE },
        schema: HelenaPage,
      });
      // Only what the platform says has that status (a filter that ignored `status` lists all).
      const items = answer.items.map(toContact).filter((contact) => contact.status === status);
      return { items, hasMore: answer.hasMorePages, total: answer.totalItems };
    },

    async conversationsOf(contactId) {
      // FACTS §5: the session list filtered by `ContactId`, 1–100 a page.
      const answer = await request({
        method: 'GET',
        path: '/chat/v1/session',
        query: { ContactId: path(contactId), PageNumber: 1, PageSize: PAGE_SIZE },
        schema: HelenaSessionPage,
      });
      return answer.items.map((session) => session.id);
    },

    // Helena applies a status in one request and closes sessions itself.
    finishStatus: async () => undefined,

    async closeConversation(sessionId) {
      await request({
        method: 'PUT',
        path: `/chat/v1/session/${path(sessionId)}/complete`,
        body: { reactivateOnNewMessage: false, stopBotInExecution: true },
        schema: z.unknown(),
      });
    },

    async setStatus(contactId, status) {
      const updated = toContact(
        await request({
          method: 'PUT',
          path: `/core/v2/contact/${path(contactId)}`,
          body: { fields: ['Status'], status: fromStatus[status] },
          schema: HelenaContact,
        }),
      );
      if (updated.status !== status) {
        throw new IgError('invalid_response', { detail: `status is ${updated.status} after setting ${status}` });
      }
      return updated;
    },
  };
}
