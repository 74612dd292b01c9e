// @vitest-environment node
/**
 * Properties of the background's front door: the real router over the real service handlers,
 * configured for Helena, with a `fetch` spy and a `broadcast` spy. Forged and malformed
 * messages — any value, known and unknown types, payloads with wrong types or smuggled keys
 * (`url`, `baseUrl`, `token`, `__proto__`…), from other extensions, other sites, frames, pages
 * of other extensions, `javascript:` and `data:` URLs — get a refusal and cause nothing: no
 * request, no storage write, no broadcast, no handler call. No reply ever carries the token.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createRouter, type Handlers, type Sender } from '@/lib/background/router';
import { createService } from '@/lib/background/service';
import { Reply, type InboxEvent } from '@/lib/messaging';
import { protocol, type MessageType } from '@/lib/page-messaging';
import { SAFE_ID } from '@/lib/platforms/ids';
import { StatusAction } from '@/lib/roles';
import type { Settings } from '@/lib/settings';
import { openStore } from '@/lib/store/db';
import { json } from '../helpers/fetch';
import { mutate, mutationOf, type Json } from './responses';

const RUNS = 10_000;
const TIMEOUT = 120_000;

const EXTENSION_ID = 'ig-id';
const EXTENSION_BASE = `chrome-extension://${EXTENSION_ID}/`;
const SERVER = 'https://api.helena.run';
const INBOX = 'https://app.helena.run';
const TOKEN = 'pn_SECRET_7f3a9c1e5b';
const AGENT_EMAIL = 'ana@x.example';
/** Every path the Helena adapter may request ({id}: a uuid). */
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HELENA_ENDPOINTS = [
  '/core/v1/agent',
  '/core/v1/contact/filter',
  `/core/v1/contact/${UUID}`,
  `/core/v2/contact/${UUID}`,
  '/core/v1/contact/phonenumber/\\d+',
  `/chat/v2/session/${UUID}`,
  '/chat/v1/session',
  `/chat/v1/session/${UUID}/complete`,
].map((path) => new RegExp(`^${path}$`, 'i'));
/** A Helena id (sessions and contacts are uuids). */
const SESSION = '5e55a001-0000-4000-8000-000000000001';

const settings: Settings = {
  platform: 'helena',
  apiStyle: 'helena',
  serverUrl: SERVER,
  inboxUrl: INBOX,
  agentEmail: AGENT_EMAIL,
  rememberToken: false,
};

const TYPES = Object.keys(protocol) as MessageType[];

// ---- senders -------------------------------------------------------------------------------

const urls = fc.oneof(
  fc.constantFrom(
    `${EXTENSION_BASE}options.html`,
    `${EXTENSION_BASE}popup.html#settings`,
    EXTENSION_BASE,
    `${INBOX}/chat/123`,
    `${INBOX}:443/chat`,
    // Look-alikes: another extension, another scheme, port, host, or the inbox in a query.
    'chrome-extension://other-extension/options.html',
    `chrome-extension://${EXTENSION_ID}.evil/options.html`,
    `chrome-extension://${EXTENSION_ID}x/options.html`,
    `moz-extension://${EXTENSION_ID}/options.html`,
    `chrome-extension://${EXTENSION_ID}`,
    'http://app.helena.run/chat',
    'https://app.helena.run:8443/chat',
    'https://app.helena.run.evil.example/chat',
    'https://evil.example/?next=https://app.helena.run',
    `${SERVER}/core/v1/agent`,
    'javascript:alert(document.domain)',
    'data:text/html,<script>chrome.runtime.sendMessage({})</script>',
    'about:blank',
    'about:srcdoc',
    `blob:${INBOX}/3f0c1a2b`,
    'file:///etc/passwd',
    '',
  ),
  fc.webUrl(),
  fc.string({ maxLength: 20 }),
);

const tab = fc.record({ id: fc.nat(), url: fc.option(urls, { nil: undefined }) });

const inboxSender: Sender = { id: EXTENSION_ID, url: `${INBOX}/chat/123`, tab: { id: 3 } as Sender['tab'], frameId: 0, origin: INBOX };
const pageSender: Sender = { id: EXTENSION_ID, url: `${EXTENSION_BASE}options.html`, origin: `chrome-extension://${EXTENSION_ID}` };

/** One field of an allowed sender changed, with a value of the type the browser gives: the closest forgeries. */
const forged: fc.Arbitrary<Sender> = fc
  .tuple(
    fc.constantFrom(inboxSender, pageSender),
    fc.oneof(
      fc.record({ field: fc.constant('id'), value: fc.oneof(fc.constantFrom('other-extension', '', 'IG-ID', undefined), fc.string({ maxLength: 8 })) }),
      fc.record({ field: fc.constant('url'), value: fc.option(urls, { nil: undefined }) }),
      fc.record({ field: fc.constant('tab'), value: fc.option(tab, { nil: undefined }) }),
      fc.record({ field: fc.constant('frameId'), value: fc.option(fc.integer({ min: -1, max: 5 }), { nil: undefined }) }),
      fc.record({ field: fc.constant('origin'), value: fc.option(urls, { nil: undefined }) }),
    ),
  )
  .map(([base, { field, value }]) => ({ ...base, [field]: value }) as Sender);

const anySender = fc.record(
  {
    id: fc.oneof(fc.constant(EXTENSION_ID), fc.constantFrom('other-extension', '', 'IG-ID', `${EXTENSION_ID} `), fc.string({ maxLength: 8 })),
    url: urls,
    tab,
    frameId: fc.oneof(fc.constant(0), fc.integer({ min: -1, max: 5 })),
    origin: fc.oneof(fc.constantFrom(INBOX, 'null', 'https://evil.example'), fc.string({ maxLength: 10 })),
    documentId: fc.string({ maxLength: 8 }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Sender>;

const senders = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(inboxSender, pageSender) },
  { weight: 3, arbitrary: forged },
  { weight: 3, arbitrary: anySender },
);

/** Who the sender is, decided here from the rules in lib/messaging.ts, not by the router. */
function senderKindOf(sender: Sender): 'inbox' | 'page' | null {
  if (sender.id !== EXTENSION_ID) return null;
  if (typeof sender.url === 'string' && sender.url.startsWith(EXTENSION_BASE)) return 'page';
  let origin: string | null = null;
  try {
    origin = new URL(sender.url ?? '').origin;
  } catch {
    origin = null;
  }
  return sender.tab && sender.frameId === 0 && origin === INBOX ? 'inbox' : null;
}

// ---- messages ------------------------------------------------------------------------------

// Mostly ids of the shape every platform's have (SAFE_ID), and any string.
const id = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), fc.string({ minLength: 1, maxLength: 12 }));
const validSettings = fc.record(
  {
    platform: fc.constantFrom('helena', 'chatwoot', 'reference'),
    apiStyle: fc.constantFrom('helena', 'chatwoot'),
    serverUrl: fc.constantFrom('https://evil.example', SERVER, 'http://127.0.0.1:9'),
    inboxUrl: fc.constantFrom('https://evil.example', INBOX),
    accountId: fc.constantFrom('1', '7'),
    agentEmail: fc.constantFrom(AGENT_EMAIL, 'eve@evil.example'),
    rememberToken: fc.boolean(),
  },
  { requiredKeys: ['platform', 'serverUrl'] },
);

const validPayloads: { [T in MessageType]: fc.Arbitrary<Record<string, unknown>> } = {
  'overlay.hello': fc.constant({}),
  'contact.status': fc.record({ conversationId: id, refresh: fc.boolean() }, { requiredKeys: ['conversationId'] }),
  'contact.setStatus': fc.record(
    { conversationId: id, contactId: id, action: fc.constantFrom(...StatusAction.options) },
    { requiredKeys: ['contactId', 'action'] },
  ),
  'rows.status': fc.record({
    rows: fc.array(fc.record({ key: id, conversationId: id, name: fc.string({ minLength: 1, maxLength: 20 }) }, { requiredKeys: ['key'] }), { maxLength: 5 }),
  }),
  'blocked.conversations': fc.record({ offset: fc.nat({ max: 500 }), limit: fc.integer({ min: 1, max: 50 }), withConversations: fc.boolean() }),
  'menu.target': fc.record({ conversationId: id, name: fc.string({ minLength: 1, maxLength: 20 }) }, { requiredKeys: [] }),
  'tab.hidden': fc.record({ count: fc.nat({ max: 5_000 }) }),
  'options.open': fc.constant({}),
  'settings.get': fc.constant({}),
  'settings.save': fc.record({ settings: validSettings, token: fc.constantFrom('pn_attacker', ' x ') }, { requiredKeys: ['settings'] }),
  'connection.test': fc.constant({}),
  'panel.state': fc.constant({}),
  'contacts.list': fc.record(
    { status: fc.constantFrom('blocked', 'archived'), query: fc.string({ maxLength: 10 }), offset: fc.nat({ max: 50 }), limit: fc.integer({ min: 1, max: 500 }) },
    { requiredKeys: ['status', 'offset', 'limit'] },
  ),
  'contacts.find': fc.record({ query: fc.string({ minLength: 2, maxLength: 10 }).filter((text) => text.trim().length >= 2) }),
  'bulk.start': fc.record({ action: fc.constantFrom(...StatusAction.options), contactIds: fc.array(id, { minLength: 1, maxLength: 3 }) }),
  'import.apply': fc.record({
    rows: fc.array(
      fc.record(
        {
          contactId: id,
          phone: fc.constantFrom('+5511987654321', '+447700900123'),
          email: fc.constantFrom('a@b.example', 'x@y.example'),
          status: fc.constantFrom('active', 'archived', 'blocked'),
          note: fc.string({ maxLength: 10 }),
        },
        { requiredKeys: ['status', 'phone'] },
      ),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  'export.rows': fc.record({ statuses: fc.array(fc.constantFrom('blocked', 'archived'), { minLength: 1, maxLength: 2 }) }),
  'jobs.list': fc.constant({}),
  'job.items': fc.record(
    {
      id,
      states: fc.array(fc.constantFrom('waiting', 'queued', 'done', 'failed', 'not_found', 'refused', 'cancelled'), { maxLength: 3 }),
      offset: fc.nat({ max: 50 }),
      limit: fc.integer({ min: 1, max: 500 }),
    },
    { requiredKeys: ['id', 'offset', 'limit'] },
  ),
  'job.cancel': fc.record({ id }),
  'outbox.list': fc.constant({}),
  'outbox.retry': fc.record({ seq: fc.integer({ min: -5, max: 50 }) }),
  'outbox.discard': fc.record({ seq: fc.integer({ min: -5, max: 50 }) }),
  'activity.list': fc.record({ before: fc.integer({ min: -5, max: 50 }), limit: fc.integer({ min: 1, max: 200 }) }, { requiredKeys: ['limit'] }),
  'sync.now': fc.constant({}),
};

const validMessage = fc.constantFrom(...TYPES).chain((type) => validPayloads[type].map((payload) => ({ type, payload })));

const smuggled = mutationOf(
  ['url', 'baseUrl', 'serverUrl', 'token', 'apiToken', 'headers', '__proto__', 'constructor', 'prototype', 'type', 'payload', 'settings', 'then'],
  fc.constantFrom<Json>('https://evil.example/steal', 'javascript:alert(1)', { polluted: true }, { serverUrl: 'https://evil.example' }, null),
);

const oddTypes = fc.constantFrom(
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'fetch',
  'settings.save ',
  'Settings.save',
  'settings',
  '',
  'contact.status\u0000',
);

const messages: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }) },
  {
    weight: 3,
    arbitrary: fc.record({ type: fc.oneof(fc.constantFrom(...TYPES), oddTypes, fc.string({ maxLength: 12 })), payload: fc.anything({ maxDepth: 2, maxKeys: 4 }) }),
  },
  { weight: 3, arbitrary: validMessage },
  { weight: 4, arbitrary: fc.tuple(validMessage, fc.array(smuggled, { minLength: 1, maxLength: 3 })).map(([message, changes]) => mutate(message, changes)) },
  // Inherited and look-alike type names carrying a payload that would be valid for a real type.
  {
    weight: 2,
    arbitrary: fc
      .tuple(oddTypes, fc.array(smuggled, { maxLength: 2 }))
      .map(([type, changes]) => ({ type, payload: mutate({ conversationId: '9', contactId: '5', action: 'block' }, changes) })),
  },
);

/** The type this message validly asks for from this sender, or null when it must be refused. */
function validRequest(message: unknown, sender: Sender): MessageType | null {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return null;
  const { type, payload } = message as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(protocol, type)) return null;
  const spec = protocol[type as MessageType];
  const kind = senderKindOf(sender);
  if (!kind || !(spec.from as readonly string[]).includes(kind)) return null;
  return spec.request.safeParse(payload).success ? (type as MessageType) : null;
}

// ---- the background under test ---------------------------------------------------------------

let clock = Date.UTC(2025, 0, 1);

function agentsAnswer() {
  return json(200, [{ id: 'a1', companyId: 'c1', name: 'Ana', email: AGENT_EMAIL, profile: 'Admin', isOwner: false }]);
}

async function background() {
  const fetchSpy = vi.fn<typeof fetch>(async (input) => (String(input).endsWith('/core/v1/agent') ? agentsAnswer() : json(404, { error: true })));
  const broadcastSpy = vi.fn<(settings: Settings, event: InboxEvent) => Promise<void>>(async () => undefined);
  const service = createService({ fetch: fetchSpy, broadcast: broadcastSpy, now: () => clock, log: () => undefined });
  const called: MessageType[] = [];
  const handlers = Object.fromEntries(
    TYPES.map((type) => [
      type,
      (payload: unknown, sender: Sender) => {
        called.push(type);
        // A bulk job or an import goes on after the answer: wait for its pass, so what it
        // sends is counted for this message and not for the next.
        return (service.handlers[type] as (p: unknown, s: Sender) => Promise<unknown>)(payload, sender).finally(() => service.jobsIdle());
      },
    ]),
  ) as Handlers;
  const route = createRouter(handlers, { extensionId: EXTENSION_ID, extensionBaseUrl: EXTENSION_BASE, loadSettings: service.loadSettings });

  // Configured as the options page would, then every background task left to finish.
  await service.handlers['settings.save']({ settings, token: TOKEN }, pageSender);
  await service.sync();
  await service.drain();
  expect(await service.handlers['settings.get']({}, pageSender)).toMatchObject({ settings, hasToken: true });
  const baseline = { local: await fakeBrowser.storage.local.get(), session: await fakeBrowser.storage.session.get() };

  // From here on the platform is unreachable: a request that goes out fails fast.
  fetchSpy.mockReset();
  fetchSpy.mockImplementation(async () => {
    throw new TypeError('fetch failed');
  });
  broadcastSpy.mockClear();

  // The rate limiter's saved log is written on a timer; it is not what a message wrote.
  const snapshot = async () => {
    const session = Object.fromEntries(Object.entries(await fakeBrowser.storage.session.get()).filter(([key]) => !key.startsWith('rateLog:')));
    return { local: await fakeBrowser.storage.local.get(), session };
  };

  /** Puts back what an accepted request may have changed (settings, token, identity). */
  const restore = async () => {
    await fakeBrowser.storage.local.clear();
    await fakeBrowser.storage.local.set(baseline.local);
    await fakeBrowser.storage.session.clear();
    await fakeBrowser.storage.session.set(baseline.session);
    await (await openStore()).delete('secrets', 'apiToken');
  };

  return { route, fetchSpy, broadcastSpy, called, snapshot, restore };
}

describe('the background refuses forged and malformed messages, and they cause nothing', () => {
  let bg: Awaited<ReturnType<typeof background>>;
  beforeEach(async () => {
    bg = await background();
  });

  test('every reply is a Reply; anything but a valid request from an allowed sender is refused with no request, no storage write, no broadcast, no handler call; no reply carries the token', async () => {
    let accepted = 0;
    const stats = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(messages, senders, async (message, sender) => {
        clock += 1_000; // keeps the client-side rate limit's windows from filling up
        bg.fetchSpy.mockClear();
        bg.broadcastSpy.mockClear();
        bg.called.length = 0;
        const before = await bg.snapshot();

        const reply = await bg.route(message, sender);

        expect(Reply.safeParse(reply).success).toBe(true);
        expect(JSON.stringify(reply)).not.toContain(TOKEN);
        for (const [, event] of bg.broadcastSpy.mock.calls) expect(JSON.stringify(event)).not.toContain(TOKEN);

        const type = validRequest(message, sender);
        const key = `${type ?? 'refused'} -> ${reply.ok ? 'ok' : reply.error.code}`;
        stats.set(key, (stats.get(key) ?? 0) + 1);
        if (type) {
          accepted += 1;
          expect(bg.called).toEqual([type]);
          // Whatever the payload said, requests only go to the configured server (unless the
          // options page itself just saved another one).
          if (type !== 'settings.save') {
            for (const [input] of bg.fetchSpy.mock.calls) expect(new URL(String(input)).origin).toBe(SERVER);
          }
          await bg.restore();
          return;
        }
        expect(reply.ok).toBe(false);
        expect(bg.called).toEqual([]);
        expect(bg.fetchSpy).not.toHaveBeenCalled();
        expect(bg.broadcastSpy).not.toHaveBeenCalled();
        expect(await bg.snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
    if (process.env.PROPERTY_STATS) console.log(Object.fromEntries([...stats].sort((a, b) => b[1] - a[1])));
    // Enough valid requests went through for their half of the property to mean something.
    expect(accepted).toBeGreaterThan(RUNS / 20);
  }, TIMEOUT);

  test('a forged sender never gets a valid request through, whatever it asks', async () => {
    await fc.assert(
      fc.asyncProperty(validMessage, fc.oneof(forged, anySender), async (message, sender) => {
        fc.pre(senderKindOf(sender) === null);
        bg.fetchSpy.mockClear();
        bg.called.length = 0;
        const reply = await bg.route(message, sender);
        expect(reply).toEqual({ ok: false, error: { code: 'sender_refused', detail: message.type } });
        expect(bg.fetchSpy).not.toHaveBeenCalled();
        expect(bg.called).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('a refused message is refused for a reason a user can read (invalid_request or sender_refused), never as an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(messages, senders, async (message, sender) => {
        fc.pre(validRequest(message, sender) === null);
        const reply = await bg.route(message, sender);
        expect(reply.ok).toBe(false);
        if (!reply.ok) expect(['invalid_request', 'sender_refused']).toContain(reply.error.code);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  test('a status question from the inbox with a smuggled URL still asks the configured server only', async () => {
    const reply = await bg.route({ type: 'contact.status', payload: { conversationId: SESSION, url: 'https://evil.example', baseUrl: 'https://evil.example' } }, inboxSender);
    expect(reply).toMatchObject({ ok: false, error: { code: 'network' } });
    expect(bg.fetchSpy.mock.calls.map(([input]) => new URL(String(input)).origin)).toEqual([SERVER]);
  });

  test('an id that is not the platform\'s (".", "..", "", "a/b", "%2e%2e"…) from a page or the inbox never becomes a path: no request', async () => {
    const hostile = fc.oneof(
      fc.constantFrom('.', '..', '', '/', '../agent', '%2e%2e', '.%2E', 'a/b', 'a?b', 'a#b', 'a%2Fb', 'a\\b', ' ', '5', 'abc', '3f0c1a2b-1111-4222-8333-44445555666'),
      fc.string({ unit: fc.constantFrom('.', '/', '?', '#', '%', '\\', '2', 'e', 'F', '-', ' '), maxLength: 8 }),
      fc.string({ maxLength: 12 }),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (value) => {
        clock += 1_000;
        bg.fetchSpy.mockClear();
        const replies = [
          await bg.route({ type: 'contact.setStatus', payload: { contactId: value, action: 'block' } }, pageSender),
          await bg.route({ type: 'contact.setStatus', payload: { contactId: value, action: 'archive' } }, inboxSender),
          await bg.route({ type: 'contact.status', payload: { conversationId: value } }, inboxSender),
        ];
        for (const reply of replies) expect(reply.ok).toBe(false);
        // A job takes any id of the safe shape (its row is then "not found"); no other.
        const bulk = await bg.route({ type: 'bulk.start', payload: { action: 'archive', contactIds: [value] } }, pageSender);
        if (!SAFE_ID.test(value)) expect(bulk).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
        await new Promise((resolve) => setTimeout(resolve, 0));
        // Whatever else the background did meanwhile (a job's step, a sync), every request it
        // sent is one of Helena's endpoints, with a uuid where an id goes.
        for (const [input] of bg.fetchSpy.mock.calls) {
          const path = new URL(String(input)).pathname;
          expect(HELENA_ENDPOINTS.some((endpoint) => endpoint.test(path)), path).toBe(true);
        }
        await bg.restore();
      }),
      { numRuns: 300 },
    );
    // The same ids as uuids do reach the server, each as a segment of its own.
    const reply = await bg.route({ type: 'contact.setStatus', payload: { contactId: SESSION, action: 'block' } }, pageSender);
    expect(reply.ok).toBe(false);
    expect(bg.fetchSpy.mock.calls.map(([input]) => new URL(String(input)).pathname)).toContain(`/core/v1/contact/${SESSION}`);
  }, TIMEOUT);
});
