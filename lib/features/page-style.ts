/**
 * The one page stylesheet Inbox Guard adds: every hiding and every mark is a rule keyed on an
 * attribute a feature sets (uBlock Origin's way): `[data-ig-hidden]` (a message sent after a
 * block, and the platform's unread separator when all it points at is hidden),
 * `[data-ig-status]` on list rows, `[data-ig-locked]` on the composer (its send control
 * greyed unless it writes a private note), `[data-ig-disabled]` on the controls a blocked
 * contact's conversation must not use (composer-lock.ts); `html[data-ig-reveal]` and
 * `html[data-ig-blocked-view]` switch views, `html[data-ig-checking]` holds the incoming
 * messages back while the open conversation's contact is not known yet (hide-blocked.ts), and
 * `html[data-ig-theme="dark"]` gives every injected surface its dark colours (theme.ts).
 * Features never write `element.style`.
 */
import { t } from '../i18n';
import { isUsableSelector as valid, type Selectors } from '../platforms/page';

export const STYLE_ID = 'inbox-guard-style';
export const CHECKING = 'data-ig-checking';

/** A selector list as one compound (its commas may sit inside :is() or :has()). */
const one = (selector: string) => `:is(${selector})`;

const quote = (text: string) => `"${text.replace(/["\\\n]/g, ' ')}"`;

/** Incoming messages wait while `html[data-ig-checking]` is set. */
export const checkingCss = (incoming: string) => (valid(incoming) ? `html[${CHECKING}] ${one(incoming)}{display:none!important}` : '');

/**
 * The dark values of the colours every injected surface draws with (`var(--ig-…, light)`);
 * lib/features/theme.ts sets the attribute when the page is dark.
 */
const DARK = [
  '--ig-surface:#1f2328', '--ig-hover:#2b3037', '--ig-text:#e6e8eb', '--ig-muted:#aeb5bf', '--ig-border:#4b535e',
  '--ig-focus:#7aa7ff', '--ig-danger:#ff9a9f', '--ig-danger-border:#a8474d', '--ig-pill:#2b3037', '--ig-pill-text:#d3d7dd',
  '--ig-note:#e6e8eb', '--ig-note-text:#1b1f24', '--ig-active:#86e0a6', '--ig-active-bg:#143222', '--ig-archived:#f0cd7e',
  '--ig-archived-bg:#3a2d0e', '--ig-blocked:#ff9ea3', '--ig-blocked-bg:#47171a', '--ig-lock:#ffd4d6', '--ig-lock-bg:#3a1719',
  '--ig-lock-border:#8a3a3f',
].join(';');

/**
 * `virtualList`: the page's list keeps only the rows in view and recycles them (Chatwoot);
 * a blocked contact's row is then marked, not hidden (a hidden row would leave a hole).
 */
export function pageCss(selectors: Selectors, { virtualList = false }: { virtualList?: boolean } = {}): string {
  const rules = [
    `html[data-ig-theme="dark"]{${DARK}}`,
    'html:not([data-ig-reveal]) [data-ig-hidden]{display:none!important}',
    'html[data-ig-reveal] [data-ig-hidden]{outline:2px dashed #b91c1c!important;outline-offset:2px!important;opacity:.7!important}',
    '[data-ig-disabled]{opacity:.45!important;cursor:not-allowed!important}',
    checkingCss(selectors.incoming),
  ];
  if (valid(selectors.row)) {
    const row = one(selectors.row);
    if (!virtualList) rules.push(`html:not([data-ig-blocked-view]) ${row}[data-ig-status="blocked"]{display:none!important}`);
    // A row that stays (a virtualised list, Chatwoot) keeps its place, not the blocked sender's words.
    if (valid(selectors.rowPreview)) rules.push(`${row}[data-ig-status="blocked"] ${one(selectors.rowPreview)}{visibility:hidden!important}`);
    if (valid(selectors.rowName)) {
      const badge = 'font-size:.75em;font-weight:600;margin-inline-start:.4em;padding:0 .4em;border-radius:.6em';
      const name = one(selectors.rowName);
      rules.push(
        `${row}[data-ig-status="archived"] ${name}::after{content:${quote(t('row_archived'))};${badge};color:var(--ig-archived,#6b4e0f);background:var(--ig-archived-bg,#fbf2dc)}`,
        `${row}[data-ig-status="blocked"] ${name}::after{content:${quote(t('row_blocked'))};${badge};color:var(--ig-blocked,#a3161c);background:var(--ig-blocked-bg,#fde8e8)}`,
      );
    }
  }
  // The Blocked view (blocked-view.tsx) takes the list's place: its rows come from the store.
  if (valid(selectors.list)) rules.push(`html[data-ig-blocked-view] ${one(selectors.list)}{display:none!important}`);
  if (valid(selectors.send)) {
    // A private note still goes ("Add Note"): only sending to the contact looks refused.
    const note = valid(selectors.composerNote) ? `:not(${one(selectors.composerNote)})` : '';
    rules.push(`[data-ig-locked]${note} ${one(selectors.send)}{opacity:.45!important;cursor:not-allowed!important}`);
  }
  if (valid(selectors.unreadSeparator)) {
    const separator = one(selectors.unreadSeparator);
    // While the incoming messages wait for the contact's status, so does what points at them.
    rules.push(`html[${CHECKING}] ${separator}{display:none!important}`);
    // "1 Unread Message" before messages that are all hidden points at nothing: it goes too. A
    // sibling that is neither hidden nor an activity line keeps it. (Not `:is(message)`:
    // message selectors use `:has()`, which may not sit inside another `:has()`, and an
    // invalid rule is dropped whole; an activity selector with one is dropped the same way,
    // and the separator stays.)
    if (valid(selectors.activity)) {
      rules.push(
        `html:not([data-ig-reveal]) ${separator}:has(~ [data-ig-hidden]):not(:has(~ :not([data-ig-hidden], ${selectors.activity}))){display:none!important}`,
      );
    }
  }
  return rules.join('\n');
}

/** Installs this run's stylesheet (`pageCss`), replacing one an earlier run (or copy) left behind. */
export function installPageStyle(doc: Document, css: string): HTMLStyleElement {
  for (const old of doc.querySelectorAll(`style#${STYLE_ID}`)) old.remove();
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = css;
  (doc.head ?? doc.documentElement).append(style);
  return style;
}
