// @vitest-environment node
/**
 * Bulk jobs and imports end to end in Node: the real service and job runner, fake browser
 * storage, fake IndexedDB, and the reference inbox as the platform. Each test ends on what the
 * platform holds and its request log (one applied PUT per contact, never two).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { InboxEvent } from '@/lib/messaging';
import type { JobView } from '@/lib/page-messaging';
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server';
import { failure } from '../helpers/failure';
import { configureFor, platformStatus, testService, type Service } from '../helpers/service';

type Role = 'admin' | 'agent';

let inbox: ReferenceInbox;
let events: InboxEvent[];
const timers: ReturnType<typeof setTimeout>[] = [];

function service(fetchImpl: typeof fetch = fetch) {
  const made = testService(timers, fetchImpl);
  events = made.events;
  return made.svc;
}

const configure = (svc: Service, role: Role) => configureFor(svc, inbox, role);

/** Applied status changes on the platform, per contact id. */
function appliedPuts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of inbox.control.requests()) {
    if (request.method !== 'PUT' || request.status !== 200) continue;
    const id = request.path.split('/').at(-1);
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

const serverStatus = (id: string | number) => platformStatus(inbox, id);

async function finished(svc: Service, id: string, timeout = 15_000): Promise<JobView> {
  let job: JobView | undefined;
  await expect
    .poll(
      async () => {
        job = (await svc.handlers['jobs.list']({}, {})).jobs.find((candidate) => candidate.id === id);
        return job?.state;
      },
      { timeout, interval: 50 },
    )
    .not.toBe('running');
  return job!;
}


describe.each(['helena', 'chatwoot'] as const)('bulk jobs, %s style', (style) => {
  beforeEach(async () => {
    inbox = await startReferenceInbox({ style });
  });
  afterEach(async () => {
    for (const timer of timers.splice(0)) clearTimeout(timer);
    await inbox.close();
  });

  test('signed out in the middle of a job: the job says it waits for the user, and goes on once signed in again', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const { contactIds } = inbox.control.seed(6, 1);
    const ids = contactIds.map(String);
    // The token stops being accepted for the contacts' calls.
    inbox.control.faults({ fail: { status: 401, count: 1_000 }, match: style === 'helena' ? '/core/v2/contact/' : '/contacts/' });
    const started = await svc.handlers['bulk.start']({ action: 'block', contactIds: ids }, {});
    await expect
      .poll(async () => (await svc.handlers['jobs.list']({}, {})).jobs.find((job) => job.id === started.id)?.state, { timeout: 10_000, interval: 50 })
      .toBe('paused');
    const paused = (await svc.handlers['jobs.list']({}, {})).jobs.find((job) => job.id === started.id)!;
    expect(paused.estimateMs).toBeUndefined();

    // Signed in again (a token the platform accepts).
    inbox.control.clearFaults();
    await configure(svc, 'admin');
    await expect
      .poll(async () => (await svc.handlers['jobs.list']({}, {})).jobs.find((job) => job.id === started.id)?.state, { timeout: 15_000, interval: 50 })
      .toBe('done');
    const job = (await svc.handlers['jobs.list']({}, {})).jobs.find((candidate) => candidate.id === started.id)!;
    expect(job).toMatchObject({ state: 'done', done: 6 });
    for (const id of ids) expect(serverStatus(id), id).toBe('blocked');
  }, 30_000);

  test('the panel asking where a paused job is (every second) sends nothing to a platform that refuses the token', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const { contactIds } = inbox.control.seed(3, 1);
    inbox.control.faults({ fail: { status: 401, count: 1_000 } });
    const started = await svc.handlers['bulk.start']({ action: 'block', contactIds: contactIds.map(String) }, {});
    await expect
      .poll(async () => (await svc.handlers['jobs.list']({}, {})).jobs.find((job) => job.id === started.id)?.state, { timeout: 10_000, interval: 50 })
      .toBe('paused');
    await svc.jobsIdle();
    const sent = inbox.control.requests().length;
    for (let i = 0; i < 5; i += 1) expect((await svc.handlers['jobs.list']({}, {})).jobs.find((job) => job.id === started.id)?.state).toBe('paused');
    expect(inbox.control.requests()).toHaveLength(sent);
  });

  test('the time left counts a read before each change for contacts never seen, and not for known ones', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const { contactIds } = inbox.control.seed(10, 1);
    const ids = contactIds.map(String);
    const first = await svc.handlers['bulk.start']({ action: 'block', contactIds: ids }, {});
    await finished(svc, first.id);
    const again = await svc.handlers['bulk.start']({ action: 'unblock', contactIds: ids }, {});
    // The same ten rows: the second job knows every contact, so each costs one request, not two.
    expect(first.estimateMs! / again.estimateMs!).toBeCloseTo(2, 1);
    await finished(svc, again.id);
  }, 30_000);

  test('while a rate-limit window is full, a running job says it waits for it, and its time left counts the wait', async () => {
    const svc = service();
    const settings = { platform: 'reference' as const, apiStyle: style, serverUrl: inbox.url, accountId: String(inbox.accountId), agentEmail: inbox.users.admin.email, rememberToken: false };
    // Two requests per 10 minutes: the sign-in and the first sync fill the window.
    await svc.handlers['settings.save']({ settings: { ...settings, rateLimits: [{ limit: 2, windowMs: 600_000 }] }, token: inbox.tokens.admin }, {});
    const { contactIds } = inbox.control.seed(3, 1);
    const started = await svc.handlers['bulk.start']({ action: 'block', contactIds: contactIds.map(String) }, {});
    const job = (await svc.handlers['jobs.list']({}, {})).jobs.find((candidate) => candidate.id === started.id)!;
    expect(job).toMatchObject({ state: 'running', waitingFor: 'rate_limit' });
    const wait = job.waitingUntil! - Date.now();
    expect(wait).toBeGreaterThan(500_000);
    expect(job.estimateMs).toBeGreaterThanOrEqual(wait);
    await svc.handlers['job.cancel']({ id: started.id }, {});
  });

  test("while the platform's Retry-After holds, a running job says it waits for the platform", async () => {
    const svc = service();
    await configure(svc, 'admin');
    const { contactIds } = inbox.control.seed(3, 1);
    const ids = contactIds.map(String);
    // The job's first request (a read of a contact the store does not know) says: come back in 10 minutes.
    inbox.control.faults({ fail: { status: 503, count: 1, retryAfter: 600 }, match: style === 'helena' ? `/core/v1/contact/${ids[0]}` : `/contacts/${ids[0]}` });
    const since = Date.now();
    const started = await svc.handlers['bulk.start']({ action: 'block', contactIds: ids }, {});
    await expect.poll(() => inbox.control.requests(since).some((request) => request.status === 503)).toBe(true);
    await expect
      .poll(async () => (await svc.handlers['jobs.list']({}, {})).jobs.find((candidate) => candidate.id === started.id)?.waitingFor)
      .toBe('retry_after');
    const job = (await svc.handlers['jobs.list']({}, {})).jobs.find((candidate) => candidate.id === started.id)!;
    expect(job.state).toBe('running');
    expect(job.waitingUntil! - Date.now()).toBeGreaterThan(500_000);
    expect(job.estimateMs).toBeGreaterThan(500_000);
    // Asked to go on, the runner's next request waits for the platform's time: it does not go.
    void svc.resumeJobs();
    void svc.drain();
    await svc.handlers['job.cancel']({ id: started.id }, {});
    expect(inbox.control.requests(since).filter((request) => request.path.includes(ids[0]!))).toHaveLength(1);
  });

  test('an admin blocks 30 contacts at once: each is blocked on the platform by exactly one request, the tabs are told in batches', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const { contactIds } = inbox.control.seed(30, 1);
    const ids = contactIds.map(String);
    const started = await svc.handlers['bulk.start']({ action: 'block', contactIds: ids }, {});
    expect(started).toMatchObject({ kind: 'bulk', action: 'block', state: 'running', total: 30 });
    expect(started.estimateMs).toBeGreaterThan(0);

    const job = await finished(svc, started.id);
    expect(job).toMatchObject({ state: 'done', done: 30, failed: 0, skipped: 0 });
    for (const id of ids) expect(serverStatus(id), id).toBe('blocked');
    const puts = appliedPuts();
    for (const id of ids) expect(puts.get(id), id).toBe(1);

    const activity = (await svc.handlers['activity.list']({ limit: 200 }, {})).entries;
    expect(activity.filter((entry) => entry.jobId === started.id && entry.result === 'done')).toHaveLength(30);
    // Told, but not once per contact.
    const told = () => events.filter((event) => event.type === 'contacts.resynced' || event.type === 'contact.changed').length;
    await expect.poll(told).toBeGreaterThan(0);
    expect(told()).toBeLessThan(30);
    expect((await svc.handlers['panel.state']({}, {})).counts.blocked).toBeGreaterThanOrEqual(30);
  });

  test('a service worker stopped mid-job: the next one resumes it and applies each contact exactly once', async () => {
    let dead = false;
    const never = new Promise<never>(() => undefined);
    // The first worker: once "stopped", nothing it started ever comes back (even a request the
    // platform applied), as when the browser kills a service worker.
    const first = service(async (...args) => {
      if (dead) return never;
      const response = await fetch(...args);
      if (dead) return never;
      return response;
    });
    await configure(first, 'admin');
    const { contactIds } = inbox.control.seed(16, 1);
    const ids = contactIds.map(String);
    const started = await first.handlers['bulk.start']({ action: 'block', contactIds: ids }, {});
    await expect.poll(() => ids.filter((id) => serverStatus(id) === 'blocked').length, { interval: 5 }).toBeGreaterThanOrEqual(3);
    dead = true;
    // A stopped worker runs nothing more. Here only its requests stop, so let what it had
    // already received finish (it then waits on a request forever) before the next one starts:
    // two workers of one extension never run side by side.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = ids.filter((id) => serverStatus(id) === 'blocked').length;
    expect(before).toBeLessThan(16);

    const second = service();
    await second.resumeJobs();
    await second.drain();
    const job = await finished(second, started.id);
    expect(job).toMatchObject({ state: 'done', done: 16, failed: 0 });
    for (const id of ids) expect(serverStatus(id), id).toBe('blocked');
    const puts = appliedPuts();
    for (const id of ids) expect(puts.get(id), id).toBe(1);
  });

  test('cancel: the rows not yet sent stay as they were, the one in flight lands', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const { contactIds, conversationIds } = inbox.control.seed(12, 1);
    const ids = contactIds.map(String);
    // The panel lists contacts the store knows: the job's only requests are the status changes.
    for (const conversationId of conversationIds) await svc.handlers['contact.status']({ conversationId: String(conversationId) }, {});
    inbox.control.faults({ hold: { phase: 'before', count: 1 }, match: style === 'helena' ? '/core/v2/contact/' : '/contacts/' });
    const started = await svc.handlers['bulk.start']({ action: 'archive', contactIds: ids }, {});
    await expect.poll(() => inbox.control.held().length).toBe(1);

    const cancelled = await svc.handlers['job.cancel']({ id: started.id }, {});
    expect(cancelled.state).toBe('cancelled');
    inbox.control.release();
    await expect.poll(async () => (await svc.handlers['outbox.list']({}, {})).items.length).toBe(0);

    const job = (await svc.handlers['jobs.list']({}, {})).jobs.find((candidate) => candidate.id === started.id)!;
    expect(job).toMatchObject({ state: 'cancelled', done: 1, skipped: 11 });
    expect(ids.filter((id) => serverStatus(id) === 'archived')).toHaveLength(1);
    const report = await svc.handlers['job.items']({ id: started.id, states: ['cancelled'], offset: 0, limit: 50 }, {});
    expect(report.total).toBe(11);
    // Nothing is resumed later.
    await svc.resumeJobs();
    await svc.drain();
    expect(ids.filter((id) => serverStatus(id) === 'archived')).toHaveLength(1);
  });

  test('an agent\'s bulk block is refused row by row, nothing is sent; their bulk archive goes through; already archived counts as done', async () => {
    const svc = service();
    await configure(svc, 'agent');
    const { contactIds } = inbox.control.seed(4, 1);
    const ids = contactIds.map(String);
    const blocked = await svc.handlers['bulk.start']({ action: 'block', contactIds: ids }, {});
    expect(await finished(svc, blocked.id)).toMatchObject({ state: 'done', done: 0, skipped: 4 });
    const refused = await svc.handlers['job.items']({ id: blocked.id, offset: 0, limit: 10 }, {});
    expect(refused.items.map((item) => [item.state, item.error?.code])).toEqual(Array(4).fill(['refused', 'role_forbidden']));
    expect(appliedPuts().size).toBe(0);

    const first = await svc.handlers['bulk.start']({ action: 'archive', contactIds: ids.slice(0, 1) }, {});
    await finished(svc, first.id);
    const archived = await svc.handlers['bulk.start']({ action: 'archive', contactIds: ids }, {});
    expect(await finished(svc, archived.id)).toMatchObject({ state: 'done', done: 4, skipped: 0 });
    for (const id of ids) expect(serverStatus(id)).toBe('archived');
    expect(appliedPuts().get(ids[0]!)).toBe(1);
  });
});

describe('imports, helena style', () => {
  beforeEach(async () => {
    inbox = await startReferenceInbox({ style: 'helena' });
  });
  afterEach(async () => {
    for (const timer of timers.splice(0)) clearTimeout(timer);
    await inbox.close();
  });

  test('each row is resolved by id, phone or e-mail and applied; the report says which were not found; the local list answers at once', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const { contactIds } = inbox.control.seed(4, 1);
    const [byId, byPhone, byEmail, already] = contactIds.map((id) => inbox.model.contact(id)!);
    inbox.model.contact(already!.id)!.status = 'blocked';
    const job = await svc.handlers['import.apply'](
      {
        rows: [
          { contactId: String(byId!.id), status: 'blocked', note: 'spam' },
          { phone: byPhone!.phone!, status: 'archived' },
          { email: byEmail!.email!.toUpperCase(), status: 'blocked' },
          { phone: '+5511900009999', status: 'blocked' },
          { contactId: String(already!.id), status: 'blocked' },
        ],
      },
      {},
    );
    // Before anything is applied, the local list already says what the file says.
    expect(await svc.lookupLocal(`phone:${byPhone!.phone}`)).toBe('archived');
    expect(await svc.lookupLocal('phone:+5511900009999')).toBe('blocked');

    const done = await finished(svc, job.id);
    expect(done).toMatchObject({ kind: 'import', state: 'done', total: 5, done: 4, skipped: 1 });
    expect(serverStatus(byId!.id)).toBe('blocked');
    expect(serverStatus(byPhone!.id)).toBe('archived');
    expect(serverStatus(byEmail!.id)).toBe('blocked');
    const report = await svc.handlers['job.items']({ id: job.id, states: ['not_found', 'refused', 'failed'], offset: 0, limit: 10 }, {});
    expect(report.items).toEqual([expect.objectContaining({ n: 4, key: 'phone:+5511900009999', state: 'not_found' })]);
    expect(appliedPuts().get(String(already!.id))).toBeUndefined();
    expect(await svc.lookupLocal(`id:${byId!.id}`)).toBe('blocked');

    const exported = await svc.handlers['export.rows']({ statuses: ['blocked'] }, {});
    expect(exported.rows).toContainEqual(expect.objectContaining({ contactId: String(byId!.id), status: 'blocked', note: 'spam' }));
    expect(exported.rows.map((row) => row.status)).not.toContain('archived');
  });

  test('a contact the overlay opens is blocked at once when a waiting imported row names it', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const { contactIds, conversationIds } = inbox.control.seed(10, 1);
    // The platform holds the first request: the runner cannot get past the first rows.
    inbox.control.faults({ hold: { phase: 'before', count: 1 }, match: '/core/v2/contact/' });
    const rows = contactIds.map((id) => ({ contactId: String(id), status: 'blocked' as const }));
    const job = await svc.handlers['import.apply']({ rows }, {});
    await expect.poll(() => inbox.control.held().length).toBe(1);
    const last = await svc.handlers['contact.status']({ conversationId: String(conversationIds.at(-1)) }, {});
    expect(last).toMatchObject({ status: 'blocked', confirmed: 'active', pending: { action: 'block' } });
    const report = await svc.handlers['job.items']({ id: job.id, states: ['queued'], offset: 0, limit: 20 }, {});
    expect(report.items.map((item) => item.n)).toContain(10);
    inbox.control.clearFaults();
    await finished(svc, job.id);
    expect(appliedPuts().get(String(contactIds.at(-1)))).toBe(1);
  });

  test('an e-mail that several contacts share is refused as ambiguous, not applied to any of them', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const [first, second] = inbox.control.seed(2, 1).contactIds.map((id) => inbox.model.contact(id)!);
    second!.email = first!.email;
    const job = await svc.handlers['import.apply']({ rows: [{ email: first!.email!, status: 'blocked' }] }, {});
    expect(await finished(svc, job.id)).toMatchObject({ done: 0, skipped: 1 });
    const report = await svc.handlers['job.items']({ id: job.id, offset: 0, limit: 10 }, {});
    expect(report.items).toEqual([expect.objectContaining({ state: 'refused', error: { code: 'ambiguous', detail: '2' } })]);
    expect(appliedPuts().size).toBe(0);
  });

  test('a row without a contact id, phone or e-mail refuses the whole import: nothing is written', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const error = await failure(svc.handlers['import.apply']({ rows: [{ phone: '+5511987654321', status: 'blocked' }, { email: 'not an address', status: 'blocked' }] }, {}));
    expect(error.code).toBe('invalid_request');
    expect((await svc.handlers['jobs.list']({}, {})).jobs).toEqual([]);
  });
});
