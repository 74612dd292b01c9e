// @vitest-environment node
/**
 * Properties of a 429's `Retry-After`, whatever the server puts there: the adapter fails with
 * `rate_limited`, its wait is absent or a finite number of milliseconds ≥ 0, and the error can
 * be shown (`IgError.toShape()`, what the router and the outbox do with every error).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ErrorShape, IgError } from '@/lib/errors';
import { parseRetryAfter } from '@/lib/platforms/http';
import { createChatwootApi } from '@/lib/platforms/chatwoot/api';
import { createHelenaApi } from '@/lib/platforms/helena/api';

const RUNS = 10_000;
const TIMEOUT = 60_000;

const printable = fc.string({ unit: fc.mapToConstant({ num: 95, build: (v) => String.fromCharCode(0x20 + v) }), maxLength: 40 });
// Short runs of digits, and runs of any length up to the maximum (size 'max': long ones too).
const digits = (maxLength: number) =>
  fc
    .oneof(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength, size: 'max' }))
    .map((d) => d.join(''));

const retryAfter = (maxDigits: number) =>
  fc.oneof(
    digits(maxDigits),
    digits(maxDigits).map((d) => ` ${d}\t`),
    fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
    fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    fc.constantFrom('-1', '1.5', 'Infinity', 'NaN', '0x10', '1e3', '', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT'),
    printable,
  );

const adapters = [
  (fetch: typeof globalThis.fetch) => createHelenaApi({ baseUrl: 'https://api.helena.run', fetch, getToken: async () => 'pn_x' }),
  (fetch: typeof globalThis.fetch) => createChatwootApi({ baseUrl: 'https://app.chatwoot.com', fetch, getToken: async () => 'cw', accountId: '7' }),
];

async function rateLimited(header: string, which: number): Promise<IgError> {
  const fetch = async () => new Response('{"error":"slow down"}', { status: 429, headers: { 'Retry-After': header } });
  const error = await adapters[which]!(fetch as typeof globalThis.fetch)
    .getContact(which === 0 ? '3f0c1a2b-1111-4222-8333-444455556666' : '5')
    .then(
      () => null,
      (e: unknown) => e,
    );
  if (!(error instanceof IgError)) throw new Error(`not an IgError: ${String(error)}`);
  return error;
}

function checkWait(error: IgError) {
  expect(error.code).toBe('rate_limited');
  if (error.retryAfterMs !== undefined) {
    expect(Number.isFinite(error.retryAfterMs)).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(0);
  }
  expect(ErrorShape.safeParse(error.toShape()).success).toBe(true);
}

describe('a 429 with any Retry-After is a rate limit the extension can show and wait for', () => {
  test('up to 300 digits, dates and junk: rate_limited, a finite wait ≥ 0 or none, a valid ErrorShape', async () => {
    await fc.assert(
      fc.asyncProperty(retryAfter(300), fc.nat(1), async (header, which) => checkWait(await rateLimited(header, which))),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('any number of digits: rate_limited, a finite wait ≥ 0 or none, a valid ErrorShape', async () => {
    await fc.assert(
      fc.asyncProperty(retryAfter(400), fc.nat(1), async (header, which) => checkWait(await rateLimited(header, which))),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('parseRetryAfter reads delta seconds and HTTP dates, and nothing else', () => {
    const now = Date.UTC(2025, 0, 1);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', now)).toBe(7_000);
    expect(parseRetryAfter(new Date(now + 5_000).toUTCString(), now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
