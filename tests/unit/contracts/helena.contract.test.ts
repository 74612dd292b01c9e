// @vitest-environment node
/**
 * The Helena client (lib/platforms/helena/api.ts) against the contract documented in
 * ../shared/contracts/helena/FACTS.md. Helena publishes no machine-readable spec, so the
 * endpoints the client uses are encoded as a table (HELENA_CONTRACT in ./helpers.ts, one row per
 * endpoint, each citing its FACTS.md section) and checked with the same machinery as Chatwoot's
 * OpenAPI document: method + path template, path/query parameters, `Authorization: Bearer`
 * (§2), and the JSON bodies (`fields` must name "Status" when `status` is sent, status enum,
 * filter keys, pageSize ≤ 100, phone lookups in digits only).
 *
 * The client is driven through every PlatformApi method against an in-memory Helena whose
 * answers are shaped per FACTS.md (PublicContactDTO, the paging envelope, PublicSessionDTOV2,
 * the bare agent array) and checked against the table's response schemas.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createHelenaApi } from '@/lib/platforms/helena/api';
import type { PlatformApi } from '@/lib/platforms/types';
import { ContractChecker, HELENA_CONTRACT, HELENA_FACTS_PATH, findings, helenaSpec, recordingFetch, type Answer, type Exchange, type Recorder } from './helpers';

const TOKEN = 'pn_7Qe2xLm9Rt4vB8nC1kZs';
const BASE_URL = 'https://api.helena.run';
const COMPANY = '0c6a2d39-5a43-4d1e-9a57-64f4a0b1c2d3';

// ── payloads, shaped per FACTS.md ───────────────────────────────────────────

type Status = 'ACTIVE' | 'ARCHIVED' | 'BLOCKED';

/** PublicContactDTO (FACTS.md §3). */
function contactDto(id: string, name: string, fields: { phone?: string; email?: string; status?: Status; nameWhatsapp?: string } = {}) {
  return {
    id,
    createdAt: '2026-10-02T14:21:08.000Z',
    updatedAt: '2026-11-20T09:12:44.000Z',
    importedAt: null,
    companyId: COMPANY,
    name,
    nameWhatsapp: fields.nameWhatsapp ?? name,
    nameInstagram: null,
    nameMessenger: null,
    // Stored as "+<country code>|<national number>" (§3, official webhook example).
    phoneNumber: fields.phone ?? null,
    phoneNumberFormatted: fields.phone ? '(11) 98765-4321' : null,
    email: fields.email ?? null,
    instagram: null,
    messengerId: null,
    annotation: null,
    tagIds: [],
    tagNames: [],
    status: fields.status ?? 'ACTIVE',
    origin: 'CREATED_FROM_HUB',
    utm: null,
    customFields: {},
    metadata: {},
    portfolioIds: [],
    portfolioNames: [],
  };
}
type ContactDto = ReturnType<typeof contactDto>;

const SEED: ContactDto[] = [
  contactDto('6f1e8a52-3c1b-4a7e-9d20-1b2c3d4e5f60', 'Mariana Souza', { phone: '+55|11987654321', email: 'mariana.souza@correio.example' }),
  contactDto('7a2b9c63-4d2c-4b8f-8e31-2c3d4e5f6071', 'Empréstimo Fácil', { phone: '+55|11900000009', status: 'BLOCKED' }),
  contactDto('8b3cad74-5e3d-4c90-9f42-3d4e5f607182', 'Renata Campos', { phone: '+55|11955554444', email: 'renata.campos@correio.example', status: 'ARCHIVED' }),
  // No name: the WhatsApp name stands in (§3 nameWhatsapp).
  contactDto('9c4dbe85-6f4e-4da1-a053-4e5f60718293', '', { phone: '+33|612345678', email: 'jean.dupont@courriel.example', nameWhatsapp: 'Jean D.' }),
  // Same e-mail in another case, archived: findByEmail must find it whatever its status.
  contactDto('ad5ecf96-7a5f-4eb2-b164-5f60718293a4', 'Mariana S. (loja 2)', { email: 'MARIANA.SOUZA@correio.example', status: 'ARCHIVED' }),
];

/** PublicSessionDTOV2 (FACTS.md §5). */
function sessionDto(id: string, contactId: string, status: 'IN_PROGRESS' | 'COMPLETED') {
  return {
    id,
    companyId: COMPANY,
    contactId,
    channelId: 'c3f1d2e4-1111-4a2b-8c3d-000000000001',
    departmentId: null,
    userId: 'e1a2b3c4-2222-4d5e-8f60-000000000002',
    number: '20261120-0042',
    status,
    startAt: '2026-11-20T09:00:00.000Z',
    endAt: status === 'COMPLETED' ? '2026-11-20T09:30:00.000Z' : null,
    lastMessageText: 'Olá, meu pedido ainda não chegou',
    unreadCount: 1,
    windowStatus: 'ACTIVE',
    channelType: 'CLOUDAPI_WHATSAPP',
    type: 'INDIVIDUAL',
    utm: null,
    metadata: {},
  };
}

/** PublicAgentDTO (FACTS.md §6). */
function agentDto(n: number, name: string, email: string, profile: 'Admin' | 'Agent' | 'RestrictedAgent', isOwner = false) {
  return {
    id: `a0000000-0000-4000-8000-00000000000${n}`,
    userId: `b0000000-0000-4000-8000-00000000000${n}`,
    companyId: COMPANY,
    name,
    shortName: name.split(' ')[0],
    email,
    phoneNumber: null,
    phoneNumberFormatted: null,
    profile,
    isOwner,
    departments: [{ departmentId: 'd0000000-0000-4000-8000-000000000001', isAgent: true, isSupervisor: profile === 'Admin' }],
    availability: 'AVAILABLE',
  };
}

const AGENTS = [
  agentDto(1, 'Olivia Owner', 'olivia@aurora.example', 'Admin', true),
  agentDto(2, 'Ana Admin', 'ana@aurora.example', 'Admin'),
  agentDto(3, 'Pedro Agent', 'pedro@aurora.example', 'Agent'),
  agentDto(4, 'Rita Restrita', 'rita@aurora.example', 'RestrictedAgent'),
];

// ── an in-memory Helena ─────────────────────────────────────────────────────

function fakeHelena(options: { extraBlocked?: number } = {}) {
  const contacts = new Map(SEED.map((dto) => [dto.id, structuredClone(dto)]));
  for (let i = 0; i < (options.extraBlocked ?? 0); i += 1) {
    const id = `f0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    contacts.set(id, contactDto(id, `Spam ${i}`, { phone: `+55|119${80_000_000 + i}`, status: 'BLOCKED' }));
  }
  const sessions = new Map([
    ['5e55a001-0000-4000-8000-000000000001', sessionDto('5e55a001-0000-4000-8000-000000000001', SEED[0]!.id, 'IN_PROGRESS')],
    ['5e55a001-0000-4000-8000-000000000002', sessionDto('5e55a001-0000-4000-8000-000000000002', SEED[3]!.id, 'IN_PROGRESS')],
  ]);
  // "Not found" is HTTP 500 FORM_ERROR (FACTS.md §8, 3P).
  const notFound = (what: string): Answer => ({
    status: 500,
    body: { error: true, key: 'FORM_ERROR', text: `${what} not found`, httpStatusCode: 'INTERNALSERVERERROR' },
  });
  const digits = (raw: string | null) => (raw ?? '').replace(/\D/g, '');

  const answer = (exchange: Exchange): Answer => {
    const segments = exchange.url.pathname.split('/');
    const body = (exchange.body ?? {}) as Record<string, unknown>;
    switch (exchange.operationId) {
      case 'get_v1-agent':
        return { status: 200, body: AGENTS };
      case 'get_v1-contact-id': {
        const dto = contacts.get(segments[4]!);
        return dto ? { status: 200, body: dto } : notFound('Contact');
      }
      case 'get_v1-contact-phonenumber-phone': {
        const dto = [...contacts.values()].find((candidate) => digits(candidate.phoneNumber) === segments[5]);
        return dto ? { status: 200, body: dto } : notFound('Contact');
      }
      case 'post_v1-contact-filter': {
        const status = (body.status as Status | undefined) ?? 'ACTIVE'; // §4: default ACTIVE
        const text = String(body.textFilter ?? '').toLowerCase();
        const email = String(body.email ?? '').toLowerCase();
        const hits = [...contacts.values()].filter(
          (dto) =>
            dto.status === status &&
            (!email || (dto.email ?? '').toLowerCase().includes(email)) &&
            (!text || [dto.name, dto.email, digits(dto.phoneNumber)].some((value) => (value ?? '').toLowerCase().includes(text))),
        );
        const pageNumber = Number(body.pageNumber ?? 1);
        const pageSize = Number(body.pageSize ?? 15);
        const totalPages = Math.ceil(hits.length / pageSize);
        return {
          status: 200,
          // The paging envelope (§4).
          body: {
            pageNumber,
            pageSize,
            orderBy: 'CreatedAt',
            orderDirection: 'ASCENDING',
            totalPages,
            totalItems: hits.length,
            hasMorePages: pageNumber < totalPages,
            items: hits.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
          },
        };
      }
      case 'put_v2-contact-id': {
        const dto = contacts.get(segments[4]!);
        if (!dto) return notFound('Contact');
        // Attributes not named in `fields` are ignored (§4).
        if ((body.fields as string[]).includes('Status')) dto.status = body.status as Status;
        return { status: 200, body: dto };
      }
      case 'get_v2-session-id': {
        const session = sessions.get(segments[4]!);
        return session ? { status: 200, body: session } : notFound('Session');
      }
      case 'get_v1-session': {
        const contactId = exchange.url.searchParams.get('ContactId');
        const items = [...sessions.values()].filter((session) => !contactId || session.contactId === contactId);
        return { status: 200, body: { pageNumber: 1, pageSize: 100, totalPages: 1, totalItems: items.length, hasMorePages: false, items } };
      }
      case 'put_v1-session-id-complete': {
        const session = sessions.get(segments[4]!);
        if (!session) return notFound('Session');
        session.status = 'COMPLETED';
        return { status: 200, body: session };
      }
      default:
        return { status: 404 };
    }
  };
  return { contacts, sessions, answer };
}

// ── harness ──────────────────────────────────────────────────────────────────

let checker: ContractChecker;
beforeAll(async () => {
  checker = await ContractChecker.create('helena/FACTS.md', helenaSpec());
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function setup(options: { agentEmail?: string; extraBlocked?: number } = {}) {
  vi.stubGlobal('fetch', () => {
    throw new Error('the client used the global fetch');
  });
  const server = fakeHelena(options);
  const recorder = recordingFetch(checker, server.answer);
  const api = createHelenaApi({
    baseUrl: BASE_URL,
    fetch: recorder.fetch,
    getToken: async () => TOKEN,
    agentEmail: 'agentEmail' in options ? options.agentEmail : 'ana@aurora.example',
  });
  return { api, server, recorder };
}

function expectConformant(recorder: Recorder) {
  expect(recorder.exchanges.length).toBe(recorder.calls());
  expect(recorder.exchanges.length).toBeGreaterThan(0);
  for (const exchange of recorder.exchanges) {
    expect(exchange.url.origin).toBe(BASE_URL);
    expect(exchange.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(exchange.headers.api_access_token).toBeUndefined();
  }
  expect(findings(recorder.exchanges)).toEqual([]);
}

const [MARIANA, EMPRESTIMO, RENATA, JEAN, MARIANA_2] = SEED.map((dto) => dto.id) as [string, string, string, string, string];
const OPEN_SESSION = '5e55a001-0000-4000-8000-000000000001';

// ── tests ────────────────────────────────────────────────────────────────────

describe('the Helena client against the contract in helena/FACTS.md', () => {
  test('every row of the contract table quotes FACTS.md and cites a section that exists there', () => {
    const facts = readFileSync(HELENA_FACTS_PATH, 'utf8');
    for (const row of HELENA_CONTRACT) {
      expect(facts, row.operationId).toContain(row.quote);
      for (const section of row.facts.match(/§\d+/g) ?? []) {
        expect(facts, `${row.operationId} cites ${section}`).toMatch(new RegExp(`^## ${section.slice(1)}\\. `, 'm'));
      }
    }
  });

  test.each([
    ['olivia@aurora.example', 'owner', 'Olivia Owner'],
    ['ana@aurora.example', 'admin', 'Ana Admin'],
    ['Pedro@Aurora.example', 'agent', 'Pedro Agent'],
    ['rita@aurora.example', 'agent', 'Rita Restrita'],
  ] as const)('whoAmI finds %s in the bare agent array: role %s from profile/isOwner', async (agentEmail, role, userName) => {
    const { api, recorder } = setup({ agentEmail });
    expect(await api.whoAmI()).toEqual({ userName, userEmail: agentEmail.toLowerCase(), role, roleSource: 'platform', accountId: COMPANY });
    expect(recorder.operations()).toEqual(['get_v1-agent']);
    expectConformant(recorder);
  });

  test('whoAmI with an e-mail no agent has: least privilege (agent), said to be assumed', async () => {
    const { api, recorder } = setup({ agentEmail: 'someone@else.example' });
    expect(await api.whoAmI()).toEqual({ userName: 'someone@else.example', role: 'agent', roleSource: 'assumed', accountId: COMPANY });
    expectConformant(recorder);
  });

  test('getContact maps PublicContactDTO: status, the "+55|…" phone as E.164, nameWhatsapp when there is no name', async () => {
    const { api, recorder } = setup();
    expect(await api.getContact(MARIANA)).toEqual({
      id: MARIANA,
      name: 'Mariana Souza',
      phone: '+5511987654321',
      email: 'mariana.souza@correio.example',
      status: 'active',
    });
    expect(await api.getContact(EMPRESTIMO)).toEqual({ id: EMPRESTIMO, name: 'Empréstimo Fácil', phone: '+5511900000009', email: undefined, status: 'blocked' });
    expect((await api.getContact(RENATA)).status).toBe('archived');
    expect(await api.getContact(JEAN)).toMatchObject({ name: 'Jean D.', phone: '+33612345678' });
    expect(recorder.operations()).toEqual(Array(4).fill('get_v1-contact-id'));
    expectConformant(recorder);
  });

  test('contactOfConversation reads the session (GET /chat/v2/session/{id}) and then its contactId', async () => {
    const { api, recorder } = setup();
    expect(await api.contactOfConversation(OPEN_SESSION)).toMatchObject({ id: MARIANA, status: 'active' });
    expect(recorder.operations()).toEqual(['get_v2-session-id', 'get_v1-contact-id']);
    expect(recorder.exchanges[1]?.url.pathname).toBe(`/core/v1/contact/${MARIANA}`);
    expectConformant(recorder);
  });

  test('findByPhone looks the number up in digits only, and "not found" (HTTP 500 FORM_ERROR) is no contact', async () => {
    const { api, recorder } = setup();
    expect((await api.findByPhone('+5511987654321')).map((found) => found.id)).toEqual([MARIANA]);
    expect((await api.findByPhone('+33612345678')).map((found) => found.id)).toEqual([JEAN]);
    expect(await api.findByPhone('+5511911112222')).toEqual([]);
    expect(recorder.exchanges.map((exchange) => exchange.url.pathname)).toEqual([
      '/core/v1/contact/phonenumber/5511987654321',
      '/core/v1/contact/phonenumber/33612345678',
      '/core/v1/contact/phonenumber/5511911112222',
    ]);
    expect(recorder.exchanges[2]?.status).toBe(500);
    expectConformant(recorder);
  });

  test('findByEmail filters by e-mail once per status (the filter answers one status at a time) and keeps the same address, case aside', async () => {
    const { api, recorder } = setup();
    const found = await api.findByEmail('mariana.souza@correio.example');
    expect(found.map((item) => [item.id, item.status]).sort()).toEqual([
      [MARIANA, 'active'],
      [MARIANA_2, 'archived'],
    ].sort());
    expect(recorder.operations()).toEqual(Array(3).fill('post_v1-contact-filter'));
    expect(recorder.exchanges.map((exchange) => exchange.body)).toEqual(
      ['ACTIVE', 'ARCHIVED', 'BLOCKED'].map((status) => ({ email: 'mariana.souza@correio.example', status, pageNumber: 1, pageSize: 100 })),
    );
    expectConformant(recorder);
  });

  test('search sends textFilter for every status and returns them all', async () => {
    const { api, recorder } = setup();
    const found = await api.search(' 55119 ');
    expect(found.map((item) => item.status).sort()).toEqual(['active', 'archived', 'blocked']);
    expect(recorder.exchanges.map((exchange) => (exchange.body as { textFilter: string }).textFilter)).toEqual(['55119', '55119', '55119']);
    expectConformant(recorder);
  });

  test('listByStatus pages the filter with status, pageNumber and pageSize 100; hasMorePages and totalItems come through', async () => {
    const { api, recorder } = setup({ extraBlocked: 100 });
    const first = await api.listByStatus('blocked', 1);
    expect(first.items).toHaveLength(100);
    expect(first).toMatchObject({ hasMore: true, total: 101 });
    const second = await api.listByStatus('blocked', 2);
    expect(second.items.map((item) => item.status)).toEqual(['blocked']);
    expect(second).toMatchObject({ hasMore: false, total: 101 });
    const archived = await api.listByStatus('archived', 1);
    expect(archived.items.map((item) => item.id)).toEqual([RENATA, MARIANA_2]);
    expect(recorder.exchanges.map((exchange) => exchange.body)).toEqual([
      { status: 'BLOCKED', pageNumber: 1, pageSize: 100 },
      { status: 'BLOCKED', pageNumber: 2, pageSize: 100 },
      { status: 'ARCHIVED', pageNumber: 1, pageSize: 100 },
    ]);
    expectConformant(recorder);
  });

  test.each([
    ['blocked', 'BLOCKED'],
    ['archived', 'ARCHIVED'],
    ['active', 'ACTIVE'],
  ] as const)('setStatus(%s) is one PUT /core/v2/contact/{id} naming "Status" in fields', async (status, wire) => {
    const { api, server, recorder } = setup();
    const contactId = status === 'active' ? EMPRESTIMO : MARIANA;
    expect(await api.setStatus(contactId, status)).toMatchObject({ id: contactId, status });
    expect(recorder.operations()).toEqual(['put_v2-contact-id']);
    expect(recorder.exchanges[0]?.body).toEqual({ fields: ['Status'], status: wire });
    expect(server.contacts.get(contactId)?.status).toBe(wire);
    expectConformant(recorder);
  });

  test('finishStatus sends nothing: Helena applies a status and closes sessions in one request', async () => {
    const { api, recorder } = setup();
    await api.finishStatus(MARIANA, 'blocked');
    await api.finishStatus(MARIANA, 'archived');
    await api.finishStatus(MARIANA, 'active');
    expect(recorder.calls()).toBe(0);
  });

  test('closeConversation completes the session with reactivateOnNewMessage false', async () => {
    const { api, server, recorder } = setup();
    await api.closeConversation(OPEN_SESSION);
    expect(recorder.operations()).toEqual(['put_v1-session-id-complete']);
    expect(recorder.exchanges[0]?.body).toEqual({ reactivateOnNewMessage: false, stopBotInExecution: true });
    expect(server.sessions.get(OPEN_SESSION)?.status).toBe('COMPLETED');
    expectConformant(recorder);
  });

  test('every PlatformApi method, driven once, sends only requests that match a row of the FACTS.md table', async () => {
    const { api, recorder } = setup();
    const drive: Record<keyof PlatformApi, () => Promise<unknown>> = {
      whoAmI: () => api.whoAmI(),
      getContact: () => api.getContact(RENATA),
      contactOfConversation: () => api.contactOfConversation(OPEN_SESSION),
      findByPhone: () => api.findByPhone('+5511955554444'),
      findByEmail: () => api.findByEmail('renata.campos@correio.example'),
      search: () => api.search('Souza'),
      listByStatus: async () => [await api.listByStatus('blocked', 1), await api.listByStatus('archived', 1)],
      setStatus: async () => [await api.setStatus(MARIANA, 'blocked'), await api.setStatus(MARIANA, 'archived'), await api.setStatus(MARIANA, 'active')],
      finishStatus: () => api.finishStatus(MARIANA, 'blocked'),
      closeConversation: () => api.closeConversation(OPEN_SESSION),
      conversationsOf: () => api.conversationsOf(MARIANA),
    };
    expect(Object.keys(api).sort()).toEqual(Object.keys(drive).sort());
    for (const run of Object.values(drive)) await run();
    // Every row of the table is used, and nothing outside it.
    expect(new Set(recorder.operations())).toEqual(new Set(HELENA_CONTRACT.map((row) => row.operationId)));
    expectConformant(recorder);
  });
});

describe('the Helena contract check itself', () => {
  const check = (method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) =>
    checker.checkRequest({
      method,
      url: new URL(path, BASE_URL),
      headers: { authorization: `Bearer ${TOKEN}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body: init.body,
    });

  test('accepts a request FACTS.md documents', () => {
    expect(check('PUT', `/core/v2/contact/${MARIANA}`, { body: { fields: ['Status'], status: 'BLOCKED' } })).toEqual({
      operationId: 'put_v2-contact-id',
      findings: [],
    });
  });

  test.each([
    ['a status without "Status" in fields (Helena would ignore it)', 'PUT', `/core/v2/contact/${MARIANA}`, { body: { fields: ['Name'], status: 'BLOCKED' } }, '/requestBody/fields'],
    ['a status outside ACTIVE|ARCHIVED|BLOCKED', 'PUT', `/core/v2/contact/${MARIANA}`, { body: { fields: ['Status'], status: 'DELETED' } }, '/requestBody/status'],
    ['an update without fields', 'PUT', `/core/v2/contact/${MARIANA}`, { body: { status: 'BLOCKED' } }, '/requestBody'],
    ['an update on a path FACTS.md does not document (PUT /core/v1/contact/{id})', 'PUT', `/core/v1/contact/${MARIANA}`, { body: { fields: ['Status'], status: 'BLOCKED' } }, '(route)'],
    ['a pageSize over 100', 'POST', '/core/v1/contact/filter', { body: { status: 'BLOCKED', pageNumber: 1, pageSize: 101 } }, '/requestBody/pageSize'],
    ['a filter key FACTS.md does not list', 'POST', '/core/v1/contact/filter', { body: { status: 'BLOCKED', Status: 'BLOCKED' } }, '/requestBody'],
    ['a phone lookup with + or the stored "|" form', 'GET', '/core/v1/contact/phonenumber/+55%7C11987654321', {}, '/path/phone'],
    ['an IncludeDetails value FACTS.md does not list', 'GET', `/core/v1/contact/${MARIANA}?IncludeDetails=Everything`, {}, '/query/IncludeDetails'],
    ['a query parameter FACTS.md does not list for the endpoint', 'GET', `/core/v1/contact/${MARIANA}?PageSize=500`, {}, '/query'],
    ['the raw token without Bearer', 'GET', '/core/v1/agent', { headers: { authorization: TOKEN } }, '(security)'],
    ['Chatwoot\'s header instead of Bearer', 'GET', '/core/v1/agent', { headers: { authorization: '', api_access_token: TOKEN } }, '(security)'],
  ])('rejects %s', (_what, method, path, init, at) => {
    const result = check(method, path, init as { headers?: Record<string, string>; body?: unknown });
    expect(result.findings.map((finding) => finding.at)).toContain(at);
  });

  test('rejects answers that FACTS.md rules out (a paged agent list, an unknown status, a page without hasMorePages)', () => {
    expect(checker.checkResponse('get_v1-agent', 200, { items: AGENTS, hasMorePages: false })).not.toEqual([]);
    expect(checker.checkResponse('get_v1-contact-id', 200, { ...SEED[0], status: 'DELETED' }).map((finding) => finding.at)).toEqual(['/status']);
    expect(checker.checkResponse('post_v1-contact-filter', 200, { items: [] }).map((finding) => finding.at)).toEqual(['(root)']);
  });
});
