// @vitest-environment node
/**
 * The background service end to end in Node: real handlers, fake browser storage, fake
 * IndexedDB, and the reference inbox as the platform.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SELECTION_ITEM } from '@/lib/background/menus';
import type { InboxEvent } from '@/lib/messaging';
import { openStore } from '@/lib/store/db';
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server';
import { failure } from '../helpers/failure';
import { configureFor, platformStatus, testService, type Service } from '../helpers/service';

type Role = 'admin' | 'agent';

let inbox: ReferenceInbox;
let events: InboxEvent[];

const timers: ReturnType<typeof setTimeout>[] = [];

function service() {
  const made = testService(timers);
  events = made.events;
  return made.svc;
}

const configure = (svc: Service, role: Role, options: { remember?: boolean; token?: string } = {}) => configureFor(svc, inbox, role, options);

const contactNamed = (name: string) => inbox.model.listContacts().find((contact) => contact.name === name)!;
/** What the platform holds for the contact named `name`. */
const serverStatus = (name: string) => platformStatus(inbox, contactNamed(name).id)!;
const conversationOf = (name: string) => String(inbox.model.latestConversation(contactNamed(name).id)!.id);


describe.each(['helena', 'chatwoot'] as const)('background service, %s style', (style) => {
  beforeEach(async () => {
    inbox = await startReferenceInbox({ style });
  });
  afterEach(async () => {
    for (const timer of timers.splice(0)) clearTimeout(timer);
    await inbox.close();
  });

  test('an agent cannot block, even where the platform itself would let them', async () => {
    const svc = service();
    await configure(svc, 'agent');
    const spammer = contactNamed('Promo Relâmpago');
    const error = await failure(
      svc.handlers['contact.setStatus']({ conversationId: conversationOf('Promo Relâmpago'), contactId: String(spammer.id), action: 'block' }, {}),
    );
    expect(error.code).toBe('role_forbidden');
    expect(inbox.model.contact(spammer.id)?.status).toBe('active');
    expect(inbox.control.requests().filter((request) => request.method === 'PUT' || request.method === 'PATCH')).toEqual([]);
  });

  test('an admin blocks: the platform, the local store and every open tab agree', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Promo Relâmpago');
    const before = await svc.handlers['contact.status']({ conversationId }, {});
    expect(before.status).toBe('active');

    const after = await svc.handlers['contact.setStatus']({ conversationId, contactId: before.id, action: 'block' }, {});
    expect(after.status).toBe('blocked');
    expect(after.blockedAt).toBeGreaterThan(0);
    expect(inbox.model.contact(contactNamed('Promo Relâmpago').id)?.status).toBe('blocked');
    expect(after.pending).toBeUndefined();
    expect(events).toContainEqual({ type: 'contact.changed', contact: after });

    const db = await openStore();
    const stored = await db.getAllFromIndex('contacts', 'byStatus');
    expect(stored.filter((contact) => contact.status === 'blocked').map((contact) => contact.name)).toContain('Promo Relâmpago');
  });

  test('blocked on the platform itself: a refresh says so, and where the thread stood becomes the block\'s point', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Mariana Souza');
    expect((await svc.handlers['contact.status']({ conversationId }, {})).status).toBe('active');
    inbox.model.updateContact(contactNamed('Mariana Souza').id, { status: 'blocked' });
    const blocked = await svc.handlers['contact.status']({ conversationId, refresh: true, lastOrder: 42 }, {});
    expect(blocked).toMatchObject({ status: 'blocked', blockedAfterOrder: 42 });
    // A later read keeps that point (the block is not new any more).
    expect((await svc.handlers['contact.status']({ conversationId, refresh: true, lastOrder: 50 }, {})).blockedAfterOrder).toBe(42);
    expect(events.some((event) => event.type === 'contact.changed' && event.contact.status === 'blocked')).toBe(true);
  });

  test('a block made here keeps its own point when a refresh reads it from the platform', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Crypto Gains 24h');
    const contact = await svc.handlers['contact.status']({ conversationId }, {});
    await svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'block', lastOrder: 7 }, {});
    expect((await svc.handlers['contact.status']({ conversationId, refresh: true, lastOrder: 9 }, {})).blockedAfterOrder).toBe(7);
  });

  test('a contact first seen already blocked gets no point: when they were blocked is not known', async () => {
    const svc = service();
    await configure(svc, 'admin');
    inbox.model.updateContact(contactNamed('Lucas Almeida').id, { status: 'blocked' });
    const view = await svc.handlers['contact.status']({ conversationId: conversationOf('Lucas Almeida'), refresh: true, lastOrder: 42 }, {});
    expect(view.status).toBe('blocked');
    expect(view.blockedAfterOrder).toBeUndefined();
  });

  test('a known contact is answered from the local store, without a request', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Mariana Souza');
    await svc.handlers['contact.status']({ conversationId }, {});
    const since = Date.now();
    const again = await svc.handlers['contact.status']({ conversationId }, {});
    expect(again.name).toBe('Mariana Souza');
    expect(inbox.control.requests(since)).toEqual([]);
  });

  test('the token stays in session storage, or in IndexedDB when remembered, never in storage.local', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const token = inbox.tokens.admin;
    expect(JSON.stringify(await fakeBrowser.storage.session.get())).toContain(token);
    expect(JSON.stringify(await fakeBrowser.storage.local.get())).not.toContain(token);
    expect(await (await openStore()).get('secrets', 'apiToken')).toBeUndefined();

    await configure(svc, 'admin', { remember: true });
    expect(JSON.stringify(await fakeBrowser.storage.session.get())).not.toContain(token);
    expect(JSON.stringify(await fakeBrowser.storage.local.get())).not.toContain(token);
    expect(JSON.stringify(await fakeBrowser.storage.sync.get())).not.toContain(token);
    // Sealed (lib/background/token.ts): a record is there, the token is not in it.
    const sealed = await (await openStore()).get('secrets', 'apiToken');
    expect(sealed).toMatchObject({ name: 'apiToken', key: expect.any(Object), iv: expect.any(Uint8Array) });
    expect(sealed && 'value' in sealed).toBe(false);
    expect(new TextDecoder().decode((sealed as { data: ArrayBuffer }).data)).not.toContain(token);
    // Remembered tokens survive the browser closing (session storage is emptied).
    await fakeBrowser.storage.session.clear();
    expect((await svc.handlers['connection.test']({}, {})).role).toBe('admin');
  });

  test('a rejected token: a readable error, and open tabs are told', async () => {
    const svc = service();
    await configure(svc, 'admin', { token: 'expired-token' });
    const error = await failure(svc.handlers['connection.test']({}, {}));
    expect(error.code).toBe('unauthorized');
    expect(events.at(-1)).toMatchObject({ type: 'session.changed', session: { active: true, error: { code: 'unauthorized' } } });
    expect((await svc.handlers['overlay.hello']({}, {})).error?.code).toBe('unauthorized');
  });

  test('the platform down: the block is kept, shown as not sent yet, and lands once when it is back', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Crypto Gains 24h');
    const contact = await svc.handlers['contact.status']({ conversationId }, {});
    inbox.control.faults({ offline: true });
    const view = await svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'block' }, {});
    expect(view).toMatchObject({ status: 'blocked', confirmed: 'active', pending: { action: 'block', state: 'queued', error: { code: 'network' } } });
    expect(inbox.model.contact(contactNamed('Crypto Gains 24h').id)?.status).toBe('active');

    inbox.control.clearFaults();
    await svc.drain();
    await expect.poll(() => inbox.model.contact(contactNamed('Crypto Gains 24h').id)?.status).toBe('blocked');
    await expect.poll(async () => (await svc.handlers['contact.status']({ conversationId }, {})).pending).toBeUndefined();
    const puts = inbox.control.requests().filter((request) => request.method === 'PUT' && request.status === 200);
    expect(puts).toHaveLength(1);
  });

  test('a refusal the platform will not change its mind on: a readable error, nothing retried', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Crypto Gains 24h');
    const contact = await svc.handlers['contact.status']({ conversationId }, {});
    inbox.control.faults({ fail: { status: 403, count: 1 }, match: 'contact' });
    const error = await failure(svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'block' }, {}));
    expect(error.code).toBe('forbidden');
    const after = await svc.handlers['contact.status']({ conversationId }, {});
    expect(after).toMatchObject({ status: 'active', pending: { state: 'failed', error: { code: 'forbidden' } } });
  });

  test('Undo of a block made from Archived brings the contact back to Archived (unblock, then archive), not Active', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Renata Campos');
    const contact = await svc.handlers['contact.status']({ conversationId }, {});
    expect(contact.status).toBe('archived');
    await svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'block' }, {});
    expect(serverStatus('Renata Campos')).toBe('blocked');

    const undone = await svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'unblock', andThen: 'archive' }, {});
    expect(undone).toMatchObject({ status: 'archived', confirmed: 'archived' });
    expect(undone.pending).toBeUndefined();
    expect(serverStatus('Renata Campos')).toBe('archived');
  });

  test('Undo of a block from Archived that is still waiting (platform down): nothing is ever sent, the contact stays Archived', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Renata Campos');
    const contact = await svc.handlers['contact.status']({ conversationId }, {});
    inbox.control.faults({ offline: true });
    const blocked = await svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'block' }, {});
    expect(blocked).toMatchObject({ status: 'blocked', confirmed: 'archived', pending: { state: 'queued' } });

    const undone = await svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'unblock', andThen: 'archive' }, {});
    expect(undone).toMatchObject({ status: 'archived', confirmed: 'archived' });
    expect(undone.pending).toBeUndefined();
    inbox.control.clearFaults();
    await svc.drain();
    expect(serverStatus('Renata Campos')).toBe('archived');
    expect(inbox.control.requests().filter((request) => request.method === 'PUT' && request.status === 200)).toEqual([]);
  });

  test('each step of a two-step change passes the gate: an agent cannot unblock-then-archive, nor anyone block-then-archive', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const conversationId = conversationOf('Crypto Gains 24h');
    const contact = await svc.handlers['contact.status']({ conversationId }, {});
    const refused = await failure(svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'block', andThen: 'archive' }, {}));
    expect(refused).toMatchObject({ code: 'invalid_transition', detail: 'reason_blocked_cannot_archive' });
    await svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'block' }, {});

    await configure(svc, 'agent');
    const forbidden = await failure(svc.handlers['contact.setStatus']({ conversationId, contactId: contact.id, action: 'unblock', andThen: 'archive' }, {}));
    expect(forbidden.code).toBe('role_forbidden');
    expect(inbox.model.contact(contactNamed('Crypto Gains 24h').id)?.status).toBe('blocked');
  });

  test('"Block “…”" on a selected e-mail that several contacts share: refused as ambiguous, no confirmation asked', async () => {
    const svc = service();
    await configure(svc, 'admin');
    const told: InboxEvent[] = [];
    fakeBrowser.tabs.sendMessage = (async (_tabId: number, event: InboxEvent) => void told.push(event)) as unknown as typeof fakeBrowser.tabs.sendMessage;
    const mariana = contactNamed('Mariana Souza');
    await svc.menuClicked(SELECTION_ITEM, 7, mariana.email!);
    expect(told).toEqual([{ type: 'menu.confirm', action: 'block', contact: { id: String(mariana.id), name: 'Mariana Souza', status: 'active' } }]);

    inbox.model.updateContact(contactNamed('Renata Campos').id, { email: mariana.email! });
    told.length = 0;
    await svc.menuClicked(SELECTION_ITEM, 7, mariana.email!);
    expect(told).toEqual([{ type: 'notice', error: { code: 'ambiguous', detail: '2' } }]);
    expect(inbox.control.requests().filter((request) => request.method === 'PUT')).toEqual([]);
  });

  test('an agent\'s "Block “…”" is refused before any lookup; a row\'s Block reaches the page with the status, for the page to refuse', async () => {
    const svc = service();
    await configure(svc, 'agent');
    const told: InboxEvent[] = [];
    fakeBrowser.tabs.sendMessage = (async (_tabId: number, event: InboxEvent) => void told.push(event)) as unknown as typeof fakeBrowser.tabs.sendMessage;
    const since = Date.now();
    await svc.menuClicked(SELECTION_ITEM, 7, contactNamed('Mariana Souza').email!);
    expect(told).toEqual([{ type: 'notice', error: { code: 'role_forbidden' } }]);
    expect(inbox.control.requests(since).filter((request) => request.path.includes('search') || request.path.includes('filter'))).toEqual([]);

    told.length = 0;
    const conversationId = conversationOf('Promo Relâmpago');
    await svc.handlers['menu.target']({ conversationId }, { tab: { id: 7 } as never });
    await svc.menuClicked('inbox-guard-block', 7);
    expect(told).toEqual([expect.objectContaining({ type: 'menu.confirm', action: 'block', contact: expect.objectContaining({ status: 'active' }) })]);
  });

  test('before any configuration, a clear "not connected" error', async () => {
    const svc = service();
    expect((await failure(svc.handlers['overlay.hello']({}, {}))).code).toBe('not_configured');
  });
});
