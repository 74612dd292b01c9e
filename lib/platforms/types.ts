/**
 * What every platform adapter offers the background, whatever API it speaks.
 *
 * lib/platforms/<name>/api.ts turns one platform's HTTP API into this interface; the
 * background (lib/background/) only ever talks to `PlatformApi`. Contacts are reduced to the
 * three statuses the seeds describe (active, archived, blocked); each adapter says in its
 * header how its platform stores them.
 */
import { z } from '../schema';
import type { Answered } from '../outbox/rate-limit';

export const ContactStatus = z.enum(['active', 'archived', 'blocked']);
export type ContactStatus = z.infer<typeof ContactStatus>;

export const Role = z.enum(['owner', 'admin', 'manager', 'agent']);
export type Role = z.infer<typeof Role>;

export const Contact = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.optional(z.string()),
  email: z.optional(z.string()),
  status: ContactStatus,
});
export type Contact = z.infer<typeof Contact>;

export const Identity = z.object({
  userName: z.string(),
  userEmail: z.optional(z.string()),
  role: Role,
  /**
   * `assumed` when the platform could not tell the role and least privilege applies; `policy`
   * when the pinned role (settings or the organisation's policy) lowered the platform's.
   */
  roleSource: z.enum(['platform', 'assumed', 'policy']),
  accountId: z.string(),
  accountName: z.optional(z.string()),
});
export type Identity = z.infer<typeof Identity>;

export interface Page<T> {
  items: T[];
  hasMore: boolean;
  /** How many there are in all, when the platform says. */
  total?: number;
}

export interface PlatformApi {
  /** The signed-in user and their role in the configured account. */
  whoAmI(): Promise<Identity>;
  getContact(contactId: string): Promise<Contact>;
  /** The contact a conversation (Chatwoot) or session (Helena) belongs to. */
  contactOfConversation(conversationId: string): Promise<Contact>;
  /** Contacts whose phone is exactly this E.164 number (whatever their status). */
  findByPhone(e164: string): Promise<Contact[]>;
  /** Contacts whose e-mail is exactly this address, case aside (whatever their status). */
  findByEmail(email: string): Promise<Contact[]>;
  /** Contacts matching free text (name, phone, e-mail), whatever their status; one page. */
  search(text: string): Promise<Contact[]>;
  /** One page (from 1) of the blocked or archived contacts. */
  listByStatus(status: 'blocked' | 'archived', page: number): Promise<Page<Contact>>;
  /** Moves a contact to `status`, with the platform's side effects (closing conversations). */
  setStatus(contactId: string, status: ContactStatus): Promise<Contact>;
  /**
   * The side effects of `status` alone, for a change the platform already holds (a worker
   * stopped between the steps of a multi-step change). Idempotent.
   */
  finishStatus(contactId: string, status: ContactStatus): Promise<void>;
  /** Closes (resolves) one conversation. */
  closeConversation(conversationId: string): Promise<void>;
  /** The ids of a contact's conversations (sessions), newest first where the platform says. */
  conversationsOf(contactId: string): Promise<string[]>;
}

/** What the background needs to build any platform client. */
export interface ApiDeps {
  baseUrl: string;
  fetch: typeof fetch;
  getToken: () => Promise<string | null>;
  /**
   * Resolves when one more request may go out (the client-side rate limit), with what to call
   * when its answer arrives (and the Retry-After it carried, if any).
   */
  throttle?: () => Promise<Answered | void>;
}
