/**
 * Injected faults for the platform APIs (never for /__control, the page or the app API):
 * latency on every matching request until cleared, and the next N matching requests failing
 * with 5xx or 429 + Retry-After. controls.ts configures them over HTTP; server.ts asks
 * `latencyFor` / `take` before routing a platform request and writes the failure with
 * `writeFault`, shaped like the platform's own failures (or its gateway's).
 */
import type { ServerResponse } from 'node:http';
import { isRecord, sendJson, sendText } from './http.ts';
import type { Style } from './types.ts';

export interface FaultRule {
  kind: 'fail' | 'rateLimit';
  status: number;
  remaining: number;
  /** Retry-After header value, seconds or an HTTP-date (rateLimit only). */
  retryAfter?: string;
  /** Path substring; null = every platform-API path. */
  match: string | null;
}

export interface FaultsView {
  latency: { ms: number; match: string | null } | null;
  rules: FaultRule[];
}

const FAIL_STATUSES = new Set([500, 502, 503, 504]);

function positiveInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

export class Faults {
  private latency: { ms: number; match: string | null } | null = null;
  private rules: FaultRule[] = [];

  /** Adds the rules in `input` (and sets latency when given). Returns an error text when invalid. */
  configure(input: unknown): string | null {
    if (!isRecord(input)) return 'Expected a JSON object';
    const match = input.match === undefined || input.match === null ? null : input.match;
    if (match !== null && typeof match !== 'string') return '`match` must be a string';
    const added: FaultRule[] = [];
    if (input.fail !== undefined) {
      if (!isRecord(input.fail)) return '`fail` must be { status, count }';
      const status = input.fail.status;
      const count = positiveInt(input.fail.count);
      if (typeof status !== 'number' || !FAIL_STATUSES.has(status)) return '`fail.status` must be 500, 502, 503 or 504';
      if (count === null) return '`fail.count` must be a positive integer';
      added.push({ kind: 'fail', status, remaining: count, match });
    }
    if (input.rateLimit !== undefined) {
      if (!isRecord(input.rateLimit)) return '`rateLimit` must be { count, retryAfter }';
      const count = positiveInt(input.rateLimit.count);
      const retryAfter = input.rateLimit.retryAfter;
      if (count === null) return '`rateLimit.count` must be a positive integer';
      let header: string;
      if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) header = String(Math.ceil(retryAfter));
      else if (typeof retryAfter === 'string' && retryAfter.trim() !== '') header = retryAfter;
      else return '`rateLimit.retryAfter` must be seconds (number) or an HTTP-date (string)';
      added.push({ kind: 'rateLimit', status: 429, remaining: count, retryAfter: header, match });
    }
    let latency = this.latency;
    if (input.latencyMs !== undefined) {
      if (typeof input.latencyMs !== 'number' || !(input.latencyMs >= 0)) return '`latencyMs` must be a number ≥ 0';
      latency = input.latencyMs > 0 ? { ms: input.latencyMs, match } : null;
    }
    this.latency = latency;
    this.rules.push(...added);
    return null;
  }

  clear(): void {
    this.latency = null;
    this.rules = [];
  }

  view(): FaultsView {
    return { latency: this.latency, rules: this.rules.map((r) => ({ ...r })) };
  }

  latencyFor(path: string): number {
    if (!this.latency) return 0;
    return this.latency.match === null || path.includes(this.latency.match) ? this.latency.ms : 0;
  }

  /** Consumes one use of the first rule matching `path`, oldest rule first. */
  take(path: string): FaultRule | null {
    const index = this.rules.findIndex((r) => r.match === null || path.includes(r.match));
    const rule = this.rules[index];
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return rule;
  }
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
