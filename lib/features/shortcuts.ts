/**
 * Feature: the keyboard shortcuts (commands API, rebindable in the browser's extension
 * shortcuts page): toggle block, toggle archive, for the open conversation. They open the same
 * confirmation as the buttons, which works by keyboard alone.
 */
import type { Feature } from './types';

export const shortcuts: Feature = {
  id: 'shortcuts',
  scope: 'page',
  init(ctx, signal) {
    ctx.onEvent((event) => {
      if (event.type !== 'command') return;
      const contact = ctx.store.get().contact;
      if (!contact) return;
      if (event.command === 'toggle-block') ctx.request(contact.status === 'blocked' ? 'unblock' : 'block');
      else ctx.request(contact.status === 'archived' ? 'unarchive' : 'archive');
    }, signal);
  },
};
