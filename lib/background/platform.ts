/**
 * The way to the configured platform: settings, the host permission, who the user is (and
 * their role), and a rate-limited client for its API. Everything else in the background asks
 * `connect()` and gets either all of that or an `IgError` it can show.
 *
 * The identity is cached in storage.local (a name and a role, nothing secret) for a few
 * minutes, and used past that when the platform cannot be reached, so actions can be queued
 * offline. The rate-limit log lives in storage.session, so a restarted worker does not burst.
 */
import { browser } from 'wxt/browser';
import { IgError } from '../errors';
import { createRateLimiter, type LimiterSnapshot, type Pace, type RateLimiter } from '../outbox/rate-limit';
import { createPlatformApi } from '../platforms';
import type { Identity, PlatformApi, Role } from '../platforms/types';
import { defaultRateLimits, originPatterns, storeScope, type Settings } from '../settings';
import { loadSettings } from './settings-store';
import type { Scope } from '../store/contacts';
import { getToken, hasToken } from './token';

const IDENTITY_KEY = 'identity';
const IDENTITY_MAX_AGE_MS = 5 * 60_000;
const OFFLINE_CODES = new Set(['network', 'server_error', 'rate_limited']);

export interface Connection {
  settings: Settings;
  identity: Identity;
  api: PlatformApi;
  scope: Scope;
}

export interface PlatformAccessDeps {
  fetch: typeof fetch;
  now?: () => number;
  /** Called when the platform refuses the token (401) or there is none. */
  onSignedOut?: (settings: Settings, error: IgError) => void | Promise<void>;
}

export function fingerprint(settings: Settings): string {
  const { platform, apiStyle, serverUrl, accountId, agentEmail } = settings;
  return JSON.stringify([platform, apiStyle, serverUrl, accountId ?? '', agentEmail ?? '']);
}

/**
 * The rate limiter's log belongs to the connection: the platform goes on counting what was sent
 * whatever our limits say, so new limits (the settings, a policy) get a new limiter that starts
 * from the old one's log.
 */
function limiterKey(settings: Settings): string {
  return `rateLog:${fingerprint(settings)}`;
}

/** From least to most privileged. */
const ROLE_RANK: Record<Role, number> = { agent: 0, manager: 1, admin: 2, owner: 3 };

/**
 * The identity Inbox Guard acts with: the platform's role, or the pinned role when that one is
 * less privileged (an organisation deploying agents who may not block, whatever their platform
 * role). A pinned role never raises what the platform says.
 */
export function pinRole(identity: Identity, pinned: Role | undefined): Identity {
  if (!pinned || ROLE_RANK[pinned] >= ROLE_RANK[identity.role]) return identity;
  return { ...identity, role: pinned, roleSource: 'policy' };
}

export function createPlatformAccess(deps: PlatformAccessDeps) {
  const now = deps.now ?? Date.now;
  const limiters = new Map<string, { limits: string; limiter: Promise<RateLimiter> }>();

  const limiterFor = (settings: Settings): Promise<RateLimiter> => {
    const key = limiterKey(settings);
    const limits = JSON.stringify(settings.rateLimits ?? 'default');
    const current = limiters.get(key);
    if (current?.limits === limits) return current.limiter;
    const limiter = (async () => {
      const initial = current
        ? (await current.limiter).snapshot()
        : ((await browser.storage.session.get(key))[key] as LimiterSnapshot | number[] | undefined);
      const windows = settings.rateLimits ?? defaultRateLimits(settings);
      // Saved at most once a second: the log, the answers and any Retry-After hold.
      let saveTimer: ReturnType<typeof setTimeout> | undefined;
      const created: RateLimiter = createRateLimiter(windows, {
        now,
        ...(initial && typeof initial === 'object' ? { initial } : {}),
        onChange() {
          if (saveTimer !== undefined) return;
          saveTimer = setTimeout(() => {
            saveTimer = undefined;
            void browser.storage.session.set({ [key]: created.snapshot() });
          }, 1_000);
        },
      });
      return created;
    })();
    limiters.set(key, { limits, limiter });
    return limiter;
  };

  const guard = async <T>(settings: Settings, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      const igError = IgError.from(error);
      if (igError.code === 'unauthorized' || igError.code === 'no_token') {
        await forgetIdentity();
        await deps.onSignedOut?.(settings, igError);
      }
      throw igError;
    }
  };

  const apiFor = (settings: Settings): PlatformApi => {
    const api = createPlatformApi(settings, {
      fetch: (...args) => deps.fetch(...args),
      getToken,
      throttle: async () => (await limiterFor(settings)).acquire(),
    });
    // Every call goes through `guard`, so a 401 anywhere signs the user out everywhere.
    return Object.fromEntries(
      Object.entries(api).map(([name, method]) => [
        name,
        (...args: unknown[]) => guard(settings, () => (method as (...a: unknown[]) => Promise<unknown>)(...args)),
      ]),
    ) as unknown as PlatformApi;
  };

  const forgetIdentity = () => browser.storage.local.remove(IDENTITY_KEY);

  const identity = async (settings: Settings, api: PlatformApi, fresh: boolean): Promise<Identity> => {
    const key = fingerprint(settings);
    const cached = (await browser.storage.local.get(IDENTITY_KEY))[IDENTITY_KEY] as
      | { key: string; at: number; identity: Identity }
      | undefined;
    const usable = cached && cached.key === key ? cached : undefined;
    if (usable && !fresh && now() - usable.at < IDENTITY_MAX_AGE_MS) return usable.identity;
    try {
      const me = await api.whoAmI();
      await browser.storage.local.set({ [IDENTITY_KEY]: { key, at: now(), identity: me } });
      return me;
    } catch (error) {
      // Offline or the platform down: who we were a moment ago is still who we are.
      if (usable && !fresh && error instanceof IgError && OFFLINE_CODES.has(error.code)) return usable.identity;
      throw error;
    }
  };

  return {
    apiFor,
    forgetIdentity,

    /** Where the connection's rate limit stands: when the next request may go, and why not sooner. */
    pace: async (settings: Settings): Promise<Pace> => (await limiterFor(settings)).pace(),

    /** Settings, permission, identity and client; throws an `IgError` a surface can show. */
    async connect(options: { fresh?: boolean } = {}): Promise<Connection> {
      const settings = await loadSettings();
      if (!settings) throw new IgError('not_configured');
      if (!(await browser.permissions.contains({ origins: originPatterns(settings) }))) {
        throw new IgError('permission_missing', { detail: originPatterns(settings).join(', ') });
      }
      if (!(await hasToken())) throw new IgError('no_token');
      const api = apiFor(settings);
      // Pinned after the cache, so a changed pin applies at once.
      const me = pinRole(await identity(settings, api, options.fresh ?? false), settings.pinnedRole);
      return { settings, identity: me, api, scope: storeScope(settings, me.accountId) };
    },
  };
}

export type PlatformAccess = ReturnType<typeof createPlatformAccess>;
