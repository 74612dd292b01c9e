/**
 * Feature: when the open conversation's contact writes, ask the background to re-read them.
 * The seeds say an archived contact is reactivated when they send a new message; Helena does
 * it itself, and the Chatwoot adapter does it when it reads the contact (see its header), so
 * the badge turns Active without a reload.
 */
import { watchAddedElements } from '../dom';
import { safeMatches } from '../platforms/page';
import type { Feature } from './types';

export const statusRefresh: Feature = {
  id: 'status-refresh',
  scope: 'conversation',
  init(ctx, signal) {
    let scheduled = false;
    watchAddedElements(
      ctx.document,
      (element) => safeMatches(element, ctx.profile.selectors.message),
      (element) => {
        if (ctx.store.get().contact?.status !== 'archived' || scheduled) return;
        if (ctx.profile.readMessage(element)?.direction !== 'incoming') return;
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          if (!signal.aborted) void ctx.refresh();
        });
      },
      signal,
    );
  },
};
