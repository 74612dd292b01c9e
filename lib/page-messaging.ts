/**
 * The protocol entries only the extension's own pages (options, popup) may send, and the whole
 * map the background routes (lib/background/router.ts). Content scripts never import this file.
 */
import { SAFE_ID } from './platforms/ids';
import { ContactStatus, Identity, Role } from './platforms/types';
import { z } from './schema';
import { ErrorShape } from './errors';
import { inboxResponses, PendingView, send, Session } from './messaging';
import { StatusAction } from './roles';
import { Settings } from './settings';

/**
 * An id from a page (a contact, a conversation, a job): the shape every platform's ids have
 * (lib/platforms/ids.ts SAFE_ID), so never ".", "..", empty, nor anything a URL reads as syntax.
 * The adapters then hold it to their platform's own shape (uuid, digits) before any request.
 */
const id = z.string().check(z.regex(SAFE_ID));

/** A conversation row of the list, as the page shows it. */
const RowKey = z.object({
  key: z.string().check(z.maxLength(300)),
  conversationId: z.optional(id),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
});


/** What a right-click landed on: a row (its conversation or contact name) or the open conversation. */
const MenuTarget = z.object({
  conversationId: z.optional(id),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
});


/** What content scripts may ask: the request, who may send it, and the answer. */
export const inboxProtocol = {
  'overlay.hello': { from: ['inbox'], request: z.object({}), response: inboxResponses['overlay.hello'] },
  'contact.status': {
    from: ['inbox'],
    request: z.object({
      conversationId: id,
      refresh: z.optional(z.boolean()),
      /**
       * With `refresh`: the last message order the page shows, kept as the block's point when
       * the platform says the contact became blocked since last read (blocked elsewhere).
       */
      lastOrder: z.optional(z.number().check(z.int(), z.nonnegative())),
    }),
    response: inboxResponses['contact.status'],
  },
  'contact.setStatus': {
    from: ['inbox', 'page'],
    request: z.object({
      conversationId: z.optional(id),
      contactId: id,
      action: StatusAction,
      /**
       * A second action right after the first (Undo from blocked back to archived: unblock,
       * then archive); both pass the gate, the outbox holds them as one change.
       */
      andThen: z.optional(StatusAction),
      /** The last message order the page showed (see ContactView.blockedAfterOrder). */
      lastOrder: z.optional(z.number().check(z.int(), z.nonnegative())),
    }),
    response: inboxResponses['contact.setStatus'],
  },
  'rows.status': {
    from: ['inbox'],
    request: z.object({ rows: z.array(RowKey).check(z.maxLength(500)) }),
    response: inboxResponses['rows.status'],
  },
  'blocked.conversations': {
    from: ['inbox'],
    request: z.object({
      offset: z.number().check(z.int(), z.nonnegative()),
      limit: z.number().check(z.int(), z.positive(), z.lte(50)),
      /** The rows' conversations too (the view is open), asked of the platform where unknown. */
      withConversations: z.boolean(),
    }),
    response: inboxResponses['blocked.conversations'],
  },
  'menu.target': { from: ['inbox'], request: MenuTarget, response: inboxResponses['menu.target'] },
  'tab.hidden': {
    from: ['inbox'],
    request: z.object({ count: z.number().check(z.int(), z.nonnegative()) }),
    response: inboxResponses['tab.hidden'],
  },
  'options.open': { from: ['inbox'], request: z.object({}), response: inboxResponses['options.open'] },
} as const;

export const SettingsSummary = z.object({
  settings: z.nullable(Settings),
  hasToken: z.boolean(),
  /** Whether the browser still lets the extension reach the configured server. */
  access: z.optional(z.enum(['granted', 'missing'])),
  /** Settings fields the organisation's policy (storage.managed) sets: shown locked. */
  locked: z.optional(z.array(z.string())),
});

/** The two lists of the panel (the seeds' "chave de arquivados ou bloqueados"). */
export const ListStatus = z.enum(['blocked', 'archived']);
export type ListStatus = z.infer<typeof ListStatus>;

/** A contact in the panel's lists: the effective status (pending action on top). */
export const ContactRow = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.optional(z.string()),
  email: z.optional(z.string()),
  status: ContactStatus,
  confirmed: ContactStatus,
  statusSince: z.number(),
  pending: z.optional(PendingView),
  note: z.optional(z.string()),
});
export type ContactRow = z.infer<typeof ContactRow>;

const Who = z.object({ userName: z.string(), role: Role });

/** A bulk job (many contacts, one action) or an import (rows with their own status). */
export const JobView = z.object({
  id: z.string(),
  kind: z.enum(['bulk', 'import']),
  /** The bulk action; an import's rows carry their own target status. */
  action: z.optional(StatusAction),
  state: z.enum(['running', 'paused', 'cancelled', 'done']),
  total: z.number(),
  /** Applied on the platform (or already in the wanted status). */
  done: z.number(),
  failed: z.number(),
  /** Not applied on purpose: no matching contact, refused by the role gate, cancelled. */
  skipped: z.number(),
  createdAt: z.number(),
  finishedAt: z.optional(z.number()),
  /** Time left at the platform's rate limit, ms (while running), from where its windows stand now. */
  estimateMs: z.optional(z.number()),
  /**
   * While running: the next request waits for the platform until then (ms since the epoch),
   * for a full rate-limit window or for the Retry-After the platform sent.
   */
  waitingUntil: z.optional(z.number()),
  waitingFor: z.optional(z.enum(['rate_limit', 'retry_after'])),
  by: Who,
});
export type JobView = z.infer<typeof JobView>;

/** One row of a job's report. */
export const JobItemView = z.object({
  n: z.number(),
  /** What the row named: `id:123`, `phone:+5511…` or `email:a@b.c`. */
  key: z.string(),
  target: ContactStatus,
  state: z.enum(['waiting', 'queued', 'done', 'failed', 'not_found', 'refused', 'cancelled']),
  contactId: z.optional(z.string()),
  contactName: z.optional(z.string()),
  error: z.optional(ErrorShape),
});
export type JobItemView = z.infer<typeof JobItemView>;

/** An action waiting in the outbox or failed there. */
export const OutboxView = z.object({
  seq: z.number(),
  contactId: z.string(),
  contactName: z.string(),
  action: StatusAction,
  state: z.enum(['queued', 'sending', 'paused', 'failed']),
  attempts: z.number(),
  nextAt: z.number(),
  createdAt: z.number(),
  error: z.optional(ErrorShape),
  jobId: z.optional(z.string()),
  by: Who,
});
export type OutboxView = z.infer<typeof OutboxView>;

/** Who did what to whom, when, and how it ended. */
export const ActivityView = z.object({
  seq: z.number(),
  at: z.number(),
  contactId: z.string(),
  contactName: z.string(),
  action: StatusAction,
  by: Who,
  result: z.enum(['done', 'failed', 'discarded']),
  error: z.optional(ErrorShape),
  jobId: z.optional(z.string()),
});
export type ActivityView = z.infer<typeof ActivityView>;

/**
 * One row of an import or export file: who (contact id, E.164 phone or e-mail; at least one),
 * the status they should have, and a note. Parsed and checked by lib/transfer/ before it is
 * sent; checked again here.
 */
export const TransferRow = z.object({
  contactId: z.optional(id),
  phone: z.optional(z.string().check(z.regex(/^\+[1-9]\d{6,14}$/))),
  email: z.optional(z.string().check(z.maxLength(320))),
  status: ContactStatus,
  note: z.optional(z.string().check(z.maxLength(500))),
  /** Export only: the contact's name. */
  name: z.optional(z.string()),
});
export type TransferRow = z.infer<typeof TransferRow>;

export const MAX_IMPORT_ROWS = 100_000;

/** The Find view: the shortest query sent to the platform, and the most rows shown. */
export const FIND_MIN_QUERY = 2;
export const FIND_LIMIT = 50;

/** What the panel shows at the top: who am I, the lists' sizes, what waits. */
export const PanelState = z.object({
  session: Session,
  accountName: z.optional(z.string()),
  counts: z.object({ blocked: z.number(), archived: z.number() }),
  outbox: z.object({ queued: z.number(), failed: z.number(), paused: z.number() }),
  jobs: z.array(JobView),
  lastSyncAt: z.optional(z.number()),
  syncing: z.boolean(),
});
export type PanelState = z.infer<typeof PanelState>;

/** What only the extension's own pages (options, popup) may ask. */
export const pageProtocol = {
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
  'panel.state': { from: ['page'], request: z.object({}), response: PanelState },
  /** A window of one list, searched by name, phone or e-mail (case and accents aside). */
  'contacts.list': {
    from: ['page'],
    request: z.object({
      status: ListStatus,
      query: z.optional(z.string().check(z.maxLength(200))),
      offset: z.number().check(z.int(), z.nonnegative()),
      limit: z.number().check(z.int(), z.positive(), z.lte(500)),
    }),
    response: z.object({ total: z.number(), rows: z.array(ContactRow) }),
  },
  /**
   * Contacts on the platform matching a name, phone or e-mail, whatever their status (the
   * panel's Find view: the way to active contacts, which no local list holds). At most
   * FIND_LIMIT rows; `more` when the platform answered more than that.
   */
  'contacts.find': {
    from: ['page'],
    request: z.object({ query: z.string().check(z.trim(), z.minLength(FIND_MIN_QUERY), z.maxLength(200)) }),
    response: z.object({ rows: z.array(ContactRow).check(z.maxLength(FIND_LIMIT)), more: z.boolean() }),
  },
  /** One action on many contacts, as a durable job through the outbox. */
  'bulk.start': {
    from: ['page'],
    request: z.object({ action: StatusAction, contactIds: z.array(id).check(z.minLength(1), z.maxLength(MAX_IMPORT_ROWS)) }),
    response: JobView,
  },
  /** Rows already checked by the panel: written to the local list at once, applied as a job. */
  'import.apply': {
    from: ['page'],
    request: z.object({ rows: z.array(TransferRow).check(z.minLength(1), z.maxLength(MAX_IMPORT_ROWS)) }),
    response: JobView,
  },
  'export.rows': {
    from: ['page'],
    request: z.object({ statuses: z.array(ListStatus).check(z.minLength(1)) }),
    response: z.object({ rows: z.array(TransferRow) }),
  },
  'jobs.list': { from: ['page'], request: z.object({}), response: z.object({ jobs: z.array(JobView) }) },
  'job.items': {
    from: ['page'],
    request: z.object({
      id,
      /** Only rows in these states (the report: failed, not found, refused). */
      states: z.optional(z.array(JobItemView.shape.state)),
      offset: z.number().check(z.int(), z.nonnegative()),
      limit: z.number().check(z.int(), z.positive(), z.lte(500)),
    }),
    response: z.object({ total: z.number(), items: z.array(JobItemView) }),
  },
  'job.cancel': { from: ['page'], request: z.object({ id }), response: JobView },
  'outbox.list': { from: ['page'], request: z.object({}), response: z.object({ items: z.array(OutboxView) }) },
  'outbox.retry': { from: ['page'], request: z.object({ seq: z.number().check(z.int()) }), response: z.object({}) },
  'outbox.discard': { from: ['page'], request: z.object({ seq: z.number().check(z.int()) }), response: z.object({}) },
  'activity.list': {
    from: ['page'],
    request: z.object({
      /** Entries older than this seq (paging back). */
      before: z.optional(z.number().check(z.int())),
      limit: z.number().check(z.int(), z.positive(), z.lte(200)),
    }),
    response: z.object({ entries: z.array(ActivityView) }),
  },
  'sync.now': { from: ['page'], request: z.object({}), response: z.object({ changed: z.number(), at: z.number() }) },
} as const;

/** The whole protocol, as the background routes it. */
export const protocol = { ...inboxProtocol, ...pageProtocol };

export type MessageType = keyof typeof protocol;
export type RequestOf<T extends MessageType> = z.infer<(typeof protocol)[T]['request']>;
export type ResponseOf<T extends MessageType> = z.infer<(typeof protocol)[T]['response']>;

/** An extension page asks the background anything in the protocol. */
export function askAny<T extends MessageType>(type: T, payload: RequestOf<T>): Promise<ResponseOf<T>> {
  return send(protocol[type].response as unknown as z.ZodMiniType<ResponseOf<T>>, type, payload);
}
