/**
 * Import: a CSV or JSON file (picked or dropped) is read and checked here, in the page
 * (lib/transfer), and its report — row, value, reason — is shown before anything is applied.
 * The user then applies the valid rows (the button says how many, and how many are skipped)
 * or cancels. A failed 'import.apply' keeps the parsed rows so the user can try again.
 */
import { useState } from 'preact/hooks';
import type { ErrorShape } from '@/lib/errors';
import { t, uiLanguage } from '@/lib/i18n';
import type { JobView } from '@/lib/page-messaging';
import { errorMessage, formatNumber, shapeOf, type Ask } from '@/lib/panel/service';
import { countryOfLanguage, readImportFile, type ImportFile, type ImportResult } from '@/lib/transfer';

export interface Props {
  ask: Ask;
  onStarted(job: JobView): void;
  onNotice(text: string): void;
  testId?: string;
}

/** How many problem rows the report lists (the count says how many more there are). */
const SHOWN = 200;

type Parsed = Extract<ImportResult, { ok: true }> & { fileName: string };

export function ImportPanel({ ask, onStarted, onNotice, testId = 'ig-import' }: Props) {
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [callError, setCallError] = useState<ErrorShape | null>(null);
  const [busy, setBusy] = useState<'reading' | 'applying' | null>(null);
  const [dragging, setDragging] = useState(false);

  const read = async (file: ImportFile | undefined) => {
    if (!file) return;
    setBusy('reading');
    setParsed(null);
    setFileError(null);
    setCallError(null);
    const result = await readImportFile(file, countryOfLanguage(uiLanguage()));
    setBusy(null);
    if (!result.ok) {
      setFileError(t(result.error, result.detail ?? ''));
      return;
    }
    setParsed({ ...result, fileName: file.name });
  };

  const apply = async () => {
    if (!parsed || parsed.valid.length === 0) return;
    setBusy('applying');
    setCallError(null);
    try {
      const job = await ask('import.apply', { rows: parsed.valid.map((row) => row.data) });
      setParsed(null);
      onNotice(t('import_started', formatNumber(job.total)));
      onStarted(job);
    } catch (caught) {
      setCallError(shapeOf(caught));
    } finally {
      setBusy(null);
    }
  };

  const valid = parsed?.valid.length ?? 0;
  const invalid = parsed?.problems.length ?? 0;

  return (
    <div class="ig-import" data-testid={testId}>
      <label
        class={`ig-drop${dragging ? ' ig-drop--over' : ''}`}
        data-testid={`${testId}-drop`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void read(event.dataTransfer?.files[0]);
        }}
      >
        <span class="ig-drop__title">{t('import_choose')}</span>
        <span class="ig-muted">{t('import_drop')}</span>
        <input
          type="file"
          accept=".csv,.tsv,.txt,.json,text/csv,text/tab-separated-values,application/json"
          class="ig-drop__input"
          aria-describedby={`${testId}-help`}
          data-testid={`${testId}-file`}
          onChange={(event) => {
            const input = event.currentTarget;
            void read(input.files?.[0]).then(() => {
              input.value = '';
            });
          }}
        />
      </label>
      <p class="ig-muted" id={`${testId}-help`}>
        {t('import_help')}
      </p>
      <div role="status" aria-live="polite">
        {busy === 'reading' && <p>{t('import_reading')}</p>}
      </div>
      {fileError && (
        <p class="ig-panel__error" role="alert" data-testid={`${testId}-error`}>
          {fileError}
        </p>
      )}
      {parsed && (
        <div class="ig-import__report" data-testid={`${testId}-report`}>
          <p role="status" data-testid={`${testId}-summary`}>
            {t('import_summary', [parsed.fileName, formatNumber(parsed.total), formatNumber(valid), formatNumber(invalid)])}
          </p>
          {invalid > 0 && (
            <table class="ig-table" data-testid={`${testId}-problems`}>
              <caption>{t('import_report_caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('import_col_row')}</th>
                  <th scope="col">{t('import_col_value')}</th>
                  <th scope="col">{t('import_col_reason')}</th>
                </tr>
              </thead>
              <tbody>
                {parsed.problems.slice(0, SHOWN).map((problem) => (
                  <tr key={problem.row} data-testid={`${testId}-problem`}>
                    <td>{problem.row}</td>
                    <td class="ig-table__value">{problem.value}</td>
                    <td>{t(problem.reason, problem.firstRow ?? '')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {invalid > SHOWN && <p>{t('import_more_problems', formatNumber(invalid - SHOWN))}</p>}
          {callError && (
            <p class="ig-panel__error" role="alert" data-testid={`${testId}-apply-error`}>
              {errorMessage(callError)}
            </p>
          )}
          {valid === 0 && <p>{t('import_nothing')}</p>}
          <div class="ig-import__actions">
            {valid > 0 && (
              <button
                type="button"
                class="ig-button ig-button--primary"
                disabled={busy !== null}
                onClick={() => void apply()}
                data-testid={`${testId}-apply`}
              >
                {busy === 'applying'
                  ? t('import_applying')
                  : invalid > 0
                    ? t('import_apply_skip', [formatNumber(valid), formatNumber(invalid)])
                    : t('import_apply', formatNumber(valid))}
              </button>
            )}
            <button type="button" class="ig-button" disabled={busy === 'applying'} onClick={() => setParsed(null)} data-testid={`${testId}-discard`}>
              {t('import_discard')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
