import { useEffect, useState } from 'preact/hooks';
import { errorMessage, type ErrorShape } from '@/lib/errors';
import type { OverlayState } from '@/lib/features/types';
import { t, type MessageKey } from '@/lib/i18n';
import { refusal, type StatusAction } from '@/lib/roles';
import { ConfirmDialog } from '../ConfirmDialog/ConfirmDialog';
import { StatusBadge } from '../StatusBadge/StatusBadge';

export interface Props {
  state: OverlayState;
  onAction(action: StatusAction): void;
  onRetry(): void;
  onOpenOptions(): void;
  testId?: string;
}

const labels: Record<StatusAction, { button: MessageKey; pending: MessageKey; done: MessageKey }> = {
  block: { button: 'action_block', pending: 'action_block_pending', done: 'action_block_done' },
  unblock: { button: 'action_unblock', pending: 'action_unblock_pending', done: 'action_unblock_done' },
  archive: { button: 'action_archive', pending: 'action_archive_pending', done: 'action_archive_done' },
  unarchive: { button: 'action_unarchive', pending: 'action_unarchive_pending', done: 'action_unarchive_done' },
};

const confirmations: Record<StatusAction, { title: MessageKey; body: MessageKey }> = {
  block: { title: 'confirm_block_title', body: 'confirm_block_body' },
  unblock: { title: 'confirm_unblock_title', body: 'confirm_unblock_body' },
  archive: { title: 'confirm_archive_title', body: 'confirm_archive_body' },
  unarchive: { title: 'confirm_unarchive_title', body: 'confirm_unarchive_body' },
};

const NOTICE_MS = 6000;

const pendingText = {
  queued: 'pending_queued',
  sending: 'pending_sending',
  paused: 'pending_paused',
} as const;

/** A message that hangs below the bar: news fades by itself, an error stays until dismissed. */
function Notice({ text, testId }: { text: string; testId: string }) {
  const [shown, setShown] = useState(text);
  useEffect(() => {
    setShown(text);
    if (!text) return;
    const timer = setTimeout(() => setShown(''), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <span class="ig-bar__live" role="status" data-testid={testId}>
      {shown}
    </span>
  );
}

function ErrorNote({ error, testId }: { error: ErrorShape | null; testId: string }) {
  const [dismissed, setDismissed] = useState<ErrorShape | null>(null);
  if (!error || dismissed === error) return null;
  return (
    <span class="ig-bar__error" role="alert" data-testid={testId}>
      {errorMessage(error)}
      <button type="button" class="ig-bar__dismiss" aria-label={t('bar_dismiss')} onClick={() => setDismissed(error)}>
        ×
      </button>
    </span>
  );
}

/**
 * The overlay in the conversation header: the contact's status and the two toggles
 * (Block/Unblock, Archive/Unarchive), each behind a confirmation. A control the user's role
 * does not allow stays visible, marked disabled, and says why.
 */
export function ActionBar({ state, onAction, onRetry, onOpenOptions, testId = 'ig-action-bar' }: Props) {
  const [confirming, setConfirming] = useState<StatusAction | null>(null);
  const [explained, setExplained] = useState<MessageKey | null>(null);
  const { session, contact, loading, error, pending, done } = state;

  if (session.error) {
    return (
      <div class="ig-bar" role="group" aria-label={t('bar_label')} data-testid={testId}>
        <StatusBadge status="unknown" />
        <ErrorNote error={session.error} testId={`${testId}-error`} />
        <button type="button" class="ig-button" onClick={onOpenOptions}>
          {t('bar_open_options')}
        </button>
      </div>
    );
  }

  if (!contact) {
    return (
      <div class="ig-bar" role="group" aria-label={t('bar_label')} data-testid={testId} aria-busy={loading}>
        <StatusBadge status={loading ? 'loading' : 'unknown'} />
        {error && (
          <button type="button" class="ig-button" onClick={onRetry}>
            {t('bar_retry')}
          </button>
        )}
        <ErrorNote error={error} testId={`${testId}-error`} />
      </div>
    );
  }

  const role = session.role ?? 'agent';
  const actions: StatusAction[] = [
    contact.status === 'blocked' ? 'unblock' : 'block',
    contact.status === 'archived' ? 'unarchive' : 'archive',
  ];

  const press = (action: StatusAction, reason: MessageKey | null) => {
    if (pending) return;
    if (reason) {
      setExplained(reason);
      return;
    }
    setExplained(null);
    setConfirming(action);
  };

  return (
    <div class="ig-bar" role="group" aria-label={t('bar_label')} data-testid={testId} aria-busy={pending !== null}>
      <StatusBadge status={contact.status} pending={Boolean(contact.pending && contact.pending.state !== 'failed')} />
      {actions.map((action) => {
        const reason = refusal(role, contact.status, action);
        const reasonId = `${testId}-${action}-reason`;
        return (
          <span class="ig-bar__action" key={action}>
            <button
              type="button"
              class={`ig-button${action === 'block' ? ' ig-button--danger-outline' : ''}`}
              aria-disabled={reason !== null || pending !== null ? 'true' : undefined}
              aria-describedby={reason ? reasonId : undefined}
              title={reason ? t(reason) : undefined}
              data-testid={`${testId}-${action}`}
              data-action={action}
              onClick={() => press(action, reason)}
            >
              {pending === action ? t(labels[action].pending) : t(labels[action].button)}
            </button>
            {reason && (
              <span id={reasonId} class="ig-visually-hidden">
                {t(reason)}
              </span>
            )}
          </span>
        );
      })}
      <Notice
        text={
          explained
            ? t(explained)
            : contact.pending && contact.pending.state !== 'failed'
              ? t(pendingText[contact.pending.state])
              : done && !error
                ? t(labels[done].done, contact.name)
                : ''
        }
        testId={`${testId}-status`}
      />
      <ErrorNote error={error} testId={`${testId}-error`} />
      {confirming && (
        <ConfirmDialog
          title={t(confirmations[confirming].title, contact.name)}
          body={t(confirmations[confirming].body, contact.name)}
          confirmLabel={t(labels[confirming].button)}
          cancelLabel={t('confirm_cancel')}
          destructive={confirming === 'block'}
          testId={`${testId}-confirm`}
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const action = confirming;
            setConfirming(null);
            onAction(action);
          }}
        />
      )}
    </div>
  );
}
