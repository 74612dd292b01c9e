/**
 * Where the settings live: storage.local, read and written only by the background (the content
 * script never needs the storage helpers, which keeps its bundle small). Versioned, so a later
 * shape can migrate the saved one.
 *
 * What the background uses is the user's saved settings with the organisation's policy on top
 * (lib/policy.ts): a policy can configure everything but the token, with no user action.
 */
import { storage } from 'wxt/utils/storage';
import { lockedFields, readPolicy, type Policy, type PolicyField } from '../policy';
import { Settings } from '../settings';

export const settingsItem = storage.defineItem<unknown>('local:settings', { version: 1 });

/** The saved settings (any shape) with the policy's values on top; null when that is not a configuration. */
export function mergeSettings(saved: unknown, policy: Policy): Settings | null {
  const base = typeof saved === 'object' && saved !== null && !Array.isArray(saved) ? saved : {};
  const merged = Settings.safeParse({ ...base, ...policy });
  if (merged.success) return merged.data;
  // A damaged saved value must not hide a complete policy.
  const policyOnly = Settings.safeParse(policy);
  return policyOnly.success ? policyOnly.data : null;
}

export async function loadSettings(): Promise<Settings | null> {
  return mergeSettings(await settingsItem.getValue(), await readPolicy());
}

/** The settings as loadSettings() gives them, and which fields the policy locks. */
export async function loadSettingsWithPolicy(): Promise<{ settings: Settings | null; policy: Policy; locked: PolicyField[] }> {
  const policy = await readPolicy();
  return { settings: mergeSettings(await settingsItem.getValue(), policy), policy, locked: lockedFields(policy) };
}

/**
 * Saves what the user asked, except the fields the policy locks: for those the user's own
 * earlier value stays saved (or none), and the policy's stays on top when read. So a locked
 * field cannot be changed from here, and when the organisation lifts a setting the user's own
 * choice comes back, not a copy of the policy's.
 */
export async function saveSettings(settings: Settings): Promise<void> {
  const policy = await readPolicy();
  const previous = await settingsItem.getValue();
  const before = (typeof previous === 'object' && previous !== null && !Array.isArray(previous) ? previous : {}) as Record<string, unknown>;
  const next: Record<string, unknown> = { ...settings };
  for (const field of lockedFields(policy)) {
    if (before[field] === undefined) delete next[field];
    else next[field] = before[field];
  }
  await settingsItem.setValue(next);
}
