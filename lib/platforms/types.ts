/**
 * What every platform adapter offers the background, whatever API it speaks.
 *
 * lib/platforms/<name>/api.ts turns one platform's HTTP API into this interface; the
 * background (lib/background/) only ever talks to `PlatformApi`. Contacts are reduced to the
 * three statuses the seeds describe (active, archived, blocked); each adapter says in its
 * header how its platform stores them.
 */
import { z } from '../schema';

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
  /** `assumed` when the platform could not tell the role and least privilege applies. */
  roleSource: z.enum(['platform', 'assumed']),
  accountId: z.string(),
  accountName: z.optional(z.string()),
});
export type Identity = z.infer<typeof Identity>;

export interface PlatformApi {
  /** The signed-in user and their role in the configured account. */
  whoAmI(): Promise<Identity>;
  getContact(contactId: string): Promise<Contact>;
  /** The contact a conversation (Chatwoot) or session (Helena) belongs to. */
  contactOfConversation(conversationId: string): Promise<Contact>;
  /** Moves a contact to `status`, with the platform's side effects (closing conversations). */
  setStatus(contactId: string, status: ContactStatus): Promise<Contact>;
}

/** What the background needs to build any platform client. */
export interface ApiDeps {
  baseUrl: string;
  fetch: typeof fetch;
  getToken: () => Promise<string | null>;
}
