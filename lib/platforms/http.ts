/**
 * The one place platform HTTP happens: builds the URL, adds the auth header, maps every status
 * to an `IgError`, and parses the body with the caller's zod schema.
 *
 * Platform adapters (helena/api.ts, chatwoot/api.ts) describe their requests and schemas; this
 * file knows nothing about either platform except through the small `PlatformQuirks` hooks
 * (how auth is sent, how an error body carries its message).
 */
import type { z } from '../schema';
import { IgError } from '../errors';
import { sendsInClear } from '../hosts';
import type { ApiDeps } from './types';

export type Query = Record<string, string | number | boolean | undefined>;

export interface PlatformQuirks {
  authHeaders(token: string): Record<string, string>;
  /** The human message inside an error body, if the platform sent one. */
  errorText(body: unknown): string | undefined;
  /** Some platforms answer 2xx with an error body (Helena's `error: true`). */
  isErrorBody?(body: unknown): boolean;
  /** Lets a platform re-classify an error (Helena's "not found" arrives as HTTP 500). */
  classify?(status: number, body: unknown): IgError | undefined;
}

export interface RequestSpec<S extends z.ZodMiniType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  schema: S;
}

/**
 * An id as a path segment, when it has the platform's shape (lib/platforms/ids.ts). Any other
 * is no contact's or conversation's: `not_found`, and nothing is sent.
 */
export function idSegment(value: string, shape: RegExp, platform: string): string {
  if (typeof value !== 'string' || !shape.test(value)) {
    throw new IgError('not_found', { detail: `not a ${platform} id: ${JSON.stringify(String(value)).slice(0, 80)}` });
  }
  return value;
}

/**
 * The request's URL: the configured base, then `path` exactly as written. A path the URL parser
 * would change (a `.` or `..` segment, `%2e`, a `?` or `#` that cuts it, a character it
 * re-encodes), an empty segment or a `%` is refused (`invalid_request`): whatever an id held,
 * a request never reaches another endpoint than the one its adapter names.
 */
export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const base = baseUrl.replace(/\/+$/, '');
  const url = new URL(base + path);
  const segments = path.split('/').slice(1);
  if (
    !path.startsWith('/') ||
    url.pathname !== new URL(base).pathname.replace(/\/+$/, '') + path ||
    segments.some((segment) => segment === '' || segment === '.' || segment === '..' || /[%\\]/.test(segment))
  ) {
    throw new IgError('invalid_request', { detail: `refused path: ${path.slice(0, 120)}` });
  }
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/** The longest wait a server may ask for; past it, backoff decides (an absurd header is not a reason to wait a week). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** `Retry-After` in either form (delta seconds or HTTP date), as milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : MAX_RETRY_AFTER_MS;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createHttp(deps: ApiDeps, quirks: PlatformQuirks) {
  return async function request<S extends z.ZodMiniType>(spec: RequestSpec<S>): Promise<z.infer<S>> {
    const token = await deps.getToken();
    if (!token) throw new IgError('no_token');
    const headers: Record<string, string> = { Accept: 'application/json', ...quirks.authHeaders(token) };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';

    // Before the rate limit and outside the network's try: a refused path is not a network
    // error to retry.
    const url = buildUrl(deps.baseUrl, spec.path, spec.query);
    // The settings accept no such server; this is the last place a token could leave in clear.
    if (sendsInClear(new URL(url))) throw new IgError('cleartext', { detail: new URL(url).origin });
    // The limiter counts this request until its answer is back (see lib/outbox/rate-limit.ts).
    const answered = (await deps.throttle?.()) ?? undefined;
    let response: Response;
    try {
      response = await deps.fetch(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        credentials: 'omit',
      });
    } catch (error) {
      answered?.();
      throw new IgError('network', { detail: error instanceof Error ? error.message : String(error) });
    }
    const status = response.status;
    // A 429 or a 503 (or 408) may say when to come back: then nothing goes to this platform before.
    const retryAfterMs = status === 429 || status === 408 || status >= 500 ? parseRetryAfter(response.headers.get('Retry-After')) : undefined;
    answered?.(retryAfterMs !== undefined ? { retryAfterMs } : undefined);

    const body = await readBody(response);
    if (!response.ok || quirks.isErrorBody?.(body)) {
      const special = quirks.classify?.(status, body);
      if (special) throw special;
      const detail = quirks.errorText(body) ?? (typeof body === 'string' ? body.slice(0, 200) : undefined);
      if (status === 401) throw new IgError('unauthorized', { status, detail });
      if (status === 403) throw new IgError('forbidden', { status, detail });
      if (status === 404) throw new IgError('not_found', { status, detail });
      if (status === 429) throw new IgError('rate_limited', { status, detail, retryAfterMs });
      // A 503 (or 408) may say when to come back, as a 429 does: the outbox waits that long.
      if (status === 408 || status >= 500) throw new IgError('server_error', { status, detail, retryAfterMs });
      throw new IgError('rejected', { status, detail: detail ?? `HTTP ${status}` });
    }

    const parsed = spec.schema.safeParse(body);
    if (!parsed.success) {
      throw new IgError('invalid_response', {
        status,
        detail: `${spec.method} ${spec.path}: ${parsed.error.issues
          .slice(0, 3)
          .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`)
          .join('; ')}`,
      });
    }
    return parsed.data;
  };
}

export type Http = ReturnType<typeof createHttp>;
