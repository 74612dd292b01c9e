/** The Chatwoot adapter as the answer properties see it: honest bodies from generated data. */
import fc from 'fast-check';
import { ARCHIVED_AT, ARCHIVED_FLAG, createChatwootApi } from '@/lib/platforms/chatwoot/api';
import type { AdapterUnderTest } from './adapter-properties';

export const ACCOUNT_ID = 7;
export const NOW = 2_000;

const text = (value: fc.Arbitrary<string>) => fc.option(value, { nil: null });
const phone = fc.oneof(fc.constantFrom('+5511987654321', '+55 11 98765-4321', '+12025550123', '12345', ''), fc.string({ maxLength: 16 }));

const contact = fc.record(
  {
    id: fc.integer({ min: 1, max: 1_000_000 }),
    name: text(fc.string({ maxLength: 8 })),
    email: text(fc.constantFrom('ana@x.example', 'ANA@X.EXAMPLE', '', 'not an e-mail')),
    phone_number: text(phone),
    blocked: fc.option(fc.boolean(), { nil: null }),
    custom_attributes: fc.option(
      fc.record(
        {
          [ARCHIVED_FLAG]: fc.oneof(fc.boolean(), fc.constantFrom('true', 1, null)),
          [ARCHIVED_AT]: fc.oneof(fc.integer({ min: -5, max: 3_000 }), fc.constantFrom(null, '1000', 0.5)),
          other: fc.string({ maxLength: 4 }),
        },
        { requiredKeys: [] },
      ),
      { nil: null },
    ),
    last_activity_at: fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: null }),
  },
  { requiredKeys: ['id'] },
);

const data = fc.record({
  contacts: fc.array(contact, { minLength: 1, maxLength: 3 }),
  count: fc.nat({ max: 60 }),
  currentPage: fc.constantFrom<number | string>(1, '1', 2),
  conversations: fc.array(
    fc.record({ id: fc.integer({ min: 1, max: 1_000 }), status: fc.constantFrom('open', 'pending', 'resolved', 'snoozed') }),
    { maxLength: 3 },
  ),
  toggle: fc.record({
    // Mostly what an honest server answers to "resolve", sometimes a refusal.
    success: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    current_status: fc.constantFrom('resolved', 'resolved', 'open'),
  }),
  profile: fc.record(
    {
      id: fc.integer({ min: 1, max: 100 }),
      name: text(fc.string({ maxLength: 8 })),
      available_name: text(fc.string({ maxLength: 8 })),
      email: text(fc.constantFrom('ana@x.example', '')),
      accounts: fc.array(
        fc.record({
          id: fc.constantFrom(ACCOUNT_ID, 8),
          name: text(fc.string({ maxLength: 8 })),
          role: text(fc.constantFrom('administrator', 'agent', 'supervisor')),
        }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: ['id', 'accounts'] },
  ),
  conversationStatus: fc.constantFrom('open', 'resolved'),
});
export type ChatwootData = typeof data extends fc.Arbitrary<infer D> ? D : never;

const account = `/api/v1/accounts/${ACCOUNT_ID}`;

function validBody(_method: string, path: string, data: ChatwootData): unknown {
  const first = data.contacts[0];
  if (path === '/api/v1/profile') return data.profile;
  if (path === `${account}/contacts/search` || path === `${account}/contacts/filter`) {
    return { meta: { count: data.count, current_page: data.currentPage }, payload: data.contacts };
  }
  if (/\/contacts\/\d+\/conversations$/.test(path)) return { payload: data.conversations };
  if (/\/contacts\/\d+$/.test(path)) return { payload: first };
  const toggle = /\/conversations\/(\d+)\/toggle_status$/.exec(path);
  if (toggle) return { meta: {}, payload: { ...data.toggle, conversation_id: Number(toggle[1]) } };
  const conversation = /\/conversations\/(\d+)$/.exec(path);
  if (conversation) return { id: Number(conversation[1]), status: data.conversationStatus, meta: { sender: first } };
  return {};
}

export const chatwoot: AdapterUnderTest<ChatwootData> = {
  name: 'chatwoot',
  data,
  validBody,
  create: (fetch) =>
    createChatwootApi({ baseUrl: 'https://app.chatwoot.com', fetch, getToken: async () => 'cw_x', accountId: String(ACCOUNT_ID), now: () => NOW }),
  contactId: fc.constantFrom('5', '42', 'abc', '../profile'),
  conversationId: fc.constantFrom('9', '12', 'x'),
};
