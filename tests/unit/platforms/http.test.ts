// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { IgError } from '@/lib/errors';
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

  test('401, 403, 404 and other 4xx are not retried', async () => {
    expect((await failure(json(401, {}))).code).toBe('unauthorized');
    expect((await failure(json(403, {}))).code).toBe('forbidden');
    expect((await failure(json(404, {}))).code).toBe('not_found');
    expect((await failure(json(422, {}))).code).toBe('rejected');
  });
});
