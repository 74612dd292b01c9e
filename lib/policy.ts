/**
 * The organisation's policy: settings an IT department forces through the browser's managed
 * storage (Chrome: the "3rdparty" → "extensions" → <id> policy, checked against
 * public/managed_schema.json; Firefox: policies.json "3rdparty"). Every field the policy sets
 * is locked: lib/background/settings-store.ts puts it on top of the user's saved settings,
 * the options page shows it disabled, and 'settings.save' keeps it.
 *
 * Each value is parsed on its own with the settings' zod schema: a malformed value is left out
 * with a logged reason (the rest of the policy still applies), an unknown key is ignored, and
 * a browser without managed storage (Firefox without policies, the unit tests' fakeBrowser)
 * reads as "no policy".
 */
import { browser } from 'wxt/browser';
import { z } from './schema';
import { Settings } from './settings';

export const POLICY_FIELDS = [
  'platform',
  'apiStyle',
  'serverUrl',
  'inboxUrl',
  'accountId',
  'agentEmail',
  'rememberToken',
  'pinnedRole',
  'rateLimits',
  'selectors',
] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];
export type Policy = Partial<Pick<Settings, PolicyField>>;

export interface PolicyRead {
  policy: Policy;
  /** Keys left out, with why (for the log). */
  ignored: { key: string; reason: string }[];
}

const Email = z.email();
const Digits = z.string().check(z.regex(/^\d+$/));

/** Field rules beyond the settings' shape (the options page checks the same by hand). */
const extra: Partial<Record<PolicyField, (value: unknown) => string | null>> = {
  accountId: (value) => (Digits.safeParse(value).success ? null : 'not a string of digits'),
  agentEmail: (value) => (Email.safeParse(value).success ? null : 'not an e-mail address'),
  // Selectors end up in a stylesheet (lib/features/page-style.ts): nothing that closes a rule.
  selectors: (value) =>
    Object.values(value as Record<string, string>).some((selector) => /[{};@\\]/.test(selector)) ? 'a selector contains { } ; @ or \\' : null,
};

function normalise(field: PolicyField, value: unknown): unknown {
  // A number where Chrome's schema wants a string (an account id typed as 3 in the JSON).
  if (field === 'accountId' && typeof value === 'number' && Number.isInteger(value)) return String(value);
  if ((field === 'serverUrl' || field === 'inboxUrl') && typeof value === 'string') return value.trim().replace(/\/+$/, '');
  if (typeof value === 'string') return value.trim();
  return value;
}

/** The policy's usable values; never throws. */
export function parsePolicy(raw: unknown): PolicyRead {
  const policy: Record<string, unknown> = {};
  const ignored: PolicyRead['ignored'] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { policy: {}, ignored };
  for (const [key, value] of Object.entries(raw)) {
    if (!(POLICY_FIELDS as readonly string[]).includes(key)) {
      ignored.push({ key, reason: 'unknown key' });
      continue;
    }
    const field = key as PolicyField;
    if (value === undefined || value === null) continue;
    const candidate = normalise(field, value);
    const parsed = Settings.shape[field].safeParse(candidate);
    const problem = parsed.success ? extra[field]?.(parsed.data) ?? null : (parsed.error.issues[0]?.message ?? 'invalid');
    if (problem) ignored.push({ key, reason: problem });
    else policy[field] = parsed.data;
  }
  return { policy: policy as Policy, ignored };
}

/** What the browser's managed storage holds for this extension ({} when it has none). */
export async function readManaged(): Promise<unknown> {
  try {
    return (await browser.storage.managed.get(null)) ?? {};
  } catch {
    // Firefox without policies.json ("Managed storage manifest not found"), or no managed area.
    return {};
  }
}

type Log = (message: string, detail?: unknown) => void;
const warn: Log = (message, detail) => console.warn(`[Inbox Guard] ${message}`, detail ?? '');

/**
 * The policy as last read. Every message the background handles reads the settings, and
 * Firefox looks for a managed-storage manifest on disk at each read: read once, read again when
 * the browser says the policy changed (Chrome does; Firefox reads policies only at start).
 */
let cached: Promise<Policy> | null = null;
const invalidate = (_changes: unknown, area: string) => {
  if (area === 'managed') cached = null;
};

/** Forgets the policy read so far (tests; the storage event does it in the browser). */
export function forgetPolicy(): void {
  cached = null;
}

/** The policy in effect now, malformed values logged and left out. */
export function readPolicy(log: Log = warn): Promise<Policy> {
  try {
    if (!browser.storage.onChanged.hasListener(invalidate)) browser.storage.onChanged.addListener(invalidate);
  } catch {
    // No storage events here: read every time.
    cached = null;
  }
  cached ??= readManaged().then((raw) => {
    const { policy, ignored } = parsePolicy(raw);
    for (const { key, reason } of ignored) log(`policy value "${key}" ignored: ${reason}`);
    return policy;
  });
  return cached;
}

/** The fields a policy locks (the ones it sets). */
export function lockedFields(policy: Policy): PolicyField[] {
  return POLICY_FIELDS.filter((field) => policy[field] !== undefined);
}

/** Calls `changed` when the organisation's policy changes (Chrome re-reads it at run time); returns how to stop. */
export function watchPolicy(changed: () => void): () => void {
  const listener = (_changes: unknown, area: string) => {
    if (area !== 'managed') return;
    // Whichever storage listener runs first, `changed` reads the new policy.
    cached = null;
    changed();
  };
  try {
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  } catch {
    // No storage events here (a test double): nothing to watch.
    return () => undefined;
  }
}
