/**
 * Small HTTP helpers shared by the reference inbox's handlers (helena-api.ts, chatwoot-api.ts,
 * app-api.ts, controls.ts): a path-pattern router, a JSON body reader and response writers.
 * server.ts builds one Ctx per request and hands it to whichever part owns the path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { User } from './types.ts';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  params: Record<string, string>;
  /** The authenticated user, set by the API that owns the path. */
  user: User | null;
}

export type Handler = (ctx: Ctx) => void | Promise<void>;

export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** `route('GET', '/core/v1/contact/:id', h)`; `:name` matches one path segment. */
export function route(method: string, path: string, handler: Handler): Route {
  const keys: string[] = [];
  const source = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}/?$`), keys, handler };
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method' }
  | { kind: 'none' };

/** First route whose pattern and method match; routes are tried in order. */
export function matchRoute(routes: Route[], method: string, pathname: string): RouteMatch {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    if (r.method !== method) {
      pathMatched = true;
      continue;
    }
    const params: Record<string, string> = {};
    r.keys.forEach((key, i) => {
      params[key] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { kind: 'found', route: r, params };
  }
  return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; error: string };

const MAX_BODY = 1024 * 1024;

/** Reads a JSON body. An empty body reads as `undefined`. */
export async function readJson(req: IncomingMessage): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) return { ok: false, error: 'Request body too large' };
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'Malformed JSON body' };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Case-insensitive key lookup (ASP.NET binds query keys and JSON properties case-insensitively). */
export function pickCi(source: Record<string, unknown>, name: string): unknown {
  if (name in source) return source[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(source)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** All values of a query parameter, key matched case-insensitively. */
export function queryAllCi(url: URL, name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === lower) out.push(value);
  return out;
}

export function queryCi(url: URL, name: string): string | undefined {
  return queryAllCi(url, name)[0];
}

/** Integer query/body value, or the fallback when absent or not a number. */
export function toInt(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}
