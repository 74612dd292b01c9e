/**
 * Injected faults for the platform APIs (never for /__control, the page or the app API):
 * latency on every matching request until cleared (fixed, or uneven: `latencyJitterMs` adds a
 * random part), the next N matching requests failing
 * with 4xx (401 expired token, 403 forbidden, 400/404/408/422), 5xx (optionally with
 * Retry-After) or 429 + Retry-After, the next N matching requests held open (held.ts) before or
 * after being applied, and "offline" (every request's socket destroyed, no answer).
 * controls.ts configures them over HTTP; server.ts asks `offline`, `takeHold`, `latencyFor`
 * and `take` before routing a platform request and writes the failure with `writeFault`,
 * shaped like the platform's own failures (or its gateway's).
 */
import type { ServerResponse } from 'node:http';
import type { HoldPhase } from './held.ts';
import { isRecord, sendJson, sendText } from './http.ts';
import type { Style } from './types.ts';

export interface FaultRule {
  kind: 'fail' | 'rateLimit';
  status: number;
  remaining: number;
  /** Retry-After header value, seconds or an HTTP-date (rateLimit always; fail when given). */
  retryAfter?: string;
  /** Path substring; null = every platform-API path. */
  match: string | null;
}

export interface HoldRule {
  phase: HoldPhase;
  remaining: number;
  /** Path substring; null = every platform-API path. */
  match: string | null;
}

export interface FaultsView {
  latency: { ms: number; jitterMs: number; match: string | null } | null;
  rules: FaultRule[];
  holds: HoldRule[];
  offline: boolean;
}

const FAIL_STATUSES = new Set([400, 401, 403, 404, 408, 422, 500, 502, 503, 504]);

function positiveInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/** A Retry-After as given: seconds (number) or an HTTP-date (string); null when invalid. */
function retryAfterHeader(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return String(Math.ceil(value));
  if (typeof value === 'string' && value.trim() !== '') return value;
  return null;
}

export class Faults {
  private latency: { ms: number; jitterMs: number; match: string | null } | null = null;
  private rules: FaultRule[] = [];
  private holds: HoldRule[] = [];
  private offlineFlag = false;

  /** Every platform-API request's socket is destroyed without an answer. */
  get offline(): boolean {
    return this.offlineFlag;
  }

  /** Adds the rules in `input` (and sets latency when given). Returns an error text when invalid. */
  configure(input: unknown): string | null {
    if (!isRecord(input)) return 'Expected a JSON object';
    const match = input.match === undefined || input.match === null ? null : input.match;
    if (match !== null && typeof match !== 'string') return '`match` must be a string';
    const added: FaultRule[] = [];
    if (input.fail !== undefined) {
      if (!isRecord(input.fail)) return '`fail` must be { status, count, retryAfter? }';
      const status = input.fail.status;
      const count = positiveInt(input.fail.count);
      if (typeof status !== 'number' || !FAIL_STATUSES.has(status)) return `\`fail.status\` must be one of ${[...FAIL_STATUSES].join(', ')}`;
      if (count === null) return '`fail.count` must be a positive integer';
      let retryAfter: string | undefined;
      if (input.fail.retryAfter !== undefined) {
        const header = retryAfterHeader(input.fail.retryAfter);
        if (header === null) return '`fail.retryAfter` must be seconds (number) or an HTTP-date (string)';
        retryAfter = header;
      }
      added.push({ kind: 'fail', status, remaining: count, match, ...(retryAfter !== undefined ? { retryAfter } : {}) });
    }
    if (input.rateLimit !== undefined) {
      if (!isRecord(input.rateLimit)) return '`rateLimit` must be { count, retryAfter }';
      const count = positiveInt(input.rateLimit.count);
      if (count === null) return '`rateLimit.count` must be a positive integer';
      const header = retryAfterHeader(input.rateLimit.retryAfter);
      if (header === null) return '`rateLimit.retryAfter` must be seconds (number) or an HTTP-date (string)';
      added.push({ kind: 'rateLimit', status: 429, remaining: count, retryAfter: header, match });
    }
    let hold: HoldRule | null = null;
    if (input.hold !== undefined) {
      if (!isRecord(input.hold)) return "`hold` must be { phase: 'before' | 'after', count }";
      const phase = input.hold.phase;
      const count = positiveInt(input.hold.count);
      if (phase !== 'before' && phase !== 'after') return "`hold.phase` must be 'before' or 'after'";
      if (count === null) return '`hold.count` must be a positive integer';
      hold = { phase, remaining: count, match };
    }
    if (input.offline !== undefined && typeof input.offline !== 'boolean') return '`offline` must be true or false';
    let latency = this.latency;
    const jitter = input.latencyJitterMs ?? 0;
    if (typeof jitter !== 'number' || !(jitter >= 0)) return '`latencyJitterMs` must be a number ≥ 0';
    if (input.latencyJitterMs !== undefined && input.latencyMs === undefined) return '`latencyJitterMs` goes with `latencyMs`';
    if (input.latencyMs !== undefined) {
      if (typeof input.latencyMs !== 'number' || !(input.latencyMs >= 0)) return '`latencyMs` must be a number ≥ 0';
      latency = input.latencyMs > 0 || jitter > 0 ? { ms: input.latencyMs, jitterMs: jitter, match } : null;
    }
    this.latency = latency;
    this.rules.push(...added);
    if (hold) this.holds.push(hold);
    if (typeof input.offline === 'boolean') this.offlineFlag = input.offline;
    return null;
  }

  clear(): void {
    this.latency = null;
    this.rules = [];
    this.holds = [];
    this.offlineFlag = false;
  }

  view(): FaultsView {
    return {
      latency: this.latency,
      rules: this.rules.map((r) => ({ ...r })),
      holds: this.holds.map((h) => ({ ...h })),
      offline: this.offline,
    };
  }

  /** Consumes one use of the first hold rule matching `path`, oldest first; its phase, or null. */
  takeHold(path: string): HoldPhase | null {
    return takeFirst(this.holds, path)?.phase ?? null;
  }

  /** This request's delay: the fixed part plus a uniformly random part up to the jitter. */
  latencyFor(path: string): number {
    if (!this.latency) return 0;
    if (this.latency.match !== null && !path.includes(this.latency.match)) return 0;
    return this.latency.ms + (this.latency.jitterMs > 0 ? Math.random() * this.latency.jitterMs : 0);
  }

  /** Consumes one use of the first rule matching `path`, oldest rule first. */
  take(path: string): FaultRule | null {
    return takeFirst(this.rules, path);
  }
}

function takeFirst<T extends { remaining: number; match: string | null }>(rules: T[], path: string): T | null {
  const index = rules.findIndex((r) => r.match === null || path.includes(r.match));
  const rule = rules[index];
  if (!rule) return null;
  rule.remaining -= 1;
  if (rule.remaining <= 0) rules.splice(index, 1);
  return rule;
}

const GATEWAY_TEXT: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' };

/**
 * 502/503/504 come from the gateway in front of the platform, so they are HTML, not JSON.
 * 500 and 429 look like the platform's own: Helena's `{error, key, text}` body; Chatwoot's
 * Rails 500 JSON and rack-attack's plain-text "Retry later".
 */
export function writeFault(res: ServerResponse, style: Style, rule: FaultRule): void {
  if (rule.kind === 'rateLimit') {
    const headers = { 'retry-after': rule.retryAfter ?? '1' };
    if (style === 'helena') {
      sendJson(res, 429, { error: true, key: 'TOO_MANY_REQUESTS', text: 'Too many requests' }, headers);
    } else {
      sendText(res, 429, 'Retry later\n', 'text/plain; charset=utf-8', headers);
    }
    return;
  }
  if (rule.retryAfter !== undefined) res.setHeader('retry-after', rule.retryAfter);
  if (rule.status < 500) {
    writeClientError(res, style, rule.status);
    return;
  }
  if (rule.status === 500) {
    if (style === 'helena') {
      sendJson(res, 500, { error: true, key: 'INTERNAL_SERVER_ERROR', text: 'An unexpected error occurred', httpStatusCode: 'INTERNALSERVERERROR' });
    } else {
      sendJson(res, 500, { status: 500, error: 'Internal Server Error' });
    }
    return;
  }
  const title = `${rule.status} ${GATEWAY_TEXT[rule.status] ?? 'Error'}`;
  sendText(res, rule.status, `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`, 'text/html');
}

const CLIENT_TEXT: Record<number, string> = {
  400: 'Bad request',
  401: 'Invalid Access Token',
  403: 'You are not authorized to do this action',
  404: 'Resource could not be found',
  408: 'Request timeout',
  422: 'Unprocessable entity',
};

/** 4xx as each platform words them: Helena's `{error, key, text}`, Chatwoot's `{error}` (401/403/404) or `bad_request_error`. */
function writeClientError(res: ServerResponse, style: Style, status: number): void {
  const text = CLIENT_TEXT[status] ?? 'Error';
  if (style === 'helena') {
    const key = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'VALIDATION_ERROR';
    sendJson(res, status, { error: true, key, text });
    return;
  }
  if (status === 401 || status === 403 || status === 404) {
    sendJson(res, status, { error: text });
    return;
  }
  sendJson(res, status, { description: text, errors: [{ field: 'base', message: text, code: 'invalid' }] });
}
