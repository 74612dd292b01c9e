/**
 * Page profile of Helena's web inbox (and its white labels: WTS Chat at `*.wts.chat`, FLW at
 * `*.flw.chat`, Helena at `*.helena.run`).
 *
 * BEST EFFORT. There is no documentation of Helena's page markup here: ../shared/contracts/
 * helena/FACTS.md describes its public API only (web app hosts, sessions and contacts as
 * uuids, message `direction` FROM_HUB / TO_HUB, internal notes, no snooze or merge among the
 * documented operations). Everything below that is not in FACTS.md is an assumption, made to be
 * easy to correct, and every selector can be overridden by an admin from the options page
 * without a new release. Assumed:
 *
 * - A single-page app at `https://<tenant>.wts.chat/…` (or flw.chat, helena.run) that puts the
 *   open session's uuid in the address, in one of the shapes `HELENA_SESSION_SEGMENTS` and
 *   `HELENA_SESSION_PARAMS` list: `/chat2/sessions/{uuid}`, `/atendimentos/{uuid}`,
 *   `?session={uuid}`, or the same after `#` for a hash router. Why: FACTS.md §5 names
 *   conversations "sessions" (atendimentos) identified by uuids, and both API and app are
 *   session-centred; a uuid after any other word (a contact, a department) is not read.
 * - Class names are PLACEHOLDERS: no real Helena class name is known. They are BEM-style and
 *   named after the API's own nouns (`session-list`, `chat-header`, `chat-message`,
 *   `chat-composer`) so that each one says what it stands for when an admin replaces it.
 *   Ids and direction are read from data attributes mirroring the API's fields
 *   (`data-session-id`, `data-message-id`, `data-direction="TO_HUB"` for what the contact
 *   sent, FROM_HUB for what the company sent; FACTS.md §5 marks those semantics unverified)
 *   and the time from a `<time datetime>`, whenever the page has them.
 * - Rows link to their session (`a[href]` with the session address), as router links do.
 * - Internal notes (FACTS.md §5, `/note`) render as messages without a direction: outgoing.
 *
 * Fixtures of this assumed markup: tests/fixtures/helena/ (labelled best effort too). When the
 * real page is known, correct the table below and those fixtures together; the selector test
 * (tests/unit/profiles/selectors.test.ts) then says what still matches where.
 */
import { safeMatches, safeQuery, withOverrides, type MessageInfo, type ProfileFactory, type Selectors } from '../page';

/** Never matches, and is valid everywhere: for what a platform does not have. */
const NOTHING = ':not(*)';

export const helenaSelectors: Selectors = {
  header: '.chat-header',
  // After the contact's name and number, before the header's own buttons.
  headerAnchor: '.chat-header__contact',
  // Not known: the bar only goes after the anchor.
  badgeSlot: NOTHING,
  message: '[data-message-id], .chat-message',
  incoming: '[data-direction="TO_HUB"], .chat-message--received',
  // A system line of the thread ("Atendimento transferido…"): a placeholder like the others.
  activity: '.chat-event',
  // No unread separator is known.
  unreadSeparator: NOTHING,
  list: '.session-list',
  row: '.session-list__item',
  rowName: '.session-list__name',
  rowPreview: '.session-list__preview',
  composer: '.chat-composer',
  composerInput: '.chat-composer :is(textarea, [contenteditable="true"])',
  send: '.chat-composer button[type="submit"]',
  // Internal notes exist (FACTS.md §5, `/note`); how the page shows the composer writing one is
  // not known: a placeholder named after them.
  composerNote: '.chat-composer--note',
  // Session statuses are UNDEFINED | STARTED | PENDING | IN_PROGRESS | COMPLETED | HIDDEN
  // (FACTS.md §5): no snoozed state, so no snooze control is expected.
  snooze: NOTHING,
  // No contact merge among the documented contact operations (FACTS.md §4).
  merge: NOTHING,
  // A COMPLETED session is reopened by the contact writing, not by a known control; no pending
  // control and no block control of Helena's own page are known.
  reopen: NOTHING,
  markPending: NOTHING,
  platformBlock: NOTHING,
};

/** Path words after which a uuid is the open session (matched case-insensitively). */
export const HELENA_SESSION_SEGMENTS = [
  'session', 'sessions', 'chat', 'chat2', 'chats', 'atendimento', 'atendimentos', 'conversation', 'conversations',
];
/** Query parameters that may carry the open session's uuid. */
export const HELENA_SESSION_PARAMS = ['session', 'sessionId', 'session_id', 'sessao'];

const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UUID = new RegExp(`^${UUID_PATTERN}$`, 'i');
const SESSION_IN_PATH = new RegExp(`/(?:${HELENA_SESSION_SEGMENTS.join('|')})/(${UUID_PATTERN})(?:/|$)`, 'i');

function sessionIn(pathname: string, params: URLSearchParams): string | null {
  for (const name of HELENA_SESSION_PARAMS) {
    const value = params.get(name)?.trim();
    if (value && UUID.test(value)) return value.toLowerCase();
  }
  return SESSION_IN_PATH.exec(pathname)?.[1]?.toLowerCase() ?? null;
}

/** The open session's uuid: in the address, or in a hash route (`#/chat/sessions/{uuid}`). */
function sessionOf(url: URL): string | null {
  const found = sessionIn(url.pathname, url.searchParams);
  if (found || !url.hash.startsWith('#/')) return found;
  try {
    const route = new URL(url.hash.slice(1), 'https://helena.invalid/');
    return sessionIn(route.pathname, route.searchParams);
  } catch {
    return null;
  }
}

function timeOf(node: Element): number | undefined {
  const stamp = node.querySelector('time[datetime]')?.getAttribute('datetime') ?? node.getAttribute('data-created-at');
  if (!stamp) return undefined;
  const at = /^\d+$/.test(stamp) ? Number(stamp) : Date.parse(stamp);
  return Number.isFinite(at) ? at : undefined;
}

export const helenaPage: ProfileFactory = (overrides) => {
  const selectors = withOverrides(helenaSelectors, overrides);
  return {
    id: 'helena',
    selectors,
    conversationId: sessionOf,
    readMessage(node): MessageInfo | null {
      if (!safeMatches(node, selectors.message)) return null;
      // Helena's ids are uuids (contacts, sessions: FACTS.md §3, §5; messages presumably too),
      // which say nothing about order: no `order`.
      const id = node.getAttribute('data-message-id')?.trim();
      const at = timeOf(node);
      return {
        ...(id ? { id } : {}),
        direction: safeMatches(node, selectors.incoming) ? 'incoming' : 'outgoing',
        ...(at === undefined ? {} : { at }),
      };
    },
    // Not known: Enter is taken as sending (the safe side for a blocked contact).
    enterSends() {
      return true;
    },
    rowConversationId(row) {
      const tagged = safeMatches(row, '[data-session-id]') ? row : safeQuery(row, '[data-session-id]');
      const id = tagged?.getAttribute('data-session-id')?.trim();
      if (id && UUID.test(id)) return id.toLowerCase();
      const href = safeQuery(row, 'a[href]')?.getAttribute('href');
      if (!href) return null;
      try {
        return sessionOf(new URL(href, 'https://helena.invalid/'));
      } catch {
        return null;
      }
    },
    // Where a session's page is: not known (nothing documents the web app's routes).
    conversationPath: () => null,
  };
};
