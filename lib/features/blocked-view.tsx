/**
 * Feature: the "Blocked" view of the conversation list. Blocked contacts' conversations leave
 * the active lists (row-badges.ts hides them); this switch above the list shows them instead,
 * and back. It only appears while the list holds blocked conversations or the view is on.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import buttonCss from '@/components/Button/Button.css?inline';
import { mountShadow, waitForElement } from '../dom';
import { t } from '../i18n';
import { safeQuery } from '../platforms/page';
import { ROW_STATUS } from './row-badges';
import type { Feature } from './types';

export const VIEW_TAG = 'inbox-guard-blocked-view';
const VIEW_ATTRIBUTE = 'data-ig-blocked-view';

function Switch({ doc, list, rowSelector, signal }: { doc: Document; list: Element; rowSelector: string; signal: AbortSignal }) {
  const [count, setCount] = useState(0);
  const [on, setOn] = useState(doc.documentElement.hasAttribute(VIEW_ATTRIBUTE));
  useEffect(() => {
    const recount = () => {
      let blocked = 0;
      try {
        blocked = doc.querySelectorAll(`${rowSelector.split(',').map((part) => `${part.trim()}[${ROW_STATUS}="blocked"]`).join(',')}`).length;
      } catch {
        blocked = 0;
      }
      setCount(blocked);
    };
    // Counting walks the list: at most a few times a second, never once per mutation.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        recount();
      }, 250);
    };
    const observer = new MutationObserver(soon);
    observer.observe(list, { subtree: true, childList: true, attributes: true, attributeFilter: [ROW_STATUS] });
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
    };
    signal.addEventListener('abort', stop, { once: true });
    recount();
    return stop;
  }, [doc, list, rowSelector, signal]);

  if (count === 0 && !on) return null;
  const toggle = () => {
    doc.documentElement.toggleAttribute(VIEW_ATTRIBUTE, !on);
    setOn(!on);
  };
  return (
    <button type="button" class="ig-button ig-view" aria-pressed={on ? 'true' : 'false'} onClick={toggle} data-testid="ig-blocked-view">
      {on ? t('blocked_view_hide') : t('blocked_view_show', count)}
    </button>
  );
}

export const blockedView: Feature = {
  id: 'blocked-view',
  scope: 'page',
  async init(ctx, signal) {
    const { selectors } = ctx.profile;
    const list = await waitForElement(ctx.document, () => safeQuery(ctx.document, selectors.list), signal);
    const { container } = mountShadow(
      ctx.document,
      VIEW_TAG,
      `:host{all:initial;display:block;padding:.4rem .75rem}\n${buttonCss}\n.ig-view{width:100%}`,
      (host) => {
        host.setAttribute('role', 'region');
        host.setAttribute('aria-label', t('blocked_view_label'));
        list.before(host);
      },
      signal,
    );
    render(<Switch doc={ctx.document} list={list} rowSelector={selectors.row} signal={signal} />, container);
    signal.addEventListener(
      'abort',
      () => {
        render(null, container);
        ctx.document.documentElement.removeAttribute(VIEW_ATTRIBUTE);
      },
      { once: true },
    );
  },
};
