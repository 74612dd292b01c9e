/** The Helena adapter as the answer properties see it: honest bodies from generated data. */
import fc from 'fast-check';
import { createHelenaApi } from '@/lib/platforms/helena/api';
import type { AdapterUnderTest } from './adapter-properties';

export const AGENT_EMAIL = 'ana@x.example';

const text = (value: fc.Arbitrary<string>) => fc.option(value, { nil: null });
const phone = fc.oneof(
  fc.constantFrom('+55|11987654321', '+5511987654321', '5511987654321', '+55|', '|', '+1|2025550123', '00', '+999|1'),
  fc.string({ maxLength: 16 }),
);

const helenaContact = fc.record(
  {
    id: fc.oneof(fc.uuid(), fc.string({ maxLength: 6 })),
    name: text(fc.string({ maxLength: 8 })),
    nameWhatsapp: text(fc.string({ maxLength: 8 })),
    phoneNumber: text(phone),
    email: text(fc.constantFrom('ana@x.example', 'ANA@X.EXAMPLE', '', 'not an e-mail')),
    status: fc.constantFrom('ACTIVE', 'ARCHIVED', 'BLOCKED'),
    companyId: text(fc.constantFrom('c1', '')),
  },
  { requiredKeys: ['id', 'status'] },
);

const helenaAgent = fc.record(
  {
    id: fc.string({ maxLength: 6 }),
    userId: text(fc.string({ maxLength: 4 })),
    companyId: text(fc.constantFrom('c1', 'c2', '')),
    name: text(fc.string({ maxLength: 8 })),
    email: text(fc.constantFrom(AGENT_EMAIL, AGENT_EMAIL.toUpperCase(), 'bo@x.example', '')),
    profile: text(fc.constantFrom('Admin', 'Agent', 'RestrictedAgent', 'Supervisor')),
    isOwner: fc.option(fc.boolean(), { nil: null }),
  },
  { requiredKeys: ['id'] },
);

const data = fc.record({
  contacts: fc.array(helenaContact, { minLength: 1, maxLength: 3 }),
  agents: fc.array(helenaAgent, { maxLength: 3 }),
  hasMorePages: fc.boolean(),
  totalItems: fc.nat({ max: 1_000 }),
  sessionStatus: text(fc.constantFrom('IN_PROGRESS', 'COMPLETED')),
});
export type HelenaData = typeof data extends fc.Arbitrary<infer D> ? D : never;

function validBody(_method: string, path: string, data: HelenaData): unknown {
  const contact = data.contacts[0]!;
  if (path === '/core/v1/agent') return data.agents;
  if (path === '/core/v1/contact/filter') {
    return { pageNumber: 1, pageSize: 100, totalItems: data.totalItems, totalPages: 1, hasMorePages: data.hasMorePages, items: data.contacts };
  }
  if (path.startsWith('/chat/v2/session/')) {
    return { id: decodeURIComponent(path.split('/').pop()!), contactId: contact.id, companyId: 'c1', status: data.sessionStatus };
  }
  if (path.startsWith('/core/')) return contact;
  return {};
}

export const helena: AdapterUnderTest<HelenaData> = {
  name: 'helena',
  data,
  validBody,
  create: (fetch) => createHelenaApi({ baseUrl: 'https://api.helena.run', fetch, getToken: async () => 'pn_x', agentEmail: AGENT_EMAIL }),
  contactId: fc.constantFrom('3f0c1a2b-1111-4222-8333-444455556666', 'abc', '../agent'),
  // Helena's sessions are uuids; anything else is refused before a request.
  conversationId: fc.constantFrom('5e55a001-0000-4000-8000-000000000001', '5E55A001-0000-4000-8000-00000000000A', 's-1', '42', '..'),
};
