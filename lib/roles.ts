/**
 * Who may do what, from the seeds: only Admin / Owner / Manager may block or unblock; any
 * user may archive or unarchive. Status is one value, so a move that leaves or enters
 * "blocked" is a block decision (archiving a blocked contact would unblock them).
 *
 * The overlay uses this to show a control disabled with its reason; the background uses the
 * same function to refuse the operation. The platform stays the authority for what a token
 * may do; this gate stops mistakes and policy breaches in the UI.
 */
import { z } from './schema';
import type { MessageKey } from './i18n';
import type { ContactStatus, Role } from './platforms/types';

export const StatusAction = z.enum(['block', 'unblock', 'archive', 'unarchive']);
export type StatusAction = z.infer<typeof StatusAction>;

export const targetStatus: Record<StatusAction, ContactStatus> = {
  block: 'blocked',
  unblock: 'active',
  archive: 'archived',
  unarchive: 'active',
};

export function canBlock(role: Role): boolean {
  return role === 'owner' || role === 'admin' || role === 'manager';
}

const REASONS: readonly string[] = [
  'reason_admin_only',
  'reason_already_blocked',
  'reason_not_blocked',
  'reason_blocked_cannot_archive',
  'reason_already_archived',
  'reason_not_archived',
] satisfies MessageKey[];

/** Whether `text` (an error's detail) is one of the reasons `refusal` gives. */
export const isReason = (text: string | undefined): text is MessageKey => REASONS.includes(text ?? '');

/** Why `action` is not available, or null when it is. */
export function refusal(role: Role, from: ContactStatus, action: StatusAction): MessageKey | null {
  const blockDecision = action === 'block' || action === 'unblock';
  if (blockDecision && !canBlock(role)) return 'reason_admin_only';
  if (action === 'block' && from === 'blocked') return 'reason_already_blocked';
  if (action === 'unblock' && from !== 'blocked') return 'reason_not_blocked';
  if (action === 'archive' && from === 'blocked') return 'reason_blocked_cannot_archive';
  if (action === 'archive' && from === 'archived') return 'reason_already_archived';
  if (action === 'unarchive' && from !== 'archived') return 'reason_not_archived';
  return null;
}

/** The action that moves `from` to `to`, if there is one. */
export function actionFor(from: ContactStatus, to: ContactStatus): StatusAction | null {
  if (to === 'blocked') return from === 'blocked' ? null : 'block';
  if (to === 'archived') return from === 'archived' ? null : 'archive';
  if (from === 'blocked') return 'unblock';
  if (from === 'archived') return 'unarchive';
  return null;
}

/**
 * The actions, each one the gate allows, that bring a contact from `from` back to `to` (what
 * Undo sends): one, except blocked → archived, which is unblock, then archive.
 */
export function stepsTo(from: ContactStatus, to: ContactStatus): StatusAction[] {
  if (from === 'blocked' && to === 'archived') return ['unblock', 'archive'];
  const action = actionFor(from, to);
  return action ? [action] : [];
}
