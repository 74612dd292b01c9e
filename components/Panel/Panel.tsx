/**
 * The popup panel (entrypoints/popup mounts it, in the toolbar popup or in a full tab): who am
 * I and the connection, the Blocked | Archived lists with search, selection and bulk actions,
 * Find (contacts on the platform, whatever their status: the way to archive or block active
 * ones, components/FindList), the jobs in progress, the outbox, the activity log, import and
 * export.
 *
 * Everything goes through the background (`service.ask`, lib/page-messaging.ts); the panel
 * keeps no state of its own that matters: jobs live in the background, which pushes nothing to
 * extension pages, so the panel polls 'jobs.list' while any job is open, running or paused (a
 * paused job goes on by itself once the user signs in again, here or in the settings), and asks
 * again when it gets the focus back (a job started elsewhere). A job that pauses is a warning,
 * in the job and where the connection shows, never a green notice. Every
 * action is confirmed first (components/ConfirmDialog) and role-gated as lib/roles.ts says;
 * every failed call ends as a localized message in the panel, with nothing lost.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ActivityLog } from '@/components/ActivityLog/ActivityLog';
import { ConfirmDialog } from '@/components/ConfirmDialog/ConfirmDialog';
import { ContactList } from '@/components/ContactList/ContactList';
import { ExportPanel } from '@/components/ExportPanel/ExportPanel';
import { FindList } from '@/components/FindList/FindList';
import { ImportPanel } from '@/components/ImportPanel/ImportPanel';
import { JobProgress } from '@/components/JobProgress/JobProgress';
import { Outbox } from '@/components/Outbox/Outbox';
import type { ErrorShape } from '@/lib/errors';
import { actionLabels, confirmations } from '@/lib/features/labels';
import { t, type MessageKey } from '@/lib/i18n';
import type { ContactRow, JobView, ListStatus, OutboxView, PanelState } from '@/lib/page-messaging';
import {
  bulkTitles,
  errorMessage,
  formatDateTime,
  formatNumber,
  formatTime,
  roleLabels,
  shapeOf,
  type PanelService,
} from '@/lib/panel/service';
import type { Role } from '@/lib/platforms/types';
import { refusal, type StatusAction } from '@/lib/roles';

export interface Props {
  service: PanelService;
  /** Search debounce, ms. */
  debounceMs?: number;
  /** 'jobs.list' polling while a job runs, ms. */
  pollMs?: number;
  testId?: string;
}

type Confirm =
  | { kind: 'row'; row: ContactRow; action: StatusAction }
  /** `skipped`: selected contacts (Find) the action does not apply to, left out of `ids`. */
  | { kind: 'bulk'; action: StatusAction; ids: string[]; skipped?: number }
  | { kind: 'discard'; item: OutboxView };

type Notice = { kind: 'ok' | 'warning'; text: string } | { kind: 'error'; error: ErrorShape };

const platformLabels: Record<NonNullable<PanelState['session']['platform']>, MessageKey> = {
  chatwoot: 'platform_chatwoot',
  helena: 'platform_helena',
  reference: 'platform_reference',
};

const jobStates: Record<JobView['state'], MessageKey> = {
  running: 'bulk_state_running',
  paused: 'bulk_state_paused',
  cancelled: 'bulk_state_cancelled',
  done: 'bulk_state_done',
};

/** Still going: it may move on its own (a paused job resumes when the user signs in again). */
const isOpen = (state: JobView['state'] | undefined) => state === 'running' || state === 'paused';

const BULK_ACTIONS: StatusAction[] = ['block', 'unblock', 'archive', 'unarchive'];
/** The tabs: the two local lists, then Find (the platform's search). */
type View = ListStatus | 'find';
const VIEWS: readonly View[] = ['blocked', 'archived', 'find'];
const viewLabels: Record<View, MessageKey> = { blocked: 'status_blocked', archived: 'status_archived', find: 'panel_find_tab' };
const ALL_PAGE = 500;

export function Panel({ service, debounceMs = 250, pollMs = 1000, testId = 'ig-panel' }: Props) {
  const { ask } = service;
  const [state, setState] = useState<PanelState | null>(null);
  const [stateError, setStateError] = useState<ErrorShape | null>(null);
  const [view, setView] = useState<View>('blocked');
  /** The local list shown, or null in Find. */
  const list: ListStatus | null = view === 'find' ? null : view;
  const [findRows, setFindRows] = useState<ContactRow[]>([]);
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [totals, setTotals] = useState<Partial<Record<ListStatus, number>>>({});
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [selectingAll, setSelectingAll] = useState(false);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [jobs, setJobs] = useState<JobView[]>([]);
  const [syncing, setSyncing] = useState(false);
  const tabs = useRef<Record<View, HTMLButtonElement | null>>({ blocked: null, archived: null, find: null });

  const loadState = async () => {
    try {
      const next = await ask('panel.state', {});
      setState(next);
      setJobs(next.jobs);
      setStateError(null);
    } catch (caught) {
      setStateError(shapeOf(caught));
    }
  };

  /** After anything that changes contacts: lists, counts, outbox and activity again. */
  const refresh = () => {
    setVersion((n) => n + 1);
    void loadState();
  };

  useEffect(() => {
    void loadState();
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), debounceMs);
    return () => clearTimeout(timer);
  }, [search]);

  // A new list or a new search: the selection was made on another set of rows.
  useEffect(() => setSelected(new Set()), [view, query]);

  const jobsRef = useRef(jobs);
  jobsRef.current = jobs;
  /** Asks the jobs again and tells what changed: finished (lists again), paused (a warning), going on again. */
  const pollJobs = () =>
    ask('jobs.list', {})
      .then(({ jobs: next }) => {
        const previous = new Map(jobsRef.current.map((job) => [job.id, job.state]));
        jobsRef.current = next;
        setJobs(next);
        const was = (job: JobView) => previous.get(job.id);
        const finished = next.find((job) => !isOpen(job.state) && isOpen(was(job)));
        const paused = next.find((job) => job.state === 'paused' && was(job) !== 'paused');
        const resumed = next.find((job) => job.state === 'running' && was(job) === 'paused');
        // The connection's line follows: signed out, or connected again.
        if (paused || resumed || finished) void loadState();
        if (finished) {
          setVersion((n) => n + 1);
          // Heard, not only seen: the progress bar itself is not a live region.
          say(`${t(jobStates[finished.state])}: ${t('bulk_counts', [formatNumber(finished.done), formatNumber(finished.failed), formatNumber(finished.skipped)])}`);
        } else if (paused) {
          setNotice({ kind: 'warning', text: t('bulk_paused_notice') });
        } else if (resumed) {
          setNotice((current) => (current?.kind === 'warning' ? null : current));
        }
      })
      .catch((caught: unknown) => setNotice({ kind: 'error', error: shapeOf(caught) }));

  const open = jobs.some((job) => isOpen(job.state));
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => void pollJobs(), pollMs);
    return () => clearInterval(timer);
  }, [open]);

  // Back to the panel (a tab left open, a job started from another one): where the jobs are now.
  useEffect(() => {
    const back = () => {
      if (document.visibilityState === 'visible') void pollJobs();
    };
    document.addEventListener('visibilitychange', back);
    window.addEventListener('focus', back);
    return () => {
      document.removeEventListener('visibilitychange', back);
      window.removeEventListener('focus', back);
    };
  }, []);

  // A sync in progress (at start, on the alarm): its end brings new counts and rows.
  useEffect(() => {
    if (!state?.syncing) return;
    const timer = setTimeout(() => {
      setVersion((n) => n + 1);
      void loadState();
    }, pollMs);
    return () => clearTimeout(timer);
  }, [state]);

  const session = state?.session;
  const notConfigured = stateError?.code === 'not_configured' || (state !== null && !session?.active && (!session?.platform || session.error?.code === 'not_configured'));
  const role: Role = session?.active && session.role ? session.role : 'agent';
  const counts = state?.counts;
  // The tab being searched counts what matches; the other one, the whole list.
  const countOf = (status: ListStatus) => (query && status === list ? totals[status] : counts?.[status]) ?? totals[status];
  const listTotal = list ? totals[list] : undefined;

  const say = (text: string) => setNotice({ kind: 'ok', text });
  const fail = (caught: unknown) => setNotice({ kind: 'error', error: shapeOf(caught) });

  const toggle = (row: ContactRow) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(row.id)) next.delete(row.id);
      else next.add(row.id);
      return next;
    });

  /** Every contact matching the list and the search, a window at a time. */
  const selectAll = async () => {
    if (!list) return;
    setSelectingAll(true);
    try {
      const ids = new Set<string>();
      let total = Infinity;
      for (let offset = 0; offset < total; offset += ALL_PAGE) {
        const page = await ask('contacts.list', { status: list, ...(query ? { query } : {}), offset, limit: ALL_PAGE });
        total = page.total;
        for (const row of page.rows) ids.add(row.id);
        if (page.rows.length === 0) break;
      }
      setSelected(ids);
    } catch (caught) {
      fail(caught);
    } finally {
      setSelectingAll(false);
    }
  };

  const confirmed = async (what: Confirm) => {
    setConfirm(null);
    try {
      if (what.kind === 'row') {
        await ask('contact.setStatus', { contactId: what.row.id, action: what.action });
        say(t(actionLabels[what.action].done, what.row.name));
        setSelected((previous) => {
          const next = new Set(previous);
          next.delete(what.row.id);
          return next;
        });
      } else if (what.kind === 'bulk') {
        const job = await ask('bulk.start', { action: what.action, contactIds: what.ids });
        setJobs((previous) => [job, ...previous.filter((other) => other.id !== job.id)]);
        setSelected(new Set());
        say(t('bulk_started', formatNumber(job.total)));
      } else {
        await ask('outbox.discard', { seq: what.item.seq });
        say(t('outbox_discarded'));
      }
      refresh();
    } catch (caught) {
      fail(caught);
    }
  };

  const syncNow = async () => {
    setSyncing(true);
    try {
      const { changed, at } = await ask('sync.now', {});
      say(t('panel_synced', [formatTime(at), formatNumber(changed)]));
      refresh();
    } catch (caught) {
      fail(caught);
    } finally {
      setSyncing(false);
    }
  };

  const cancelJob = async (job: JobView) => {
    try {
      const next = await ask('job.cancel', { id: job.id });
      setJobs((previous) => previous.map((other) => (other.id === next.id ? next : other)));
      refresh();
    } catch (caught) {
      fail(caught);
    }
  };

  /**
   * What a bulk action would act on. A local list is one status, so the action applies to all
   * or none; Find mixes statuses, so the action takes the selected rows it applies to and says
   * how many it leaves out (refused everywhere: disabled, with the first row's reason).
   */
  const bulkOf = (action: StatusAction): { ids: string[]; reason: MessageKey | null; skipped: number } => {
    if (list) return { ids: [...selected], reason: refusal(role, list, action), skipped: 0 };
    const rows = findRows.filter((row) => selected.has(row.id));
    const ids = rows.filter((row) => !refusal(role, row.status, action)).map((row) => row.id);
    const reason = ids.length > 0 ? null : refusal(role, rows[0]?.status ?? 'active', action);
    return { ids, reason, skipped: rows.length - ids.length };
  };

  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const at = VIEWS.indexOf(view);
    const next =
      event.key === 'Home' ? VIEWS[0]! : event.key === 'End' ? VIEWS.at(-1)! : VIEWS[(at + (event.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length]!;
    setView(next);
    tabs.current[next]?.focus();
  };

  const dialog = (() => {
    if (!confirm) return null;
    if (confirm.kind === 'row') {
      return {
        title: t(confirmations[confirm.action].title, confirm.row.name),
        body: t(confirmations[confirm.action].body, confirm.row.name),
        confirmLabel: t(actionLabels[confirm.action].button),
        destructive: confirm.action === 'block',
      };
    }
    if (confirm.kind === 'bulk') {
      return {
        title: t(bulkTitles[confirm.action], formatNumber(confirm.ids.length)),
        body: `${t(confirmations[confirm.action].body, '')} ${confirm.skipped ? `${t('panel_find_skipped', formatNumber(confirm.skipped))} ` : ''}${t('bulk_confirm_note')}`,
        confirmLabel: t(actionLabels[confirm.action].button),
        destructive: confirm.action === 'block',
      };
    }
    return {
      title: t('outbox_discard_title', `${t(actionLabels[confirm.item.action].button)} · ${confirm.item.contactName}`),
      body: t('outbox_discard_body'),
      confirmLabel: t('outbox_discard'),
      destructive: true,
    };
  })();

  const outboxCount = state ? state.outbox.queued + state.outbox.paused + state.outbox.failed : 0;
  // Connected, but what was asked waits for the user to sign in again (a 401 paused the queue).
  const waitingForUser = (state?.outbox.paused ?? 0) > 0 || jobs.some((job) => job.state === 'paused');
  const panelLabel = `${testId}-lists`;

  return (
    <main class="ig-panel" data-testid={testId}>
      <header class="ig-panel__header">
        <div class="ig-panel__who" data-testid={`${testId}-who`}>
          <h1 class="ig-panel__title">{t('panel_title')}</h1>
          {session?.platform && (
            <p class="ig-muted">
              {t(platformLabels[session.platform])}
              {(state?.accountName || session.accountId) && ` · ${t('panel_account', state?.accountName ?? session.accountId ?? '')}`}
            </p>
          )}
          {session?.active && session.userName && (
            <p data-testid={`${testId}-user`}>{t('panel_user', [session.userName, t(roleLabels[role])])}</p>
          )}
        </div>
        <div class="ig-panel__tools">
          {service.openInTab && (
            <button type="button" class="ig-button" onClick={service.openInTab} data-testid={`${testId}-open-tab`}>
              {t('panel_open_tab')}
            </button>
          )}
        </div>
      </header>

      <div
        class="ig-panel__connection"
        data-testid={`${testId}-connection`}
        data-kind={notConfigured ? 'not_configured' : stateError || session?.error ? 'error' : state ? (waitingForUser ? 'paused' : 'connected') : 'loading'}
      >
        {!state && !stateError && <p>{t('panel_loading')}</p>}
        {notConfigured ? (
          <div role="alert">
            <p>{t('panel_not_configured')}</p>
            <button type="button" class="ig-button ig-button--primary" onClick={service.openOptions} data-testid={`${testId}-options`}>
              {t('bar_open_options')}
            </button>
          </div>
        ) : stateError || session?.error ? (
          <div role="alert" class="ig-panel__error">
            <p data-testid={`${testId}-connection-error`}>{errorMessage((stateError ?? session?.error)!)}</p>
            <div class="ig-row-buttons">
              <button type="button" class="ig-button" onClick={() => void loadState()}>
                {t('bar_retry')}
              </button>
              <button type="button" class="ig-button" onClick={service.openOptions}>
                {t('bar_open_options')}
              </button>
            </div>
          </div>
        ) : state && waitingForUser ? (
          <div role="status" class="ig-panel__warning" data-testid={`${testId}-paused`}>
            <p>
              <span class="ig-warning-mark" aria-hidden="true">
                !
              </span>{' '}
              {t('panel_paused')}
            </p>
            <button type="button" class="ig-button" onClick={service.openOptions}>
              {t('bar_open_options')}
            </button>
          </div>
        ) : (
          state && (
            <p class="ig-panel__status">
              <span class="ig-dot" aria-hidden="true" /> {t('panel_connected')}
              {state.lastSyncAt !== undefined && <span class="ig-muted"> · {t('panel_last_sync', formatDateTime(state.lastSyncAt))}</span>}
              <button type="button" class="ig-button ig-panel__sync" disabled={syncing || state.syncing} onClick={() => void syncNow()} data-testid={`${testId}-sync`}>
                {syncing || state.syncing ? t('panel_syncing') : t('panel_sync_now')}
              </button>
            </p>
          )
        )}
      </div>

      <div class="ig-panel__notice" role="status" aria-live="polite" data-testid={`${testId}-notice`} data-kind={notice?.kind ?? 'none'}>
        {(notice?.kind === 'ok' || notice?.kind === 'warning') && notice.text}
      </div>
      {notice?.kind === 'error' && (
        <div class="ig-panel__error" role="alert" data-testid={`${testId}-error`}>
          <span>{errorMessage(notice.error)}</span>
          <button type="button" class="ig-button" onClick={() => setNotice(null)}>
            {t('bar_dismiss')}
          </button>
        </div>
      )}

      {state && !notConfigured && (
        <>
          {jobs.length > 0 && (
            <section class="ig-panel__jobs" aria-label={t('bulk_jobs')} data-testid={`${testId}-jobs`}>
              {jobs.slice(0, 5).map((job) => (
                <JobProgress key={job.id} job={job} ask={ask} onCancel={(one) => void cancelJob(one)} testId={`${testId}-job`} />
              ))}
            </section>
          )}

          <div class="ig-tabs" role="tablist" aria-label={t('list_tabs')}>
            {VIEWS.map((tab) => (
              <button
                key={tab}
                ref={(element) => {
                  tabs.current[tab] = element;
                }}
                type="button"
                role="tab"
                id={`${testId}-tab-${tab}`}
                aria-selected={view === tab ? 'true' : 'false'}
                aria-controls={panelLabel}
                tabIndex={view === tab ? 0 : -1}
                class="ig-tab"
                data-testid={`${testId}-tab-${tab}`}
                onClick={() => setView(tab)}
                onKeyDown={onTabKey}
              >
                {t(viewLabels[tab])}
                {tab !== 'find' && (
                  <>
                    {' '}
                    <span class="ig-tab__count" data-testid={`${testId}-count-${tab}`}>
                      {countOf(tab) === undefined ? '' : formatNumber(countOf(tab)!)}
                    </span>
                  </>
                )}
              </button>
            ))}
          </div>

          <div role="tabpanel" id={panelLabel} aria-labelledby={`${testId}-tab-${view}`} class="ig-panel__list">
            {list ? (
              <>
                <label class="ig-visually-hidden" for={`${testId}-search`}>
                  {t('list_search')}
                </label>
                <input
                  id={`${testId}-search`}
                  type="search"
                  class="ig-search"
                  placeholder={t('list_search')}
                  value={search}
                  data-testid={`${testId}-search`}
                  onInput={(event) => setSearch(event.currentTarget.value)}
                />
                <div class="ig-selection" data-testid={`${testId}-selection`}>
                  {selected.size > 0 ? (
                    <>
                      <span>{t('list_selected', formatNumber(selected.size))}</span>
                      <button type="button" class="ig-link" onClick={() => setSelected(new Set())} data-testid={`${testId}-clear`}>
                        {t('list_clear')}
                      </button>
                    </>
                  ) : (
                    <span class="ig-muted">{listTotal !== undefined && t('list_count', formatNumber(listTotal))}</span>
                  )}
                  {(listTotal ?? 0) > 0 && selected.size < (listTotal ?? 0) && (
                    <button type="button" class="ig-link" disabled={selectingAll} onClick={() => void selectAll()} data-testid={`${testId}-select-all`}>
                      {t('list_select_all', formatNumber(listTotal ?? 0))}
                    </button>
                  )}
                </div>
                <ContactList
                  ask={ask}
                  status={list}
                  query={query}
                  role={role}
                  version={version}
                  selected={selected}
                  onToggle={toggle}
                  onAction={(row, action) => setConfirm({ kind: 'row', row, action })}
                  onTotal={(total) => setTotals((previous) => ({ ...previous, [list]: total }))}
                  testId={`${testId}-list`}
                />
              </>
            ) : (
              <>
                <FindList
                  ask={ask}
                  role={role}
                  version={version}
                  selected={selected}
                  onToggle={toggle}
                  onAction={(row, action) => setConfirm({ kind: 'row', row, action })}
                  onRows={(rows) => {
                    setFindRows(rows);
                    // Rows no longer shown cannot stay selected: the bulk bar counts what it sees.
                    setSelected((previous) => (previous.size === 0 ? previous : new Set(rows.filter((row) => previous.has(row.id)).map((row) => row.id))));
                  }}
                  debounceMs={debounceMs}
                  testId={`${testId}-find`}
                />
                {selected.size > 0 && (
                  <div class="ig-selection" data-testid={`${testId}-selection`}>
                    <span>{t('list_selected', formatNumber(selected.size))}</span>
                    <button type="button" class="ig-link" onClick={() => setSelected(new Set())} data-testid={`${testId}-clear`}>
                      {t('list_clear')}
                    </button>
                  </div>
                )}
              </>
            )}
            {selected.size > 0 && (
              <div class="ig-bulk" role="group" aria-label={t('bulk_label')} data-testid={`${testId}-bulk`}>
                {BULK_ACTIONS.map((action) => {
                  const { ids, reason, skipped } = bulkOf(action);
                  const disabled = reason !== null || ids.length === 0;
                  return (
                    <button
                      key={action}
                      type="button"
                      class={`ig-button${action === 'block' ? ' ig-button--danger-outline' : ''}`}
                      aria-disabled={disabled ? 'true' : undefined}
                      title={reason ? t(reason) : undefined}
                      data-testid={`${testId}-bulk-${action}`}
                      onClick={() => !disabled && setConfirm({ kind: 'bulk', action, ids, skipped })}
                    >
                      {t(actionLabels[action].button)}
                    </button>
                  );
                })}
              </div>
            )}
          </div>

          <details class="ig-section" data-testid={`${testId}-outbox-section`} open={state.outbox.failed > 0}>
            <summary>
              {t('outbox_title')}
              {outboxCount > 0 && <span class="ig-muted"> ({t('panel_outbox_count', [formatNumber(state.outbox.queued + state.outbox.paused), formatNumber(state.outbox.failed)])})</span>}
            </summary>
            <Outbox ask={ask} version={version} onDiscard={(item) => setConfirm({ kind: 'discard', item })} onNotice={say} onChanged={refresh} testId={`${testId}-outbox`} />
          </details>
          <details class="ig-section" data-testid={`${testId}-activity-section`}>
            <summary>{t('activity_title')}</summary>
            <ActivityLog ask={ask} version={version} testId={`${testId}-activity`} />
          </details>
          <details class="ig-section" data-testid={`${testId}-transfer-section`}>
            <summary>{t('panel_transfer')}</summary>
            <h2 class="ig-section__title">{t('import_title')}</h2>
            <ImportPanel ask={ask} onNotice={say} onStarted={(job) => setJobs((previous) => [job, ...previous])} testId={`${testId}-import`} />
            <h2 class="ig-section__title">{t('export_title')}</h2>
            <ExportPanel ask={ask} download={service.download} onNotice={say} testId={`${testId}-export`} />
          </details>
        </>
      )}

      {confirm && dialog && (
        <ConfirmDialog
          {...dialog}
          cancelLabel={t('confirm_cancel')}
          testId={`${testId}-confirm`}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void confirmed(confirm)}
        />
      )}
    </main>
  );
}
