/**
 * Feature: the action bar (status badge, Block/Unblock, Archive/Unarchive, hidden-messages
 * pill) in the conversation header, in its own shadow root so the page's CSS and ours never
 * meet. It takes the form that fits the header without taking the page's own text away
 * (lib/fit.ts): the full bar, or the badge with a menu of the same actions.
 */
import { render } from 'preact';
import { ActionBar } from '@/components/ActionBar/ActionBar';
import actionBarCss from '@/components/ActionBar/ActionBar.css?inline';
import actionMenuCss from '@/components/ActionMenu/ActionMenu.css?inline';
import buttonCss from '@/components/Button/Button.css?inline';
import badgeCss from '@/components/StatusBadge/StatusBadge.css?inline';
import { mountShadow, waitForElement } from '../dom';
import { keepFitted } from '../fit';
import { ask } from '../messaging';
import { safeQuery } from '../platforms/page';
import { useStore } from '../ui/store';
import type { ConversationContext, Feature } from './types';

export const HOST_TAG = 'inbox-guard-bar';
const CSS = [actionBarCss, buttonCss, badgeCss, actionMenuCss].join('\n');

function Bar({ ctx }: { ctx: ConversationContext }) {
  const state = useStore(ctx.store);
  return (
    <ActionBar
      state={state}
      onRequest={(action) => ctx.request(action)}
      onRetry={() => void ctx.refresh()}
      onOpenOptions={() => void ask('options.open', {})}
      onToggleReveal={() => ctx.store.set({ reveal: !ctx.store.get().reveal })}
    />
  );
}

export const actionBar: Feature = {
  id: 'action-bar',
  scope: 'conversation',
  async init(ctx, signal) {
    const { selectors } = ctx.profile;
    const anchor = await waitForElement(ctx.document, () => safeQuery(ctx.document, selectors.headerAnchor), signal);
    const { host, container } = mountShadow(ctx.document, HOST_TAG, CSS, (host) => anchor.after(host), signal);
    render(<Bar ctx={ctx} />, container);
    // Where the bar can go: after the anchor (the header's row), or into the header's small slot.
    const places = {
      row() {
        const anchor = safeQuery(ctx.document, selectors.headerAnchor);
        if (anchor && anchor.nextElementSibling !== host) anchor.after(host);
        return anchor !== null;
      },
      slot() {
        const slot = safeQuery(ctx.document, selectors.badgeSlot);
        if (slot && slot.lastElementChild !== host) slot.append(host);
        return slot !== null;
      },
    };
    const fit = keepFitted(host, container.getRootNode() as ShadowRoot, () => safeQuery(ctx.document, selectors.header), places, signal);
    // A history move is seen before the page redraws: the bar may sit in a header the page then
    // replaces. It follows to the new header, state and focus handling intact.
    ctx.onDomChange?.(() => {
      if (!host.isConnected) places.row();
      fit.changed();
    }, signal);
    signal.addEventListener('abort', () => render(null, container), { once: true });
  },
};
