/**
 * The one protocol between content scripts, extension pages and the background.
 *
 * Every message is `{ type, payload }`; `protocol` gives, per type, the zod schema of the
 * payload and of the answer and who may send it ("inbox": this extension's content script in
 * the top frame of the configured inbox origin; "page": an extension page such as options).
 * The background validates both and answers `{ ok: true, data } | { ok: false, error }`.
 * Events the background pushes to tabs (`events`) are validated the same way on arrival.
 * No message ever carries a URL to fetch or a token back to a tab.
 */
import { z } from './schema';
import { browser } from 'wxt/browser';
import { ErrorShape, IgError } from './errors';
import { StatusAction } from './roles';
import { ContactStatus, Identity, Role } from './platforms/types';
import { SelectorOverrides } from './platforms/page';
import { ApiStyle, PlatformId, Settings } from './settings';

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
  roleSource: z.optional(z.enum(['platform', 'assumed'])),
  userName: z.optional(z.string()),
  /** The configured account (where the platform's addresses carry one). */
  accountId: z.optional(z.string()),
  /** The admin's selector overrides for this platform's page profile. */
  selectors: z.optional(SelectorOverrides),
  error: z.optional(ErrorShape),
});
export type Session = z.infer<typeof Session>;

/** A conversation row of the list, as the page shows it. */
export const RowKey = z.object({
  key: z.string().check(z.maxLength(300)),
  conversationId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
});
export type RowKey = z.infer<typeof RowKey>;

export const RowStatus = z.object({ key: z.string(), status: ContactStatus, pending: z.boolean() });
export type RowStatus = z.infer<typeof RowStatus>;

/** What a right-click landed on: a row (its conversation or contact name) or the open conversation. */
export const MenuTarget = z.object({
  conversationId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
});
export type MenuTarget = z.infer<typeof MenuTarget>;

/** An id from a page: short, and well-formed Unicode (a lone surrogate cannot go into a URL). */
const id = z.string().check(
  z.minLength(1),
  z.maxLength(200),
  z.refine((value) => value.isWellFormed()),
);

export const SettingsSummary = z.object({
  settings: z.nullable(Settings),
  hasToken: z.boolean(),
  /** Whether the browser still lets the extension reach the configured server. */
  access: z.optional(z.enum(['granted', 'missing'])),
});

export const protocol = {
  'overlay.hello': {
    from: ['inbox'],
    request: z.object({}),
    response: Session,
  },
  'contact.status': {
    from: ['inbox'],
    request: z.object({ conversationId: id, refresh: z.optional(z.boolean()) }),
    response: ContactView,
  },
  'contact.setStatus': {
    from: ['inbox', 'page'],
    request: z.object({
      conversationId: z.optional(id),
      contactId: id,
      action: StatusAction,
      /** The last message order the page showed (see `blockedAfterOrder`). */
      lastOrder: z.optional(z.number().check(z.int(), z.nonnegative())),
    }),
    response: ContactView,
  },
  'rows.status': {
    from: ['inbox'],
    request: z.object({ rows: z.array(RowKey).check(z.maxLength(500)) }),
    response: z.object({ statuses: z.array(RowStatus) }),
  },
  'menu.target': {
    from: ['inbox'],
    request: MenuTarget,
    response: z.object({}),
  },
  'tab.hidden': {
    from: ['inbox'],
    request: z.object({ count: z.number().check(z.int(), z.nonnegative()) }),
    response: z.object({}),
  },
  'options.open': {
    from: ['inbox'],
    request: z.object({}),
    response: z.object({}),
  },
  'settings.get': {
    from: ['page'],
    request: z.object({}),
    response: SettingsSummary,
  },
  'settings.save': {
    from: ['page'],
    request: z.object({
      settings: Settings,
      token: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(4096))),
    }),
    response: SettingsSummary,
  },
  'connection.test': {
    from: ['page'],
    request: z.object({}),
    response: Identity,
  },
} as const;

export type MessageType = keyof typeof protocol;
export type RequestOf<T extends MessageType> = z.infer<(typeof protocol)[T]['request']>;
export type ResponseOf<T extends MessageType> = z.infer<(typeof protocol)[T]['response']>;
export type SenderKind = 'inbox' | 'page';

export const Envelope = z.object({ type: z.string(), payload: z.unknown() });

export const Reply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorShape }),
]);
export type Reply = z.infer<typeof Reply>;

/** Sends a request to the background and returns its validated answer, or throws `IgError`. */
export async function ask<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  let raw: unknown;
  try {
    raw = await browser.runtime.sendMessage({ type, payload });
  } catch (error) {
    throw new IgError('internal', { detail: error instanceof Error ? error.message : String(error) });
  }
  const reply = Reply.safeParse(raw);
  if (!reply.success) throw new IgError('internal', { detail: `unexpected reply to ${type}` });
  if (!reply.data.ok) throw IgError.fromShape(reply.data.error);
  const data = protocol[type].response.safeParse(reply.data.data);
  if (!data.success) throw new IgError('internal', { detail: `malformed reply to ${type}` });
  return data.data as ResponseOf<T>;
}

/** What the background pushes to open inbox tabs. */
export const InboxEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('contact.changed'), contact: ContactView }),
  z.object({ type: z.literal('session.changed'), session: Session }),
  /** The user chose an action from the context menu: ask them to confirm it on the page. */
  z.object({
    type: z.literal('menu.confirm'),
    action: StatusAction,
    contact: z.object({ id: z.string(), name: z.string() }),
    conversationId: z.optional(z.string()),
  }),
  /** A keyboard shortcut, for the open conversation. */
  z.object({ type: z.literal('command'), command: z.enum(['toggle-block', 'toggle-archive']) }),
  /** Something to tell the user on the page (e.g. no contact matches the selected number). */
  z.object({ type: z.literal('notice'), error: ErrorShape }),
]);
export type InboxEvent = z.infer<typeof InboxEvent>;
