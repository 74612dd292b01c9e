/**
 * Feature: the action bar (status badge, Block/Unblock, Archive/Unarchive, hidden-messages
 * pill) in the conversation header, in its own shadow root so the page's CSS and ours never
 * meet.
 */
import { render } from 'preact';
import { ActionBar } from '@/components/ActionBar/ActionBar';
import actionBarCss from '@/components/ActionBar/ActionBar.css?inline';
import buttonCss from '@/components/Button/Button.css?inline';
import badgeCss from '@/components/StatusBadge/StatusBadge.css?inline';
import { mountShadow, waitForElement } from '../dom';
import { ask } from '../messaging';
import { safeQuery } from '../platforms/page';
import { useStore } from '../ui/store';
import type { ConversationContext, Feature } from './types';

export const HOST_TAG = 'inbox-guard-bar';
const CSS = [actionBarCss, buttonCss, badgeCss].join('\n');

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
    // A history move is seen before the page redraws: the bar may sit in a header the page then
    // replaces. It follows to the new header, state and focus handling intact.
    ctx.onDomChange?.(() => {
      if (host.isConnected) return;
      safeQuery(ctx.document, selectors.headerAnchor)?.after(host);
    }, signal);
    signal.addEventListener('abort', () => render(null, container), { once: true });
  },
};
