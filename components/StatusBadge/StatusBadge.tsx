import { t } from '@/lib/i18n';
import type { ContactStatus } from '@/lib/platforms/types';

export interface Props {
  status: ContactStatus | 'loading' | 'unknown';
  /** The status is what an action still on its way will make it. */
  pending?: boolean;
  testId?: string;
}

const labels = {
  active: 'status_active',
  archived: 'status_archived',
  blocked: 'status_blocked',
  loading: 'status_loading',
  unknown: 'status_unknown',
} as const;

/** The contact's status as a pill; the word carries the meaning, the colour only repeats it. */
export function StatusBadge({ status, pending = false, testId = 'ig-status-badge' }: Props) {
  return (
    <span
      class={`ig-badge ig-badge--${status}${pending ? ' ig-badge--pending' : ''}`}
      data-testid={testId}
      data-status={status}
      data-pending={pending ? 'true' : undefined}
    >
      <span class="ig-badge__dot" aria-hidden="true" />
      <span class="ig-badge__text">{t(labels[status])}</span>
      {pending && <span class="ig-badge__pending"> · {t('status_pending')}</span>}
    </span>
  );
}
