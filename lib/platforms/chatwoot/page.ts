/**
 * Page profile of the Chatwoot dashboard (app.chatwoot.com or a self-hosted server): a Vue SPA
 * whose open conversation is in the address, `/app/accounts/{account}/…/conversations/{id}`.
 *
 * Everything here follows ../shared/contracts/chatwoot/DOM.md (§ numbers below), which read
 * the dashboard's Vue components at named commits, and prefers its ★ semantic hooks (classes
 * Chatwoot's own code or CSS relies on) over Tailwind utilities, which change often. Where
 * DOM.md is silent (the send button, snooze, merge, the list container) the choice was made
 * by reading the public components named next to each selector; those are best effort. The
 * markup of the real 4.10 dashboard, read from the live page, is ../shared/platforms/
 * chatwoot-4.10/DOM.md ("4.10 DOM.md" below, by section title); the end-to-end tests run on it.
 * Fixtures built from the same markup: tests/fixtures/chatwoot/, checked by
 * tests/unit/profiles/selectors.test.ts against tests/fixtures/chatwoot/selectors.ts.
 *
 * Three message renderers are covered (DOM.md §3, §3b):
 * - C  (Message.vue @47a51cc9): `div#message{ID}[data-message-id].message-bubble-container`
 *   with `justify-start` (contact) | `justify-end` (agents, bots) | `justify-center` (activity);
 *   bubbles carry `.left-bubble` / `.right-bubble`.
 * - C′ (@00191be3, earlier): the same without `.message-bubble-container`, and only the
 *   *signed-in agent's own* messages are on the right: a colleague's or a bot's message is on
 *   the left like the contact's, and nothing in the DOM tells them apart. Private notes are the
 *   one exception we can see (their lock icon), so a colleague's public reply reads as incoming
 *   on C′. That only matters for hiding a blocked contact's messages, where Chatwoot has
 *   resolved the conversation anyway.
 * - legacy (Message.vue @ba37688f): `li.left` (incoming) / `li.right` / `li.center` (activity)
 *   around `div.wrap > div.bubble`; no id at all (later legacy versions may add
 *   `id="message{ID}"`, which is read when present).
 * Activity lines are not messages: `readMessage` returns null for them.
 *
 * List cards carry no conversation id (DOM.md §2): `rowConversationId` is always null and the
 * extension maps rows by the contact name. Even the `.active` card (the open conversation) is
 * left alone here: its id is in the address, which this function does not see.
 */
import { safeMatches, safeQuery, withOverrides, type MessageInfo, type ProfileFactory, type Selectors } from '../page';

/** The private-note lock in MessageMeta (@12ec785e): always an agent's note, never the contact's. */
const PRIVATE_NOTE_ICON = '.i-lucide-lock-keyhole';

const list = (...selectors: string[]) => selectors.join(', ');

export const chatwootSelectors: Selectors = {
  // The element that holds both halves of ConversationHeader (DOM.md §1, A/A′ and the newer
  // header): the parent of ★.header-actions-wrap, whatever the nesting around it.
  header: ':has(> .header-actions-wrap)',
  // The bar goes into the right-hand block (★.header-actions-wrap, in every header version
  // read), after Chatwoot's own actions (★.actions--container in 4.x; the block's last child
  // in older headers): one more item of that row. Below the `xl` breakpoint (1280 px) 4.10
  // stacks the header into two rows and this block is the second one, so the bar stays inside
  // the header's box at every width (a sibling of the block became a third row, outside it).
  // Vue adds children to this block only before its actions (SLA card, integrations).
  headerAnchor: '.header-actions-wrap > :is(.actions--container, :last-child:not([data-inbox-guard]))',
  // ★.conversation--header--actions, the small line under the name (DOM.md §1): empty with
  // one inbox, else the inbox's name or "Snoozed until …". With the contact panel open at
  // 1024 px the header's second row is full of Chatwoot's own buttons; this line is not.
  badgeSlot: '.conversation--header--actions',
  message: list(
    // C and C′: a left or right row, or one holding a left or right bubble (either hook may
    // change on its own; activity rows have neither).
    '[data-message-id]:is(.justify-start, .justify-end)',
    '[data-message-id]:has(.left-bubble, .right-bubble)',
    // Legacy: a left or right `li` around a `.wrap` (li.center wraps `.activity-wrap`).
    'li:is(.left, .right):has(> .wrap)',
  ),
  incoming: list(
    // C: contact messages are the left ones. C′: also a colleague's (see the header comment);
    // their private notes at least are recognisable.
    `[data-message-id].justify-start:not(:has(${PRIVATE_NOTE_ICON}))`,
    // A right message quoting a left one may hold both bubbles: only left-and-not-right counts.
    `[data-message-id]:has(.left-bubble):not(:has(.right-bubble, ${PRIVATE_NOTE_ICON}))`,
    'li.left:has(> .wrap):not(:has(.is-private))',
  ),
  // Activity (system) lines in every renderer: centred (C, C′; 4.10 DOM.md "Message bubbles":
  // `justify-center`) or `li.center` (legacy). Not messages: `readMessage` skips them. Without
  // `:has()`, so that page-style.ts can use it inside one.
  activity: list('[data-message-id].justify-center', 'li.center'),
  // 4.10 DOM.md "Message bubbles": the blue "N Unread Message(s)" pill, an
  // `li.list-none > span.bg-n-brand` among the rows of ★ul.conversation-panel, before the
  // unread ones (kept in the DOM as `display: none` while there are none). Legacy
  // (MessagesView of the woot-button era, best effort): `li.unread--toast`.
  unreadSeparator: list('.conversation-panel > li.list-none:has(> .bg-n-brand)', '.conversation-panel > li.unread--toast'),
  // Not in DOM.md: Chatwoot's own keyboard shortcuts select `.conversations-list .conversation`
  // (ResolveAction.vue, e.g. @005646b0); the fallback is the cards' parent.
  // Not 4.10's virtual-list wrappers: each card is in a div[data-index] of its own.
  list: list('.conversations-list', ':has(> div.conversation):not([data-index])'),
  // ★.conversation, one per card (§2, B and B0; newer cards keep it in most variants).
  row: 'div.conversation',
  // ★h4.conversation--user (§2). Some newer card variants may have dropped it (uncertain).
  rowName: '.conversation--user',
  // The preview after the name (4.10: a `div`; older cards: ★.conversation--message, §2).
  rowPreview: list('.conversation--user + div', '.conversation--message'),
  // ★.reply-box (§4), + .is-private in private-note mode.
  composer: '.reply-box',
  // §4: a plain `<textarea>` or the ProseMirror editor, inside ★.reply-box__top.
  composerInput: list('.reply-box__top textarea', '.reply-box__top .ProseMirror[contenteditable]'),
  // DOM.md only says the bottom panel's send button is labelled REPLYBOX.SEND (locale text).
  // ReplyBottomPanel.vue: with components-next buttons the send button is the only one given
  // `type="submit"` (seen in several unattributed public copies); with woot-button (@0008fca5)
  // no button has a type and the send button is the only one in `.right-wrap` (the icon
  // buttons are in `.left-wrap`).
  send: list('.reply-box button[type="submit"]', '.reply-box .right-wrap > button'),
  // ★.is-private on the reply box in private-note mode (4.10 DOM.md "Reply box"; the send
  // button then says "Add Note").
  composerNote: '.reply-box.is-private',
  // Best effort: ResolveAction's dropdown (in ★.actions--container, §1b) holds "Snooze until",
  // rendered only while the dropdown is open. components-next buttons and menu items show it
  // with the `i-lucide-alarm-clock-minus` icon class (unattributed public copies); woot-button
  // versions (@005646b0) have no hook but its place: the last button of the first dropdown item (alone there, or after "Mark as
  // pending"). The command bar (Cmd+K, a shadow root) and the card context menu can snooze
  // too: not covered.
  snooze: list(
    ':is(button, [role="menuitem"]):has(> .i-lucide-alarm-clock-minus)',
    '.resolve-actions .dropdown-pane .dropdown-menu__item:first-child > button:last-of-type',
  ),
  // Best effort: the contact panel's merge button (ContactInfo.vue). components-next
  // (@00b18497): the `i-ph-arrows-merge` icon. woot-button versions (unattributed public
  // copies) wrote its title unbound, so the attribute is literally the i18n key expression,
  // the same in every locale.
  merge: list('button:has(> .i-ph-arrows-merge)', `button[title="$t('CONTACT_PANEL.MERGE_CONTACT')"]`),
  // ResolveAction's first button while the conversation is not open (4.10 DOM.md "Conversation
  // header": ★.resolve-actions[status], "Reopen" when resolved; "Open" when pending or snoozed
  // in the components-next versions read). woot-button versions have no status attribute: the
  // button keeps its `resolve` class and takes the colour of what it does (success = Resolve,
  // warning = Reopen, primary = Open; best effort).
  reopen: list(
    '.resolve-actions:is([status="resolved"], [status="pending"], [status="snoozed"]) > div > button:first-child',
    '.resolve-actions .button-group > button.resolve:is(.warning, .primary)',
  ),
  // The dropdown's "Mark as pending" (4.10 DOM.md: `span.i-lucide-circle-dot-dashed`); in the
  // woot-button dropdown, the first of the two buttons of its first item (snooze is the last).
  markPending: list(
    ':is(button, [role="menuitem"]):has(> .i-lucide-circle-dot-dashed)',
    '.resolve-actions .dropdown-pane .dropdown-menu__item:first-child > button:first-of-type:not(:last-of-type)',
  ),
  // Chatwoot's own block: "Block Contact" in 4.10's ⋮ menu (4.10 DOM.md "Resolve / snooze / block
  // (mute)", `span.i-lucide-volume-off`; it mutes the conversation and blocks the contact), the
  // header's "Mute conversation" icon button in earlier components-next versions. Its opposite
  // ("Unblock Contact", `i-lucide-volume-1`) is not matched: it stays usable. woot-button
  // versions draw the icon as an SVG with no hook: not covered.
  platformBlock: 'button:has(> .i-lucide-volume-off)',
};

/** "Send (⌘ + ↵)" (or Ctrl): Ctrl/Cmd+Enter sends and a plain Enter is a new line. */
const MOD_ENTER_LABEL = /(?:⌘|ctrl|cmd)\s*\+\s*(?:↵|⏎|enter)/i;

/** `^/app/accounts/(\d+)/` (DOM.md §7). */
const ACCOUNT_PATH = /^\/app\/accounts\/(\d+)\//;
/**
 * Every conversation route ends in `…/conversations/{id}` (§7). The "My Inbox" view
 * `/inbox/:conversation_id` does not, and may hold a notification id: it is not read.
 */
const CONVERSATION_PATH = /\/conversations\/(\d+)(?:\/|$)/;

/** The account whose dashboard this address is, e.g. "3" for /app/accounts/3/…. */
export function chatwootAccountId(url: URL): string | null {
  return ACCOUNT_PATH.exec(url.pathname)?.[1] ?? null;
}

/** The id on a message row: `data-message-id`, else `id="message{ID}"`. */
function messageId(node: Element): string | undefined {
  const data = node.getAttribute('data-message-id')?.trim();
  if (data) return data;
  return /^message(\d+)$/.exec(node.id)?.[1];
}

/** Only a machine-readable time: Chatwoot's own `<time>` shows "h:mm a" and no datetime. */
function sentAt(node: Element): number | undefined {
  const datetime = node.querySelector('time[datetime]')?.getAttribute('datetime');
  const at = datetime ? Date.parse(datetime) : Number.NaN;
  return Number.isFinite(at) ? at : undefined;
}

export const chatwootPage: ProfileFactory = (overrides) => {
  const selectors = withOverrides(chatwootSelectors, overrides);
  return {
    id: 'chatwoot',
    selectors,
    accountId: chatwootAccountId,
    conversationId(url) {
      if (chatwootAccountId(url) === null) return null;
      return CONVERSATION_PATH.exec(url.pathname)?.[1] ?? null;
    },
    readMessage(node): MessageInfo | null {
      if (!safeMatches(node, selectors.message) || safeMatches(node, selectors.activity)) return null;
      const id = messageId(node);
      // Ids are database sequence numbers; a message still being sent may carry a temporary
      // non-numeric id, which has no order.
      const order = id && /^\d+$/.test(id) ? Number(id) : Number.NaN;
      const at = sentAt(node);
      return {
        ...(id ? { id } : {}),
        ...(Number.isSafeInteger(order) ? { order } : {}),
        direction: safeMatches(node, selectors.incoming) ? 'incoming' : 'outgoing',
        ...(at === undefined ? {} : { at }),
      };
    },
    rowConversationId() {
      return null;
    },
    conversationPath(conversationId, current) {
      const account = chatwootAccountId(current);
      return account && /^\d+$/.test(conversationId) ? `/app/accounts/${account}/conversations/${conversationId}` : null;
    },
    // DOM.md §2: `div.vue-recycle-scroller`, only the visible cards exist.
    virtualList: true,
    // The send button tells the key (4.10 DOM.md "Reply box"; ReplyBottomPanel's label follows the
    // user's "send with Enter" setting): "Send (⌘ + ↵)", Chatwoot 4.10's default, is Ctrl/Cmd+Enter
    // with Enter for a new paragraph; "Send (↵)" is Enter. A label without a key (older
    // versions, some locales) is taken as Enter: the safe side.
    enterSends(composer) {
      return !MOD_ENTER_LABEL.test(safeQuery(composer, selectors.send)?.textContent ?? '');
    },
  };
};
