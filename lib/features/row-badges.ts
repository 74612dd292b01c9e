/**
 * Feature: every conversation row of the list says whether its contact is archived or blocked,
 * and a blocked contact's conversations leave the active lists (they stay reachable through the
 * "Blocked" view, lib/features/blocked-view.tsx).
 *
 * A row gets `data-ig-status`; the page stylesheet draws the badge (a localized `::after`) and
 * hides blocked rows, so nothing is inserted into the page's own (framework-managed) DOM. Rows
 * the page re-renders get their known status back in the MutationObserver callback, before
 * paint. Rows whose status is not known yet are asked of the background in batches, and only
 * once they come into view (an IntersectionObserver: a 5,000-row list costs what its visible
 * rows cost).
 */
import { ask, type RowKey } from '../messaging';
import { safeClosest, safeQuery, safeQueryAll } from '../platforms/page';
import type { ContactStatus } from '../platforms/types';
import type { Feature, FeatureContext } from './types';

export const ROW_STATUS = 'data-ig-status';
const BATCH = 100;

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
    /** The rows showing each key, to repaint exactly those when an answer comes. */
    const rowsOf = new Map<string, Set<Element>>();
    const keyOf = new WeakMap<Element, RowKey>();
    const asked = new Set<string>();
    const waiting = new Map<string, RowKey>();
    /** Rows in view now, and how many times each key went unanswered. */
    const inView = new Map<string, RowKey>();
    const misses = new Map<string, number>();
    let timer: ReturnType<typeof setTimeout> | undefined;

    const repaint = (key: string) => {
      const rows = rowsOf.get(key);
      if (!rows) return;
      for (const row of rows) {
        if (row.isConnected && keyOf.get(row)?.key === key) paint(row, known.get(key)?.status);
        else rows.delete(row);
      }
    };

    const flush = async () => {
      timer = undefined;
      const batch = [...waiting.values()].slice(0, BATCH);
      for (const row of batch) waiting.delete(row.key);
      if (batch.length === 0 || signal.aborted) return;
      try {
        const { statuses } = await ask('rows.status', { rows: batch });
        for (const answer of statuses) {
          known.set(answer.key, { status: answer.status });
          repaint(answer.key);
          if (answer.key.startsWith('c:') && !answer.pending) ctx.statuses?.set(answer.key.slice(2), answer.status);
        }
      } catch {
        // Not now (the background is busy or restarting): asked again below, a few times.
      }
      // The background places a few unknown conversations per ask: the rest, still in view, are
      // asked again (up to a few times each, so a row it can never place does not loop).
      for (const row of batch) {
        if (known.has(row.key)) continue;
        asked.delete(row.key);
        const missed = (misses.get(row.key) ?? 0) + 1;
        misses.set(row.key, missed);
        if (missed < 5 && inView.has(row.key)) want(row);
      }
      if (waiting.size > 0) timer ??= setTimeout(() => void flush(), 50);
    };

    const want = (key: RowKey) => {
      if (known.has(key.key) || asked.has(key.key)) return;
      asked.add(key.key);
      waiting.set(key.key, key);
      timer ??= setTimeout(() => void flush(), 100);
    };

    const visible = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const key = keyOf.get(entry.target);
        if (!key) continue;
        if (!entry.isIntersecting) {
          inView.delete(key.key);
          continue;
        }
        inView.set(key.key, key);
        want(key);
      }
    });

    const visit = (row: Element) => {
      const key = rowKey(ctx, row);
      if (!key) return;
      const previous = keyOf.get(row);
      if (previous?.key !== key.key) {
        if (previous) rowsOf.get(previous.key)?.delete(row);
        keyOf.set(row, key);
        let rows = rowsOf.get(key.key);
        if (!rows) rowsOf.set(key.key, (rows = new Set()));
        rows.add(row);
        visible.observe(row);
      }
      paint(row, known.get(key.key)?.status);
    };

    const refresh = () => {
      for (const row of safeQueryAll(ctx.document, selectors.row)) visit(row);
    };

    // The open conversation's contact is known exactly: its row follows it.
    const unsubscribe = ctx.store.subscribe((state) => {
      if (!state.conversationId || !state.contact) return;
      const key = `c:${state.conversationId}`;
      if (known.get(key)?.status === state.contact.status) return;
      known.set(key, { status: state.contact.status, contactId: state.contact.id });
      repaint(key);
      const name = `n:${state.contact.name}`;
      if (rowsOf.has(name)) {
        known.set(name, { status: state.contact.status, contactId: state.contact.id });
        repaint(name);
      }
    });

    ctx.onEvent((event) => {
      if (event.type === 'contacts.resynced') {
        // Many contacts changed: forget everything, ask again for the rows in view.
        known.clear();
        asked.clear();
        misses.clear();
        visible.disconnect();
        for (const rows of rowsOf.values()) for (const row of rows) if (row.isConnected) visible.observe(row);
        return;
      }
      if (event.type !== 'contact.changed') return;
      for (const [key, value] of known) {
        if (value.contactId === event.contact.id || key === `n:${event.contact.name}`) {
          known.set(key, { status: event.contact.status, contactId: event.contact.id });
          repaint(key);
        }
      }
      // Rows asked about but not known (the contact's other conversations): ask again.
      asked.clear();
    }, signal);

    const observer = new MutationObserver((records) => {
      // Only what happens in the list matters here (a burst of messages in the thread does not).
      const list = safeQuery(ctx.document, selectors.list);
      for (const record of records) {
        if (list && !list.contains(record.target)) continue;
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          const element = node as Element;
          const row = safeClosest(element, selectors.row);
          if (row) visit(row);
          else if (element.firstElementChild) for (const inner of safeQueryAll(element, selectors.row)) visit(inner);
        }
        // A row whose content changed (another contact's row reused by the framework).
        const target = record.target.nodeType === Node.ELEMENT_NODE ? (record.target as Element) : record.target.parentElement;
        const row = target ? safeClosest(target, selectors.row) : null;
        if (row) visit(row);
      }
    });
    observer.observe(ctx.document, { childList: true, subtree: true });
    signal.addEventListener(
      'abort',
      () => {
        observer.disconnect();
        visible.disconnect();
        unsubscribe();
        clearTimeout(timer);
        for (const row of ctx.document.querySelectorAll(`[${ROW_STATUS}]`)) row.removeAttribute(ROW_STATUS);
      },
      { once: true },
    );
    refresh();
  },
};
