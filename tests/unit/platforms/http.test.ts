// @vitest-environment node
import { describe, expect, test, vi } from 'vitest';
import { IgError } from '@/lib/errors';
import { createRateLimiter, HELENA_LIMITS } from '@/lib/outbox/rate-limit';
import { buildUrl, createHttp, parseRetryAfter } from '@/lib/platforms/http';
import { z } from '@/lib/schema';
import { json, scriptedFetch } from '../helpers/fetch';

const quirks = { authHeaders: (token: string) => ({ api_access_token: token }), errorText: () => undefined };

async function failure(answer: Response): Promise<IgError> {
  const fake = scriptedFetch({ 'GET /thing': answer });
  const request = createHttp({ baseUrl: 'https://x.example', fetch: fake.fetch, getToken: async () => 't' }, quirks);
  try {
    await request({ method: 'GET', path: '/thing', schema: z.object({}) });
  } catch (error) {
    if (error instanceof IgError) return error;
    throw error;
  }
  throw new Error('the request did not fail');
}

describe('HTTP plumbing', () => {
  test('Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test('URLs are built from the configured base, never from a message', () => {
    expect(buildUrl('https://app.chatwoot.com/', '/api/v1/profile')).toBe('https://app.chatwoot.com/api/v1/profile');
    expect(buildUrl('https://x.example/base', '/core/v1/contact', { Status: 'BLOCKED', PageSize: 100, skip: undefined })).toBe(
      'https://x.example/base/core/v1/contact?Status=BLOCKED&PageSize=100',
    );
  });

  test('the token never leaves for an http:// server off this computer: no request at all', async () => {
    for (const [baseUrl, sent] of [
      ['http://chat.example.test', false],
      ['http://192.168.1.10:3000', false],
      ['https://chat.example.test', true],
      ['http://127.0.0.1:9', true],
      ['http://[::1]:9', true],
      ['http://localhost:9', true],
    ] as const) {
      const fake = scriptedFetch({ 'GET /thing': json(200, {}) });
      const request = createHttp({ baseUrl, fetch: fake.fetch, getToken: async () => 't' }, quirks);
      const outcome = await request({ method: 'GET', path: '/thing', schema: z.object({}) }).then(
        () => 'sent',
        (error: IgError) => error.code,
      );
      expect([baseUrl, outcome]).toEqual([baseUrl, sent ? 'sent' : 'cleartext']);
      expect(fake.seen.length).toBe(sent ? 1 : 0);
    }
  });

  test.each([408, 500, 502, 503, 504])('HTTP %i is a passing server trouble, retried by the outbox', async (status) => {
    expect((await failure(json(status, {}))).code).toBe('server_error');
  });

  test('a 503 that says when to come back is waited for that long, as a 429 is', async () => {
    expect((await failure(json(503, {}, { 'Retry-After': '5' }))).retryAfterMs).toBe(5000);
    expect((await failure(json(429, {}, { 'Retry-After': '7' })))).toMatchObject({ code: 'rate_limited', retryAfterMs: 7000 });
    expect((await failure(json(503, {}))).retryAfterMs).toBeUndefined();
  });

  test('the rate limiter hears when each answer is back, and the Retry-After it carried; a network failure is an answer too', async () => {
    const answered = vi.fn();
    const fake = scriptedFetch({ 'GET /ok': json(200, {}), 'GET /busy': json(503, {}, { 'Retry-After': '5' }), 'GET /limited': json(429, {}, { 'Retry-After': '7' }) });
    const request = createHttp({ baseUrl: 'https://x.example', fetch: fake.fetch, getToken: async () => 't', throttle: async () => answered }, quirks);
    await request({ method: 'GET', path: '/ok', schema: z.object({}) });
    await request({ method: 'GET', path: '/busy', schema: z.object({}) }).catch(() => undefined);
    await request({ method: 'GET', path: '/limited', schema: z.object({}) }).catch(() => undefined);
    const offline = createHttp(
      { baseUrl: 'https://x.example', fetch: async () => Promise.reject(new TypeError('Failed to fetch')), getToken: async () => 't', throttle: async () => answered },
      quirks,
    );
    await expect(offline({ method: 'GET', path: '/ok', schema: z.object({}) })).rejects.toMatchObject({ code: 'network' });
    expect(answered.mock.calls).toEqual([[undefined], [{ retryAfterMs: 5_000 }], [{ retryAfterMs: 7_000 }], []]);
  });

  test("a 503's Retry-After holds every later request to that platform, whoever sends it, until then", async () => {
    let time = 1_000_000;
    const limiter = createRateLimiter(HELENA_LIMITS, { now: () => time, sleep: async (ms) => void (time += ms) });
    const sentAt: Record<string, number[]> = {};
    const fake = async (input: RequestInfo | URL) => {
      const path = new URL(String(input)).pathname;
      (sentAt[path] ??= []).push(time);
      return path === '/contact/1' && sentAt[path].length === 1 ? json(503, {}, { 'Retry-After': '5' }) : json(200, {});
    };
    const request = createHttp({ baseUrl: 'https://x.example', fetch: fake as typeof fetch, getToken: async () => 't', throttle: () => limiter.acquire() }, quirks);
    const start = time;
    await expect(request({ method: 'PUT', path: '/contact/1', schema: z.object({}) })).rejects.toMatchObject({ code: 'server_error', retryAfterMs: 5_000 });
    // Another item of the queue, a job's lookup: none goes before the 5 s are over.
    await request({ method: 'PUT', path: '/contact/2', schema: z.object({}) });
    await request({ method: 'GET', path: '/contact/3', schema: z.object({}) });
    expect(sentAt['/contact/2']).toEqual([start + 5_000]);
    expect(sentAt['/contact/3']).toEqual([start + 5_000]);
  });

  test('401, 403, 404 and other 4xx are not retried', async () => {
    expect((await failure(json(401, {}))).code).toBe('unauthorized');
    expect((await failure(json(403, {}))).code).toBe('forbidden');
    expect((await failure(json(404, {}))).code).toBe('not_found');
    expect((await failure(json(422, {}))).code).toBe('rejected');
  });
});
