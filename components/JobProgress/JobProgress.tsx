/**
 * A bulk job or an import as the panel shows it: what it does, a progress bar (done + failed +
 * skipped of total), the time left at the platform's rate limit (and, while the next request
 * waits for a full window or the platform's Retry-After, what it waits for and how long),
 * Cancel while it runs, and its report (rows failed, not found, refused: 'job.items') once
 * there is one. A paused job (waiting for the user to sign in again) says so as a warning.
 */
import { useState } from 'preact/hooks';
import type { ErrorShape } from '@/lib/errors';
import { actionLabels } from '@/lib/features/labels';
import { t, type MessageKey } from '@/lib/i18n';
import type { JobItemView, JobView } from '@/lib/page-messaging';
import { errorMessage, formatDuration, formatNumber, shapeOf, type Ask } from '@/lib/panel/service';

export interface Props {
  job: JobView;
  ask: Ask;
  onCancel(job: JobView): void;
  testId?: string;
}

const stateLabels: Record<JobView['state'], MessageKey> = {
  running: 'bulk_state_running',
  paused: 'bulk_state_paused',
  cancelled: 'bulk_state_cancelled',
  done: 'bulk_state_done',
};

const itemLabels: Partial<Record<JobItemView['state'], MessageKey>> = {
  failed: 'bulk_item_failed',
  not_found: 'bulk_item_not_found',
  refused: 'bulk_item_refused',
};

const waitLabels: Record<NonNullable<JobView['waitingFor']>, MessageKey> = {
  rate_limit: 'bulk_wait_rate_limit',
  retry_after: 'bulk_wait_retry_after',
};

const REPORT_STATES: JobItemView['state'][] = ['failed', 'not_found', 'refused'];
const REPORT_LIMIT = 200;

export function JobProgress({ job, ask, onCancel, testId = 'ig-job' }: Props) {
  const [report, setReport] = useState<{ total: number; items: JobItemView[] } | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const processed = job.done + job.failed + job.skipped;
  const title =
    job.kind === 'import'
      ? t('bulk_job_import', formatNumber(job.total))
      : t('bulk_job_bulk', [t(actionLabels[job.action ?? 'block'].button), formatNumber(job.total)]);
  const open = job.state === 'running' || job.state === 'paused';
  const waitMs = job.state === 'running' && job.waitingUntil !== undefined ? job.waitingUntil - Date.now() : 0;

  const toggleReport = async () => {
    if (report) {
      setReport(null);
      return;
    }
    try {
      setReport(await ask('job.items', { id: job.id, states: REPORT_STATES, offset: 0, limit: REPORT_LIMIT }));
      setError(null);
    } catch (caught) {
      setError(shapeOf(caught));
    }
  };

  return (
    <section class="ig-job" data-testid={testId} data-state={job.state} aria-label={title}>
      <div class="ig-job__head">
        <strong>{title}</strong>
        <span class={`ig-job__state${job.state === 'paused' ? ' ig-job__state--warning' : ''}`} data-testid={`${testId}-state`}>
          {job.state === 'paused' && (
            <span class="ig-warning-mark" aria-hidden="true">
              !
            </span>
          )}
          {t(stateLabels[job.state])}
        </span>
      </div>
      <progress
        class="ig-job__bar"
        max={Math.max(job.total, 1)}
        value={processed}
        aria-label={title}
        aria-valuetext={t('bulk_progress', [formatNumber(processed), formatNumber(job.total)])}
        data-testid={`${testId}-bar`}
      />
      <p class="ig-job__counts" data-testid={`${testId}-counts`}>
        {t('bulk_progress', [formatNumber(processed), formatNumber(job.total)])}
        {' — '}
        {t('bulk_counts', [formatNumber(job.done), formatNumber(job.failed), formatNumber(job.skipped)])}
        {job.state === 'running' && job.estimateMs !== undefined && job.estimateMs > 0 && (
          <span data-testid={`${testId}-eta`}>
            {' · '}
            {t('bulk_eta', formatDuration(job.estimateMs))}
            {job.waitingFor && waitMs > 0 && (
              <span data-testid={`${testId}-wait`} data-for={job.waitingFor}>
                {', '}
                {t(waitLabels[job.waitingFor], formatDuration(waitMs))}
              </span>
            )}
          </span>
        )}
      </p>
      <div class="ig-job__actions">
        {open && (
          <button type="button" class="ig-button" onClick={() => onCancel(job)} data-testid={`${testId}-cancel`}>
            {t('bulk_cancel')}
          </button>
        )}
        {(job.failed > 0 || job.skipped > 0) && (
          <button type="button" class="ig-button" aria-expanded={report ? 'true' : 'false'} onClick={() => void toggleReport()} data-testid={`${testId}-report-toggle`}>
            {t(report ? 'bulk_report_hide' : 'bulk_report')}
          </button>
        )}
      </div>
      {error && (
        <p class="ig-panel__error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      {report && (
        <div data-testid={`${testId}-report`}>
          {report.items.length === 0 ? (
            <p>{t('bulk_report_empty')}</p>
          ) : (
            <table class="ig-table">
              <thead>
                <tr>
                  <th scope="col">{t('import_col_row')}</th>
                  <th scope="col">{t('import_col_value')}</th>
                  <th scope="col">{t('import_col_reason')}</th>
                </tr>
              </thead>
              <tbody>
                {report.items.map((item) => (
                  <tr key={item.n}>
                    <td>{item.n}</td>
                    <td>{item.contactName ?? item.key.replace(/^[a-z]+:/, '')}</td>
                    <td>
                      {item.error ? errorMessage(item.error) : t(itemLabels[item.state] ?? 'bulk_item_failed')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.total > report.items.length && <p>{t('import_more_problems', formatNumber(report.total - report.items.length))}</p>}
        </div>
      )}
    </section>
  );
}
