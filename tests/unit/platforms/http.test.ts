// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { buildUrl, parseRetryAfter } from '@/lib/platforms/http';

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
});
