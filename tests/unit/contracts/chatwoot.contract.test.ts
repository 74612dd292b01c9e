// @vitest-environment node
/**
 * The Chatwoot client (lib/platforms/chatwoot/api.ts) against Chatwoot's published OpenAPI
 * document, ../shared/contracts/chatwoot/application_swagger.json, read at run time.
 *
 * The real client is driven through every PlatformApi method with an injected `fetch` that
 * checks each request against the spec (operation matched by method + path template, path and
 * query parameters, the `userApiKey` header, the JSON body against the requestBody schema) and
 * answers from a small in-memory Chatwoot whose answers are written by hand after the spec's
 * response schemas and checked against them too. So the parsing assertions run on payloads the
 * spec allows.
 */
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { IgError } from '@/lib/errors';
import { createChatwootApi } from '@/lib/platforms/chatwoot/api';
import type { PlatformApi } from '@/lib/platforms/types';
import {
  ContractChecker,
  KNOWN_CHATWOOT_CLIENT_DEVIATIONS,
  findings,
  knownChatwootClientDeviation,
  loadChatwootSpec,
  recordingFetch,
  type Answer,
  type Exchange,
  type Recorder,
} from './helpers';

const ACCOUNT_ID = 7;
const TOKEN = 'cw_user_token_3f9a';
const BASE_URL = 'https://chat.example.com';
const NOW = 1_700_001_000;

// ── payloads, written after the spec's schemas ──────────────────────────────

/** #/components/schemas/contact_list_item */
interface ContactListItem {
  id: number;
  name: string;
  email: string | null;
  phone_number: string | null;
  blocked: boolean;
  identifier: string | null;
  thumbnail: string;
  availability_status: 'online' | 'offline';
  additional_attributes: { city?: string; country?: string; country_code?: string; created_at_ip?: string };
  custom_attributes: Record<string, unknown>;
  last_activity_at: number | null;
  created_at: number;
  contact_inboxes: { source_id: string; inbox: Record<string, unknown> }[];
}

const whatsappInbox = { id: 2, avatar_url: '', channel_id: 4, name: 'WhatsApp Loja Aurora', channel_type: 'Channel::Whatsapp', provider: 'whatsapp_cloud' };

function contact(fields: Partial<ContactListItem> & Pick<ContactListItem, 'id' | 'name'>): ContactListItem {
  return {
    email: null,
    phone_number: null,
    blocked: false,
    identifier: null,
    thumbnail: '',
    availability_status: 'offline',
    additional_attributes: { city: 'São Paulo', country: 'Brazil', country_code: 'BR' },
    custom_attributes: {},
    last_activity_at: 1_700_000_000,
    created_at: 1_690_000_000,
    contact_inboxes: fields.phone_number ? [{ source_id: fields.phone_number.replace('+', ''), inbox: whatsappInbox }] : [],
    ...fields,
  };
}

const SEED: ContactListItem[] = [
  contact({ id: 101, name: 'Mariana Souza', email: 'mariana.souza@correio.example', phone_number: '+5511987654321' }),
  contact({ id: 102, name: 'Empréstimo Fácil', phone_number: '+5511900000009', blocked: true, last_activity_at: 1_699_000_000 }),
  // Archived after the last activity: archived.
  contact({
    id: 103,
    name: 'Renata Campos',
    email: 'renata.campos@correio.example',
    phone_number: '+5511955554444',
    last_activity_at: 1_700_000_000,
    custom_attributes: { inbox_guard_archived: true, inbox_guard_archived_at: 1_700_000_500 },
  }),
  // Wrote after the archive: active again, and the client clears the archive.
  contact({
    id: 104,
    name: 'Jean Dupont',
    email: 'jean.dupont@courriel.example',
    phone_number: '+33612345678',
    last_activity_at: 1_700_000_900,
    custom_attributes: { inbox_guard_archived: true, inbox_guard_archived_at: 1_700_000_000 },
    additional_attributes: { city: 'Lyon', country: 'France', country_code: 'FR' },
  }),
  // Archived at the very second of the last activity: still archived (≥).
  contact({
    id: 105,
    name: 'Lúcia Prado',
    email: 'lucia.prado@correio.example',
    last_activity_at: 1_700_000_700,
    custom_attributes: { inbox_guard_archived: true, inbox_guard_archived_at: 1_700_000_700 },
  }),
  // A time stamp without the flag is not an archive (the flag is what the client filters on).
  contact({ id: 106, name: 'Caio Lima', phone_number: '+5521977237528', custom_attributes: { inbox_guard_archived_at: 1_700_000_800 } }),
  // Looks like 101 to a substring search, but is not the same e-mail or phone.
  contact({ id: 107, name: 'Mariana Souza Filha', email: 'mariana.souza@correio.example.br', phone_number: '+5511987654329' }),
];

/** #/components/schemas/conversation (+ the meta of conversation_show). */
interface Conversation {
  id: number;
  contactId: number;
  status: 'open' | 'resolved' | 'pending';
}

const CONVERSATIONS: Conversation[] = [
  { id: 201, contactId: 101, status: 'open' },
  { id: 202, contactId: 101, status: 'pending' },
  { id: 203, contactId: 101, status: 'resolved' },
  { id: 204, contactId: 102, status: 'resolved' },
  { id: 205, contactId: 103, status: 'resolved' },
  { id: 206, contactId: 104, status: 'open' },
];

/** #/components/schemas/user, for GET /profile and a conversation's meta.assignee. */
function user(role: 'administrator' | 'agent', accounts: { id: number; name: string; role: 'administrator' | 'agent' }[]) {
  return {
    id: 12,
    access_token: TOKEN,
    account_id: accounts[0]?.id ?? ACCOUNT_ID,
    available_name: 'Ana Admin',
    avatar_url: 'https://chat.example.com/rails/active_storage/ana.png',
    confirmed: true,
    display_name: null,
    message_signature: null,
    email: 'ana@aurora.example',
    hmac_identifier: 'b5f2c0e7',
    inviter_id: 1,
    name: 'Ana Paula Admin',
    provider: 'email',
    pubsub_token: 'Kx8mVq3cN2',
    role,
    ui_settings: { is_contact_sidebar_open: true },
    uid: 'ana@aurora.example',
    type: 'SuperAdmin',
    custom_attributes: {},
    accounts: accounts.map((account) => ({
      ...account,
      status: 'active',
      active_at: '2026-11-20T13:05:41.000Z',
      permissions: account.role === 'administrator' ? ['administrator'] : ['agent'],
      availability: 'online',
      availability_status: 'online',
      auto_offline: true,
      custom_role_id: null,
      custom_role: null,
    })),
  };
}

/**
 * Administrator in the configured account (7), agent in another one; the top-level `role` (which
 * account it reflects is not said, FACTS.md §3) is `agent`, so only accounts[].role can make her admin.
 */
const ADMIN_PROFILE = user('agent', [
  { id: 3, name: 'Outra Loja', role: 'agent' },
  { id: ACCOUNT_ID, name: 'Loja Aurora', role: 'administrator' },
]);

/** The inline `meta.sender` of conversation_show: its fields are not nullable, so nulls are left out. */
function sender(item: ContactListItem) {
  const { contact_inboxes: _inboxes, ...fields } = item;
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

/** #/components/schemas/message */
function lastMessage(conversation: Conversation, item: ContactListItem) {
  return {
    id: conversation.id * 10,
    content: 'Olá, meu pedido ainda não chegou',
    account_id: ACCOUNT_ID,
    inbox_id: whatsappInbox.id,
    conversation_id: conversation.id,
    message_type: 0,
    created_at: 1_700_000_000,
    updated_at: 1_700_000_000,
    private: false,
    status: 'delivered',
    source_id: `wamid.HBgMNTUxMTk4NzY1NDMyMRUCABIYFjNFQjBD${conversation.id}`,
    content_type: 'text',
    content_attributes: {},
    sender_type: 'contact',
    sender_id: item.id,
    sender: { id: item.id, name: item.name, type: 'contact' },
  };
}

/** #/components/schemas/conversation_show (and the items of contact_conversations_response). */
function conversationShow(conversation: Conversation, item: ContactListItem) {
  const message = lastMessage(conversation, item);
  return {
    id: conversation.id,
    messages: [message],
    account_id: ACCOUNT_ID,
    uuid: `5d0f6b1c-2f3e-4b5a-9c1d-${String(conversation.id).padStart(12, '0')}`,
    additional_attributes: {},
    agent_last_seen_at: 1_700_000_100,
    assignee_last_seen_at: 1_700_000_100,
    can_reply: true,
    contact_last_seen_at: 0,
    custom_attributes: {},
    inbox_id: whatsappInbox.id,
    labels: ['pedido'],
    muted: item.blocked,
    status: conversation.status,
    created_at: 1_699_990_000,
    updated_at: 1_700_000_000.25,
    timestamp: '1700000000',
    first_reply_created_at: 1_699_990_300,
    unread_count: conversation.status === 'resolved' ? 0 : 1,
    last_non_activity_message: message,
    last_activity_at: 1_700_000_000,
    priority: 'medium',
    waiting_since: 1_700_000_000,
    meta: {
      sender: sender(item),
      channel: 'Channel::Whatsapp',
      assignee: user('administrator', [{ id: ACCOUNT_ID, name: 'Loja Aurora', role: 'administrator' }]),
      hmac_verified: false,
    },
  };
}

// ── an in-memory Chatwoot ───────────────────────────────────────────────────

interface ServerOptions {
  profile?: ReturnType<typeof user>;
  /** The spec documents 204 for an update; upstream answers 200 {payload}. */
  updateAnswers?: 200 | 204;
  extraBlocked?: number;
}

const PAGE_SIZE = 15;

function fakeChatwoot(options: ServerOptions = {}) {
  const contacts = new Map(SEED.map((item) => [item.id, structuredClone(item)]));
  for (let i = 0; i < (options.extraBlocked ?? 0); i += 1) {
    const id = 900 + i;
    contacts.set(id, contact({ id, name: `Spam ${i}`, phone_number: `+55119${80_000_000 + i}`, blocked: true }));
  }
  const conversations = new Map(CONVERSATIONS.map((conversation) => [conversation.id, { ...conversation }]));
  const toggled: { id: number; status: string }[] = [];

  const page = (items: ContactListItem[], url: URL): Answer => {
    const number = Number(url.searchParams.get('page') ?? '1');
    return {
      status: 200,
      // #/components/schemas/contacts_list_response; contact_meta.current_page is a string.
      body: { meta: { count: items.length, current_page: String(number) }, payload: items.slice((number - 1) * PAGE_SIZE, number * PAGE_SIZE) },
    };
  };
  const byId = (raw: string | undefined) => contacts.get(Number(raw));
  const notFound: Answer = { status: 404, body: { description: 'Resource could not be found', errors: [] } };
  const lower = (value: unknown) => String(value).toLowerCase();

  const answer = (exchange: Exchange): Answer => {
    const segments = exchange.url.pathname.split('/');
    const body = exchange.body as Record<string, unknown> | undefined;
    switch (exchange.operationId) {
      case 'fetchProfile':
        return { status: 200, body: options.profile ?? ADMIN_PROFILE };
      case 'contactDetails': {
        const item = byId(segments[6]);
        return item ? { status: 200, body: { payload: item } } : notFound;
      }
      case 'contactSearch': {
        const q = lower(exchange.url.searchParams.get('q') ?? '');
        const hits = [...contacts.values()].filter((item) =>
          [item.name, item.email, item.phone_number, item.identifier].some((value) => value !== null && lower(value).includes(q)),
        );
        return page(hits, exchange.url);
      }
      case 'contactFilter': {
        const conditions = (body?.payload ?? []) as { attribute_key: string; values: unknown[] }[];
        const hits = [...contacts.values()].filter((item) =>
          conditions.every(({ attribute_key: key, values }) => {
            const value = key === 'blocked' ? item.blocked : item.custom_attributes[key];
            return values.map(lower).includes(lower(value));
          }),
        );
        return page(hits, exchange.url);
      }
      case 'contactUpdate': {
        const item = byId(segments[6]);
        if (!item) return notFound;
        if (typeof body?.blocked === 'boolean') item.blocked = body.blocked;
        // Upstream merges custom_attributes into the stored ones.
        if (body?.custom_attributes) item.custom_attributes = { ...item.custom_attributes, ...(body.custom_attributes as object) };
        return options.updateAnswers === 204 ? { status: 204 } : { status: 200, body: { payload: item } };
      }
      case 'contactConversations': {
        const item = byId(segments[6]);
        if (!item) return notFound;
        const mine = [...conversations.values()].filter((conversation) => conversation.contactId === item.id);
        return { status: 200, body: { payload: mine.map((conversation) => conversationShow(conversation, item)) } };
      }
      case 'get-details-of-a-conversation': {
        const conversation = conversations.get(Number(segments[6]));
        const item = conversation && contacts.get(conversation.contactId);
        return conversation && item ? { status: 200, body: conversationShow(conversation, item) } : notFound;
      }
      case 'toggle-status-of-a-conversation': {
        const conversation = conversations.get(Number(segments[6]));
        if (!conversation) return notFound;
        conversation.status = body?.status as Conversation['status'];
        toggled.push({ id: conversation.id, status: conversation.status });
        return {
          status: 200,
          body: { meta: {}, payload: { success: true, current_status: conversation.status === 'pending' ? 'open' : conversation.status, conversation_id: conversation.id } },
        };
      }
      default:
        return { status: 404, body: { description: 'no such route in the fake', errors: [] } };
    }
  };
  return { contacts, conversations, toggled, answer };
}

// ── harness ──────────────────────────────────────────────────────────────────

let checker: ContractChecker;
beforeAll(async () => {
  checker = await ContractChecker.create('application_swagger.json', loadChatwootSpec());
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function setup(options: ServerOptions & { now?: number } = {}) {
  // The client must use the injected fetch, never the global one.
  vi.stubGlobal('fetch', () => {
    throw new Error('the client used the global fetch');
  });
  const server = fakeChatwoot(options);
  const recorder = recordingFetch(checker, server.answer);
  const api = createChatwootApi({
    baseUrl: BASE_URL,
    accountId: String(ACCOUNT_ID),
    fetch: recorder.fetch,
    getToken: async () => TOKEN,
    now: () => options.now ?? NOW,
  });
  return { api, server, recorder };
}

/** Every request the client sent went through the recorder, matched an operation and broke no rule; every answer was spec-conformant. */
function expectConformant(recorder: Recorder) {
  expect(recorder.exchanges.length).toBe(recorder.calls());
  expect(recorder.exchanges.length).toBeGreaterThan(0);
  for (const exchange of recorder.exchanges) {
    expect(exchange.url.origin).toBe(BASE_URL);
    expect(exchange.headers.api_access_token).toBe(TOKEN);
    expect(exchange.headers.authorization).toBeUndefined();
  }
  expect(findings(recorder.exchanges, knownChatwootClientDeviation)).toEqual([]);
}

// ── tests ────────────────────────────────────────────────────────────────────

describe('the Chatwoot client against the published Chatwoot API (application_swagger.json)', () => {
  test('whoAmI reads the role of the configured account from GET /profile: administrator → admin', async () => {
    const { api, recorder } = setup();
    expect(await api.whoAmI()).toEqual({
      userName: 'Ana Admin',
      userEmail: 'ana@aurora.example',
      role: 'admin',
      roleSource: 'platform',
      accountId: String(ACCOUNT_ID),
      accountName: 'Loja Aurora',
    });
    expect(recorder.operations()).toEqual(['fetchProfile']);
    expect(recorder.exchanges[0]?.url.pathname).toBe('/api/v1/profile');
    expectConformant(recorder);
  });

  test('whoAmI: an agent in the configured account is an agent, whatever the top-level role says', async () => {
    const profile = user('administrator', [
      { id: 3, name: 'Outra Loja', role: 'administrator' },
      { id: ACCOUNT_ID, name: 'Loja Aurora', role: 'agent' },
    ]);
    const { api, recorder } = setup({ profile });
    expect(await api.whoAmI()).toMatchObject({ role: 'agent', roleSource: 'platform', accountName: 'Loja Aurora' });
    expectConformant(recorder);
  });

  test('whoAmI: a token whose user is not in the configured account is refused as account_not_found', async () => {
    const { api, recorder } = setup({ profile: user('administrator', [{ id: 3, name: 'Outra Loja', role: 'administrator' }]) });
    await expect(api.whoAmI()).rejects.toMatchObject({ code: 'account_not_found' });
    expectConformant(recorder);
  });

  test('getContact maps contact_list_item: blocked → blocked, archived flag at or after the last activity → archived, otherwise active', async () => {
    const { api, recorder } = setup();
    expect(await api.getContact('101')).toEqual({
      id: '101',
      name: 'Mariana Souza',
      phone: '+5511987654321',
      email: 'mariana.souza@correio.example',
      status: 'active',
    });
    expect(await api.getContact('102')).toEqual({ id: '102', name: 'Empréstimo Fácil', phone: '+5511900000009', email: undefined, status: 'blocked' });
    expect((await api.getContact('103')).status).toBe('archived');
    expect((await api.getContact('105')).status).toBe('archived'); // archived_at == last_activity_at
    expect((await api.getContact('106')).status).toBe('active'); // a time stamp without the flag
    expect(recorder.operations()).toEqual(Array(5).fill('contactDetails'));
    expectConformant(recorder);
  });

  test('a contact who wrote after being archived reads as active, and the client clears the archive with a valid update', async () => {
    const { api, server, recorder } = setup();
    expect(await api.getContact('104')).toEqual({
      id: '104',
      name: 'Jean Dupont',
      phone: '+33612345678',
      email: 'jean.dupont@courriel.example',
      status: 'active',
    });
    expect(recorder.operations()).toEqual(['contactDetails', 'contactUpdate']);
    expect(recorder.exchanges[1]?.body).toEqual({ custom_attributes: { inbox_guard_archived: false, inbox_guard_archived_at: null } });
    expect(server.contacts.get(104)?.custom_attributes).toEqual({ inbox_guard_archived: false, inbox_guard_archived_at: null });
    expectConformant(recorder);
  });

  test('contactOfConversation takes the contact from conversation_show meta.sender', async () => {
    const { api, recorder } = setup();
    expect(await api.contactOfConversation('201')).toEqual({
      id: '101',
      name: 'Mariana Souza',
      phone: '+5511987654321',
      email: 'mariana.souza@correio.example',
      status: 'active',
    });
    // A sender without e-mail (left out, as the schema has no null) and blocked.
    expect(await api.contactOfConversation('204')).toMatchObject({ id: '102', email: undefined, status: 'blocked' });
    expect(await api.contactOfConversation('205')).toMatchObject({ id: '103', status: 'archived' });
    expect(recorder.operations()).toEqual(Array(3).fill('get-details-of-a-conversation'));
    expectConformant(recorder);
  });

  test('findByPhone sends contactSearch with the E.164 number and keeps only exact phone matches', async () => {
    const { api, recorder } = setup();
    expect((await api.findByPhone('+5511987654321')).map((found) => found.id)).toEqual(['101']);
    expect(await api.findByPhone('+5511911112222')).toEqual([]);
    expect(recorder.operations()).toEqual(['contactSearch', 'contactSearch']);
    expect(recorder.exchanges[0]?.url.searchParams.get('q')).toBe('+5511987654321');
    expectConformant(recorder);
  });

  test('findByEmail sends contactSearch and keeps only the same address, case aside', async () => {
    const { api, recorder } = setup();
    // 107's address contains 101's: the search finds both, the client keeps 101.
    expect((await api.findByEmail(' Mariana.Souza@Correio.example ')).map((found) => found.id)).toEqual(['101']);
    expect(recorder.exchanges[0]?.url.searchParams.get('q')).toBe('Mariana.Souza@Correio.example');
    expectConformant(recorder);
  });

  test('search sends contactSearch (q, page) and returns every contact of the page, whatever their status', async () => {
    const { api, recorder } = setup();
    const found = await api.search('  souza ');
    expect(found.map((item) => [item.id, item.status])).toEqual([
      ['101', 'active'],
      ['107', 'active'],
    ]);
    expect(Object.fromEntries(recorder.exchanges[0]!.url.searchParams)).toEqual({ q: 'souza', page: '1' });
    expectConformant(recorder);
  });

  test('listByStatus("blocked") sends contactFilter on blocked and pages by 15 (hasMore, total from meta.count)', async () => {
    const { api, recorder } = setup({ extraBlocked: 15 });
    const first = await api.listByStatus('blocked', 1);
    expect(first.items).toHaveLength(15);
    expect(first.items.every((item) => item.status === 'blocked')).toBe(true);
    expect(first).toMatchObject({ hasMore: true, total: 16 });
    const second = await api.listByStatus('blocked', 2);
    expect(second).toMatchObject({ hasMore: false, total: 16 });
    expect(second.items).toHaveLength(1);
    expect(recorder.operations()).toEqual(['contactFilter', 'contactFilter']);
    expect(recorder.exchanges.map((exchange) => exchange.url.searchParams.get('page'))).toEqual(['1', '2']);
    expect(recorder.exchanges[0]?.body).toMatchObject({ payload: [{ attribute_key: 'blocked', filter_operator: 'equal_to', query_operator: null }] });
    expectConformant(recorder);
  });

  test('listByStatus("archived") filters on the archive flag and drops contacts who wrote since', async () => {
    const { api, recorder } = setup();
    const archived = await api.listByStatus('archived', 1);
    // 104 matches the filter but wrote after its archive: active, so not listed.
    expect(archived.items.map((item) => [item.id, item.status])).toEqual([
      ['103', 'archived'],
      ['105', 'archived'],
    ]);
    expect(archived).toMatchObject({ hasMore: false, total: 3 });
    expect(recorder.exchanges[0]?.body).toMatchObject({
      payload: [
        { attribute_key: 'inbox_guard_archived', filter_operator: 'equal_to', query_operator: 'AND' },
        { attribute_key: 'blocked', filter_operator: 'equal_to', query_operator: null },
      ],
    });
    expectConformant(recorder);
  });

  test('setStatus("blocked") updates blocked: true, then resolves the open and pending conversations only', async () => {
    const { api, server, recorder } = setup();
    expect(await api.setStatus('101', 'blocked')).toMatchObject({ id: '101', status: 'blocked' });
    expect(recorder.operations()).toEqual(['contactUpdate', 'contactConversations', 'toggle-status-of-a-conversation', 'toggle-status-of-a-conversation']);
    expect(recorder.exchanges[0]?.body).toEqual({ blocked: true });
    expect(server.toggled).toEqual([
      { id: 201, status: 'resolved' },
      { id: 202, status: 'resolved' },
    ]);
    expectConformant(recorder);
  });

  test('setStatus("archived") reads the contact first, stamps the archive at now, then resolves open conversations', async () => {
    const { api, server, recorder } = setup();
    expect(await api.setStatus('104', 'archived')).toMatchObject({ id: '104', status: 'archived' });
    expect(recorder.operations()).toEqual(['contactDetails', 'contactUpdate', 'contactConversations', 'toggle-status-of-a-conversation']);
    expect(recorder.exchanges[1]?.body).toEqual({ blocked: false, custom_attributes: { inbox_guard_archived: true, inbox_guard_archived_at: NOW } });
    expect(server.toggled).toEqual([{ id: 206, status: 'resolved' }]);
    expectConformant(recorder);
  });

  test('setStatus("archived") never stamps earlier than the contact\'s last activity (a server clock ahead of ours)', async () => {
    const { api, recorder } = setup({ now: 1_600_000_000 });
    expect(await api.setStatus('101', 'archived')).toMatchObject({ status: 'archived' });
    expect(recorder.exchanges[1]?.body).toEqual({ blocked: false, custom_attributes: { inbox_guard_archived: true, inbox_guard_archived_at: 1_700_000_000 } });
    expectConformant(recorder);
  });

  test('setStatus("active") unblocks and clears the archive, and touches no conversation', async () => {
    const { api, server, recorder } = setup();
    expect(await api.setStatus('102', 'active')).toMatchObject({ id: '102', status: 'active' });
    expect(await api.setStatus('103', 'active')).toMatchObject({ id: '103', status: 'active' });
    expect(recorder.operations()).toEqual(['contactUpdate', 'contactUpdate']);
    expect(recorder.exchanges[0]?.body).toEqual({ blocked: false, custom_attributes: { inbox_guard_archived: false, inbox_guard_archived_at: null } });
    expect(server.toggled).toEqual([]);
    expectConformant(recorder);
  });

  test('an update answered 204 with no body, as the spec documents it, makes the client read the contact back', async () => {
    const { api, recorder } = setup({ updateAnswers: 204 });
    expect(await api.setStatus('101', 'blocked')).toMatchObject({ id: '101', status: 'blocked' });
    expect(recorder.operations().slice(0, 2)).toEqual(['contactUpdate', 'contactDetails']);
    expect(recorder.exchanges[0]?.status).toBe(204);
    expectConformant(recorder);
  });

  test('finishStatus resolves the open conversations for blocked and archived, and sends nothing for active', async () => {
    const { api, server, recorder } = setup();
    await api.finishStatus('101', 'archived');
    await api.finishStatus('104', 'blocked');
    await api.finishStatus('101', 'active');
    expect(recorder.operations()).toEqual([
      'contactConversations',
      'toggle-status-of-a-conversation',
      'toggle-status-of-a-conversation',
      'contactConversations',
      'toggle-status-of-a-conversation',
    ]);
    expect(server.toggled.map((entry) => entry.id)).toEqual([201, 202, 206]);
    expectConformant(recorder);
  });

  test('closeConversation sends toggle_status with status "resolved"', async () => {
    const { api, server, recorder } = setup();
    await api.closeConversation('201');
    expect(recorder.operations()).toEqual(['toggle-status-of-a-conversation']);
    expect(recorder.exchanges[0]?.body).toEqual({ status: 'resolved' });
    expect(server.conversations.get(201)?.status).toBe('resolved');
    expectConformant(recorder);
  });

  test('an id that is not a Chatwoot id is refused before any request goes out', async () => {
    const { api, recorder } = setup();
    await expect(api.getContact('../profile')).rejects.toBeInstanceOf(IgError);
    await expect(api.closeConversation('12?x=1')).rejects.toMatchObject({ code: 'not_found' });
    expect(recorder.calls()).toBe(0);
  });

  test('every PlatformApi method, driven once, sends only requests that match the published API', async () => {
    const { api, recorder } = setup({ extraBlocked: 15 });
    const drive: Record<keyof PlatformApi, () => Promise<unknown>> = {
      whoAmI: () => api.whoAmI(),
      getContact: () => api.getContact('104'),
      contactOfConversation: () => api.contactOfConversation('201'),
      findByPhone: () => api.findByPhone('+5511987654321'),
      findByEmail: () => api.findByEmail('renata.campos@correio.example'),
      search: () => api.search('Mariana'),
      listByStatus: async () => [await api.listByStatus('blocked', 1), await api.listByStatus('archived', 1)],
      setStatus: async () => [await api.setStatus('101', 'blocked'), await api.setStatus('105', 'archived'), await api.setStatus('101', 'active')],
      finishStatus: () => api.finishStatus('104', 'archived'),
      closeConversation: () => api.closeConversation('202'),
      conversationsOf: () => api.conversationsOf('101'),
    };
    // A new method on the interface must be driven here too.
    expect(Object.keys(api).sort()).toEqual(Object.keys(drive).sort());
    for (const run of Object.values(drive)) await run();

    expect(new Set(recorder.operations())).toEqual(
      new Set([
        'fetchProfile',
        'contactDetails',
        'contactUpdate',
        'get-details-of-a-conversation',
        'contactSearch',
        'contactFilter',
        'contactConversations',
        'toggle-status-of-a-conversation',
      ]),
    );
    expectConformant(recorder);
  });

  test('no request of the client is excused from the spec', () => {
    expect(KNOWN_CHATWOOT_CLIENT_DEVIATIONS).toEqual([]);
  });
});

describe('the Chatwoot contract check itself', () => {
  const check = (method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) =>
    checker.checkRequest({
      method,
      url: new URL(path, BASE_URL),
      headers: { api_access_token: TOKEN, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body,
    });

  test('accepts a request the spec allows', () => {
    expect(check('POST', `/api/v1/accounts/${ACCOUNT_ID}/conversations/201/toggle_status`, { body: { status: 'resolved' } })).toEqual({
      operationId: 'toggle-status-of-a-conversation',
      findings: [],
    });
  });

  test.each([
    ['an unknown path', 'GET', '/api/v1/accounts/7/contacts/101/notes', {}, '(route)'],
    ['a method the path does not have', 'PATCH', '/api/v1/accounts/7/conversations/201/toggle_status', { body: { status: 'resolved' } }, '(route)'],
    ['a non-numeric account id', 'GET', '/api/v1/accounts/aurora/contacts/101', {}, '/path/account_id'],
    ['a non-numeric contact id', 'GET', '/api/v1/accounts/7/contacts/abc', {}, '/path/id'],
    ['a query parameter the operation does not declare', 'GET', '/api/v1/accounts/7/contacts/search?q=ana&per_page=50', {}, '/query'],
    ['a sort the enum does not allow', 'GET', '/api/v1/accounts/7/contacts/search?q=ana&sort=created_at', {}, '/query/sort'],
    ['a status toggle_status does not know', 'POST', '/api/v1/accounts/7/conversations/201/toggle_status', { body: { status: 'closed' } }, '/requestBody/status'],
    ['a toggle_status without its required body', 'POST', '/api/v1/accounts/7/conversations/201/toggle_status', {}, '/requestBody'],
    ['blocked as a string', 'PUT', '/api/v1/accounts/7/contacts/101', { body: { blocked: 'yes' } }, '/requestBody/blocked'],
    ['a filter operator outside the enum', 'POST', '/api/v1/accounts/7/contacts/filter', { body: { payload: [{ attribute_key: 'name', filter_operator: 'is', values: ['x'], query_operator: null }] } }, '/requestBody/payload/0/filter_operator'],
    ['Authorization: Bearer instead of api_access_token', 'GET', '/api/v1/profile', { headers: { api_access_token: '', authorization: `Bearer ${TOKEN}` } }, '(security)'],
  ])('rejects %s', (_what, method, path, init, at) => {
    const result = check(method, path, init as { headers?: Record<string, string>; body?: unknown });
    expect(result.findings.map((finding) => finding.at)).toContain(at);
  });

  test('rejects answers that break the response schemas (and a 204 with a body)', () => {
    expect(checker.checkResponse('contactDetails', 200, { payload: { id: '101', blocked: 'no' } }).map((finding) => finding.at)).toEqual([
      '/payload/id',
      '/payload/blocked',
    ]);
    expect(checker.checkResponse('contactSearch', 200, { meta: { count: 1, current_page: 1 }, payload: [] }).map((finding) => finding.at)).toEqual([
      '/meta/current_page',
    ]);
    expect(checker.checkResponse('fetchProfile', 200, { accounts: [{ id: 7, role: 'owner' }] }).map((finding) => finding.at)).toEqual([
      '/accounts/0/role',
    ]);
    expect(checker.checkResponse('contactUpdate', 204, { payload: {} })).toHaveLength(1);
    expect(checker.checkResponse('fetchProfile', 201, {})).toHaveLength(1);
  });
});
