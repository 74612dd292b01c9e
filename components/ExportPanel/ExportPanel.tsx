/**
 * Export: the Blocked and/or Archived lists ('export.rows') as a CSV or JSON file that the
 * import reads back unchanged (lib/transfer).
 */
import { useState } from 'preact/hooks';
import type { ErrorShape } from '@/lib/errors';
import { t, uiLanguage } from '@/lib/i18n';
import type { ListStatus } from '@/lib/page-messaging';
import { errorMessage, formatNumber, shapeOf, type Ask } from '@/lib/panel/service';
import { csvSeparatorFor, MIME, writeExport, type Format } from '@/lib/transfer';

export interface Props {
  ask: Ask;
  download(fileName: string, mime: string, text: string): void;
  onNotice(text: string): void;
  /** For the file name (tests fix it). */
  now?: () => number;
  testId?: string;
}

export function ExportPanel({ ask, download, onNotice, now = Date.now, testId = 'ig-export' }: Props) {
  const [lists, setLists] = useState<Record<ListStatus, boolean>>({ blocked: true, archived: true });
  const [format, setFormat] = useState<Format>('csv');
  const [error, setError] = useState<ErrorShape | null>(null);
  const [problem, setProblem] = useState(false);
  const [busy, setBusy] = useState(false);

  const statuses = (Object.keys(lists) as ListStatus[]).filter((status) => lists[status]);

  const run = async () => {
    if (statuses.length === 0) {
      setProblem(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { rows } = await ask('export.rows', { statuses });
      const day = new Date(now()).toISOString().slice(0, 10);
      download(`inbox-guard-${statuses.join('-')}-${day}.${format}`, MIME[format], writeExport(rows, format, csvSeparatorFor(uiLanguage())));
      onNotice(t('export_done', formatNumber(rows.length)));
    } catch (caught) {
      setError(shapeOf(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="ig-export" data-testid={testId}>
      <fieldset class="ig-fieldset">
        <legend>{t('export_lists')}</legend>
        {(['blocked', 'archived'] as const).map((status) => (
          <label class="ig-choice" key={status}>
            <input
              type="checkbox"
              checked={lists[status]}
              data-testid={`${testId}-${status}`}
              onChange={(event) => {
                const checked = event.currentTarget.checked;
                setLists((previous) => ({ ...previous, [status]: checked }));
                setProblem(false);
              }}
            />
            {t(status === 'blocked' ? 'status_blocked' : 'status_archived')}
          </label>
        ))}
      </fieldset>
      <fieldset class="ig-fieldset">
        <legend>{t('export_format')}</legend>
        {(['csv', 'json'] as const).map((value) => (
          <label class="ig-choice" key={value}>
            <input type="radio" name={`${testId}-format`} checked={format === value} data-testid={`${testId}-${value}`} onChange={() => setFormat(value)} />
            {t(value === 'csv' ? 'export_csv' : 'export_json')}
          </label>
        ))}
      </fieldset>
      {problem && (
        <p class="ig-panel__error" role="alert">
          {t('export_none')}
        </p>
      )}
      {error && (
        <p class="ig-panel__error" role="alert" data-testid={`${testId}-error`}>
          {errorMessage(error)}
        </p>
      )}
      <button type="button" class="ig-button ig-button--primary" disabled={busy} onClick={() => void run()} data-testid={`${testId}-button`}>
        {t('export_button')}
      </button>
    </div>
  );
}
