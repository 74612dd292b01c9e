// @vitest-environment node
import { describe, expect, test, vi } from 'vitest';
import { IgError } from '@/lib/errors';
import { createOutbox, type Settled } from '@/lib/outbox/drain';
import { claim, enqueue } from '@/lib/outbox/queue';
import type { Contact, ContactStatus, PlatformApi } from '@/lib/platforms/types';
import { openStore } from '@/lib/store/db';

const scope = { platform: 'p', account: 'a' };
const by = { userName: 'Ana', role: 'admin' as const };

function platform(statuses: Record<string, ContactStatus>, failures: IgError[] = []) {
  const contact = (id: string): Contact => ({ id, name: id, status: statuses[id] ?? 'active' });
  const api = {
    setStatus: vi.fn(async (id: string, status: ContactStatus) => {
      const failure = failures.shift();
      if (failure) throw failure;
      statuses[id] = status;
      return contact(id);
    }),
    getContact: vi.fn(async (id: string) => contact(id)),
    finishStatus: vi.fn(async () => undefined),
  };
  return api;
}

function outbox(api: Partial<PlatformApi>, events: Settled[] = [], wakes: number[] = []) {
  let time = 10_000;
  return {
    events,
    wakes,
    advance: (ms: number) => (time += ms),
    box: createOutbox({
      openDb: openStore,
      connect: async () => ({ api: api as PlatformApi, scope }),
      onSettled: (event) => void events.push(event),
      onPaused: () => undefined,
      wakeAt: (at) => void wakes.push(at),
      now: () => time,
      random: () => 0.5,
      backoff: { baseMs: 1_000, capMs: 8_000 },
    }),
  };
}

const queue = async (contactId: string, action: 'block' | 'unblock' | 'archive') =>
  enqueue(await openStore(), { scope, contactId, contactName: contactId, action, confirmed: 'active', by }, 10_000);

describe('draining the outbox', () => {
  test('each item is sent once, in order, and leaves the queue', async () => {
    const api = platform({});
    const { box, events } = outbox(api);
    await queue('1', 'block');
    await queue('2', 'archive');
    await box.drain();
    expect(api.setStatus.mock.calls).toEqual([
      ['1', 'blocked'],
      ['2', 'archived'],
    ]);
    expect(events.map((event) => [event.item.contactId, event.outcome])).toEqual([
      ['1', 'done'],
      ['2', 'done'],
    ]);
    expect(await (await openStore()).count('outbox')).toBe(0);
  });

  test('network, 5xx and 429 are retried later (Retry-After as a floor); the item waits, nothing is lost', async () => {
    const api = platform({}, [new IgError('network'), new IgError('rate_limited', { retryAfterMs: 30_000 })]);
    const { box, events, wakes, advance } = outbox(api);
    await queue('1', 'block');
    await box.drain();
    expect(events.at(-1)?.outcome).toBe('retry');
    expect(wakes.at(-1)).toBe(10_000 + 500);
    advance(500);
    await box.drain();
    expect(wakes.at(-1)).toBe(10_500 + 30_000);
    advance(30_000);
    await box.drain();
    expect(events.map((event) => event.outcome)).toEqual(['retry', 'retry', 'done']);
    expect(api.setStatus).toHaveBeenCalledTimes(3);
  });

  test("a platform's Retry-After holds the whole queue, not only the item it answered: nothing is sent before then", async () => {
    const api = platform({}, [new IgError('server_error', { status: 503, retryAfterMs: 30_000 })]);
    const { box, events, wakes, advance } = outbox(api);
    await queue('1', 'block');
    await queue('2', 'block');
    await queue('3', 'archive');
    await box.drain();
    expect(api.setStatus.mock.calls).toEqual([['1', 'blocked']]);
    expect(wakes.at(-1)).toBe(10_000 + 30_000);
    const db = await openStore();
    expect((await db.getAll('outbox')).map((item) => [item.contactId, item.state, item.nextAt])).toEqual([
      ['1', 'queued', 40_000],
      ['2', 'queued', 40_000],
      ['3', 'queued', 40_000],
    ]);
    advance(29_999);
    await box.drain();
    expect(api.setStatus).toHaveBeenCalledTimes(1);
    advance(1);
    await box.drain();
    expect(events.map((event) => [event.item.contactId, event.outcome])).toEqual([
      ['1', 'retry'],
      ['1', 'done'],
      ['2', 'done'],
      ['3', 'done'],
    ]);
  });

  test('block, then unblock while the block is on its way and cannot get through: neither is ever sent', async () => {
    const statuses: Record<string, ContactStatus> = {};
    let unblockQueued: Promise<unknown> | undefined;
    const api = platform(statuses);
    // The unblock arrives while the block's request is in flight; then the network fails it.
    api.setStatus.mockImplementationOnce(async () => {
      unblockQueued = queue('1', 'unblock');
      await unblockQueued;
      throw new IgError('network');
    });
    const { box, events, advance } = outbox(api);
    await queue('1', 'block');
    await box.drain();
    expect(unblockQueued).toBeDefined();
    expect(events.map((event) => [event.item.action, event.outcome])).toEqual([
      ['block', 'cancelled'],
      ['unblock', 'cancelled'],
    ]);
    const db = await openStore();
    expect(await db.count('outbox')).toBe(0);
    expect((await db.getAll('activity')).map((entry) => [entry.action, entry.result])).toEqual([
      ['block', 'discarded'],
      ['unblock', 'discarded'],
    ]);
    advance(60_000);
    await box.drain();
    // Only the one attempt that failed; the contact stays as it was.
    expect(api.setStatus).toHaveBeenCalledTimes(1);
    expect(statuses['1']).toBeUndefined();
  });

  test('block in flight fails, and a later archive does not undo it: the block is retried, then the archive', async () => {
    const api = platform({});
    api.setStatus.mockImplementationOnce(async () => {
      await queue('1', 'unblock');
      await queue('1', 'archive');
      throw new IgError('network');
    });
    const { box, events, advance } = outbox(api);
    await queue('1', 'block');
    await box.drain();
    expect(events.map((event) => event.outcome)).toEqual(['retry']);
    advance(60_000);
    await box.drain();
    expect(api.setStatus.mock.calls.map((call) => call[1])).toEqual(['blocked', 'blocked', 'archived']);
  });

  test('401 pauses the whole queue and keeps every item', async () => {
    const api = platform({}, [new IgError('unauthorized', { status: 401 })]);
    const onPaused = vi.fn();
    const box = createOutbox({
      openDb: openStore,
      connect: async () => ({ api: api as unknown as PlatformApi, scope }),
      onSettled: () => undefined,
      onPaused,
      wakeAt: () => undefined,
    });
    await queue('1', 'block');
    await queue('2', 'block');
    await box.drain();
    expect(onPaused).toHaveBeenCalledWith(expect.objectContaining({ code: 'unauthorized' }));
    expect((await (await openStore()).getAll('outbox')).map((item) => item.state)).toEqual(['paused', 'paused']);
    expect(api.setStatus).toHaveBeenCalledTimes(1);
  });

  test('a refusal (403, other 4xx) fails the item without retrying it', async () => {
    const api = platform({}, [new IgError('forbidden', { status: 403 })]);
    const { box, events } = outbox(api);
    await queue('1', 'block');
    await box.drain();
    expect(events.map((event) => [event.outcome, event.error?.code])).toEqual([['failed', 'forbidden']]);
    expect((await (await openStore()).getAll('outbox'))[0]?.state).toBe('failed');
    expect((await (await openStore()).getAll('activity')).map((entry) => entry.result)).toEqual(['failed']);
  });

  test('an item cut off after the platform applied it is settled without a second request', async () => {
    const api = platform({ '1': 'blocked' });
    const { box, events } = outbox(api);
    const { item } = (await queue('1', 'block')) as { item: { seq: number } };
    await claim(await openStore(), item.seq, 10_000);
    await box.drain();
    expect(api.setStatus).not.toHaveBeenCalled();
    expect(api.finishStatus).toHaveBeenCalledWith('1', 'blocked');
    expect(events.map((event) => event.outcome)).toEqual(['done']);
  });

  test('an item cut off before the platform applied it is sent again, once', async () => {
    const api = platform({ '1': 'active' });
    const { box } = outbox(api);
    const { item } = (await queue('1', 'block')) as { item: { seq: number } };
    await claim(await openStore(), item.seq, 10_000);
    await box.drain();
    expect(api.setStatus).toHaveBeenCalledTimes(1);
    expect(await (await openStore()).count('outbox')).toBe(0);
  });

  test('drain is single-flight: calls during a run are folded into it', async () => {
    const api = platform({});
    const { box } = outbox(api);
    await queue('1', 'block');
    await Promise.all([box.drain(), box.drain(), box.drain()]);
    expect(api.setStatus).toHaveBeenCalledTimes(1);
  });

  test('not connected (signed out, no access): items stay queued', async () => {
    await queue('1', 'block');
    const box = createOutbox({ openDb: openStore, connect: async () => null, onSettled: () => undefined, onPaused: () => undefined, wakeAt: () => undefined });
    await box.drain();
    expect((await (await openStore()).getAll('outbox'))[0]?.state).toBe('queued');
  });
});
