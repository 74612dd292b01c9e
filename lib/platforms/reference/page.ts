/**
 * Page profile of the reference inbox (tests/reference-inbox/public/): a small single-page
 * app whose addresses are /inbox/c/{conversationId}; header `.ri-chat__header`; messages are
 * `li.ri-msg` with `ri-msg--in` / `ri-msg--out`, `id="msg-{id}"` and a `<time datetime>`.
 */
import type { MessageInfo, PageProfile } from '../page';

const MESSAGE = 'li.ri-msg';

export const referencePage: PageProfile = {
  id: 'reference',
  conversationId(url) {
    const match = /^\/inbox\/c\/([^/?#]+)/.exec(url.pathname);
    return match?.[1] ? decodeURIComponent(match[1]) : null;
  },
  headerAnchor: (root) => root.querySelector('.ri-chat__header .ri-chat__who'),
  thread: (root) => root.querySelector('.ri-thread'),
  isMessage: (node) => node.matches(MESSAGE),
  readMessage(node): MessageInfo | null {
    if (!node.matches(MESSAGE)) return null;
    const direction = node.classList.contains('ri-msg--in') ? 'incoming' : 'outgoing';
    const datetime = node.querySelector('time')?.getAttribute('datetime');
    const at = datetime ? Date.parse(datetime) : Number.NaN;
    return {
      id: node.id.startsWith('msg-') ? node.id.slice(4) : undefined,
      direction,
      at: Number.isNaN(at) ? undefined : at,
    };
  },
};
