/** Every overlay feature, in the order they start. One feature per file; the id is the file name. */
import { actionBar } from './action-bar';
import { blockedView } from './blocked-view';
import { composerLock } from './composer-lock';
import { confirm } from './confirm';
import { contextMenu } from './context-menu';
import { hideBlocked } from './hide-blocked';
import { rowBadges } from './row-badges';
import { shortcuts } from './shortcuts';
import { statusRefresh } from './status-refresh';
import { theme } from './theme';
import type { Feature } from './types';
import { undoToast } from './undo-toast';

export const features: Feature[] = [
  // Page: once per inbox page.
  theme,
  rowBadges,
  blockedView,
  confirm,
  undoToast,
  contextMenu,
  shortcuts,
  // Conversation: for each open conversation.
  hideBlocked,
  actionBar,
  composerLock,
  statusRefresh,
];
