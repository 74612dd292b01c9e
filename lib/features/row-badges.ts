/**
 * Feature: every conversation row of the list says whether its contact is archived or blocked,
 * and a blocked contact's conversations leave the active lists (they stay reachable through the
 * "Blocked" view, lib/features/blocked-view.tsx).
 *
 * A row gets `data-ig-status`; the page stylesheet draws the badge (a localized `::after`) and
 * hides blocked rows, so nothing is inserted into the page's own (framework-managed) DOM. Rows
 * the page re-renders get their known status back in the MutationObserver callback, before
 * paint; unknown rows are asked of the background in batches.
 */
import { ask, type RowKey } from '../messaging';
import { safeClosest, safeQuery, safeQueryAll } from '../platforms/page';
import type { ContactStatus } from '../platforms/types';
import type { Feature, FeatureContext } from './types';

export const ROW_STATUS = 'data-ig-status';
const BATCH = 200;

interface Known {
  status: ContactStatus;
  contactId?: string;
}

function rowKey(ctx: FeatureContext, row: Element): RowKey | null {
  const conversationId = ctx.profile.rowConversationId(row);
  if (conversationId) return { key: `c:${conversationId}`, conversationId };
  const name = safeQuery(row, ctx.profile.selectors.rowName)?.textContent?.trim();
  return name ? { key: `n:${name}`, name: name.slice(0, 300) } : null;
}

function paint(row: Element, status: ContactStatus | undefined) {
  if (status === 'blocked' || status === 'archived') {
    if (row.getAttribute(ROW_STATUS) !== status) row.setAttribute(ROW_STATUS, status);
  } else if (row.hasAttribute(ROW_STATUS)) {
    row.removeAttribute(ROW_STATUS);
  }
}

export const rowBadges: Feature = {
  id: 'row-badges',
  scope: 'page',
  init(ctx, signal) {
    const { selectors } = ctx.profile;
    const known = new Map<string, Known>();
    const asked = new Set<string>();
    const waiting: RowKey[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;

    const flush = async () => {
      timer = undefined;
      const batch = waiting.splice(0, BATCH);
      if (batch.length === 0 || signal.aborted) return;
      try {
        const { statuses } = await ask('rows.status', { rows: batch });
        for (const answer of statuses) known.set(answer.key, { status: answer.status });
        // Rows the background could not place yet (too many lookups at once) are asked again later.
        for (const row of batch) if (!known.has(row.key)) asked.delete(row.key);
        refresh();
      } catch {
        for (const row of batch) asked.delete(row.key);
      }
      if (waiting.length > 0) timer = setTimeout(() => void flush(), 50);
    };

    const visit = (row: Element) => {
      const key = rowKey(ctx, row);
      if (!key) return;
      const status = known.get(key.key)?.status;
      paint(row, status);
      if (status === undefined && !asked.has(key.key)) {
        asked.add(key.key);
        waiting.push(key);
        timer ??= setTimeout(() => void flush(), 100);
      }
    };

    const refresh = () => {
      for (const row of safeQueryAll(ctx.document, selectors.row)) visit(row);
    };

    // The open conversation's contact is known exactly: its row follows it.
    const unsubscribe = ctx.store.subscribe((state) => {
      if (!state.conversationId || !state.contact) return;
      const key = `c:${state.conversationId}`;
      const name = `n:${state.contact.name}`;
      const before = known.get(key)?.status;
      known.set(key, { status: state.contact.status, contactId: state.contact.id });
      if (known.has(name) || before !== undefined) known.set(name, { status: state.contact.status, contactId: state.contact.id });
      if (before !== state.contact.status) refresh();
    });

    ctx.onEvent((event) => {
      if (event.type !== 'contact.changed') return;
      // Forget what we knew of rows that may be this contact's, and ask again.
      for (const [key, value] of known) {
        if (value.contactId === event.contact.id || key === `n:${event.contact.name}`) {
          known.set(key, { status: event.contact.status, contactId: event.contact.id });
        }
      }
      asked.clear();
      refresh();
    }, signal);

    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          const element = node as Element;
          const row = safeClosest(element, selectors.row);
          if (row) visit(row);
          else if (element.firstElementChild) for (const inner of safeQueryAll(element, selectors.row)) visit(inner);
        }
        // A row whose text changed (another contact's row reused by the framework).
        if (record.type === 'characterData' || record.target.nodeType === Node.ELEMENT_NODE) {
          const target = record.target.nodeType === Node.ELEMENT_NODE ? (record.target as Element) : record.target.parentElement;
          const row = target ? safeClosest(target, selectors.row) : null;
          if (row) visit(row);
        }
      }
    });
    observer.observe(ctx.document, { childList: true, subtree: true, characterData: true });
    signal.addEventListener(
      'abort',
      () => {
        observer.disconnect();
        unsubscribe();
        clearTimeout(timer);
        for (const row of ctx.document.querySelectorAll(`[${ROW_STATUS}]`)) row.removeAttribute(ROW_STATUS);
      },
      { once: true },
    );
    refresh();
  },
};
