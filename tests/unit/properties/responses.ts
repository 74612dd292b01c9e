/**
 * Arbitrary platform answers for the adapter properties: any status a `Response` allows
 * (200–599), junk headers (Retry-After above all), and any body — JSON of any shape, `fc.anything()`
 * serialised, truncated JSON, HTML, empty, huge numbers, and the endpoint's own valid payload
 * with fields dropped, retyped or added.
 *
 * A case generates a short list of answers up front; the fake `fetch` answers the n-th request
 * with the n-th answer (cycling), building "valid" bodies from the request's path, so that a
 * case shrinks to a small, readable script of what the server said.
 */
import fc from 'fast-check';
import { ErrorCode, IgError } from '@/lib/errors';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Mutation =
  | { op: 'drop'; at: number }
  | { op: 'retype'; at: number; value: Json }
  | { op: 'add'; at: number; key: string; value: Json };

export type BodySpec =
  | { kind: 'text'; text: string }
  | { kind: 'valid'; mutations: Mutation[] }
  | { kind: 'truncated'; cut: number };

export interface AnswerSpec<D> {
  status: number;
  headers: [string, string][];
  body: BodySpec;
  /** Drawn once per answer; the path decides which part becomes the body. */
  data: D;
  /** The request fails before any answer (offline, DNS, CORS). */
  networkError: boolean;
}

/** What one request got: the case's record, for oracles about what the server said. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  /** The body as JSON-parsed by the client, or the text, or undefined when empty. */
  body: unknown;
  networkError: boolean;
}

// Huge numbers cannot go through JSON.stringify; a marker is swapped in after it.
const HUGE = '\u0000huge\u0000';
const HUGE_LITERALS = ['1e400', '-1e400', '123456789012345678901234567890', '1.7976931348623157e309'];

const printable = fc.string({ unit: fc.mapToConstant({ num: 95, build: (v) => String.fromCharCode(0x20 + v) }), maxLength: 40 });

const retryAfter = fc.oneof(
  fc.nat({ max: 100_000 }).map(String),
  fc.constantFrom('-1', '1.5', ' 120 ', 'Infinity', 'NaN', '0x10', '1e3', '', '   ', 'soon', '9'.repeat(20), '9'.repeat(300)),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
  printable,
);

const header = fc.oneof(
  fc.tuple(fc.constant('Retry-After'), retryAfter),
  fc.tuple(fc.constantFrom('Content-Type', 'Content-Length', 'X-Junk'), printable),
);

export const status = fc.oneof(
  { weight: 8, arbitrary: fc.constant(200) },
  { weight: 2, arbitrary: fc.constantFrom(201, 204, 205, 304, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
);

const jsonish: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.constant(HUGE) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, '', 'ACTIVE', 'BLOCKED', 'blocked', 'open', [], {}) },
);

/** Drop a field, retype one, or add `keys` with `values` (or anything JSON) anywhere in a payload. */
export function mutationOf(keys: string[], values: fc.Arbitrary<Json>): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('retype' as const), at: fc.nat(), value: fc.oneof(values, jsonish) }),
    fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.constantFrom(...keys), value: fc.oneof(values, jsonish) }),
  );
}

const mutation = mutationOf(
  ['error', 'key', 'text', 'message', 'description', 'errors', '__proto__', 'constructor', 'toString', 'extra'],
  fc.constantFrom<Json>(true, 'FORM_ERROR', 'not found'),
);

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

const rawText = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.anything({ maxDepth: 2, maxKeys: 4 }).map(safeStringify),
  fc.constantFrom(
    '',
    ' \n',
    'null',
    'true',
    '[]',
    '{}',
    '"text"',
    '<html><body><h1>502 Bad Gateway</h1></body></html>',
    '<!doctype html><title>Sign in</title>',
    '1e400',
    '[1e400]',
    '{"payload":{"id":1e400}}',
    '{"id":1e400,"status":"ACTIVE"}',
    '{"error":true}',
    '{"error":true,"key":"FORM_ERROR","text":"Contact not found"}',
    '\u0000\uffff',
  ),
  fc.string({ maxLength: 30 }),
);

const body: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('valid' as const), mutations: fc.constant([] as Mutation[]) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('valid' as const), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), cut: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('text' as const), text: rawText }) },
);

export function answers<D>(data: fc.Arbitrary<D>, maxLength = 4): fc.Arbitrary<AnswerSpec<D>[]> {
  const answer = fc
    .record({ status, headers: fc.array(header, { maxLength: 2 }), body, data, dice: fc.nat({ max: 30 }) })
    // A rare network failure (1 in 31), not a coin that would stop half the cases at once.
    .map(({ dice, ...spec }): AnswerSpec<D> => ({ ...spec, networkError: dice === 0 }));
  return fc.array(answer, { minLength: 1, maxLength });
}

/** Every path (object keys, array indexes) in a JSON value, the root's children first. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index]);
      paths(item, [...prefix, index], out);
    });
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      paths(item, [...prefix, key], out);
    }
  }
  return out;
}

function parentOf(root: unknown, path: (string | number)[]): unknown {
  let node = root;
  for (const step of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[step];
  return node;
}

function setOwn(target: object, key: string | number, value: unknown) {
  // defineProperty, so "__proto__" becomes an own key as JSON.parse would make it.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `valid` with the mutations applied, in order; neither `valid` nor the mutations change. */
export function mutate(valid: unknown, mutations: Mutation[]): unknown {
  let root = structuredClone(valid);
  for (const change of mutations) {
    const all = paths(root);
    if (change.op === 'add') {
      const objects = [[], ...all].filter((path) => {
        const node = path.length === 0 ? root : (parentOf(root, [...path, '']) as unknown);
        return node !== null && typeof node === 'object' && !Array.isArray(node);
      });
      if (objects.length === 0) continue;
      const at = objects[change.at % objects.length]!;
      const node = at.length === 0 ? root : parentOf(root, [...at, '']);
      if (node && typeof node === 'object') setOwn(node, change.key, structuredClone(change.value));
      continue;
    }
    if (all.length === 0) {
      if (change.op === 'retype') root = structuredClone(change.value);
      continue;
    }
    const path = all[change.at % all.length]!;
    const parent = parentOf(root, path) as Record<string | number, unknown> | unknown[];
    const key = path[path.length - 1]!;
    if (change.op === 'drop') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string | number, unknown>)[key];
    } else {
      setOwn(parent as object, key, structuredClone(change.value));
    }
  }
  return root;
}

function serialise(value: unknown): string {
  const text = JSON.stringify(value) ?? '';
  let i = 0;
  return text.replaceAll(JSON.stringify(HUGE), () => HUGE_LITERALS[i++ % HUGE_LITERALS.length]!);
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * A `fetch` that answers the n-th request with `specs[n % length]`, a body built by `validBody`
 * from the request when the spec says "valid". Records every exchange.
 */
export function fetchFrom<D>(
  specs: AnswerSpec<D>[],
  validBody: (method: string, path: string, data: D) => unknown,
  maxRequests = 64,
) {
  const exchanges: Exchange[] = [];
  /** Mistakes of this harness, which the adapter would otherwise report as a network error. */
  const harnessErrors: unknown[] = [];
  const answer = (method: string, path: string, spec: AnswerSpec<D>): Response => {
    let text: string;
    if (spec.body.kind === 'text') {
      text = spec.body.text;
    } else {
      const valid = validBody(method, path, spec.data);
      text = spec.body.kind === 'valid' ? serialise(mutate(valid, spec.body.mutations)) : serialise(valid);
      if (spec.body.kind === 'truncated') text = text.slice(0, spec.body.cut % Math.max(1, text.length));
    }
    const nullBody = NULL_BODY_STATUSES.has(spec.status);
    let parsed: unknown = undefined;
    if (!nullBody && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    exchanges.push({ method, path, status: spec.status, body: parsed, networkError: false });
    return new Response(nullBody ? null : text, { status: spec.status, headers: spec.headers });
  };
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    if (exchanges.length >= maxRequests) {
      harnessErrors.push(new Error(`more than ${maxRequests} requests: a loop?`));
      throw new Error('too many requests');
    }
    const spec = specs[exchanges.length % specs.length]!;
    const url = new URL(String(input));
    const method = (init.method ?? 'GET').toUpperCase();
    if (spec.networkError) {
      exchanges.push({ method, path: url.pathname, status: 0, body: undefined, networkError: true });
      throw new TypeError('fetch failed');
    }
    try {
      return answer(method, url.pathname, spec);
    } catch (error) {
      harnessErrors.push(error);
      throw error;
    }
  };
  return { fetch: fetch as typeof globalThis.fetch, exchanges, harnessErrors };
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs `call`, and fails (instead of hanging the suite) if it takes longer than `ms`. */
export async function settle(call: () => Promise<unknown>, ms = 2_000): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    const value = await Promise.race([call(), hang]);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('no answer within')) throw error;
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

/** An explanation of why `error` is not an acceptable failure, or null when it is. */
export function badFailure(error: unknown): string | null {
  if (!(error instanceof IgError)) {
    return `rejected with ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`;
  }
  if (!(ErrorCode.options as readonly string[]).includes(error.code)) return `IgError with unknown code ${String(error.code)}`;
  try {
    error.toShape();
  } catch (cause) {
    return `IgError ${error.code} (${JSON.stringify({ status: error.status, retryAfterMs: error.retryAfterMs, detail: error.detail })}) has no ErrorShape: ${String(cause).slice(0, 200)}`;
  }
  return null;
}

/** Counts outcomes, so a property can show it reached the success paths, not only failures. */
export function tally() {
  const counts = new Map<string, number>();
  return {
    add(outcome: Outcome) {
      const key = outcome.ok ? 'resolved' : outcome.error instanceof IgError ? outcome.error.code : 'other';
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    get: (key: string) => counts.get(key) ?? 0,
    toString: () => JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]))),
  };
}
