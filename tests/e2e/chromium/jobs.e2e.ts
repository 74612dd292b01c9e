/**
 * Bulk jobs in real Chromium: an extension page starts a bulk block through the runtime
 * messaging the popup uses, the service worker is stopped in the middle (DevTools protocol),
 * and the job still ends with every contact blocked on the platform by exactly one applied
 * request; the same after a browser restart, with nobody opening the panel; a cancelled job
 * leaves the rest untouched.
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
