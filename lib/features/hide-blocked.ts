/**
 * Feature: a blocked contact's messages sent after the block are never painted.
 *
 * Each message row the page adds is checked in the MutationObserver callback, which runs
 * before the browser paints, and marked with an attribute that one page stylesheet rule hides
 * (lib/features/page-style.ts); no layout is read and no style written. Showing them again
 * (unblock, or an admin revealing them for moderation) is removing the attribute or switching
 * `html[data-ig-reveal]`.
 *
 * "After the block": on platforms whose message ids grow with time (Chatwoot), a message with
 * an id above the last one the page showed when the block was made; otherwise one whose time
 * is at or after the block; a message without either is hidden when it arrives on its own while
 * the contact is blocked (a live message), not when the page renders a whole history at once.
 *
 * Until the contact's status is known (a conversation just opened, or the page just loaded),
 * `html[data-ig-checking]` holds every incoming message back, so a blocked contact's are not
 * painted for the round trip; it goes once the status is known and those are marked, on an
 * error, or after HOLD_MS whatever happens (a failure shows messages, never hides them for
 * good). A conversation whose contact this page already knows not to be blocked is not held.
 *
 * The count feeds the action bar's pill and the toolbar button's badge.
 */
import { ask } from '../messaging';
import { safeMatches, safeQueryAll } from '../platforms/page';
import { CHECKING } from './page-style';
import type { ConversationContext, Feature, OverlayState } from './types';

export const HIDDEN_ATTRIBUTE = 'data-ig-hidden';
const LIVE_BATCH = 3;
export const HOLD_MS = 3_000;

const known = (state: OverlayState) => state.contact !== null || state.error !== null;

function sentAfterBlock(ctx: ConversationContext, node: Element, live: boolean): boolean {
  const contact = ctx.store.get().contact;
  if (contact?.status !== 'blocked') return false;
  const message = ctx.profile.readMessage(node);
  if (message?.direction !== 'incoming') return false;
  if (contact.blockedAfterOrder !== undefined && message.order !== undefined) return message.order > contact.blockedAfterOrder;
  if (message.at !== undefined) return message.at >= (contact.blockedAt ?? contact.statusSince);
  return live;
}

export const hideBlocked: Feature = {
  id: 'hide-blocked',
  scope: 'conversation',
  init(ctx, signal) {
    const { selectors } = ctx.profile;
    const doc = ctx.document;
    let reported = -1;
    let reportTimer: ReturnType<typeof setTimeout> | undefined;
    let holdTimer: ReturnType<typeof setTimeout> | undefined;
    const release = () => {
      clearTimeout(holdTimer);
      doc.documentElement.removeAttribute(CHECKING);
    };
    const hint = ctx.statuses?.get(ctx.conversationId);
    const hold = !known(ctx.store.get()) && (hint === undefined || hint === 'blocked');
    if (hold) holdTimer = setTimeout(release, HOLD_MS);
    doc.documentElement.toggleAttribute(CHECKING, hold);

    const count = () => {
      const hidden = doc.querySelectorAll(`[${HIDDEN_ATTRIBUTE}]`).length;
      if (hidden !== ctx.store.get().hiddenCount) ctx.store.set({ hiddenCount: hidden });
      clearTimeout(reportTimer);
      reportTimer = setTimeout(() => {
        if (hidden !== reported && !signal.aborted) {
          reported = hidden;
          void ask('tab.hidden', { count: hidden }).catch(() => undefined);
        }
      }, 200);
    };

    const sweep = () => {
      if (ctx.store.get().contact?.status !== 'blocked') {
        for (const node of doc.querySelectorAll(`[${HIDDEN_ATTRIBUTE}]`)) node.removeAttribute(HIDDEN_ATTRIBUTE);
      } else {
        for (const node of safeQueryAll(doc, selectors.message)) {
          if (sentAfterBlock(ctx, node, false)) node.setAttribute(HIDDEN_ATTRIBUTE, 'blocked');
        }
      }
      count();
    };

    const observer = new MutationObserver((records) => {
      if (ctx.store.get().contact?.status !== 'blocked') return;
      const added: Element[] = [];
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          const element = node as Element;
          if (safeMatches(element, selectors.message)) added.push(element);
          else if (element.firstElementChild) added.push(...safeQueryAll(element, selectors.message));
        }
      }
      if (added.length === 0) return;
      const live = added.length <= LIVE_BATCH;
      let changed = false;
      for (const element of added) {
        if (sentAfterBlock(ctx, element, live)) {
          element.setAttribute(HIDDEN_ATTRIBUTE, 'blocked');
          changed = true;
        }
      }
      if (changed) count();
    });
    // Watching costs something on every change of the page: only while the contact is blocked.
    let watching = false;
    const watch = (on: boolean) => {
      if (on === watching) return;
      watching = on;
      if (on) observer.observe(doc, { childList: true, subtree: true });
      else observer.disconnect();
    };
    watch(ctx.store.get().contact?.status === 'blocked');

    const reveal = (on: boolean) => doc.documentElement.toggleAttribute('data-ig-reveal', on);
    let last = { status: ctx.store.get().contact?.status, order: ctx.store.get().contact?.blockedAfterOrder, reveal: ctx.store.get().reveal };
    const unsubscribe = ctx.store.subscribe((state) => {
      if (state.reveal !== last.reveal) reveal(state.reveal);
      if (state.contact?.status !== last.status || state.contact?.blockedAfterOrder !== last.order) {
        last = { status: state.contact?.status, order: state.contact?.blockedAfterOrder, reveal: state.reveal };
        watch(state.contact?.status === 'blocked');
        sweep();
      }
      last.reveal = state.reveal;
      if (known(state)) release();
    });
    signal.addEventListener(
      'abort',
      () => {
        observer.disconnect();
        unsubscribe();
        clearTimeout(reportTimer);
        release();
        reveal(false);
        ctx.store.set({ reveal: false, hiddenCount: 0 });
        void ask('tab.hidden', { count: 0 }).catch(() => undefined);
      },
      { once: true },
    );
    sweep();
  },
};
