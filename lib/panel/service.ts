/**
 * What the popup panel (components/Panel and its parts) needs from the extension: the protocol
 * of lib/page-messaging.ts (`askAny` in the popup, a fake in tests), the browser's tabs and
 * options page, and a way to save a file. Plus the few formatting helpers the parts share.
 */
import { errorMessage, IgError, type ErrorShape } from '../errors';
import { uiLanguage, type MessageKey } from '../i18n';
import type { MessageType, RequestOf, ResponseOf } from '../page-messaging';
import type { Role } from '../platforms/types';
import type { StatusAction } from '../roles';

export type Ask = <T extends MessageType>(type: T, payload: RequestOf<T>) => Promise<ResponseOf<T>>;

export interface PanelService {
  ask: Ask;
  openOptions(): void;
  /** Absent when the panel already fills a tab. */
  openInTab?: () => void;
  /** Saves `text` as a file the user downloads. */
  download(fileName: string, mime: string, text: string): void;
}

/** The error of any call, as a value the panel can show. */
export function shapeOf(error: unknown): ErrorShape {
  return IgError.from(error).toShape();
}

export { errorMessage };

export const roleLabels: Record<Role, MessageKey> = {
  owner: 'role_owner',
  admin: 'role_admin',
  manager: 'role_manager',
  agent: 'role_agent',
};

export const bulkTitles: Record<StatusAction, MessageKey> = {
  block: 'bulk_confirm_block',
  unblock: 'bulk_confirm_unblock',
  archive: 'bulk_confirm_archive',
  unarchive: 'bulk_confirm_unarchive',
};

export const activityLines: Record<StatusAction, MessageKey> = {
  block: 'activity_block',
  unblock: 'activity_unblock',
  archive: 'activity_archive',
  unarchive: 'activity_unarchive',
};

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(uiLanguage()).format(value);
}

export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(uiLanguage(), { dateStyle: 'short', timeStyle: 'short' }).format(ms);
}

export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(uiLanguage(), { timeStyle: 'short' }).format(ms);
}

/** "3 minutes", "45 seconds", "2 hours" in the UI language. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  const [value, unit] =
    seconds < 90 ? [seconds, 'second'] : seconds < 90 * 60 ? [Math.round(seconds / 60), 'minute'] : [Math.round(seconds / 3600), 'hour'];
  return new Intl.NumberFormat(uiLanguage(), { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
