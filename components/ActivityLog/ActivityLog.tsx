/**
 * The activity log ('activity.list'): who did what to whom, when, and how it ended; newest
 * first, with a button to page back.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ErrorShape } from '@/lib/errors';
import { t, type MessageKey } from '@/lib/i18n';
import type { ActivityView } from '@/lib/page-messaging';
import { activityLines, errorMessage, formatDateTime, shapeOf, type Ask } from '@/lib/panel/service';

export interface Props {
  ask: Ask;
  version: number;
  pageSize?: number;
  testId?: string;
}

const results: Record<ActivityView['result'], MessageKey> = {
  done: 'activity_result_done',
  failed: 'activity_result_failed',
  discarded: 'activity_result_discarded',
};

export function ActivityLog({ ask, version, pageSize = 50, testId = 'ig-activity' }: Props) {
  const [entries, setEntries] = useState<ActivityView[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  const load = async (before?: number) => {
    try {
      const { entries: page } = await ask('activity.list', { ...(before === undefined ? {} : { before }), limit: pageSize });
      setEntries((previous) => (before === undefined ? page : [...(previous ?? []), ...page]));
      setMore(page.length === pageSize);
      setError(null);
    } catch (caught) {
      setError(shapeOf(caught));
    }
  };

  useEffect(() => {
    void load();
  }, [version]);

  return (
    <div class="ig-activity" data-testid={testId}>
      {error && (
        <p class="ig-panel__error" role="alert" data-testid={`${testId}-error`}>
          {errorMessage(error)}
        </p>
      )}
      {entries === null && !error && <p>{t('panel_loading')}</p>}
      {entries?.length === 0 && <p class="ig-muted">{t('activity_empty')}</p>}
      {entries && entries.length > 0 && (
        <ul class="ig-entries">
          {entries.map((entry) => (
            <li key={entry.seq} class="ig-entry" data-testid={`${testId}-entry`} data-result={entry.result}>
              <div class="ig-entry__main">
                <span>{t(activityLines[entry.action], [entry.by.userName, entry.contactName])}</span>
                <span class="ig-entry__detail">
                  <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at)}</time>
                  {' · '}
                  <span class={`ig-result ig-result--${entry.result}`}>{t(results[entry.result])}</span>
                </span>
                {entry.error && <span class="ig-entry__error">{errorMessage(entry.error)}</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
      {more && entries && (
        <button type="button" class="ig-button" onClick={() => void load(entries[entries.length - 1]?.seq)} data-testid={`${testId}-more`}>
          {t('activity_more')}
        </button>
      )}
    </div>
  );
}
