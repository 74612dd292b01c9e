/** The words for each action, shared by the bar, the confirmation, the toast and the menu. */
import type { MessageKey } from '../i18n';
import type { StatusAction } from '../roles';

export const actionLabels: Record<StatusAction, { button: MessageKey; pending: MessageKey; done: MessageKey }> = {
  block: { button: 'action_block', pending: 'action_block_pending', done: 'action_block_done' },
  unblock: { button: 'action_unblock', pending: 'action_unblock_pending', done: 'action_unblock_done' },
  archive: { button: 'action_archive', pending: 'action_archive_pending', done: 'action_archive_done' },
  unarchive: { button: 'action_unarchive', pending: 'action_unarchive_pending', done: 'action_unarchive_done' },
};

export const confirmations: Record<StatusAction, { title: MessageKey; body: MessageKey }> = {
  block: { title: 'confirm_block_title', body: 'confirm_block_body' },
  unblock: { title: 'confirm_unblock_title', body: 'confirm_unblock_body' },
  archive: { title: 'confirm_archive_title', body: 'confirm_archive_body' },
  unarchive: { title: 'confirm_unarchive_title', body: 'confirm_unarchive_body' },
};
