/**
 * The protocol between content scripts, extension pages and the background: this file holds
 * what content scripts may ask (their bundle carries only these schemas); lib/page-messaging.ts
 * adds what only extension pages may ask, and is the map the background routes.
 *
 * Every message is `{ type, payload }`; `protocol` gives, per type, the zod schema of the
 * payload and of the answer and who may send it ("inbox": this extension's content script in
 * the top frame of the configured inbox origin; "page": an extension page such as options).
 * The background validates both and answers `{ ok: true, data } | { ok: false, error }`.
 * Events the background pushes to tabs (`events`) are validated the same way on arrival.
 * No message ever carries a URL to fetch or a token back to a tab.
 */
import type { inboxProtocol } from './page-messaging';
import { z } from './schema';
import { browser } from 'wxt/browser';
import { ErrorShape, IgError } from './errors';
import { StatusAction } from './roles';
import { ContactStatus, Role } from './platforms/types';
import { SelectorOverrides } from './platforms/page';
import { ApiStyle, PlatformId } from './platforms/ids';

export const PendingView = z.object({
  action: StatusAction,
  state: z.enum(['queued', 'sending', 'paused', 'failed']),
  error: z.optional(ErrorShape),
  nextAt: z.optional(z.number()),
});
export type PendingView = z.infer<typeof PendingView>;

/**
 * A contact as the overlay shows it: `status` is what it will be once the pending action
 * lands (the local blocklist acts at once, even offline); `confirmed` is what the platform
 * last said.
 */
export const ContactView = z.object({
  id: z.string(),
  name: z.string(),
  status: ContactStatus,
  confirmed: ContactStatus,
  statusSince: z.number(),
  blockedAt: z.optional(z.number()),
  /**
   * For platforms whose message ids grow with time (Chatwoot): the last message id the page
   * showed when the block was made; later ones were sent after the block.
   */
  blockedAfterOrder: z.optional(z.number()),
  pending: z.optional(PendingView),
});
export type ContactView = z.infer<typeof ContactView>;

export const Session = z.object({
  active: z.boolean(),
  platform: z.optional(PlatformId),
  apiStyle: z.optional(ApiStyle),
  role: z.optional(Role),
  roleSource: z.optional(z.enum(['platform', 'assumed', 'policy'])),
  userName: z.optional(z.string()),
  /** The configured account (where the platform's addresses carry one). */
  accountId: z.optional(z.string()),
  /** The admin's selector overrides for this platform's page profile. */
  selectors: z.optional(SelectorOverrides),
  error: z.optional(ErrorShape),
});
export type Session = z.infer<typeof Session>;

/** A conversation row of the list, as the page shows it. */
export interface RowKey {
  key: string;
  conversationId?: string;
  name?: string;
}

export const RowStatus = z.object({ key: z.string(), status: ContactStatus, pending: z.boolean() });
export type RowStatus = z.infer<typeof RowStatus>;

/** A blocked contact in the page's Blocked view, with their conversations (newest first, at most 5). */
export const BlockedRow = z.object({
  contactId: z.string(),
  name: z.string(),
  /** The block is still on its way to the platform. */
  pending: z.boolean(),
  conversations: z.array(z.string()),
});
export type BlockedRow = z.infer<typeof BlockedRow>;

/** What a right-click landed on: a row (its conversation or contact name) or the open conversation. */
export interface MenuTarget {
  conversationId?: string;
  name?: string;
}



/**
 * The answers to what content scripts may ask: all a content script needs to check what comes
 * back. The requests' schemas and who may send each (lib/page-messaging.ts) stay in the
 * background's bundle.
 */
export const inboxResponses = {
  'overlay.hello': Session,
  'contact.status': ContactView,
  'contact.setStatus': ContactView,
  'rows.status': z.object({ statuses: z.array(RowStatus) }),
  'blocked.conversations': z.object({ total: z.number(), rows: z.array(BlockedRow) }),
  'menu.target': z.object({}),
  'tab.hidden': z.object({}),
  'options.open': z.object({}),
} as const;

export type InboxMessageType = keyof typeof inboxResponses;
type InboxRequest<T extends InboxMessageType> = z.infer<(typeof inboxProtocol)[T]['request']>;
type InboxResponse<T extends InboxMessageType> = z.infer<(typeof inboxResponses)[T]>;

export type SenderKind = 'inbox' | 'page';

export const Envelope = z.object({ type: z.string(), payload: z.unknown() });

export const Reply = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorShape }),
]);
export type Reply = z.infer<typeof Reply>;

/** Sends `{ type, payload }` and returns the answer validated by `responseSchema`, or throws `IgError`. */
export async function send<R>(responseSchema: z.ZodMiniType<R>, type: string, payload: unknown): Promise<R> {
  let raw: unknown;
  try {
    raw = await browser.runtime.sendMessage({ type, payload });
  } catch (error) {
    throw new IgError('internal', { detail: error instanceof Error ? error.message : String(error) });
  }
  const reply = Reply.safeParse(raw);
  if (!reply.success) throw new IgError('internal', { detail: `unexpected reply to ${type}` });
  if (!reply.data.ok) throw IgError.fromShape(reply.data.error);
  const data = responseSchema.safeParse(reply.data.data);
  if (!data.success) throw new IgError('internal', { detail: `malformed reply to ${type}` });
  return data.data;
}

/** A content script asks the background; the answer comes back validated, or an `IgError`. */
export function ask<T extends InboxMessageType>(type: T, payload: InboxRequest<T>): Promise<InboxResponse<T>> {
  return send(inboxResponses[type] as unknown as z.ZodMiniType<InboxResponse<T>>, type, payload);
}

/** What the background pushes to open inbox tabs. */
export const InboxEvent = z.union([
  z.object({ type: z.literal('contact.changed'), contact: ContactView }),
  /** Many contacts changed at once (a sync): whatever the page shows is to be asked again. */
  z.object({ type: z.literal('contacts.resynced'), count: z.number() }),
  z.object({ type: z.literal('session.changed'), session: Session }),
  /** The user chose an action from the context menu: ask them to confirm it on the page. */
  z.object({
    type: z.literal('menu.confirm'),
    action: StatusAction,
    /** With the status, so the page refuses what the role may not do before any dialog. */
    contact: z.object({ id: z.string(), name: z.string(), status: ContactStatus }),
    conversationId: z.optional(z.string()),
  }),
  /** A keyboard shortcut, for the open conversation. */
  z.object({ type: z.literal('command'), command: z.enum(['toggle-block', 'toggle-archive']) }),
  /** Something to tell the user on the page (e.g. no contact matches the selected number). */
  z.object({ type: z.literal('notice'), error: ErrorShape }),
]);
export type InboxEvent = z.infer<typeof InboxEvent>;
