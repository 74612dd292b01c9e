/**
 * Feature: nothing is sent to a blocked contact. In their conversation the send control and the
 * send key do nothing, a notice above the composer says why and, for admins, offers Unblock right
 * there. Only sending to the contact stops: a private note (the profile's `composerNote` mode)
 * goes as usual — the team may note why they blocked — and a plain Enter stays a new line where
 * it is not the send key (`profile.enterSends`: on Chatwoot 4.10 by default Ctrl/Cmd+Enter
 * sends). The controls the conversation must not use are disabled with their reason: snooze and
 * merge (the seeds: blocked contacts cannot be snoozed or merged), reopen and "mark as pending"
 * (the seeds: a blocked contact's conversation is closed), and the platform's own Block (the
 * contact already is; Chatwoot keeps offering it after a block made elsewhere until a reload).
 *
 * Listeners run in the capture phase, before the page's own; the page's controls get
 * attributes only (`data-ig-locked`, `data-ig-disabled`, `aria-disabled`, `aria-description`),
 * styled by the page stylesheet. A control's own `title` is never replaced (older Chatwoot's
 * merge selector matches on it): the reason becomes its tooltip only where it has none. Each
 * attribute we wrote gets its earlier value back on unblock and teardown, unless the page has
 * changed it since.
 */
import { render } from 'preact';
import buttonCss from '@/components/Button/Button.css?inline';
import { mountShadow } from '../dom';
import { t } from '../i18n';
import type { MessageKey } from '../i18n';
import { safeClosest, safeMatches, safeQuery, safeQueryAll, type SelectorName } from '../platforms/page';
import { canBlock } from '../roles';
import { useStore } from '../ui/store';
import type { ConversationContext, Feature } from './types';

export const NOTICE_TAG = 'inbox-guard-composer';
const LOCKED = 'data-ig-locked';
const DISABLED = 'data-ig-disabled';
const CSS = `:host{all:initial;display:block}
${buttonCss}
.ig-lock{display:flex;align-items:center;gap:.75rem;margin:.25rem 0;padding:.5rem .75rem;border-radius:8px;border:1px solid var(--ig-lock-border,#e6a5a8);background:var(--ig-lock-bg,#fdf1f1);color:var(--ig-lock,#7a1115);font:13px/1.4 system-ui,sans-serif}
.ig-lock__text{flex:1}`;

/** The controls a blocked contact's conversation must not use, each with the reason it says. */
const REFUSED: [SelectorName, MessageKey][] = [
  ['snooze', 'composer_blocked_snooze'],
  ['merge', 'composer_blocked_snooze'],
  ['reopen', 'composer_blocked_reopen'],
  ['markPending', 'composer_blocked_reopen'],
  ['platformBlock', 'reason_already_blocked'],
];

function LockNotice({ ctx, note }: { ctx: ConversationContext; note: boolean }) {
  const { contact, session } = useStore(ctx.store);
  if (contact?.status !== 'blocked') return null;
  return (
    <div class="ig-lock" role="status" data-testid="ig-composer-lock">
      <span class="ig-lock__text">
        {t(note ? 'composer_blocked_note' : 'composer_blocked')} {t('composer_blocked_snooze')}
      </span>
      {canBlock(session.role ?? 'agent') && (
        <button type="button" class="ig-button" onClick={() => ctx.request('unblock')} data-testid="ig-composer-unblock">
          {t('action_unblock')}
        </button>
      )}
    </div>
  );
}

export const composerLock: Feature = {
  id: 'composer-lock',
  scope: 'conversation',
  init(ctx, signal) {
    const { profile } = ctx;
    const { selectors } = profile;
    const doc = ctx.document;
    const blocked = () => ctx.store.get().contact?.status === 'blocked';
    const isNote = (composer: Element | null) => composer !== null && safeMatches(composer, selectors.composerNote);
    let notice: { container: HTMLElement; host: HTMLElement; controller: AbortController; note: boolean } | null = null;
    /** Per marked control: the attributes written, each with the page's earlier value and ours. */
    const marked = new Map<Element, [name: string, previous: string | null, ours: string][]>();
    /** Watches the composer's own attributes: switching to a private note is a class on it. */
    const modeObserver = new MutationObserver(() => {
      if (blocked() || notice) apply();
    });
    let watchedComposer: Element | null = null;

    const unmount = () => {
      if (!notice) return;
      render(null, notice.container);
      notice.controller.abort();
      notice = null;
    };

    const apply = (on = blocked()) => {
      const composer = safeQuery(doc, selectors.composer);
      for (const locked of doc.querySelectorAll(`[${LOCKED}]`)) if (!on || locked !== composer) locked.removeAttribute(LOCKED);
      if (on && composer && !composer.hasAttribute(LOCKED)) composer.setAttribute(LOCKED, '');
      const watched = on ? composer : null;
      if (watched !== watchedComposer) {
        modeObserver.disconnect();
        watchedComposer = watched;
        if (watched) modeObserver.observe(watched, { attributes: true });
      }

      const controls = new Map<Element, MessageKey>();
      if (on) for (const [name, reason] of REFUSED) for (const element of safeQueryAll(doc, selectors[name])) if (!controls.has(element)) controls.set(element, reason);
      for (const [element, written] of marked) {
        if (controls.has(element)) continue;
        element.removeAttribute(DISABLED);
        for (const [name, previous, ours] of written) {
          if (element.getAttribute(name) !== ours) continue;
          if (previous === null) element.removeAttribute(name);
          else element.setAttribute(name, previous);
        }
        marked.delete(element);
      }
      for (const [element, key] of controls) {
        if (marked.has(element)) continue;
        const reason = t(key);
        const marks: [string, string][] = [['aria-disabled', 'true'], ['aria-description', reason]];
        if (!element.hasAttribute('title')) marks.push(['title', reason]);
        marked.set(element, marks.map(([name, ours]) => [name, element.getAttribute(name), ours]));
        element.setAttribute(DISABLED, '');
        for (const [name, ours] of marks) element.setAttribute(name, ours);
      }

      const note = isNote(composer);
      if (on && composer && (!notice || !notice.host.isConnected || notice.host.nextElementSibling !== composer)) {
        unmount();
        const controller = new AbortController();
        signal.addEventListener('abort', () => controller.abort(), { once: true });
        const mounted = mountShadow(doc, NOTICE_TAG, CSS, (host) => composer.before(host), controller.signal);
        notice = { ...mounted, controller, note };
        render(<LockNotice ctx={ctx} note={note} />, mounted.container);
      } else if (!on) {
        unmount();
      } else if (notice && notice.note !== note) {
        notice.note = note;
        render(<LockNotice ctx={ctx} note={note} />, notice.container);
      }
    };

    /** What sends to the contact: the send control, the form's submit, the send key. */
    const sends = (event: Event, composer: Element, element: Element) => {
      if (event.type === 'submit') return true;
      if (event.type === 'click') return safeClosest(element, selectors.send) !== null;
      if (event.type !== 'keydown') return false;
      const key = event as KeyboardEvent;
      if (key.key !== 'Enter' || key.shiftKey) return false;
      // Ctrl/Cmd+Enter sends wherever Enter does not; a plain Enter only where it is the send key.
      return key.ctrlKey || key.metaKey || profile.enterSends(composer);
    };

    const stop = (event: Event) => {
      if (!blocked()) return;
      const node = event.target as Node | null;
      const element = node?.nodeType === Node.ELEMENT_NODE ? (node as Element) : (node?.parentElement ?? null);
      if (!element) return;
      const composer = safeClosest(element, selectors.composer);
      const refused =
        (composer !== null && !isNote(composer) && sends(event, composer, element)) ||
        (event.type === 'click' && element.closest(`[${DISABLED}]`) !== null);
      if (!refused) return;
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    for (const type of ['keydown', 'click', 'submit']) doc.addEventListener(type, stop, { capture: true, signal });

    // The page re-renders its composer and controls: the marks follow, while there are marks.
    const observer = new MutationObserver(() => {
      if (blocked() || marked.size > 0 || notice) apply();
    });
    let watching = false;
    const watch = (on: boolean) => {
      if (on === watching) return;
      watching = on;
      if (on) observer.observe(doc, { childList: true, subtree: true });
      else observer.disconnect();
    };
    watch(blocked());
    let status = ctx.store.get().contact?.status;
    const unsubscribe = ctx.store.subscribe((state) => {
      if (state.contact?.status === status) return;
      status = state.contact?.status;
      apply();
      watch(blocked() || marked.size > 0 || notice !== null);
    });
    signal.addEventListener(
      'abort',
      () => {
        observer.disconnect();
        unsubscribe();
        apply(false);
        modeObserver.disconnect();
      },
      { once: true },
    );
    apply();
  },
};
