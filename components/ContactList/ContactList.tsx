/**
 * One of the panel's lists (blocked or archived), virtualized: a fixed row height, only the
 * rows in view plus a small overscan in the DOM, and the rows fetched from the background
 * ('contacts.list') a window of PAGE at a time as the user scrolls. 10,000 contacts are a
 * 560,000 px tall spacer and about twenty rows.
 *
 * Keyboard: the list is one tab stop (the active row, roving tabindex); arrows, Page Up/Down,
 * Home and End move between rows, Space selects, Enter asks for the row's action. Screen
 * readers hear each row's position in the whole list (aria-setsize / aria-posinset).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ErrorShape } from '@/lib/errors';
import { t } from '@/lib/i18n';
import type { ContactRow, ListStatus } from '@/lib/page-messaging';
import { actionLabels } from '@/lib/features/labels';
import { errorMessage, formatDateTime, shapeOf, type Ask } from '@/lib/panel/service';
import type { Role } from '@/lib/platforms/types';
import { refusal, type StatusAction } from '@/lib/roles';

export const ROW_HEIGHT = 56;
export const PAGE = 100;
const OVERSCAN = 4;
const FALLBACK_HEIGHT = 320;

export interface Props {
  ask: Ask;
  status: ListStatus;
  /** Already debounced by the panel. */
  query: string;
  role: Role;
  /** Bumped by the panel when the list changed (an action, a sync): visible rows are fetched again. */
  version: number;
  selected: ReadonlySet<string>;
  onToggle(row: ContactRow): void;
  /** The row's Unblock / Unarchive was pressed: the panel confirms first. */
  onAction(row: ContactRow, action: StatusAction): void;
  onTotal?(total: number): void;
  testId?: string;
}

interface Data {
  key: string;
  version: number;
  total: number | null;
  pages: Map<number, ContactRow[]>;
}

export const rowAction = (status: ListStatus): StatusAction => (status === 'blocked' ? 'unblock' : 'unarchive');

export function ContactList({ ask, status, query, role, version, selected, onToggle, onAction, onTotal, testId = 'ig-list' }: Props) {
  const key = `${status}\n${query}`;
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState(FALLBACK_HEIGHT);
  const [scrollTop, setScrollTop] = useState(0);
  const [data, setData] = useState<Data>({ key, version, total: null, pages: new Map() });
  const [error, setError] = useState<ErrorShape | null>(null);
  const [retry, setRetry] = useState(0);
  const [active, setActive] = useState(0);
  const focusActive = useRef(false);
  const inFlight = useRef(new Set<string>());

  // Another list or another search: start at the top with nothing cached.
  const current = data.key === key ? data : { key, version, total: null, pages: new Map<number, ContactRow[]>() };
  useLayoutEffect(() => {
    if (data.key === key) return;
    setData(current);
    setActive(0);
    setScrollTop(0);
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [key]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setViewport(element.clientHeight || FALLBACK_HEIGHT);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const total = current.total ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(Math.max(total, 1) - 1, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const firstPage = Math.floor(first / PAGE);
  const lastPage = current.total === null ? firstPage : Math.floor(last / PAGE);

  useEffect(() => {
    for (let page = firstPage; page <= lastPage; page += 1) {
      if (current.version === version && current.pages.has(page)) continue;
      const flight = `${key}\n${version}\n${page}`;
      if (inFlight.current.has(flight)) continue;
      inFlight.current.add(flight);
      ask('contacts.list', { status, ...(query ? { query } : {}), offset: page * PAGE, limit: PAGE })
        .then(({ total: count, rows }) => {
          setError(null);
          setData((previous) => {
            if (previous.key !== key) return previous;
            const pages = previous.key === key && previous.version === version ? new Map(previous.pages) : new Map<number, ContactRow[]>();
            pages.set(page, rows);
            return { key, version, total: count, pages };
          });
        })
        .catch((caught: unknown) => setError(shapeOf(caught)))
        .finally(() => inFlight.current.delete(flight));
    }
  }, [key, version, firstPage, lastPage, retry]);

  useEffect(() => {
    if (current.total !== null) onTotal?.(current.total);
  }, [current.total]);

  useEffect(() => {
    if (!focusActive.current) return;
    focusActive.current = false;
    scroller.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.focus();
  });

  const rowAt = (index: number) => current.pages.get(Math.floor(index / PAGE))?.[index % PAGE];
  const action = rowAction(status);
  const reason = refusal(role, status, action);

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    const element = scroller.current;
    if (element) {
      const top = next * ROW_HEIGHT;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + ROW_HEIGHT > element.scrollTop + viewport) element.scrollTop = top + ROW_HEIGHT - viewport;
      setScrollTop(element.scrollTop);
    }
    focusActive.current = true;
    setActive(next);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    const perPage = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + perPage,
      PageUp: active - perPage,
      Home: 0,
      End: total - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!);
      return;
    }
    if (!target.matches('[role="listitem"]')) return;
    const row = rowAt(active);
    if (!row) return;
    if (event.key === ' ') {
      event.preventDefault();
      onToggle(row);
    } else if (event.key === 'Enter' && !reason) {
      event.preventDefault();
      onAction(row, action);
    }
  };

  const rows = [];
  if (current.total !== null) {
    for (let index = first; index <= last && index < total; index += 1) {
      const row = rowAt(index);
      const isActive = index === Math.min(active, total - 1);
      const common = {
        key: row?.id ?? `loading-${index}`,
        role: 'listitem' as const,
        'aria-setsize': total,
        'aria-posinset': index + 1,
        'data-index': index,
        tabIndex: isActive ? 0 : -1,
        style: { top: `${index * ROW_HEIGHT}px`, height: `${ROW_HEIGHT}px` },
        onFocus: () => setActive(index),
      };
      if (!row) {
        rows.push(
          <div {...common} class="ig-row ig-row--loading" aria-busy="true">
            {t('panel_loading')}
          </div>,
        );
        continue;
      }
      const failed = row.pending?.state === 'failed';
      const detail = [row.phone, row.email].filter(Boolean).join(' · ');
      const checkboxId = `${testId}-check-${index}`;
      const since = t('list_since', formatDateTime(row.statusSince));
      rows.push(
        <div {...common} class={`ig-row${selected.has(row.id) ? ' ig-row--selected' : ''}`} data-testid={`${testId}-row`} data-id={row.id}>
          <input
            id={checkboxId}
            type="checkbox"
            class="ig-row__check"
            tabIndex={isActive ? 0 : -1}
            checked={selected.has(row.id)}
            aria-label={t('list_select', row.name)}
            data-testid={`${testId}-check`}
            onChange={() => onToggle(row)}
          />
          <div class="ig-row__main">
            <span class="ig-row__name" id={`${testId}-name-${index}`}>
              {row.name}
            </span>
            <span class="ig-row__detail" title={`${detail ? `${detail} · ` : ''}${since}`}>
              {detail}
              {detail && ' · '}
              {since}
            </span>
          </div>
          {row.pending && (
            <span
              class={`ig-row__mark${failed ? ' ig-row__mark--failed' : ''}`}
              title={failed && row.pending.error ? errorMessage(row.pending.error) : undefined}
              data-testid={`${testId}-pending`}
            >
              {failed ? t('list_failed', t(actionLabels[row.pending.action].button)) : t('status_pending')}
            </span>
          )}
          <button
            type="button"
            class="ig-button ig-row__action"
            id={`${testId}-action-${index}`}
            // Heard with whom it acts on ("Unblock Promo Relâmpago"), not one "Unblock" per row.
            aria-labelledby={`${testId}-action-${index} ${testId}-name-${index}`}
            tabIndex={isActive ? 0 : -1}
            aria-disabled={reason ? 'true' : undefined}
            aria-describedby={reason ? `${testId}-readonly` : undefined}
            title={reason ? t(reason) : undefined}
            data-testid={`${testId}-action`}
            onClick={() => !reason && onAction(row, action)}
          >
            {t(actionLabels[action].button)}
          </button>
        </div>,
      );
    }
  }

  return (
    <div class="ig-list" data-testid={testId}>
      {reason === 'reason_admin_only' && (
        <p class="ig-list__readonly" id={`${testId}-readonly`} data-testid={`${testId}-readonly`}>
          {t(reason)}
        </p>
      )}
      {error && (
        <div class="ig-panel__error" role="alert" data-testid={`${testId}-error`}>
          <span>{errorMessage(error)}</span>
          <button type="button" class="ig-button" onClick={() => setRetry((n) => n + 1)}>
            {t('bar_retry')}
          </button>
        </div>
      )}
      <div
        ref={scroller}
        class="ig-list__scroller"
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        <div
          class="ig-list__items"
          role="list"
          aria-label={t(status === 'blocked' ? 'list_label_blocked' : 'list_label_archived')}
          aria-busy={current.total === null ? 'true' : undefined}
          style={{ height: `${Math.max(total, 0) * ROW_HEIGHT}px` }}
        >
          {rows}
        </div>
        {current.total === 0 && (
          <p class="ig-list__empty" data-testid={`${testId}-empty`}>
            {query ? t('list_empty_search', query) : t('list_empty')}
          </p>
        )}
        {current.total === null && !error && <p class="ig-list__empty">{t('panel_loading')}</p>}
      </div>
    </div>
  );
}
