/**
 * Where the settings live: storage.local, read and written only by the background (the content
 * script never needs the storage helpers, which keeps its bundle small). Versioned, so a later
 * shape can migrate the saved one.
 */
import { storage } from 'wxt/utils/storage';
import { Settings } from '../settings';

export const settingsItem = storage.defineItem<unknown>('local:settings', { version: 1 });

export async function loadSettings(): Promise<Settings | null> {
  const parsed = Settings.safeParse(await settingsItem.getValue());
  return parsed.success ? parsed.data : null;
}
