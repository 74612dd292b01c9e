/**
 * The feature manager: owns the overlay's lifecycle on an inbox page.
 *
 * It asks the background whether this page is the configured inbox (`overlay.hello`), picks
 * the page profile (with the admin's selector overrides), installs the page stylesheet, starts
 * the page features once, and, for each conversation the page opens (single-page navigation
 * included), loads the contact's status and starts the conversation features with their own
 * AbortSignal. Navigating away aborts the conversation's signal; the extension being updated or
 * reloaded (the WXT context is invalidated, for instance when a newer copy of this script
 * starts) aborts everything, and every feature removes what it added. A feature that throws is
 * logged and the others go on. Events from the background update the store.
 *
 * From document start until the background answers, an open conversation's incoming messages
 * wait (`html[data-ig-checking]`, at most HOLD_MS): hide-blocked then holds them until the
 * contact's status is known, so a blocked contact's are never painted after a reload.
 */
import { browser, type Browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { IgError } from '../errors';
import { ask, InboxEvent, type Session } from '../messaging';
import { safeQueryAll, type PageProfile } from '../platforms/page';
import type { ContactStatus } from '../platforms/types';
import { refusal, stepsTo, targetStatus, type StatusAction } from '../roles';
import { createStore, type Store } from '../ui/store';
import { HOLD_MS } from './hide-blocked';
import { CHECKING, checkingCss, installPageStyle, pageCss } from './page-style';
import type { ConversationContext, Feature, FeatureContext, OverlayState, Target } from './types';

export interface ManagerOptions {
  ctx: ContentScriptContext;
  features: Feature[];
  profileFor(session: Session): PageProfile | null;
  /** Before the session is known: the incoming-message selector of a conversation at `url` (lib/platforms/pages.ts). */
  incomingAt?(url: URL): string;
  document?: Document;
  log?: (message: string, error?: unknown) => void;
}

const REVERSE: Record<StatusAction, StatusAction> = { block: 'unblock', unblock: 'block', archive: 'unarchive', unarchive: 'archive' };

export async function startFeatureManager(options: ManagerOptions): Promise<Store<OverlayState> | null> {
  const { ctx, features } = options;
  const doc = options.document ?? document;
  const log = options.log ?? ((message, error) => console.warn(`[Inbox Guard] ${message}`, error ?? ''));

  const root = doc.documentElement;
  const early = options.incomingAt?.(new URL(location.href)) ?? '';
  const guard = early ? installPageStyle(doc, checkingCss(early)) : null;
  root.toggleAttribute(CHECKING, Boolean(guard));
  const guardTimer = setTimeout(() => root.removeAttribute(CHECKING), HOLD_MS);
  const unguard = () => {
    clearTimeout(guardTimer);
    root.removeAttribute(CHECKING);
  };

  let session: Session | undefined;
  try {
    session = await ask('overlay.hello', {});
  } catch (error) {
    // Not the configured inbox, or not configured at all: stay out of the page.
    if (!(error instanceof IgError) || (error.code !== 'sender_refused' && error.code !== 'not_configured')) {
      log('could not start', error);
    }
  }
  const profile = session && options.profileFor(session);
  if (!session?.active || !profile || ctx.isInvalid) {
    guard?.remove();
    unguard();
    return null;
  }

  const store = createStore<OverlayState>({
    session,
    conversationId: null,
    contact: null,
    loading: false,
    error: null,
    pending: null,
    done: null,
    hiddenCount: 0,
    reveal: false,
    confirm: null,
    undo: null,
    notice: null,
  }, (error) => log('a store listener failed', error));

  const statuses = new Map<string, ContactStatus>();
  store.subscribe(({ conversationId, contact }) => {
    if (conversationId && contact) statuses.set(conversationId, contact.status);
  });
  const page = new AbortController();
  const listeners = new Set<(event: InboxEvent) => void>();
  const domWatchers = new Set<(records: MutationRecord[]) => void>();
  let current: { id: string; controller: AbortController } | null = null;

  const load = async (conversationId: string, refresh: boolean, lastOrder?: number) => {
    store.set({ loading: true, error: null });
    try {
      const contact = await ask('contact.status', { conversationId, refresh, ...(lastOrder === undefined ? {} : { lastOrder }) });
      if (current?.id === conversationId) store.set({ contact, loading: false });
    } catch (error) {
      if (current?.id === conversationId) store.set({ loading: false, error: IgError.from(error).toShape() });
    }
  };

  /** The last message order the open conversation shows (platforms whose ids grow with time). */
  const lastOrder = (): number | undefined => {
    let last: number | undefined;
    for (const node of safeQueryAll(doc, profile.selectors.message)) {
      const order = profile.readMessage(node)?.order;
      if (order !== undefined && (last === undefined || order > last)) last = order;
    }
    return last;
  };

  const openTarget = (): Target | undefined => {
    const { contact, conversationId } = store.get();
    return contact ? { contactId: contact.id, name: contact.name, status: contact.status, ...(conversationId ? { conversationId } : {}) } : undefined;
  };

  const context: FeatureContext = {
    profile,
    store,
    statuses,
    document: doc,
    request(action, target) {
      const chosen = target ?? openTarget();
      if (!chosen) return;
      // The same gate as the buttons: an action the role forbids is explained, not offered.
      const reason = chosen.status ? refusal(store.get().session.role ?? 'agent', chosen.status, action) : null;
      if (reason === 'reason_admin_only') store.set({ notice: { code: 'role_forbidden' } });
      else if (reason) store.set({ notice: { code: 'invalid_transition', detail: reason } });
      else store.set({ confirm: { action, target: chosen } });
    },
    async run(action, target, { undo = false, andThen } = {}) {
      const chosen = target ?? openTarget();
      if (!chosen) return;
      const before = store.get().contact;
      const isOpen = chosen.contactId === before?.id;
      if (isOpen && store.get().pending) return;
      // The answer may come after the user moved to another conversation: it is then theirs no more.
      const started = current;
      const stillOpen = () => isOpen && current === started && store.get().contact?.id === chosen.contactId;
      // What Undo restores: the status before this action (archived → block → undo: archived).
      const from = (isOpen ? before?.status : undefined) ?? chosen.status;
      const order = action === 'block' && isOpen ? lastOrder() : undefined;
      if (isOpen && before) {
        // The badge shows the new status in the same frame; the background confirms (or not).
        const now = Date.now();
        const status = targetStatus[andThen ?? action];
        store.set({
          pending: andThen ?? action,
          error: null,
          done: null,
          contact: {
            ...before,
            status,
            statusSince: now,
            ...(status === 'blocked' ? { blockedAt: now, ...(order === undefined ? {} : { blockedAfterOrder: order }) } : {}),
            pending: { action: andThen ?? action, state: 'sending' },
          },
        });
      }
      try {
        const updated = await ask('contact.setStatus', {
          contactId: chosen.contactId,
          action,
          ...(andThen ? { andThen } : {}),
          ...(chosen.conversationId ? { conversationId: chosen.conversationId } : {}),
          ...(order === undefined ? {} : { lastOrder: order }),
        });
        if (stillOpen()) store.set({ contact: updated, pending: null, done: updated.pending ? null : (andThen ?? action) });
        const [back, next] = from ? stepsTo(updated.status, from) : [REVERSE[action]];
        store.set({
          undo: undo || !back ? null : { action: back, ...(next ? { andThen: next } : {}), target: { ...chosen, status: updated.status }, done: action, at: Date.now() },
        });
      } catch (error) {
        const shape = IgError.from(error).toShape();
        if (stillOpen()) {
          // Refused: what the user sees goes back to what the platform has.
          const shown = store.get().contact;
          store.set({ pending: null, error: shape, ...(shown?.pending?.state === 'sending' && before ? { contact: before } : {}) });
        } else {
          store.set({ notice: shape });
        }
      }
    },
    refresh: async () => {
      // Where the thread stands: the block's point if the platform says they were blocked meanwhile.
      if (current) await load(current.id, true, lastOrder());
    },
    onEvent(listener, signal) {
      listeners.add(listener);
      signal.addEventListener('abort', () => listeners.delete(listener), { once: true });
    },
    onDomChange(callback, signal) {
      domWatchers.add(callback);
      signal.addEventListener('abort', () => domWatchers.delete(callback), { once: true });
    },
  };

  const start = (feature: Feature, featureContext: FeatureContext | ConversationContext, signal: AbortSignal) => {
    try {
      const started = (feature.init as (c: typeof featureContext, s: AbortSignal) => void | Promise<void>)(featureContext, signal);
      if (started instanceof Promise) {
        started.catch((error: unknown) => {
          if (!signal.aborted) log(`feature ${feature.id} failed`, error);
        });
      }
    } catch (error) {
      log(`feature ${feature.id} failed`, error);
    }
  };

  const open = (conversationId: string) => {
    const controller = new AbortController();
    page.signal.addEventListener('abort', () => controller.abort(), { once: true });
    current = { id: conversationId, controller };
    store.set({ conversationId, contact: null, error: null, pending: null, done: null, hiddenCount: 0 });
    const conversation: ConversationContext = { ...context, conversationId };
    for (const feature of features) if (feature.scope === 'conversation') start(feature, conversation, controller.signal);
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
    const url = new URL(href);
    const account = profile.accountId?.(url);
    const otherAccount = account != null && session.accountId !== undefined && account !== session.accountId;
    const id = otherAccount ? null : profile.conversationId(url);
    if (id === current?.id) return;
    close();
    store.set({ conversationId: id, contact: null, hiddenCount: 0 });
    if (id) open(id);
  };

  const style = installPageStyle(doc, pageCss(profile.selectors, { virtualList: profile.virtualList }));
  for (const feature of features) if (feature.scope === 'page') start(feature, context, page.signal);

  // Single-page apps change the address without a load: look after each DOM change (a string
  // compare), on history moves, and on WXT's own location polling.
  const navigationObserver = new MutationObserver((records) => {
    sync();
    for (const watcher of domWatchers) watcher(records);
  });
  navigationObserver.observe(doc, { childList: true, subtree: true });
  ctx.addEventListener(window, 'popstate', sync);
  ctx.addEventListener(window, 'wxt:locationchange', sync);

  const onMessage = (message: unknown, sender: Browser.runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id || sender.tab) return;
    const event = InboxEvent.safeParse(message);
    if (!event.success) return;
    const data = event.data;
    // Which conversations a newly blocked contact has is not known here: forget them all.
    if (data.type === 'contacts.resynced' || (data.type === 'contact.changed' && data.contact.status === 'blocked')) statuses.clear();
    if (data.type === 'contact.changed') {
      if (store.get().contact?.id === data.contact.id) store.set({ contact: data.contact });
    } else if (data.type === 'contacts.resynced') {
      if (current) void load(current.id, false);
    } else if (data.type === 'session.changed') {
      const hadError = Boolean(store.get().session.error);
      store.set({ session: data.session });
      if (hadError && !data.session.error && current) void load(current.id, true);
    } else if (data.type === 'menu.confirm') {
      context.request(data.action, {
        contactId: data.contact.id,
        name: data.contact.name,
        status: data.contact.status,
        ...(data.conversationId ? { conversationId: data.conversationId } : {}),
      });
    } else if (data.type === 'notice') {
      store.set({ notice: data.error });
    }
    for (const listener of listeners) {
      try {
        listener(data);
      } catch (error) {
        log(`an event listener failed on ${data.type}`, error);
      }
    }
  };
  browser.runtime.onMessage.addListener(onMessage);

  // An orphaned copy (the extension was updated or reloaded) notices within a second and
  // removes itself, instead of showing buttons that can no longer reach the background.
  ctx.setInterval(() => void ctx.isInvalid, 1_000);

  ctx.onInvalidated(() => {
    navigationObserver.disconnect();
    try {
      browser.runtime.onMessage.removeListener(onMessage);
    } catch {
      // Orphaned: the extension API is already gone, and the listener with it.
    }
    page.abort(new DOMException('extension context invalidated', 'AbortError'));
    current = null;
    style.remove();
    for (const attribute of ['data-ig-reveal', 'data-ig-blocked-view', 'data-ig-theme', CHECKING]) doc.documentElement.removeAttribute(attribute);
  });

  // The open conversation's own hold (hide-blocked) takes over in this same task.
  unguard();
  sync();
  return store;
}

