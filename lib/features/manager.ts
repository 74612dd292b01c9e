/**
 * The feature manager: owns the overlay's lifecycle on an inbox page.
 *
 * It asks the background whether this page is the configured inbox (`overlay.hello`), then,
 * for each conversation the page opens (single-page navigation included), loads the contact's
 * status and starts every feature with an AbortSignal. Navigating away, the extension being
 * updated or reloaded (the WXT context is invalidated), or the session ending aborts that
 * signal, and features remove what they added. A feature that throws is logged and the others
 * go on. Events from the background (status changed elsewhere, sign-in lost) update the store.
 */
import { browser, type Browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { IgError } from '../errors';
import { ask, InboxEvent, type Session } from '../messaging';
import type { PageProfile } from '../platforms/page';
import type { StatusAction } from '../roles';
import { createStore, type Store } from '../ui/store';
import type { ConversationContext, Feature, OverlayState } from './types';

export interface ManagerOptions {
  ctx: ContentScriptContext;
  features: Feature[];
  profileFor(session: Session): PageProfile | null;
  document?: Document;
  log?: (message: string, error?: unknown) => void;
}

export async function startFeatureManager(options: ManagerOptions): Promise<Store<OverlayState> | null> {
  const { ctx, features } = options;
  const doc = options.document ?? document;
  const log = options.log ?? ((message, error) => console.warn(`[Inbox Guard] ${message}`, error ?? ''));

  let session: Session;
  try {
    session = await ask('overlay.hello', {});
  } catch (error) {
    // Not the configured inbox, or not configured at all: stay out of the page.
    if (!(error instanceof IgError) || (error.code !== 'sender_refused' && error.code !== 'not_configured')) {
      log('could not start', error);
    }
    return null;
  }
  const profile = options.profileFor(session);
  if (!session.active || !profile || ctx.isInvalid) return null;

  const store = createStore<OverlayState>({
    session,
    conversationId: null,
    contact: null,
    loading: false,
    error: null,
    pending: null,
    done: null,
  });

  let current: { id: string; controller: AbortController } | null = null;

  const load = async (conversationId: string, refresh: boolean) => {
    store.set({ loading: true, error: null });
    try {
      const contact = await ask('contact.status', { conversationId, refresh });
      if (current?.id === conversationId) store.set({ contact, loading: false });
    } catch (error) {
      if (current?.id === conversationId) store.set({ loading: false, error: IgError.from(error).toShape() });
    }
  };

  const run = async (conversationId: string, action: StatusAction) => {
    const contact = store.get().contact;
    if (!contact || store.get().pending) return;
    store.set({ pending: action, error: null, done: null });
    try {
      const updated = await ask('contact.setStatus', { conversationId, contactId: contact.id, action });
      if (current?.id === conversationId) store.set({ contact: updated, pending: null, done: updated.pending ? null : action });
    } catch (error) {
      if (current?.id === conversationId) store.set({ pending: null, error: IgError.from(error).toShape() });
    }
  };

  const open = (conversationId: string) => {
    const controller = new AbortController();
    current = { id: conversationId, controller };
    store.set({ conversationId, contact: null, error: null, pending: null, done: null });
    const context: ConversationContext = {
      profile,
      conversationId,
      store,
      document: doc,
      run: (action) => run(conversationId, action),
      refresh: () => load(conversationId, true),
    };
    for (const feature of features) {
      try {
        const started = feature.init(context, controller.signal);
        if (started instanceof Promise) {
          started.catch((error: unknown) => {
            if (!controller.signal.aborted) log(`feature ${feature.id} failed`, error);
          });
        }
      } catch (error) {
        log(`feature ${feature.id} failed`, error);
      }
    }
    void load(conversationId, false);
  };

  const close = () => {
    current?.controller.abort(new DOMException('conversation closed', 'AbortError'));
    current = null;
  };

  let lastHref = '';
  const sync = () => {
    if (ctx.isInvalid) return;
    const href = location.href;
    if (href === lastHref) return;
    lastHref = href;
    const id = profile.conversationId(new URL(href));
    if (id === current?.id) return;
    close();
    store.set({ conversationId: id, contact: null });
    if (id) open(id);
  };

  // Single-page apps change the address without a load: look after each DOM change (a string
  // compare), on history moves, and on WXT's own location polling.
  const navigationObserver = new MutationObserver(sync);
  navigationObserver.observe(doc, { childList: true, subtree: true });
  ctx.addEventListener(window, 'popstate', sync);
  ctx.addEventListener(window, 'wxt:locationchange', sync);

  const onEvent = (message: unknown, sender: Browser.runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id || sender.tab) return;
    const event = InboxEvent.safeParse(message);
    if (!event.success) return;
    if (event.data.type === 'contact.changed') {
      const { contact } = store.get();
      if (contact?.id === event.data.contact.id) store.set({ contact: event.data.contact });
      return;
    }
    const hadError = Boolean(store.get().session.error);
    store.set({ session: event.data.session });
    if (hadError && !event.data.session.error && current) void load(current.id, true);
  };
  browser.runtime.onMessage.addListener(onEvent);

  ctx.onInvalidated(() => {
    navigationObserver.disconnect();
    browser.runtime.onMessage.removeListener(onEvent);
    close();
  });

  sync();
  return store;
}
