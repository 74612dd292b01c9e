import { useEffect, useState } from 'preact/hooks';
import { errorMessage, type ErrorShape } from '@/lib/errors';
import { actionLabels } from '@/lib/features/labels';
import type { OverlayState } from '@/lib/features/types';
import { t, type MessageKey } from '@/lib/i18n';
import { canBlock, refusal, type StatusAction } from '@/lib/roles';
import { StatusBadge } from '../StatusBadge/StatusBadge';

export interface Props {
  state: OverlayState;
  /** Asks for confirmation of `action` (the dialog is the page's, see lib/features/confirm.tsx). */
  onRequest(action: StatusAction): void;
  onRetry(): void;
  onOpenOptions(): void;
  onToggleReveal(): void;
  testId?: string;
}

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
 * The overlay in the conversation header: the contact's status, the two toggles (Block/Unblock,
 * Archive/Unarchive), each behind a confirmation, and how many messages are hidden. A control
 * the user's role does not allow stays visible, marked disabled, and says why.
 */
export function ActionBar({ state, onRequest, onRetry, onOpenOptions, onToggleReveal, testId = 'ig-action-bar' }: Props) {
  const [explained, setExplained] = useState<MessageKey | null>(null);
  const { session, contact, loading, error, pending, done, hiddenCount, reveal } = state;

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
    onRequest(action);
  };

  return (
    <div class="ig-bar" role="group" aria-label={t('bar_label')} data-testid={testId} aria-busy={pending !== null}>
      <StatusBadge status={contact.status} pending={Boolean(contact.pending && contact.pending.state !== 'failed')} />
      {hiddenCount > 0 &&
        (canBlock(role) ? (
          <button
            type="button"
            class="ig-pill"
            aria-pressed={reveal ? 'true' : 'false'}
            title={reveal ? t('hidden_conceal') : t('hidden_reveal', hiddenCount)}
            data-testid={`${testId}-hidden`}
            onClick={onToggleReveal}
          >
            {t('hidden_count', hiddenCount)}
          </button>
        ) : (
          <span class="ig-pill" title={t('hidden_info', hiddenCount)} data-testid={`${testId}-hidden`}>
            {t('hidden_count', hiddenCount)}
          </span>
        ))}
      {actions.map((action, slot) => {
        const reason = refusal(role, contact.status, action);
        const reasonId = `${testId}-${action}-reason`;
        // Keyed by place, not by action: Block that becomes Unblock stays the same button, so
        // the focus a keyboard user had on it (given back by the dialog) is not lost.
        return (
          <span class="ig-bar__action" key={slot}>
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
              {pending === action ? t(actionLabels[action].pending) : t(actionLabels[action].button)}
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
                ? t(actionLabels[done].done, contact.name)
                : ''
        }
        testId={`${testId}-status`}
      />
      <ErrorNote error={error} testId={`${testId}-error`} />
    </div>
  );
}
