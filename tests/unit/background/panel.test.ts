// @vitest-environment node
/**
 * The admin panel's questions to the background, in Node: the real service over fake browser
 * storage, fake IndexedDB and the reference inbox (Helena style).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { InboxEvent } from '@/lib/messaging';
import { pageProtocol } from '@/lib/page-messaging';
import { openStore, type StoredContact } from '@/lib/store/db';
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server';
import { failure } from '../helpers/failure';
import { configureFor, testService, type Service } from '../helpers/service';

let inbox: ReferenceInbox;
let events: InboxEvent[];
const timers: ReturnType<typeof setTimeout>[] = [];

function service() {
  const made = testService(timers);
  events = made.events;
  return made.svc;
}

const configure = (svc: Service, role: 'admin' | 'agent' = 'admin') => configureFor(svc, inbox, role);

const contactNamed = (name: string) => inbox.model.listContacts().find((contact) => contact.name === name)!;
const conversationOf = (name: string) => String(inbox.model.latestConversation(contactNamed(name).id)!.id);

beforeEach(async () => {
  inbox = await startReferenceInbox({ style: 'helena' });
});
afterEach(async () => {
  for (const timer of timers.splice(0)) clearTimeout(timer);
  await inbox.close();
});

describe('the panel', () => {
  test('before any configuration: "not connected", for the state and the lists', async () => {
    const svc = service();
    expect((await failure(svc.handlers['panel.state']({}, {}))).code).toBe('not_configured');
    expect((await failure(svc.handlers['contacts.list']({ status: 'blocked', offset: 0, limit: 10 }, {}))).code).toBe('not_configured');
  });

  test('who am I, the lists\' sizes with pending actions on top, what waits, and the last sync', async () => {
    const svc = service();
    await configure(svc);
    await svc.handlers['sync.now']({}, {});
    const before = await svc.handlers['panel.state']({}, {});
    expect(before.session).toMatchObject({ active: true, role: 'admin' });
    expect(before.lastSyncAt).toBeGreaterThan(0);
    expect(before.syncing).toBe(false);

    inbox.control.faults({ offline: true });
    const conversationId = conversationOf('Mariana Souza');
    await svc.handlers['contact.status']({ conversationId }, {}).catch(() => undefined);
    inbox.control.clearFaults();
    const mariana = await svc.handlers['contact.status']({ conversationId }, {});
    inbox.control.faults({ offline: true });
    await svc.handlers['contact.setStatus']({ conversationId, contactId: mariana.id, action: 'block' }, {});
    const after = await svc.handlers['panel.state']({}, {});
    expect(after.counts.blocked).toBe(before.counts.blocked + 1);
    expect(after.outbox.queued).toBe(1);
    const blocked = await svc.handlers['contacts.list']({ status: 'blocked', query: 'mariana', offset: 0, limit: 10 }, {});
    expect(blocked.rows).toEqual([expect.objectContaining({ id: mariana.id, status: 'blocked', confirmed: mariana.confirmed, pending: expect.objectContaining({ action: 'block' }) })]);
  });

  test('sync now: the number of changed contacts, or the platform\'s error', async () => {
    const svc = service();
    await configure(svc);
    await svc.sync();
    const again = await svc.handlers['sync.now']({}, {});
    expect(again.changed).toBe(0);
    expect(again.at).toBeGreaterThan(0);
    inbox.control.faults({ fail: { status: 500, count: 5 } });
    expect((await failure(svc.handlers['sync.now']({}, {}))).code).toBe('server_error');
  });

  test('outbox: a refused action is listed, tried again on demand, then discarded; the activity log says so, newest first, page by page', async () => {
    const svc = service();
    await configure(svc);
    const conversationId = conversationOf('Crypto Gains 24h');
    const contact = await svc.handlers['contact.status']({ conversationId }, {});
    inbox.control.faults({ fail: { status: 403, count: 2 }, match: 'contact' });
    await failure(svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'block' }, {}));
    const [failed] = (await svc.handlers['outbox.list']({}, {})).items;
    expect(failed).toMatchObject({ contactId: contact.id, action: 'block', state: 'failed', error: { code: 'forbidden' } });

    await svc.handlers['outbox.retry']({ seq: failed!.seq }, {});
    await expect.poll(async () => (await svc.handlers['outbox.list']({}, {})).items[0]?.attempts).toBe(2);
    expect((await svc.handlers['outbox.list']({}, {})).items[0]?.state).toBe('failed');

    events.length = 0;
    await svc.handlers['outbox.discard']({ seq: failed!.seq }, {});
    expect((await svc.handlers['outbox.list']({}, {})).items).toEqual([]);
    expect(events).toContainEqual({ type: 'contact.changed', contact: expect.objectContaining({ id: contact.id, status: 'active' }) });
    expect((await failure(svc.handlers['outbox.discard']({ seq: failed!.seq }, {}))).code).toBe('not_found');

    const first = await svc.handlers['activity.list']({ limit: 2 }, {});
    expect(first.entries.map((entry) => entry.result)).toEqual(['discarded', 'failed']);
    const next = await svc.handlers['activity.list']({ before: first.entries.at(-1)!.seq, limit: 2 }, {});
    expect(next.entries.map((entry) => entry.result)).toEqual(['failed']);
  });
});

describe('the lists at scale', () => {
  async function fill(count: number) {
    const svc = service();
    await configure(svc);
    await svc.sync();
    const [sample] = await (await openStore()).getAll('contacts');
    const base = { platform: sample!.platform, account: sample!.account };
    const db = await openStore();
    const tx = db.transaction('contacts', 'readwrite');
    for (let i = 0; i < count; i += 1) {
      const contact: StoredContact = {
        ...base,
        id: `bulk-${i}`,
        name: i % 2 ? `Zoé Lefèvre ${i}` : `João Araújo ${i}`,
        phone: `+5511${String(900_000_000 + i)}`,
        email: `cliente${i}@massa.example`,
        status: i % 3 === 0 ? 'archived' : 'blocked',
        statusSince: 1,
        checkedAt: 1,
      };
      void tx.store.put(contact);
    }
    await tx.done;
    return svc;
  }

  test('10,000 contacts: sorted by name, searched without accents or by the phone\'s digits, each window answered in milliseconds', async () => {
    const svc = await fill(10_000);
    const first = await svc.handlers['contacts.list']({ status: 'blocked', offset: 0, limit: 50 }, {});
    expect(first.total).toBeGreaterThanOrEqual(6_666);
    const names = first.rows.map((row) => row.name);
    expect(names).toEqual([...names].sort());

    const started = performance.now();
    for (let offset = 0; offset < 5_000; offset += 100) await svc.handlers['contacts.list']({ status: 'blocked', offset, limit: 100 }, {});
    expect((performance.now() - started) / 50).toBeLessThan(20);

    const accents = await svc.handlers['contacts.list']({ status: 'archived', query: 'JOAO araujo 3', offset: 0, limit: 500 }, {});
    expect(accents.rows.length).toBeGreaterThan(0);
    expect(accents.rows.every((row) => row.name.startsWith('João Araújo 3') && row.status === 'archived')).toBe(true);
    const phone = await svc.handlers['contacts.list']({ status: 'blocked', query: '(11) 90000-0001', offset: 0, limit: 10 }, {});
    expect(phone.rows.map((row) => row.phone)).toContain('+5511900000001');
    const email = await svc.handlers['contacts.list']({ status: 'blocked', query: 'CLIENTE7@', offset: 0, limit: 10 }, {});
    expect(email.rows.map((row) => row.id)).toEqual(['bulk-7']);
  });

  test('a change made after the list was read shows in the next window', async () => {
    const svc = service();
    await configure(svc);
    const conversationId = conversationOf('Mariana Souza');
    const mariana = await svc.handlers['contact.status']({ conversationId }, {});
    const before = await svc.handlers['contacts.list']({ status: 'blocked', query: 'Mariana', offset: 0, limit: 10 }, {});
    expect(before.total).toBe(0);
    await svc.handlers['contact.setStatus']({ conversationId, contactId: mariana.id, action: 'block' }, {});
    const after = await svc.handlers['contacts.list']({ status: 'blocked', query: 'Mariana', offset: 0, limit: 10 }, {});
    expect(after.rows).toEqual([expect.objectContaining({ id: mariana.id, status: 'blocked', confirmed: 'blocked' })]);
  });

  test('100,000 imported rows: written at once, each answered from memory', async () => {
    const svc = service();
    await configure(svc);
    inbox.control.faults({ offline: true });
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ phone: `+55119${String(10_000_000 + i)}`, status: 'blocked' as const }));
    const job = await svc.handlers['import.apply']({ rows }, {});
    expect(job.total).toBe(100_000);
    expect(await svc.lookupLocal('phone:+5511910000042')).toBe('blocked');
    const times: number[] = [];
    for (let i = 0; i < 1_000; i += 1) {
      const started = performance.now();
      await svc.lookupLocal(`phone:+55119${String(10_000_000 + ((i * 97) % 100_000))}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length * 0.99)]).toBeLessThan(5);
    await svc.jobsIdle();
  }, 120_000);
});

describe('Find: contacts on the platform, whatever their status', () => {
  const statusOf = (name: string) => contactNamed(name).status;

  test('an admin finds active contacts by name, phone or e-mail, archives two in one bulk job, and finding again shows them archived', async () => {
    const svc = service();
    await configure(svc);
    const byName = await svc.handlers['contacts.find']({ query: 'correio.example' }, {});
    expect(byName.more).toBe(false);
    const names = byName.rows.map((row) => row.name);
    expect(names).toEqual(expect.arrayContaining(['Mariana Souza', 'João Pereira', 'Beatriz Lima', 'Renata Campos']));
    expect(byName.rows.find((row) => row.name === 'Mariana Souza')).toMatchObject({ status: 'active', confirmed: 'active', email: 'mariana.souza@correio.example' });
    expect(byName.rows.find((row) => row.name === 'Renata Campos')?.status).toBe('archived');
    const phone = await svc.handlers['contacts.find']({ query: '(21) 99876-5432' }, {});
    expect(phone.rows.map((row) => row.name)).toEqual(['João Pereira']);
    // An active contact is in no local list: Find is the only way to it.
    expect((await svc.handlers['contacts.list']({ status: 'archived', query: 'Mariana', offset: 0, limit: 10 }, {})).total).toBe(0);

    const ids = byName.rows.filter((row) => row.name === 'Mariana Souza' || row.name === 'João Pereira').map((row) => row.id);
    const job = await svc.handlers['bulk.start']({ action: 'archive', contactIds: ids }, {});
    expect(job.total).toBe(2);
    await expect.poll(() => [statusOf('Mariana Souza'), statusOf('João Pereira')], { timeout: 10_000 }).toEqual(['archived', 'archived']);
    await expect.poll(async () => (await svc.handlers['jobs.list']({}, {})).jobs[0]?.state, { timeout: 10_000 }).toBe('done');
    expect((await svc.handlers['jobs.list']({}, {})).jobs[0]).toMatchObject({ done: 2, failed: 0, skipped: 0 });
    const again = await svc.handlers['contacts.find']({ query: 'correio.example' }, {});
    expect(again.rows.filter((row) => ids.includes(row.id)).map((row) => row.status)).toEqual(['archived', 'archived']);
    expect((await svc.handlers['contacts.list']({ status: 'archived', query: 'Mariana', offset: 0, limit: 10 }, {})).total).toBe(1);
    await svc.jobsIdle();
  });

  test('what the platform says wins over the store, and open tabs hear of it', async () => {
    const svc = service();
    await configure(svc);
    await svc.handlers['contacts.find']({ query: 'Lucas' }, {});
    inbox.model.updateContact(contactNamed('Lucas Almeida').id, { status: 'blocked' });
    events.length = 0;
    const found = await svc.handlers['contacts.find']({ query: 'Lucas' }, {});
    expect(found.rows).toEqual([expect.objectContaining({ name: 'Lucas Almeida', status: 'blocked' })]);
    expect(events).toContainEqual({ type: 'contact.changed', contact: expect.objectContaining({ name: 'Lucas Almeida', status: 'blocked' }) });
    expect((await svc.handlers['panel.state']({}, {})).counts.blocked).toBeGreaterThanOrEqual(1);
  });

  test('an agent may bulk-archive what was found, but a bulk block is refused and nothing changes on the platform', async () => {
    const svc = service();
    await configure(svc, 'agent');
    const [chloe] = (await svc.handlers['contacts.find']({ query: 'Chloé' }, {})).rows;
    expect(chloe).toMatchObject({ status: 'active' });
    const block = await svc.handlers['bulk.start']({ action: 'block', contactIds: [chloe!.id] }, {});
    await expect.poll(async () => (await svc.handlers['jobs.list']({}, {})).jobs.find((job) => job.id === block.id)?.state, { timeout: 10_000 }).toBe('done');
    expect((await svc.handlers['jobs.list']({}, {})).jobs.find((job) => job.id === block.id)).toMatchObject({ done: 0, skipped: 1 });
    expect(statusOf('Chloé Laurent')).toBe('active');
    await svc.handlers['bulk.start']({ action: 'archive', contactIds: [chloe!.id] }, {});
    await expect.poll(() => statusOf('Chloé Laurent'), { timeout: 10_000 }).toBe('archived');
    await svc.jobsIdle();
  });

  test('at most 50 rows, saying there are more', async () => {
    const svc = service();
    await configure(svc);
    inbox.control.seedBlocked(70);
    const found = await svc.handlers['contacts.find']({ query: '+55 199' }, {});
    expect(found.rows).toHaveLength(50);
    expect(found.more).toBe(true);
    expect(found.rows.every((row) => row.status === 'blocked')).toBe(true);
  });

  test('the platform down, a refused token, a malformed answer: an error the panel can show', async () => {
    const svc = service();
    await configure(svc);
    inbox.control.faults({ offline: true });
    expect((await failure(svc.handlers['contacts.find']({ query: 'Mariana' }, {}))).code).toBe('network');
    inbox.control.clearFaults();
    inbox.control.faults({ fail: { status: 503, count: 20 }, match: 'contact/filter' });
    expect((await failure(svc.handlers['contacts.find']({ query: 'Mariana' }, {}))).code).toBe('server_error');
    inbox.control.clearFaults();
    inbox.control.faults({ fail: { status: 401, count: 20 } });
    expect((await failure(svc.handlers['contacts.find']({ query: 'Mariana' }, {}))).code).toBe('unauthorized');
    inbox.control.clearFaults();
  });

  test('a malformed answer from the platform is refused, not shown', async () => {
    const garbled = testService(timers, async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes('/contact/filter')) return new Response(JSON.stringify({ items: 'nope' }), { status: 200, headers: { 'content-type': 'application/json' } });
      return fetch(input, init);
    }).svc;
    await configure(garbled);
    expect((await failure(garbled.handlers['contacts.find']({ query: 'Mariana' }, {}))).code).toBe('invalid_response');
  });

  test('the query is checked at the boundary: at least 2 characters once trimmed', () => {
    const request = pageProtocol['contacts.find'].request;
    expect(request.safeParse({ query: ' a ' }).success).toBe(false);
    expect(request.safeParse({ query: 'x'.repeat(201) }).success).toBe(false);
    expect(request.safeParse({ query: ' ab ' })).toMatchObject({ success: true, data: { query: 'ab' } });
  });
});
