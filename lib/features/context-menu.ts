/**
 * Feature: tells the background what a right-click is about to land on, so the context menu
 * (lib/background/menus.ts) is labelled for that contact before it opens: a conversation row
 * (its conversation, or its contact's name where rows carry no id), or anything inside the open
 * conversation (a message, the header) — its contact.
 */
import { ask, type MenuTarget } from '../messaging';
import { safeClosest, safeQuery } from '../platforms/page';
import type { Feature } from './types';

export const contextMenu: Feature = {
  id: 'context-menu',
  scope: 'page',
  init(ctx, signal) {
    const { selectors } = ctx.profile;
    // One right-click fires pointerdown then contextmenu: the second is not reported again. A
    // later right-click always is, even on the same target: its contact may have changed since.
    let last = '';

    const targetOf = (element: Element): MenuTarget => {
      const row = safeClosest(element, selectors.row);
      if (row) {
        const conversationId = ctx.profile.rowConversationId(row);
        if (conversationId) return { conversationId };
        const name = safeQuery(row, selectors.rowName)?.textContent?.trim();
        return name ? { name: name.slice(0, 300) } : {};
      }
      const open = ctx.store.get().conversationId;
      const inConversation = safeClosest(element, selectors.message) ?? safeClosest(element, selectors.header);
      return open && inConversation ? { conversationId: open } : {};
    };

    const report = (event: Event) => {
      if (event.type === 'pointerdown' && (event as PointerEvent).button !== 2) return;
      const node = event.target as Node | null;
      const element = node?.nodeType === Node.ELEMENT_NODE ? (node as Element) : (node?.parentElement ?? null);
      const target = element ? targetOf(element) : {};
      const key = JSON.stringify(target);
      const again = event.type === 'contextmenu' && key === last;
      last = event.type === 'pointerdown' ? key : '';
      if (again) return;
      void ask('menu.target', target).catch(() => undefined);
    };

    ctx.document.addEventListener('pointerdown', report, { capture: true, signal });
    ctx.document.addEventListener('contextmenu', report, { capture: true, signal });
  },
};
