/**
 * The actions waiting in the outbox or failed there ('outbox.list'), each with Retry and
 * Discard (the panel confirms a discard). Reloaded when the panel bumps `version`.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ErrorShape } from '@/lib/errors';
import { actionLabels } from '@/lib/features/labels';
import { t, type MessageKey } from '@/lib/i18n';
import type { OutboxView } from '@/lib/page-messaging';
import { errorMessage, formatDateTime, shapeOf, type Ask } from '@/lib/panel/service';

export interface Props {
  ask: Ask;
  version: number;
  onDiscard(item: OutboxView): void;
  /** Something happened the user should hear (aria-live in the panel). */
  onNotice(text: string): void;
  onChanged(): void;
  testId?: string;
}

const stateLabels: Record<OutboxView['state'], MessageKey> = {
  queued: 'outbox_state_queued',
  sending: 'outbox_state_sending',
  paused: 'outbox_state_paused',
  failed: 'outbox_state_failed',
};

export function Outbox({ ask, version, onDiscard, onNotice, onChanged, testId = 'ig-outbox' }: Props) {
  const [items, setItems] = useState<OutboxView[] | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);

  useEffect(() => {
    ask('outbox.list', {})
      .then(({ items: list }) => {
        setItems(list);
        setError(null);
      })
      .catch((caught: unknown) => setError(shapeOf(caught)));
  }, [version]);

  const retry = async (item: OutboxView) => {
    try {
      await ask('outbox.retry', { seq: item.seq });
      onNotice(t('outbox_retried'));
      onChanged();
    } catch (caught) {
      setError(shapeOf(caught));
    }
  };

  return (
    <div class="ig-outbox" data-testid={testId}>
      {error && (
        <p class="ig-panel__error" role="alert" data-testid={`${testId}-error`}>
          {errorMessage(error)}
        </p>
      )}
      {items === null && !error && <p>{t('panel_loading')}</p>}
      {items?.length === 0 && <p class="ig-muted">{t('outbox_empty')}</p>}
      {items && items.length > 0 && (
        <ul class="ig-entries">
          {items.map((item) => (
            <li key={item.seq} class="ig-entry" data-testid={`${testId}-item`} data-state={item.state}>
              <div class="ig-entry__main">
                <strong id={`${testId}-what-${item.seq}`}>
                  {t(actionLabels[item.action].button)} · {item.contactName}
                </strong>
                <span class="ig-entry__detail">
                  {t(stateLabels[item.state])}
                  {item.attempts > 0 && ` · ${t('outbox_attempts', item.attempts)}`}
                  {` · ${formatDateTime(item.createdAt)}`}
                </span>
                {item.error && <span class="ig-entry__error">{errorMessage(item.error)}</span>}
              </div>
              <div class="ig-entry__actions">
                {item.state !== 'sending' && (
                  <button
                    type="button"
                    class="ig-button"
                    id={`${testId}-retry-${item.seq}`}
                    // Heard with the action it retries, not one "Retry" per item.
                    aria-labelledby={`${testId}-retry-${item.seq} ${testId}-what-${item.seq}`}
                    onClick={() => void retry(item)}
                    data-testid={`${testId}-retry`}
                  >
                    {t('outbox_retry')}
                  </button>
                )}
                <button
                  type="button"
                  class="ig-button ig-button--danger-outline"
                  id={`${testId}-discard-${item.seq}`}
                  aria-labelledby={`${testId}-discard-${item.seq} ${testId}-what-${item.seq}`}
                  onClick={() => onDiscard(item)}
                  data-testid={`${testId}-discard`}
                >
                  {t('outbox_discard')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
