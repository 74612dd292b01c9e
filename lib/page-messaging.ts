/**
 * The protocol entries only the extension's own pages (options, popup) may send, and the whole
 * map the background routes (lib/background/router.ts). Content scripts never import this file.
 */
import { Identity } from './platforms/types';
import { z } from './schema';
import { inboxResponses, send } from './messaging';
import { StatusAction } from './roles';
import { Settings } from './settings';

/** An id from a page: short, and well-formed Unicode (a lone surrogate cannot go into a URL). */
const id = z.string().check(
  z.minLength(1),
  z.maxLength(200),
  z.refine((value) => value.isWellFormed()),
);

/** A conversation row of the list, as the page shows it. */
const RowKey = z.object({
  key: z.string().check(z.maxLength(300)),
  conversationId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
});


/** What a right-click landed on: a row (its conversation or contact name) or the open conversation. */
const MenuTarget = z.object({
  conversationId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
});


/** What content scripts may ask: the request, who may send it, and the answer. */
export const inboxProtocol = {
  'overlay.hello': { from: ['inbox'], request: z.object({}), response: inboxResponses['overlay.hello'] },
  'contact.status': {
    from: ['inbox'],
    request: z.object({ conversationId: id, refresh: z.optional(z.boolean()) }),
    response: inboxResponses['contact.status'],
  },
  'contact.setStatus': {
    from: ['inbox', 'page'],
    request: z.object({
      conversationId: z.optional(id),
      contactId: id,
      action: StatusAction,
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
});

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
