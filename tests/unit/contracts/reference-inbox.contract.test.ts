// @vitest-environment node
/**
 * Keeps the reference inbox honest: the same request checks as the contract tests with fake
 * servers (./chatwoot.contract.test.ts, ./helena.contract.test.ts), but the requests go over
 * real HTTP to the reference inbox (tests/reference-inbox/) in each API style, through the real
 * `fetch` wrapped by the recorder. Its Chatwoot-style answers are checked against the
 * published spec's response schemas, its Helena-style answers against the FACTS.md table.
 *
 * The reference inbox follows upstream Chatwoot where the spec is looser than the server
 * (tests/reference-inbox/README.md, "Decided differently from the spec"). Those differences are
 * listed below one by one, each with its reason; anything else fails, and a tolerance that is
 * no longer needed fails too.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { createChatwootApi } from '@/lib/platforms/chatwoot/api';
import { createHelenaApi } from '@/lib/platforms/helena/api';
import type { PlatformApi } from '@/lib/platforms/types';
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server';
import {
  ContractChecker,
  findings,
  helenaSpec,
  knownChatwootClientDeviation,
  loadChatwootSpec,
  recordingFetch,
  valueAt,
  type Exchange,
  type Finding,
  type Recorder,
} from './helpers';

type Role = 'owner' | 'admin' | 'manager' | 'agent';

/** Where the reference inbox's Chatwoot-style answers differ from application_swagger.json, and why that is fine. */
interface Tolerance {
  operations: string[];
  at: RegExp;
  message: RegExp;
  /** The value the answer holds there. */
  value: (value: unknown) => boolean;
  why: string;
}

const CONVERSATION_OPS = ['get-details-of-a-conversation', 'contactConversations'];
/** A conversation in conversation_show (at the root) or in contact_conversations_response (`/payload/N`). */
const conversation = (rest: string) => new RegExp(`^(/payload/\\d+)?${rest}$`);
const message = '/(messages/\\d+|last_non_activity_message)';
const isNull = (value: unknown) => value === null;

const CHATWOOT_TOLERANCES: Tolerance[] = [
  {
    operations: ['fetchProfile'],
    at: /^\/inviter_id$/,
    message: /^must be number/,
    value: isNull,
    why: 'user.inviter_id is `number` without `nullable`; a user nobody invited has none, and upstream writes null.',
  },
  {
    operations: CONVERSATION_OPS,
    at: conversation('/(snoozed_until|priority|sla_policy_id)'),
    message: /^must be (number|string)/,
    value: isNull,
    why: 'conversation.snoozed_until / priority / sla_policy_id have no `nullable` in the spec; unset, upstream writes null.',
  },
  {
    operations: CONVERSATION_OPS,
    at: conversation('/meta/sender/(email|phone_number|identifier|last_activity_at)'),
    message: /^must be (string|number)/,
    value: isNull,
    why:
      'the inline meta.sender schema of conversation_show has no `nullable`, while the same contact fields are nullable ' +
      'in contact_list_item (#/components/schemas/contact_list_item/properties/email …); a contact without them gets null.',
  },
  {
    operations: CONVERSATION_OPS,
    at: conversation('/meta/assignee'),
    message: /^must be object/,
    value: isNull,
    why: 'meta.assignee is `$ref user` without `nullable`; an unassigned conversation has none (null).',
  },
  {
    operations: CONVERSATION_OPS,
    at: conversation(`${message}/source_id`),
    message: /^must be string/,
    value: isNull,
    why: 'message.source_id has no `nullable`; a message with no channel id (an agent\'s reply) has null.',
  },
  {
    operations: CONVERSATION_OPS,
    at: conversation(`${message}/updated_at`),
    message: /^must be integer/,
    value: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
    why:
      'message.updated_at is an integer in the spec; the reference inbox writes an ISO time, as upstream Message#push_event_data ' +
      'does (it converts only created_at to epoch seconds). Unverified against a live server.',
  },
  {
    operations: CONVERSATION_OPS,
    at: conversation(`${message}/sender_type`),
    message: /^must be equal to one of the allowed values/,
    value: (value) => value === 'Contact' || value === 'User',
    why: 'reference-inbox README "Decided differently from the spec": sender_type is the Rails class name, not contact|agent|agent_bot.',
  },
  {
    operations: CONVERSATION_OPS,
    at: conversation('/timestamp'),
    message: /^must be string/,
    value: Number.isInteger,
    why: 'reference-inbox README "Decided differently from the spec": timestamp is an integer (upstream last_activity_at.to_i), not a string.',
  },
];

function tolerated(exchange: Exchange, finding: Finding): Tolerance | undefined {
  return CHATWOOT_TOLERANCES.find(
    (tolerance) =>
      tolerance.operations.includes(exchange.operationId ?? '') &&
      tolerance.at.test(finding.at) &&
      tolerance.message.test(finding.message) &&
      tolerance.value(valueAt(exchange.responseBody, finding.at)),
  );
}

const realFetch = globalThis.fetch;

afterEach(() => {
  vi.unstubAllGlobals();
});

function adapter(inbox: ReferenceInbox, recorder: Recorder, role: Role, now?: () => number): PlatformApi {
  const deps = { baseUrl: inbox.url, fetch: recorder.fetch, getToken: async () => inbox.tokens[role] };
  return inbox.style === 'helena'
    ? createHelenaApi({ ...deps, agentEmail: inbox.users[role].email })
    : createChatwootApi({ ...deps, accountId: String(inbox.accountId), now });
}

/** Every PlatformApi method, on every seeded contact and conversation where that widens what is seen. */
async function driveEverything(inbox: ReferenceInbox, recorder: Recorder) {
  const api = adapter(inbox, recorder, 'admin');
  const contacts = inbox.model.listContacts();
  const named = (name: string) => {
    const found = contacts.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no seeded contact ${name}`);
    return found;
  };
  const customer = named('Mariana Souza');
  const spammer = named('Promo Relâmpago');

  const drive: Record<keyof PlatformApi, () => Promise<unknown>> = {
    whoAmI: async () => Promise.all((['owner', 'admin', 'manager', 'agent'] as const).map((role) => adapter(inbox, recorder, role).whoAmI())),
    getContact: async () => {
      for (const contact of contacts) await api.getContact(String(contact.id));
    },
    contactOfConversation: async () => {
      for (const contact of contacts) {
        const latest = inbox.model.latestConversation(contact.id);
        if (latest) await api.contactOfConversation(String(latest.id));
      }
    },
    findByPhone: () => api.findByPhone(customer.phone),
    findByEmail: () => api.findByEmail(customer.email ?? ''),
    search: () => api.search('a'),
    listByStatus: async () => [await api.listByStatus('blocked', 1), await api.listByStatus('archived', 1)],
    setStatus: async () => {
      expect((await api.setStatus(String(spammer.id), 'blocked')).status).toBe('blocked');
      expect((await api.setStatus(String(customer.id), 'archived')).status).toBe('archived');
      expect((await api.setStatus(String(customer.id), 'active')).status).toBe('active');
      expect((await api.setStatus(String(spammer.id), 'active')).status).toBe('active');
    },
    finishStatus: () => api.finishStatus(String(customer.id), 'blocked'),
    closeConversation: async () => {
      const latest = inbox.model.latestConversation(spammer.id);
      if (!latest) throw new Error('the spammer has no conversation');
      await api.closeConversation(String(latest.id));
    },
    conversationsOf: async () => {
      const ids = await api.conversationsOf(String(spammer.id));
      expect(ids.sort()).toEqual(inbox.model.conversationsOf(String(spammer.id)).map((conversation) => String(conversation.id)).sort());
    },
  };
  expect(Object.keys(api).sort()).toEqual(Object.keys(drive).sort());
  for (const run of Object.values(drive)) await run();
}

describe.each(['chatwoot', 'helena'] as const)('the %s client against the reference inbox, over real HTTP', (style) => {
  let inbox: ReferenceInbox;
  let checker: ContractChecker;
  beforeAll(async () => {
    inbox = await startReferenceInbox({ style });
    checker = await ContractChecker.create(style, style === 'chatwoot' ? loadChatwootSpec() : helenaSpec());
  });
  afterAll(() => inbox.close());

  function record(): Recorder {
    inbox.control.reset();
    const recorder = recordingFetch(checker, (_exchange, input, init) => realFetch(input, init));
    // Only the recorder may reach the network.
    vi.stubGlobal('fetch', () => {
      throw new Error('the client used the global fetch');
    });
    return recorder;
  }

  /** What the reference inbox logged, as `METHOD /path?query`: the recorder must have seen exactly that. */
  const serverSaw = (since: number) => inbox.control.requests(since).map((entry) => `${entry.method} ${entry.path}${entry.query}`);
  const clientSent = (recorder: Recorder) => recorder.exchanges.map((exchange) => `${exchange.method} ${exchange.url.pathname}${exchange.url.search}`);

  test(
    style === 'chatwoot'
      ? 'every request the Chatwoot client sends to the reference inbox matches the published API'
      : 'every request the Helena client sends to the reference inbox matches a row of the FACTS.md table',
    async () => {
      const since = Date.now();
      const recorder = record();
      await driveEverything(inbox, recorder);

      expect(recorder.exchanges.length).toBe(recorder.calls());
      expect([...serverSaw(since)].sort()).toEqual([...clientSent(recorder)].sort());
      expect(recorder.exchanges.every((exchange) => exchange.status !== undefined && exchange.status < 400)).toBe(true);
      const requestFindings = findings(
        recorder.exchanges,
        (exchange, finding, side) => side === 'response' || knownChatwootClientDeviation(exchange, finding, side),
      );
      expect(requestFindings).toEqual([]);
    },
  );

  test(
    style === 'chatwoot'
      ? 'the reference inbox answers the Chatwoot client as the spec\'s response schemas say, apart from the listed upstream-faithful differences'
      : 'the reference inbox answers the Helena client with the shapes FACTS.md documents',
    async () => {
      const recorder = record();
      await driveEverything(inbox, recorder);
      const answerFindings = findings(
        recorder.exchanges,
        (exchange, finding, side) => side === 'request' || (style === 'chatwoot' && tolerated(exchange, finding) !== undefined),
      );
      expect(answerFindings).toEqual([]);

      if (style === 'chatwoot') {
        // A tolerance nobody needs any more goes.
        const used = new Set(
          recorder.exchanges.flatMap((exchange) => exchange.responseFindings.map((finding) => tolerated(exchange, finding)).filter(Boolean)),
        );
        expect(CHATWOOT_TOLERANCES.filter((tolerance) => !used.has(tolerance)).map((tolerance) => tolerance.why)).toEqual([]);
      }
    },
  );

  if (style === 'chatwoot') {
    test('an archived contact who writes again is read as active, and the archive is cleared with a valid update', async () => {
      const recorder = record();
      const customer = inbox.model.listContacts().find((candidate) => candidate.name === 'Mariana Souza')!;
      // Archive "a minute ago" in the client's clock, so the next message is after it.
      const api = adapter(inbox, recorder, 'agent', () => Math.floor(Date.now() / 1000) - 60);
      const lastActivity = inbox.model.contact(customer.id)?.lastActivityAt ?? 0;
      expect(lastActivity).toBeLessThan(Math.floor(Date.now() / 1000) - 60);
      expect((await api.setStatus(String(customer.id), 'archived')).status).toBe('archived');
      inbox.control.incoming({ contactId: customer.id, text: 'Oi, voltei!' });
      expect((await api.getContact(String(customer.id))).status).toBe('active');
      expect(recorder.operations().slice(-2)).toEqual(['contactDetails', 'contactUpdate']);
      expect(recorder.exchanges.at(-1)?.body).toEqual({ custom_attributes: { inbox_guard_archived: false, inbox_guard_archived_at: null } });
      expect(findings(recorder.exchanges, (exchange, finding, side) => (side === 'request' ? knownChatwootClientDeviation(exchange, finding, side) : tolerated(exchange, finding) !== undefined))).toEqual([]);
    });
  }
});
