/**
 * The connection settings: which platform, where, which account, who the user says they are.
 *
 * Stored in storage.local by the background (lib/background/settings-store.ts; nothing secret
 * here, the token is kept apart, see lib/background/token.ts). Parsed with zod on every read,
 * so a damaged or old value reads as "not configured" instead of crashing a surface.
 * `validateSettings` gives the options page a localized reason per field.
 */
import { sendsInClear } from './hosts';
import { z } from './schema';
import type { MessageKey } from './i18n';
import { CHATWOOT_LIMITS, HELENA_LIMITS, type RateWindow } from './outbox/rate-limit';
import { ApiStyle, PlatformId } from './platforms/ids';
import { SelectorOverrides } from './platforms/page';
import { Role } from './platforms/types';

export { ApiStyle, PlatformId } from './platforms/ids';

/**
 * Whether a server address may be used: `ok` for https://, and for http:// on this computer
 * only (127.0.0.1, [::1], localhost: lib/hosts.ts); `cleartext` for http:// anywhere else,
 * which would send the API token unencrypted over a network; `invalid` for anything else (no
 * URL, another scheme, a user name or password in it).
 */
export function serverAddress(value: string): 'ok' | 'cleartext' | 'invalid' {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'invalid';
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return 'invalid';
  if (sendsInClear(url)) return 'cleartext';
  return 'ok';
}

/** A server address that is `ok`: saved settings, a policy and 'settings.save' all hold to it. */
const httpUrl = z.string().check(
  z.refine((value) => serverAddress(value) === 'ok', {
    error: 'not an https:// address (http:// only on this computer: 127.0.0.1, [::1] or localhost)',
  }),
);

export const Settings = z.object({
  platform: PlatformId,
  /** Only for the reference inbox, which speaks either contract. */
  apiStyle: z._default(ApiStyle, 'helena'),
  /** Base URL of the platform API, e.g. https://app.chatwoot.com or https://api.helena.run. */
  serverUrl: httpUrl,
  /** Address of the inbox web app when it is not on the API's origin (Helena). */
  inboxUrl: z.optional(httpUrl),
  accountId: z.optional(z.string()),
  agentEmail: z.optional(z.string()),
  rememberToken: z._default(z.boolean(), false),
  /** Selector overrides for the platform's page profile (lib/platforms/page.ts). */
  selectors: z.optional(SelectorOverrides),
  /**
   * Client-side rate limit windows, replacing the platform's defaults (Helena: 200 per 5 s and
   * 1,000 per 5 min). For accounts with a negotiated limit, or a self-hosted server's own.
   */
  rateLimits: z.optional(
    z
      .array(z.object({ limit: z.number().check(z.int(), z.positive()), windowMs: z.number().check(z.int(), z.gte(100)) }))
      .check(z.minLength(1), z.maxLength(5)),
  ),
  /**
   * The most Inbox Guard lets this user do: it acts with the less privileged of this role and
   * the platform's (lib/background/platform.ts), so an organisation can deploy agents who
   * cannot block even when their platform role could.
   */
  pinnedRole: z.optional(Role),
});
export type Settings = z.infer<typeof Settings>;

/** The API contract the configured platform speaks. */
export function apiKind(settings: Settings): ApiStyle {
  return settings.platform === 'reference' ? settings.apiStyle : settings.platform;
}

export function needsAccountId(settings: Pick<Settings, 'platform' | 'apiStyle'>): boolean {
  return settings.platform === 'chatwoot' || (settings.platform === 'reference' && settings.apiStyle === 'chatwoot');
}

export function needsAgentEmail(settings: Pick<Settings, 'platform' | 'apiStyle'>): boolean {
  return settings.platform === 'helena' || (settings.platform === 'reference' && settings.apiStyle === 'helena');
}

/** The origin whose pages are the configured inbox (where the overlay runs). */
export function inboxOrigin(settings: Settings): string {
  return new URL(settings.inboxUrl || settings.serverUrl).origin;
}

/**
 * The match pattern for an origin. Match patterns carry no port (Firefox rejects one, and a
 * pattern without a port matches every port in both browsers).
 */
export function matchPattern(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

/** Match patterns for the API origin and the inbox origin (host permissions). */
export function originPatterns(settings: Settings): string[] {
  return [...new Set([matchPattern(settings.serverUrl), matchPattern(inboxOrigin(settings))])];
}

/** Where in the store this configuration's contacts live: platform + account. */
export function storeScope(settings: Settings, accountId: string): { platform: string; account: string } {
  return { platform: `${apiKind(settings)}@${new URL(settings.serverUrl).origin}`, account: accountId };
}

/** The windows the rate limiter uses when the settings name none. */
export function defaultRateLimits(settings: Pick<Settings, 'platform' | 'apiStyle'>): RateWindow[] {
  return apiKind(settings as Settings) === 'helena' ? HELENA_LIMITS : CHATWOOT_LIMITS;
}

export const MAX_RATE_WINDOWS = 5;

/** One row of the rate-limit editor, as typed: "N requests per S seconds". */
export interface RateLimitInput {
  limit: string;
  seconds: string;
}

export type RateLimitErrors = { limit?: MessageKey; seconds?: MessageKey }[];

/** The rows of the rate-limit editor, checked one by one (errors[i] belongs to row i). */
export function validateRateLimits(rows: RateLimitInput[]): { ok: true; rateLimits: RateWindow[] } | { ok: false; errors: RateLimitErrors } {
  const errors: RateLimitErrors = rows.map(() => ({}));
  const rateLimits: RateWindow[] = [];
  rows.forEach((row, index) => {
    const limit = Number(row.limit.trim());
    const seconds = Number(row.seconds.trim().replace(',', '.'));
    if (!row.limit.trim() || !Number.isInteger(limit) || limit < 1 || limit > 100_000) errors[index]!.limit = 'options_error_rate_limit';
    if (!row.seconds.trim() || !Number.isFinite(seconds) || seconds < 0.1 || seconds > 86_400) errors[index]!.seconds = 'options_error_rate_seconds';
    rateLimits.push({ limit, windowMs: Math.round(seconds * 1000) });
  });
  const bad = errors.some((error) => error.limit || error.seconds);
  if (bad || rows.length < 1 || rows.length > MAX_RATE_WINDOWS) return { ok: false, errors };
  return { ok: true, rateLimits };
}

const Email = z.email();

export type SettingsField = 'serverUrl' | 'inboxUrl' | 'accountId' | 'agentEmail' | 'token';

export type SettingsValidation =
  | { ok: true; settings: Settings }
  | { ok: false; errors: Partial<Record<SettingsField, MessageKey>> };

/** What the user typed, before validation (the options form's fields). */
export interface SettingsInput {
  platform: PlatformId;
  apiStyle: ApiStyle;
  serverUrl: string;
  inboxUrl: string;
  accountId: string;
  agentEmail: string;
  rememberToken: boolean;
}

export function validateSettings(input: SettingsInput): SettingsValidation {
  const errors: Partial<Record<SettingsField, MessageKey>> = {};
  const addressError = { cleartext: 'options_error_cleartext', invalid: 'options_error_url' } as const;
  const server = serverAddress(input.serverUrl.trim());
  if (server !== 'ok') errors.serverUrl = addressError[server];
  const inbox = input.inboxUrl.trim() ? serverAddress(input.inboxUrl.trim()) : 'ok';
  if (inbox !== 'ok') errors.inboxUrl = addressError[inbox];
  if (needsAccountId(input) && !/^\d+$/.test(input.accountId.trim())) errors.accountId = 'options_error_account';
  if (
    needsAgentEmail(input) &&
    input.agentEmail.trim() &&
    !Email.safeParse(input.agentEmail.trim()).success
  ) {
    errors.agentEmail = 'options_error_email';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const settings = Settings.parse({
    platform: input.platform,
    apiStyle: input.apiStyle,
    serverUrl: input.serverUrl.trim().replace(/\/+$/, ''),
    inboxUrl: input.inboxUrl.trim() ? input.inboxUrl.trim().replace(/\/+$/, '') : undefined,
    accountId: needsAccountId(input) ? input.accountId.trim() : undefined,
    agentEmail: needsAgentEmail(input) && input.agentEmail.trim() ? input.agentEmail.trim() : undefined,
    rememberToken: input.rememberToken,
  });
  return { ok: true, settings };
}
