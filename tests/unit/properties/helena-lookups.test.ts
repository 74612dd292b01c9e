// @vitest-environment node
/**
 * Properties: whatever a Helena server answers to a lookup, the adapter gives valid data or an
 * `IgError` — never a TypeError, never a hang, never a fourth status.
 */
import { describe, expect, test } from 'vitest';
import { answerProperties, run } from './adapter-properties';
import { helena } from './helena';

const ID = '3f0c1a2b-1111-4222-8333-444455556666';

describe('Helena adapter, lookups: any answer gives valid data or an IgError', () => {
  answerProperties(helena, ['whoAmI', 'getContact', 'contactOfConversation', 'findByPhone']);

  test('a contact with every optional field missing still reads as one of the three statuses', async () => {
    const { api } = run(helena, [
      {
        status: 200,
        headers: [],
        body: { kind: 'valid', mutations: [] },
        networkError: false,
        data: { contacts: [{ id: ID, status: 'BLOCKED', phoneNumber: '+55|11987654321' }], agents: [], hasMorePages: false, totalItems: 0, sessionStatus: null },
      },
    ]);
    expect(await api.getContact(ID)).toEqual({ id: ID, name: '+5511987654321', phone: '+5511987654321', email: undefined, status: 'blocked' });
  });
});
