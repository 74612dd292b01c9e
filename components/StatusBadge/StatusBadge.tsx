import { t } from '@/lib/i18n';
import type { ContactStatus } from '@/lib/platforms/types';

export interface Props {
  status: ContactStatus | 'loading' | 'unknown';
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
export function StatusBadge({ status, testId = 'ig-status-badge' }: Props) {
  return (
    <span class={`ig-badge ig-badge--${status}`} data-testid={testId} data-status={status}>
      <span class="ig-badge__dot" aria-hidden="true" />
      {t(labels[status])}
    </span>
  );
}
