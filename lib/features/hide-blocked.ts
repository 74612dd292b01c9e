/**
 * Feature: messages a blocked contact sends after the block are not shown.
 *
 * Hiding is one page stylesheet rule keyed on an attribute (`[data-ig-hidden]`), set from a
 * MutationObserver callback (which runs before the next paint) without reading layout;
 * showing again is removing the attribute (on unblock).
 *
 * "After the block": a message whose time the page shows is compared with the block time.
 * A message without a readable time is hidden when it arrives on its own while the contact
 * is blocked (a live message), not when the page renders a whole history at once.
 */
import { ensurePageStyle } from '../dom';
import type { ConversationContext, Feature } from './types';

export const HIDDEN_ATTRIBUTE = 'data-ig-hidden';
export const HIDE_CSS = `[${HIDDEN_ATTRIBUTE}]{display:none!important}`;
const LIVE_BATCH = 3;

function sentAfterBlock(ctx: ConversationContext, node: Element, live: boolean): boolean {
  const contact = ctx.store.get().contact;
  if (contact?.status !== 'blocked') return false;
  const message = ctx.profile.readMessage(node);
  if (message?.direction !== 'incoming') return false;
  if (message.at === undefined) return live;
  return message.at >= (contact.blockedAt ?? contact.statusSince);
}

export const hideBlocked: Feature = {
  id: 'hide-blocked',
  init(ctx, signal) {
    ensurePageStyle(ctx.document, 'inbox-guard-hide', HIDE_CSS);
    const messagesIn = (root: ParentNode) =>
      [...root.querySelectorAll('*')].filter((node) => ctx.profile.isMessage(node));

    const sweep = () => {
      const thread = ctx.profile.thread(ctx.document);
      if (!thread) return;
      if (ctx.store.get().contact?.status !== 'blocked') {
        for (const node of thread.querySelectorAll(`[${HIDDEN_ATTRIBUTE}]`)) node.removeAttribute(HIDDEN_ATTRIBUTE);
        return;
      }
      for (const node of messagesIn(thread)) {
        if (sentAfterBlock(ctx, node, false)) node.setAttribute(HIDDEN_ATTRIBUTE, 'blocked');
      }
    };

    const observer = new MutationObserver((records) => {
      if (ctx.store.get().contact?.status !== 'blocked') return;
      const added: Element[] = [];
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          const element = node as Element;
          if (ctx.profile.isMessage(element)) added.push(element);
          else if (element.firstElementChild) added.push(...messagesIn(element));
        }
      }
      const live = added.length <= LIVE_BATCH;
      for (const element of added) {
        if (sentAfterBlock(ctx, element, live)) element.setAttribute(HIDDEN_ATTRIBUTE, 'blocked');
      }
    });
    observer.observe(ctx.document, { childList: true, subtree: true });

    let lastStatus = ctx.store.get().contact?.status;
    const unsubscribe = ctx.store.subscribe((state) => {
      if (state.contact?.status === lastStatus) return;
      lastStatus = state.contact?.status;
      sweep();
    });
    signal.addEventListener(
      'abort',
      () => {
        observer.disconnect();
        unsubscribe();
      },
      { once: true },
    );
    sweep();
  },
};
