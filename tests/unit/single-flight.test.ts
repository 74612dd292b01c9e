// @vitest-environment node
import { describe, expect, test, vi } from 'vitest';
import { singleFlight } from '@/lib/single-flight';

describe('one pass at a time, none missed (the outbox drain and the job runner)', () => {
  test('calls during a pass share it and earn exactly one more pass after it', async () => {
    let release: () => void = () => undefined;
    const passes: number[] = [];
    const pass = vi.fn(async () => {
      passes.push(passes.length + 1);
      if (passes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const flight = singleFlight(pass, vi.fn());
    const first = flight.run();
    const second = flight.run();
    const third = flight.run();
    expect(second).toBe(first);
    expect(third).toBe(first);
    release();
    await first;
    expect(passes).toEqual([1, 2]);
    await flight.idle();
    await flight.run();
    expect(passes).toEqual([1, 2, 3]);
  });

  test('a pass that throws is reported and does not stop the pass asked for meanwhile', async () => {
    const failed = vi.fn();
    let calls = 0;
    const flight = singleFlight(async () => {
      calls += 1;
      if (calls === 1) {
        void flight.run();
        throw new Error('aborted transaction');
      }
    }, failed);
    await flight.run();
    expect(calls).toBe(2);
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ message: 'aborted transaction' }));
    await expect(flight.idle()).resolves.toBeUndefined();
  });
});
