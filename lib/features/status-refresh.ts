/**
 * Feature: when the open conversation's contact writes, ask the background to re-read them.
 * The seeds say an archived contact is reactivated when they send a new message; Helena does
 * it itself, and the Chatwoot adapter does it when it reads the contact (see its header), so
 * the badge turns Active without a reload.
 */
import { safeMatches, safeQueryAll } from '../platforms/page';
import type { Feature } from './types';

export const statusRefresh: Feature = {
  id: 'status-refresh',
  scope: 'conversation',
  init(ctx, signal) {
    let scheduled = false;
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE || scheduled) continue;
          const element = node as Element;
          const messages = safeMatches(element, ctx.profile.selectors.message) ? [element] : safeQueryAll(element, ctx.profile.selectors.message);
          if (!messages.some((message) => ctx.profile.readMessage(message)?.direction === 'incoming')) continue;
          scheduled = true;
          queueMicrotask(() => {
            scheduled = false;
            if (!signal.aborted) void ctx.refresh();
          });
        }
      }
    });
    // Only an archived contact can be reactivated by writing: watch only then.
    let watching = false;
    const watch = (on: boolean) => {
      if (on === watching) return;
      watching = on;
      if (on) observer.observe(ctx.document, { childList: true, subtree: true });
      else observer.disconnect();
    };
    watch(ctx.store.get().contact?.status === 'archived');
    const unsubscribe = ctx.store.subscribe((state) => watch(state.contact?.status === 'archived'));
    signal.addEventListener(
      'abort',
      () => {
        unsubscribe();
        observer.disconnect();
      },
      { once: true },
    );
  },
};
