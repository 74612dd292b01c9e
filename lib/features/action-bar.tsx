/**
 * Feature: the action bar (status badge, Block/Unblock, Archive/Unarchive) in the
 * conversation header, in its own shadow root so the page's CSS and ours never meet.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ActionBar } from '@/components/ActionBar/ActionBar';
import actionBarCss from '@/components/ActionBar/ActionBar.css?inline';
import dialogCss from '@/components/ConfirmDialog/ConfirmDialog.css?inline';
import badgeCss from '@/components/StatusBadge/StatusBadge.css?inline';
import { waitForElement } from '../dom';
import { ask } from '../messaging';
import { useStore } from '../ui/store';
import type { ConversationContext, Feature } from './types';

export const HOST_TAG = 'inbox-guard-bar';
const CSS = [actionBarCss, badgeCss, dialogCss].join('\n');

function Bar({ ctx }: { ctx: ConversationContext }) {
  const state = useStore(ctx.store);
  return (
    <ActionBar
      state={state}
      onAction={(action) => void ctx.run(action)}
      onRetry={() => void ctx.refresh()}
      onOpenOptions={() => void ask('options.open', {})}
    />
  );
}

export const actionBar: Feature = {
  id: 'action-bar',
  async init(ctx, signal) {
    const anchor = await waitForElement(ctx.document, () => ctx.profile.headerAnchor(ctx.document), signal);
    // Never twice: a host left by an earlier run (or an older copy of the extension) goes.
    for (const old of ctx.document.querySelectorAll(HOST_TAG)) old.remove();
    const host = ctx.document.createElement(HOST_TAG);
    host.setAttribute('data-inbox-guard', browser.runtime.id);
    const shadow = host.attachShadow({ mode: 'open' });
    const style = ctx.document.createElement('style');
    style.textContent = CSS;
    const container = ctx.document.createElement('div');
    shadow.append(style, container);
    anchor.after(host);
    render(<Bar ctx={ctx} />, container);
    signal.addEventListener(
      'abort',
      () => {
        render(null, container);
        host.remove();
      },
      { once: true },
    );
  },
};
