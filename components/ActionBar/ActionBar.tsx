import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage, type ErrorShape } from '@/lib/errors';
import { actionLabels } from '@/lib/features/labels';
import type { OverlayState } from '@/lib/features/types';
import { t, type MessageKey } from '@/lib/i18n';
import { usePopover } from '@/lib/ui/popover';
import { canBlock, refusal, targetStatus, type StatusAction } from '@/lib/roles';
import { ActionMenu, type MenuItem } from '../ActionMenu/ActionMenu';
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

/**
 * A message that hangs below the bar (in the top layer, lib/ui/popover.ts): news fades by
 * itself. Screen readers hear it from a live region that is always there.
 */
function Notice({ text, testId, anchor }: { text: string; testId: string; anchor: RefObject<HTMLElement> }) {
  const [shown, setShown] = useState(text);
  const note = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    setShown(text);
    if (!text) return;
    const timer = setTimeout(() => setShown(''), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  usePopover(note, anchor, shown !== '');
  return (
    <>
      <span class="ig-visually-hidden" role="status">
        {shown}
      </span>
      <span ref={note} popover="manual" class="ig-bar__live" aria-hidden="true" data-testid={testId}>
        {shown}
      </span>
    </>
  );
}

/** An error hangs below the bar until dismissed. */
function ErrorNote({ error, testId, anchor }: { error: ErrorShape | null; testId: string; anchor: RefObject<HTMLElement> }) {
  const [dismissed, setDismissed] = useState<ErrorShape | null>(null);
  const note = useRef<HTMLSpanElement>(null);
  const open = Boolean(error) && dismissed !== error;
  usePopover(note, anchor, open);
  if (!open || !error) return null;
  return (
    <span ref={note} popover="manual" class="ig-bar__error" role="alert" data-testid={testId}>
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
 *
 * Two forms are rendered, and the host's `data-fit` attribute (lib/fit.ts) shows one: the full
 * bar, or, where the header has no room for it, the badge and a menu holding the same actions.
 */
export function ActionBar({ state, onRequest, onRetry, onOpenOptions, onToggleReveal, testId = 'ig-action-bar' }: Props) {
  const [explained, setExplained] = useState<MessageKey | null>(null);
  const bar = useRef<HTMLDivElement>(null);
  const { session, contact, loading, error, pending, done, hiddenCount, reveal } = state;

  if (session.error) {
    return (
      <div ref={bar} class="ig-bar" role="group" aria-label={t('bar_label')} data-testid={testId}>
        <StatusBadge status="unknown" />
        <ErrorNote error={session.error} testId={`${testId}-error`} anchor={bar} />
        <button type="button" class="ig-button" onClick={onOpenOptions}>
          {t('bar_open_options')}
        </button>
      </div>
    );
  }

  if (!contact) {
    return (
      <div ref={bar} class="ig-bar" role="group" aria-label={t('bar_label')} data-testid={testId} aria-busy={loading}>
        <StatusBadge status={loading ? 'loading' : 'unknown'} />
        {error && (
          <button type="button" class="ig-button" onClick={onRetry}>
            {t('bar_retry')}
          </button>
        )}
        <ErrorNote error={error} testId={`${testId}-error`} anchor={bar} />
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

  const admin = canBlock(role);
  const menuItems: MenuItem[] = [
    ...actions.map((action): MenuItem => {
      const reason = refusal(role, contact.status, action);
      return {
        id: action,
        label: pending === action ? t(actionLabels[action].pending) : t(actionLabels[action].button),
        ...(reason ? { reason: t(reason) } : pending ? { reason: t(actionLabels[pending].pending) } : {}),
        danger: action === 'block',
        onSelect: () => press(action, reason),
      };
    }),
    ...(hiddenCount > 0
      ? [
          admin
            ? { id: 'hidden', label: t('hidden_reveal', hiddenCount), checked: reveal, onSelect: onToggleReveal }
            : { id: 'hidden', label: t('hidden_info', hiddenCount), info: true },
        ]
      : []),
  ];

  // "Maria Silva is archived." only while she is: news from elsewhere (she wrote again) ends it.
  const doneText = done && !error && targetStatus[done] === contact.status ? t(actionLabels[done].done, contact.name) : '';

  return (
    <div ref={bar} class="ig-bar" role="group" aria-label={t('bar_label')} data-testid={testId} aria-busy={pending !== null}>
      <StatusBadge status={contact.status} pending={Boolean(contact.pending && contact.pending.state !== 'failed')} />
      {/* The full bar; below its width the compact one (badge + menu) takes over (lib/fit.ts). */}
      <span class="ig-bar__full">
        {hiddenCount > 0 &&
          (admin ? (
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
                data-fit-focus={slot === 0 ? '' : undefined}
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
      </span>
      <span class="ig-bar__compact">
        <ActionMenu label={hiddenCount > 0 ? `${t('bar_menu')} (${t('hidden_count', hiddenCount)})` : t('bar_menu')} items={menuItems} testId={`${testId}-menu`}>
          {hiddenCount > 0 && <span class="ig-menu__count">{hiddenCount}</span>}
        </ActionMenu>
      </span>
      <Notice
        text={
          explained
            ? t(explained)
            : contact.pending && contact.pending.state !== 'failed'
              ? t(pendingText[contact.pending.state])
              : doneText
        }
        testId={`${testId}-status`}
        anchor={bar}
      />
      <ErrorNote error={error} testId={`${testId}-error`} anchor={bar} />
    </div>
  );
}
