/**
 * Turns a raw runtime message into a call of one typed handler, or into a refusal.
 *
 * Order of checks: the envelope parses; the type is in the protocol; the sender is this
 * extension and of a kind allowed for that type (see `senderKind`); the payload parses. Only
 * then is the handler called. Whatever happens, the answer is a `Reply`, never a throw, so
 * a surface always gets something it can show.
 */
import type { Browser } from 'wxt/browser';
import { IgError } from '../errors';
import { Envelope, type Reply, type SenderKind } from '../messaging';
import { protocol, type MessageType, type RequestOf, type ResponseOf } from '../page-messaging';
import { inboxOrigin, type Settings } from '../settings';

export type Sender = Browser.runtime.MessageSender;

export type Handlers = {
  [T in MessageType]: (payload: RequestOf<T>, sender: Sender) => Promise<ResponseOf<T>>;
};

export interface RouterDeps {
  extensionId: string;
  /** Base URL of this extension's own pages (chrome-extension://id/, moz-extension://uuid/). */
  extensionBaseUrl: string;
  loadSettings: () => Promise<Settings | null>;
  log?: (message: string, detail?: unknown) => void;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Who sent this: an extension page, the inbox content script, or nobody we answer. */
export function senderKind(sender: Sender, deps: RouterDeps, settings: Settings | null): SenderKind | null {
  if (sender.id !== deps.extensionId) return null;
  // URL.origin is "null" for extension schemes in some engines: compare the base instead.
  if (sender.url?.startsWith(deps.extensionBaseUrl)) return 'page';
  const origin = originOf(sender.url);
  if (sender.tab && sender.frameId === 0 && settings && origin === inboxOrigin(settings)) return 'inbox';
  return null;
}

export function createRouter(handlers: Handlers, deps: RouterDeps) {
  const fail = (error: unknown): Reply => {
    const igError = IgError.from(error);
    if (igError.code === 'internal') deps.log?.('internal error', error);
    return { ok: false, error: igError.toShape() };
  };

  return async function route(message: unknown, sender: Sender): Promise<Reply> {
    try {
      const envelope = Envelope.safeParse(message);
      if (!envelope.success || !Object.hasOwn(protocol, envelope.data.type)) {
        return fail(new IgError('invalid_request', { detail: 'unknown message' }));
      }
      const type = envelope.data.type as MessageType;
      const spec = protocol[type];
      const kind = senderKind(sender, deps, await deps.loadSettings());
      if (!kind || !(spec.from as readonly SenderKind[]).includes(kind)) {
        return fail(new IgError('sender_refused', { detail: type }));
      }
      const payload = spec.request.safeParse(envelope.data.payload);
      if (!payload.success) {
        return fail(new IgError('invalid_request', { detail: `${type}: ${payload.error.issues[0]?.message ?? ''}` }));
      }
      const handler = handlers[type] as (payload: unknown, sender: Sender) => Promise<unknown>;
      const data = await handler(payload.data, sender);
      return { ok: true, data: spec.response.parse(data) };
    } catch (error) {
      return fail(error);
    }
  };
}
