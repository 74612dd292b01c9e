/**
 * The panel's Find view: contacts found on the platform by name, phone or e-mail, whatever
 * their status ('contacts.find', answered by the platform's search through the background).
 * The Blocked | Archived lists hold only what the store knows to be blocked or archived; this
 * is how an active contact reaches the panel's bulk Archive and Block.
 *
 * At most FIND_LIMIT rows, so no virtualization: a plain list, each row with its status badge
 * (a pending action on top), a checkbox (the panel owns the selection and the bulk bar) and
 * the actions that apply to its status, role-gated as lib/roles.ts says. A failed search says
 * why and keeps the last rows that were found; `version` (bumped by the panel after an action
 * or a finished job) asks the platform again, so badges follow what was done.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { StatusBadge } from '@/components/StatusBadge/StatusBadge';
import type { ErrorShape } from '@/lib/errors';
import { actionLabels } from '@/lib/features/labels';
import { t } from '@/lib/i18n';
import { FIND_LIMIT, FIND_MIN_QUERY, type ContactRow } from '@/lib/page-messaging';
import { errorMessage, formatNumber, shapeOf, type Ask } from '@/lib/panel/service';
import type { ContactStatus, Role } from '@/lib/platforms/types';
import { refusal, type StatusAction } from '@/lib/roles';

export interface Props {
  ask: Ask;
  role: Role;
  /** Bumped by the panel when contacts changed: the current search is asked again. */
  version: number;
  selected: ReadonlySet<string>;
  onToggle(row: ContactRow): void;
  /** A row's action was pressed: the panel confirms first. */
  onAction(row: ContactRow, action: StatusAction): void;
  /** The rows now shown (the panel's bulk bar needs their statuses). */
  onRows(rows: ContactRow[]): void;
  /** Typing debounce, ms. */
  debounceMs?: number;
  testId?: string;
}

/** What a row offers, by its (effective) status. */
export const findActions: Record<ContactStatus, StatusAction[]> = {
  active: ['archive', 'block'],
  archived: ['unarchive'],
  blocked: ['unblock'],
};

interface Found {
  query: string;
  rows: ContactRow[];
  more: boolean;
}

export function FindList({ ask, role, version, selected, onToggle, onAction, onRows, debounceMs = 250, testId = 'ig-find' }: Props) {
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [searching, setSearching] = useState(false);
  const [retry, setRetry] = useState(0);
  const asked = useRef(0);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), debounceMs);
    return () => clearTimeout(timer);
  }, [text]);

  const long = query.length >= FIND_MIN_QUERY;

  useEffect(() => {
    if (!long) {
      asked.current += 1;
      setSearching(false);
      setError(null);
      setFound(null);
      onRows([]);
      return;
    }
    const n = (asked.current += 1);
    setSearching(true);
    ask('contacts.find', { query })
      .then(({ rows, more }) => {
        if (n !== asked.current) return;
        setFound({ query, rows, more });
        setError(null);
        onRows(rows);
      })
      // What was on screen stays; the error says why nothing newer came.
      .catch((caught: unknown) => n === asked.current && setError(shapeOf(caught)))
      .finally(() => n === asked.current && setSearching(false));
  }, [query, version, retry]);

  const rows = found?.rows ?? [];
  return (
    <div class="ig-find" data-testid={testId}>
      <label class="ig-visually-hidden" for={`${testId}-search`}>
        {t('panel_find_search')}
      </label>
      <input
        id={`${testId}-search`}
        type="search"
        class="ig-search"
        placeholder={t('panel_find_search')}
        value={text}
        maxLength={200}
        aria-describedby={`${testId}-status`}
        data-testid={`${testId}-search`}
        onInput={(event) => setText(event.currentTarget.value)}
      />
      <p class="ig-find__status ig-muted" id={`${testId}-status`} role="status" aria-live="polite" data-testid={`${testId}-status`}>
        {!long
          ? t('panel_find_hint', formatNumber(FIND_MIN_QUERY))
          : searching
            ? t('panel_find_searching')
            : found && !error
              ? found.rows.length === 0
                ? t('panel_find_empty', found.query)
                : `${t('panel_find_count', formatNumber(found.rows.length))}${found.more ? ` · ${t('panel_find_more', formatNumber(FIND_LIMIT))}` : ''}`
              : ''}
      </p>
      {error && long && (
        <div class="ig-panel__error" role="alert" data-testid={`${testId}-error`}>
          <span>
            {errorMessage(error)}
            {found && found.rows.length > 0 && ` ${t('panel_find_stale')}`}
          </span>
          <button type="button" class="ig-button" onClick={() => setRetry((n) => n + 1)} data-testid={`${testId}-retry`}>
            {t('bar_retry')}
          </button>
        </div>
      )}
      {rows.length > 0 && (
        <ul class="ig-find__rows" aria-label={t('panel_find_label')} aria-busy={searching ? 'true' : undefined}>
          {rows.map((row, index) => {
            const detail = [row.phone, row.email].filter(Boolean).join(' · ');
            const nameId = `${testId}-name-${index}`;
            const waiting = row.pending !== undefined && row.pending.state !== 'failed';
            return (
              <li key={row.id} class={`ig-find__row${selected.has(row.id) ? ' ig-row--selected' : ''}`} data-testid={`${testId}-row`} data-id={row.id} data-status={row.status}>
                <input
                  type="checkbox"
                  class="ig-row__check"
                  checked={selected.has(row.id)}
                  aria-label={t('list_select', row.name)}
                  data-testid={`${testId}-check`}
                  onChange={() => onToggle(row)}
                />
                <div class="ig-row__main">
                  <span class="ig-row__name" id={nameId}>
                    {row.name}
                  </span>
                  {detail && <span class="ig-row__detail">{detail}</span>}
                </div>
                <StatusBadge status={row.status} pending={waiting} testId={`${testId}-badge`} />
                <span class="ig-find__actions">
                  {findActions[row.status].map((action) => {
                    const reason = refusal(role, row.status, action);
                    const buttonId = `${testId}-${action}-${index}`;
                    return (
                      <button
                        key={action}
                        type="button"
                        id={buttonId}
                        class={`ig-button ig-row__action${action === 'block' ? ' ig-button--danger-outline' : ''}`}
                        aria-labelledby={`${buttonId} ${nameId}`}
                        aria-disabled={reason ? 'true' : undefined}
                        title={reason ? t(reason) : undefined}
                        data-testid={`${testId}-action-${action}`}
                        onClick={() => !reason && onAction(row, action)}
                      >
                        {t(actionLabels[action].button)}
                      </button>
                    );
                  })}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
