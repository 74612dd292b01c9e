/**
 * Feature: the composer of a blocked contact's conversation is locked — the send control and
 * Enter do nothing, a notice says why and, for admins, offers Unblock right there — and the
 * snooze and merge controls are disabled (the seeds: blocked contacts cannot be snoozed or
 * merged). Listeners run in the capture phase, before the page's own; the page's controls get
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
import { safeClosest, safeQuery, safeQueryAll } from '../platforms/page';
import { canBlock } from '../roles';
import { useStore } from '../ui/store';
import type { ConversationContext, Feature } from './types';

export const NOTICE_TAG = 'inbox-guard-composer';
const LOCKED = 'data-ig-locked';
const DISABLED = 'data-ig-disabled';
const CSS = `:host{all:initial;display:block}
${buttonCss}
.ig-lock{display:flex;align-items:center;gap:.75rem;margin:.25rem 0;padding:.5rem .75rem;border-radius:8px;border:1px solid #e6a5a8;background:#fdf1f1;color:#7a1115;font:13px/1.4 system-ui,sans-serif}
.ig-lock__text{flex:1}`;

function LockNotice({ ctx }: { ctx: ConversationContext }) {
  const { contact, session } = useStore(ctx.store);
  if (contact?.status !== 'blocked') return null;
  return (
    <div class="ig-lock" role="status" data-testid="ig-composer-lock">
      <span class="ig-lock__text">
        {t('composer_blocked')} {t('composer_blocked_snooze')}
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
    const { selectors } = ctx.profile;
    const doc = ctx.document;
    const blocked = () => ctx.store.get().contact?.status === 'blocked';
    let notice: { container: HTMLElement; host: HTMLElement; controller: AbortController } | null = null;
    /** Per marked control: the attributes written, each with the page's earlier value and ours. */
    const marked = new Map<Element, [name: string, previous: string | null, ours: string][]>();

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

      const controls = on ? [...safeQueryAll(doc, selectors.snooze), ...safeQueryAll(doc, selectors.merge)] : [];
      for (const [element, written] of marked) {
        if (controls.includes(element)) continue;
        element.removeAttribute(DISABLED);
        for (const [name, previous, ours] of written) {
          if (element.getAttribute(name) !== ours) continue;
          if (previous === null) element.removeAttribute(name);
          else element.setAttribute(name, previous);
        }
        marked.delete(element);
      }
      for (const element of controls) {
        if (marked.has(element)) continue;
        const reason = t('composer_blocked_snooze');
        const marks: [string, string][] = [['aria-disabled', 'true'], ['aria-description', reason]];
        if (!element.hasAttribute('title')) marks.push(['title', reason]);
        marked.set(element, marks.map(([name, ours]) => [name, element.getAttribute(name), ours]));
        element.setAttribute(DISABLED, '');
        for (const [name, ours] of marks) element.setAttribute(name, ours);
      }

      if (on && composer && (!notice || !notice.host.isConnected || notice.host.nextElementSibling !== composer)) {
        unmount();
        const controller = new AbortController();
        signal.addEventListener('abort', () => controller.abort(), { once: true });
        const mounted = mountShadow(doc, NOTICE_TAG, CSS, (host) => composer.before(host), controller.signal);
        notice = { ...mounted, controller };
        render(<LockNotice ctx={ctx} />, mounted.container);
      } else if (!on) {
        unmount();
      }
    };

    const stop = (event: Event) => {
      if (!blocked()) return;
      const node = event.target as Node | null;
      const element = node?.nodeType === Node.ELEMENT_NODE ? (node as Element) : (node?.parentElement ?? null);
      if (!element) return;
      const composer = safeClosest(element, selectors.composer);
      const refused =
        (event.type === 'submit' && composer !== null) ||
        (event.type === 'keydown' && composer !== null && (event as KeyboardEvent).key === 'Enter' && !(event as KeyboardEvent).shiftKey) ||
        (event.type === 'click' && ((composer !== null && safeClosest(element, selectors.send) !== null) || element.closest(`[${DISABLED}]`) !== null));
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
      },
      { once: true },
    );
    apply();
  },
};
