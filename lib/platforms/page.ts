/**
 * A page profile says how to read one platform's inbox page: which conversation is open (from
 * the address), where the conversation header is, what a message row is and which way it goes,
 * the conversation rows of the list, the composer (its send control and key, its private-note
 * mode), the controls a blocked contact's conversation must not use (snooze, merge, reopen, mark
 * as pending, the platform's own Block), activity lines and the unread separator.
 *
 * Everything a profile looks for in the DOM is a **named selector** (`Selectors`), kept in one
 * place per platform (lib/platforms/<name>/page.ts) and checked against fixture pages by one
 * test (tests/unit/profiles/selectors.test.ts). An admin can override any of them from the
 * options page when the platform changes its markup, without a new release.
 */
import { z } from '../schema';

export const SELECTOR_NAMES = [
  /** The open conversation's header (the action bar goes in it). */
  'header',
  /** Where in the header the action bar goes: it is placed right after this element. */
  'headerAnchor',
  /**
   * A small place of the header on a line of its own (under the contact's name), inside
   * which the bar's narrowest form goes when the header's row has no room for it (lib/fit.ts).
   */
  'badgeSlot',
  /** One message row of the open conversation. */
  'message',
  /** A message row written by the contact (incoming). */
  'incoming',
  /**
   * An activity (system) line of the thread, never a message: "… has muted the conversation".
   * One added while the conversation is open means its state may have changed on the platform.
   */
  'activity',
  /**
   * The platform's "N unread messages" separator in the thread, a sibling placed before the
   * unread messages: hidden when every message after it is (no `:has()` inside, see page-style.ts).
   */
  'unreadSeparator',
  /** The conversation list. */
  'list',
  /** One conversation row in the list. */
  'row',
  /** The contact's name in a row. */
  'rowName',
  /** The last message's preview in a row: a blocked contact's is not painted. */
  'rowPreview',
  /** The composer (reply box). */
  'composer',
  /** Where the agent types. */
  'composerInput',
  /** The send control. */
  'send',
  /**
   * The composer itself while it writes a private note (seen by the team only): for a blocked
   * contact notes still go, only sending to the contact stops.
   */
  'composerNote',
  /** Controls that snooze the conversation. */
  'snooze',
  /** Controls that merge the contact with another. */
  'merge',
  /** Controls that reopen a closed conversation (a blocked contact's stays closed). */
  'reopen',
  /** Controls that mark the conversation as pending (back in the queue: not for a blocked contact). */
  'markPending',
  /** The platform's own Block control (disabled while the contact is already blocked). */
  'platformBlock',
] as const;

export type SelectorName = (typeof SELECTOR_NAMES)[number];
export type Selectors = Record<SelectorName, string>;

/** Selector overrides as an admin types them in the options page: validated, never trusted. */
const Selector = z.string().check(z.minLength(1), z.maxLength(500));
/** Any of the named selectors, and nothing else (a misspelt name is an error, not ignored). */
export const SelectorOverrides = z.strictObject(
  Object.fromEntries(SELECTOR_NAMES.map((name) => [name, z.optional(Selector)])) as Record<(typeof SELECTOR_NAMES)[number], z.ZodMiniOptional<typeof Selector>>,
);
export type SelectorOverrides = z.infer<typeof SelectorOverrides>;

export interface MessageInfo {
  id?: string;
  /** The id as a number when the platform's ids grow with time (Chatwoot), to compare order. */
  order?: number;
  direction: 'incoming' | 'outgoing';
  /** When it was sent (ms since the epoch), if the page shows it. */
  at?: number;
}

export interface PageProfile {
  id: 'reference' | 'chatwoot' | 'helena';
  selectors: Selectors;
  /** The open conversation's id, from the address (all three platforms put it there). */
  conversationId(url: URL): string | null;
  /**
   * The account the address belongs to, where it says (Chatwoot): a conversation id means
   * something only in its account, so a page of another account is left alone.
   */
  accountId?(url: URL): string | null;
  readMessage(node: Element): MessageInfo | null;
  /**
   * Whether a plain Enter in this composer sends (else it is a new line and only Ctrl/Cmd+Enter
   * sends). When the page does not say, true: refusing a new line is better than letting a
   * message through to a blocked contact.
   */
  enterSends(composer: Element): boolean;
  /** The conversation a list row opens, when the row says so (Chatwoot's rows do not). */
  rowConversationId(row: Element): string | null;
  /** The address (path and query) of a conversation, seen from the page at `current`; null when not known. */
  conversationPath(conversationId: string, current: URL): string | null;
  /**
   * The list is virtualised (only the rows in view exist, recycled as it scrolls: Chatwoot's
   * vue-recycle-scroller): a hidden row would leave a hole, so rows are marked, never hidden.
   */
  virtualList?: boolean;
}

export type ProfileFactory = (overrides?: SelectorOverrides) => PageProfile;

/** `node.matches(selector)` that survives a broken (admin-typed) selector. */
export function safeMatches(node: Element, selector: string): boolean {
  try {
    return selector !== '' && node.matches(selector);
  } catch {
    return false;
  }
}

export function safeClosest(node: Element, selector: string): Element | null {
  try {
    return selector === '' ? null : node.closest(selector);
  } catch {
    return null;
  }
}

export function safeQuery(root: ParentNode, selector: string): Element | null {
  try {
    return selector === '' ? null : root.querySelector(selector);
  } catch {
    return null;
  }
}

export function safeQueryAll(root: ParentNode, selector: string): Element[] {
  try {
    return selector === '' ? [] : [...root.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

export type OverridesParse =
  | { ok: true; overrides: SelectorOverrides | undefined }
  | { ok: false; problem: 'json' | 'shape' | 'selector'; detail: string };

/** A selector the browser parses, with nothing that could close a stylesheet rule. */
export function isUsableSelector(selector: string): boolean {
  if (!selector.trim() || /[{};@\\]/.test(selector)) return false;
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** Reads the JSON an admin typed in the options page: which selector names, which CSS. */
export function parseSelectorOverrides(text: string): OverridesParse {
  if (!text.trim()) return { ok: true, overrides: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: 'json', detail: error instanceof Error ? error.message : String(error) };
  }
  const parsed = SelectorOverrides.safeParse(value);
  if (!parsed.success || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problem: 'shape', detail: SELECTOR_NAMES.join(', ') };
  }
  for (const [name, selector] of Object.entries(parsed.data)) {
    if (typeof selector === 'string' && !isUsableSelector(selector)) return { ok: false, problem: 'selector', detail: name };
  }
  return { ok: true, overrides: Object.keys(parsed.data).length > 0 ? parsed.data : undefined };
}

/** The defaults with the overrides that apply on top. */
export function withOverrides(defaults: Selectors, overrides: SelectorOverrides = {}): Selectors {
  const merged = { ...defaults };
  for (const name of SELECTOR_NAMES) {
    const value = overrides[name];
    if (value) merged[name] = value;
  }
  return merged;
}
