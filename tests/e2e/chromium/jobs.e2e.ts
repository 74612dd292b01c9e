/**
 * Bulk jobs in real Chromium: an extension page starts a bulk block through the runtime
 * messaging the popup uses, the service worker is stopped in the middle (DevTools protocol),
 * and the job still ends with every contact blocked on the platform by exactly one applied
 * request; the same after a browser restart, with nobody opening the panel; a cancelled job
 * leaves the rest untouched. Under Helena's two rate-limit windows at once (scaled down ten
 * times, so the long one binds within seconds), with requests reaching the platform unevenly
 * late, a bulk job meets no 429 and says what it waits for while the long window is full.
 */
import { afterEach, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, startInbox, type ReferenceInbox } from '../harness/inbox';
import { connectExtension } from '../harness/steps';

let inbox: ReferenceInbox;
let browser: ChromiumSession;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
});

type Reply<T> = { ok: true; data: T } | { ok: false; error: { code: string } };
interface Job {
  id: string;
  state: string;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  estimateMs?: number;
  waitingFor?: string;
  waitingUntil?: number;
}

async function start(count: number, { remember = false } = {}) {
  inbox = await startInbox('helena');
  browser = await launchChromium();
  const page = await connectExtension(browser, { ...connection(inbox, 'admin'), remember });
  await expect.poll(() => page.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  const { contactIds } = inbox.control.seed(count, 1);
  // Each request takes a while, so the job is still running when the worker is stopped.
  inbox.control.faults({ latencyMs: 120, match: '/core/' });
  return contactIds.map(String);
}

async function ask<T>(type: string, payload: unknown): Promise<T> {
  const reply = (await browser.ask(type, payload)) as Reply<T>;
  if (!reply.ok) throw new Error(`${type}: ${reply.error.code}`);
  return reply.data;
}

const statusOf = (id: string) => inbox.model.listContacts().find((contact) => String(contact.id) === id)?.status;
const blockedCount = (ids: string[]) => ids.filter((id) => statusOf(id) === 'blocked').length;

/** Applied status changes per contact id (Helena PUT /core/v2/contact/{id}, 200). */
function appliedPuts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of inbox.control.requests()) {
    if (request.method !== 'PUT' || request.status !== 200 || !request.path.includes('/core/v2/contact/')) continue;
    const id = request.path.split('/').at(-1)!;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

const jobNamed = async (id: string) => (await ask<{ jobs: Job[] }>('jobs.list', {})).jobs.find((job) => job.id === id);

test('a bulk block survives a stopped service worker: every contact blocked, one applied request each', async () => {
  const ids = await start(30);
  const job = await ask<Job>('bulk.start', { action: 'block', contactIds: ids });
  expect(job).toMatchObject({ state: 'running', total: 30 });
  await expect.poll(() => blockedCount(ids), { interval: 20 }).toBeGreaterThanOrEqual(5);

  await browser.stopWorker();
  const atStop = blockedCount(ids);
  expect(atStop).toBeLessThan(30);

  // The popup asking for the job's progress wakes the worker, which resumes the job.
  await expect.poll(async () => (await jobNamed(job.id))?.state, { timeout: 60_000, interval: 500 }).toBe('done');
  expect(await jobNamed(job.id)).toMatchObject({ done: 30, failed: 0, skipped: 0 });
  expect(blockedCount(ids)).toBe(30);
  const puts = appliedPuts();
  for (const id of ids) expect(puts.get(id), id).toBe(1);
  const outbox = await ask<{ items: unknown[] }>('outbox.list', {});
  expect(outbox.items).toEqual([]);
});

test('cancel stops a bulk block: the contacts not reached stay active, nothing more is sent', async () => {
  const ids = await start(30);
  const job = await ask<Job>('bulk.start', { action: 'block', contactIds: ids });
  await expect.poll(() => blockedCount(ids), { interval: 20 }).toBeGreaterThanOrEqual(3);
  const cancelled = await ask<Job>('job.cancel', { id: job.id });
  expect(cancelled.state).toBe('cancelled');

  // What was in flight lands; then nothing moves.
  await expect.poll(async () => (await ask<{ items: unknown[] }>('outbox.list', {})).items.length).toBe(0);
  const settled = blockedCount(ids);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  expect(blockedCount(ids)).toBe(settled);
  expect(settled).toBeLessThan(30);
  const final = (await jobNamed(job.id))!;
  expect(final).toMatchObject({ state: 'cancelled', done: settled, skipped: 30 - settled });
  expect([...appliedPuts().values()].every((count) => count === 1)).toBe(true);
  expect(appliedPuts().size).toBe(settled);
});

test('a bulk block survives a browser restart: start-up alone resumes it, one applied request each', async () => {
  const ids = await start(30, { remember: true });
  const job = await ask<Job>('bulk.start', { action: 'block', contactIds: ids });
  await expect.poll(() => blockedCount(ids), { interval: 20 }).toBeGreaterThanOrEqual(5);

  await browser.close({ keepProfile: true });
  expect(blockedCount(ids)).toBeLessThan(30);

  browser = await launchChromium({ userDataDir: browser.userDataDir });
  await expect.poll(() => blockedCount(ids), { timeout: 60_000, interval: 250 }).toBe(30);
  await expect.poll(async () => (await jobNamed(job.id))?.state, { timeout: 20_000, interval: 500 }).toBe('done');
  expect(await jobNamed(job.id)).toMatchObject({ done: 30, failed: 0, skipped: 0 });
  const puts = appliedPuts();
  for (const id of ids) expect(puts.get(id), id).toBe(1);
});

/**
 * Helena's two windows (200 / 5 s AND 1,000 / 5 min) divided by ten: the same two limits in the
 * same ratios (the long window holds five short ones' worth and lasts sixty times longer), so a
 * job meets the long window after 50 requests instead of 1,000 and waits 15 s instead of 5 min.
 */
const SCALED_HELENA = [
  { limit: 10, windowMs: 500 },
  { limit: 50, windowMs: 15_000 },
];

test("under Helena's two windows at once, scaled down, requests reaching the platform unevenly late: a bulk job meets no 429 and says when it waits for the long window", async () => {
  inbox = await startInbox('helena');
  // The platform's windows first, so it counts the sign-in and the first sync as the extension does.
  inbox.control.rateLimit(SCALED_HELENA);
  browser = await launchChromium();
  const page = await connectExtension(browser, connection(inbox, 'admin'));
  await expect.poll(() => page.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  const current = await ask<{ settings: Record<string, unknown> }>('settings.get', {});
  await ask('settings.save', { settings: { ...current.settings, rateLimits: SCALED_HELENA } });
  // 40 contacts the extension has never seen: a read and a change each, 80 requests and more
  // than the long window's 50; every request reaches the platform 5 to 95 ms after it left.
  const ids = inbox.control.seed(40, 1).contactIds.map(String);
  inbox.control.faults({ latencyMs: 5, latencyJitterMs: 90 });
  const since = Date.now();
  const job = await ask<Job>('bulk.start', { action: 'block', contactIds: ids });

  // The long window fills: the job says it waits for the rate limit, and its time left counts the wait.
  let waiting: Job | undefined;
  await expect
    .poll(
      async () => {
        const view = await jobNamed(job.id);
        if (view?.waitingFor === 'rate_limit') waiting = view;
        return waiting !== undefined || view?.state !== 'running';
      },
      { timeout: 30_000, interval: 250 },
    )
    .toBe(true);
  expect(waiting, 'the job said it waited for the rate limit').toBeDefined();
  const asked = Date.now();
  expect(waiting!.waitingUntil! - asked).toBeGreaterThan(1_000);
  expect(waiting!.estimateMs!).toBeGreaterThanOrEqual(waiting!.waitingUntil! - asked - 1_000);

  await expect.poll(async () => (await jobNamed(job.id))?.state, { timeout: 90_000, interval: 500 }).toBe('done');
  expect(await jobNamed(job.id)).toMatchObject({ done: 40, failed: 0, skipped: 0 });
  expect(blockedCount(ids)).toBe(40);
  const requests = inbox.control.requests(since);
  expect(requests.filter((request) => request.status === 429), 'requests answered 429').toEqual([]);
  expect(requests.length).toBeGreaterThan(80);
  const puts = appliedPuts();
  for (const id of ids) expect(puts.get(id), id).toBe(1);
});
