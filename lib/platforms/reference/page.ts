/**
 * Page profile of the reference inbox (tests/reference-inbox/public/): a small single-page app
 * whose addresses are /inbox/c/{conversationId}; rows link to their conversation; messages are
 * `li.ri-msg` with `ri-msg--in` / `ri-msg--out`, `id="msg-{id}"` and a `<time datetime>`.
 */
import { safeMatches, withOverrides, type MessageInfo, type ProfileFactory, type Selectors } from '../page';

/** Never matches, and is valid everywhere: for what the reference inbox does not have. */
const NOTHING = ':not(*)';

export const referenceSelectors: Selectors = {
  header: '.ri-chat__header',
  headerAnchor: '.ri-chat__header .ri-chat__who',
  badgeSlot: '.ri-chat__header .ri-chat__sub',
  message: 'li.ri-msg',
  incoming: 'li.ri-msg--in',
  // The thread holds messages only: no activity lines, no unread separator.
  activity: NOTHING,
  unreadSeparator: NOTHING,
  list: '.ri-list__items',
  row: 'li.ri-row',
  rowName: '.ri-row__name',
  rowPreview: '.ri-row__preview',
  composer: 'form.ri-composer',
  composerInput: '.ri-composer__input',
  send: '.ri-composer__send',
  // Its composer writes to the contact only.
  composerNote: NOTHING,
  snooze: '[data-ri-action="snooze"]',
  merge: '[data-ri-action="merge"]',
  // Its Resolve/Reopen toggle carries no hook of the conversation's state; no "pending", and
  // blocking is Inbox Guard's alone there.
  reopen: NOTHING,
  markPending: NOTHING,
  platformBlock: NOTHING,
};

export const referencePage: ProfileFactory = (overrides) => {
  const selectors = withOverrides(referenceSelectors, overrides);
  return {
    id: 'reference',
    selectors,
    conversationId(url) {
      const match = /^\/inbox\/c\/([^/?#]+)/.exec(url.pathname);
      return match?.[1] ? decodeURIComponent(match[1]) : null;
    },
    readMessage(node): MessageInfo | null {
      if (!safeMatches(node, selectors.message)) return null;
      const datetime = node.querySelector('time')?.getAttribute('datetime');
      const at = datetime ? Date.parse(datetime) : Number.NaN;
      const id = node.id.startsWith('msg-') ? node.id.slice(4) : undefined;
      return {
        id,
        ...(id && /^\d+$/.test(id) ? { order: Number(id) } : {}),
        direction: safeMatches(node, selectors.incoming) ? 'incoming' : 'outgoing',
        ...(Number.isNaN(at) ? {} : { at }),
      };
    },
    // Its textarea sends on Enter (Shift+Enter is a new line), as chat inboxes do.
    enterSends() {
      return true;
    },
    rowConversationId(row) {
      const href = row.querySelector('a[href]')?.getAttribute('href');
      const match = href ? /\/inbox\/c\/([^/?#]+)/.exec(href) : null;
      return match?.[1] ? decodeURIComponent(match[1]) : null;
    },
    conversationPath(conversationId) {
      return `/inbox/c/${encodeURIComponent(conversationId)}`;
    },
  };
};
