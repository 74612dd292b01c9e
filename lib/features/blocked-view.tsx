/**
 * Feature: the "Blocked" view of the conversation list. A blocked contact's conversations
 * leave the active lists (Chatwoot resolves them; on plain lists row-badges.ts hides their
 * rows too); this switch above the list takes the list's place with the blocked contacts and
 * their conversations, and back. Counts and rows come from the background (the blocked list
 * the store keeps, and the conversations it knows or asks the platform for), never from the
 * page's rows: a virtualised list (Chatwoot) holds only the rows in view, and parks others.
 *
 * Each row opens the contact's newest conversation in the page (its own client-side
 * navigation: the address changes, then the page is told as a Back/Forward would) and, for
 * admins, offers Unblock with the usual confirmation. The switch shows while there are
 * blocked contacts or the view is on; its count follows every change the background tells.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import buttonCss from '@/components/Button/Button.css?inline';
import { mountShadow, waitForElement } from '../dom';
import { t } from '../i18n';
import { ask, type BlockedRow } from '../messaging';
import { safeQuery } from '../platforms/page';
import { canBlock } from '../roles';
import { useStore } from '../ui/store';
import type { Feature, FeatureContext } from './types';

export const VIEW_TAG = 'inbox-guard-blocked-view';
const VIEW_ATTRIBUTE = 'data-ig-blocked-view';
const PAGE = 25;
/** Changes told in a burst (a bulk job) are counted again once. */
const RECOUNT_MS = 300;

const CSS = `:host{all:initial;display:block;padding:.4rem .75rem;font:13px/1.4 system-ui,sans-serif;color:var(--ig-text,#1b1f24)}
${buttonCss}
.ig-view{width:100%}
.ig-view-list{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-direction:column;gap:.25rem;max-height:calc(100vh - 12rem);overflow:auto}
.ig-view-row{display:flex;align-items:center;gap:.5rem;padding:.4rem .5rem;border-radius:8px;border:1px solid var(--ig-border,#b8bfca)}
.ig-view-row[aria-current="true"]{background:var(--ig-hover,#f3f5f8)}
.ig-view-open{appearance:none;flex:1;min-width:0;padding:0;border:0;background:none;color:inherit;font:600 13px/1.4 system-ui,sans-serif;text-align:start;cursor:pointer;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.ig-view-open:disabled{cursor:default;font-weight:500}
.ig-view-open:focus-visible{outline:2px solid var(--ig-focus,#2563eb);outline-offset:2px}
.ig-view-note{color:var(--ig-muted,#4a5260);font-size:12px}
.ig-view-empty{margin:.5rem 0 0;color:var(--ig-muted,#4a5260)}`;

/** Opens a conversation the way the page's own links do: a new address, then a history event. */
function navigate(doc: Document, path: string) {
  const view = doc.defaultView;
  if (!view) return;
  view.history.pushState(null, '', path);
  view.dispatchEvent(new PopStateEvent('popstate', { state: null }));
}

interface Listing {
  total: number;
  rows: BlockedRow[];
}

function Switch({ ctx, signal }: { ctx: FeatureContext; signal: AbortSignal }) {
  const doc = ctx.document;
  const { session, conversationId } = useStore(ctx.store);
  const [listing, setListing] = useState<Listing | null>(null);
  const [on, setOn] = useState(doc.documentElement.hasAttribute(VIEW_ATTRIBUTE));
  const [failed, setFailed] = useState(false);

  /**
   * The first `count` rows again (after a change), or the next page (More). While the view is
   * closed only the count is asked: no row, no conversation read for it.
   */
  const load = async (count: number, append = false) => {
    const open = doc.documentElement.hasAttribute(VIEW_ATTRIBUTE);
    try {
      const offset = append ? (listing?.rows.length ?? 0) : 0;
      const answer = await ask('blocked.conversations', { offset, limit: open ? Math.min(50, Math.max(1, count)) : 1, withConversations: open });
      if (signal.aborted) return;
      setFailed(false);
      setListing((before) => ({ total: answer.total, rows: append && before ? [...before.rows, ...answer.rows] : answer.rows }));
    } catch {
      if (!signal.aborted) setFailed(true);
    }
  };

  useEffect(() => {
    void load(PAGE);
    let timer: ReturnType<typeof setTimeout> | undefined;
    ctx.onEvent((event) => {
      if (event.type !== 'contact.changed' && event.type !== 'contacts.resynced') return;
      clearTimeout(timer);
      timer = setTimeout(() => void load(PAGE), RECOUNT_MS);
    }, signal);
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  }, []);

  const total = listing?.total ?? 0;
  if (total === 0 && !on) return null;
  const toggle = () => {
    doc.documentElement.toggleAttribute(VIEW_ATTRIBUTE, !on);
    setOn(!on);
    if (!on) void load(Math.max(PAGE, listing?.rows.length ?? 0));
  };
  const admin = canBlock(session.role ?? 'agent');
  const here = new URL(doc.location.href);

  return (
    <>
      <button type="button" class="ig-button ig-view" aria-pressed={on ? 'true' : 'false'} onClick={toggle} data-testid="ig-blocked-view">
        {on ? t('blocked_view_hide') : t('blocked_view_show', total)}
      </button>
      {on && listing && (
        <>
          {listing.rows.length === 0 ? (
            <p class="ig-view-empty" data-testid="ig-blocked-view-empty">
              {t('blocked_view_empty')}
            </p>
          ) : (
            <ul class="ig-view-list" aria-label={t('blocked_view_label')} data-testid="ig-blocked-view-list">
              {listing.rows.map((row) => {
                const newest = row.conversations[0];
                const path = newest ? ctx.profile.conversationPath(newest, here) : null;
                return (
                  <li
                    key={row.contactId}
                    class="ig-view-row"
                    aria-current={newest && newest === conversationId ? 'true' : undefined}
                    data-testid="ig-blocked-view-row"
                    data-contact-id={row.contactId}
                  >
                    <button
                      type="button"
                      class="ig-view-open"
                      disabled={!path}
                      title={path ? t('blocked_view_open', row.name) : t('blocked_view_no_conversation')}
                      onClick={() => path && navigate(doc, path)}
                    >
                      <bdi>{row.name}</bdi>
                    </button>
                    {row.pending && <span class="ig-view-note">{t('status_pending')}</span>}
                    {admin && (
                      <button
                        type="button"
                        class="ig-button"
                        data-testid="ig-blocked-view-unblock"
                        onClick={() => ctx.request('unblock', { contactId: row.contactId, name: row.name, status: 'blocked', ...(newest ? { conversationId: newest } : {}) })}
                      >
                        {t('action_unblock')}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {listing.rows.length < listing.total && (
            <button type="button" class="ig-button ig-view" onClick={() => void load(PAGE, true)} data-testid="ig-blocked-view-more">
              {t('blocked_view_more', listing.total - listing.rows.length)}
            </button>
          )}
        </>
      )}
      {on && failed && (
        <p class="ig-view-empty" role="alert">
          {t('blocked_view_failed')}
        </p>
      )}
    </>
  );
}

export const blockedView: Feature = {
  id: 'blocked-view',
  scope: 'page',
  async init(ctx, signal) {
    const { selectors } = ctx.profile;
    const list = await waitForElement(ctx.document, () => safeQuery(ctx.document, selectors.list), signal);
    const { host, container } = mountShadow(
      ctx.document,
      VIEW_TAG,
      CSS,
      (host) => {
        host.setAttribute('role', 'region');
        host.setAttribute('aria-label', t('blocked_view_label'));
        list.before(host);
      },
      signal,
    );
    render(<Switch ctx={ctx} signal={signal} />, container);
    // The page may redraw the column the list is in: the switch goes back above the list.
    ctx.onDomChange?.(() => {
      if (!host.isConnected) safeQuery(ctx.document, selectors.list)?.before(host);
    }, signal);
    signal.addEventListener(
      'abort',
      () => {
        render(null, container);
        ctx.document.documentElement.removeAttribute(VIEW_ATTRIBUTE);
      },
      { once: true },
    );
  },
};
