// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { retryDelay } from '@/lib/outbox/backoff';
import { createRateLimiter } from '@/lib/outbox/rate-limit';

function clock() {
  let time = 1_000_000;
  return {
    now: () => time,
    sleep: async (ms: number) => {
      time += ms;
    },
  };
}

describe('client-side rate limit', () => {
  test('never more than the limit in any window, whatever the demand', async () => {
    const c = clock();
    const limiter = createRateLimiter([{ limit: 200, windowMs: 5_000 }, { limit: 1_000, windowMs: 300_000 }], c);
    const sent: number[] = [];
    for (let i = 0; i < 1_200; i += 1) {
      await limiter.acquire();
      sent.push(c.now());
    }
    for (const [index, time] of sent.entries()) {
      expect(sent.filter((other) => other > time - 5_000 && other <= time).length, `at request ${index}`).toBeLessThanOrEqual(200);
      expect(sent.filter((other) => other > time - 300_000 && other <= time).length).toBeLessThanOrEqual(1_000);
    }
    // The first 200 go at once; the 1,001st waits for the 5-minute window.
    expect(sent[199]).toBe(sent[0]);
    expect(sent[1_000]! - sent[0]!).toBeGreaterThanOrEqual(300_000);
  });

  test('requests that reach the platform a little late (up to 40 ms, unevenly) still never exceed its window', async () => {
    const c = clock();
    const limiter = createRateLimiter([{ limit: 200, windowMs: 5_000 }], c);
    const arrivals: number[] = [];
    for (let i = 0; i < 1_000; i += 1) {
      await limiter.acquire();
      // The first window's requests arrive late, the next ones promptly: the worst case.
      arrivals.push(c.now() + (i < 200 ? 40 : 0));
    }
    arrivals.sort((a, b) => a - b);
    for (const [index, time] of arrivals.entries()) {
      expect(arrivals.filter((other) => other > time - 5_000 && other <= time).length, `at arrival ${index}`).toBeLessThanOrEqual(200);
    }
  });

  test('a restarted worker restores what it already sent and does not burst', async () => {
    const c = clock();
    const before = createRateLimiter([{ limit: 3, windowMs: 1_000 }], c);
    for (let i = 0; i < 3; i += 1) await before.acquire();
    const after = createRateLimiter([{ limit: 3, windowMs: 1_000 }], { ...c, initial: before.snapshot() });
    const start = c.now();
    await after.acquire();
    expect(c.now() - start).toBeGreaterThanOrEqual(1_000);
  });
});

describe('backoff', () => {
  test('full jitter under a doubling, capped ceiling', () => {
    const policy = { baseMs: 1_000, capMs: 60_000 };
    expect(retryDelay(1, policy, undefined, () => 0.999)).toBe(999);
    expect(retryDelay(3, policy, undefined, () => 0.5)).toBe(2_000);
    expect(retryDelay(30, policy, undefined, () => 0.999)).toBe(59_940);
    expect(retryDelay(4, policy, undefined, () => 0)).toBe(0);
  });

  test('Retry-After is a floor', () => {
    expect(retryDelay(1, { baseMs: 1_000, capMs: 60_000 }, 30_000, () => 0.1)).toBe(30_000);
  });
});
