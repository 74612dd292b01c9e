// @vitest-environment node
/**
 * Properties: whatever a Chatwoot server answers to a lookup, the adapter gives valid data or
 * an `IgError` — never a TypeError, never a hang, never a fourth status.
 */
import { describe, expect, test } from 'vitest';
import { answerProperties, run } from './adapter-properties';
import { chatwoot } from './chatwoot';

describe('Chatwoot adapter, lookups: any answer gives valid data or an IgError', () => {
  answerProperties(chatwoot, ['whoAmI', 'getContact', 'contactOfConversation', 'findByPhone']);

  test('a profile without the configured account is "account not found", not a crash', async () => {
    const { api } = run(chatwoot, [
      {
        status: 200,
        headers: [],
        body: { kind: 'valid', mutations: [] },
        networkError: false,
        data: {
          contacts: [{ id: 1 }],
          count: 0,
          currentPage: 1,
          conversations: [],
          toggle: { success: true, current_status: 'resolved' },
          profile: { id: 1, accounts: [{ id: 8, name: null, role: 'administrator' }] },
          conversationStatus: 'open',
        },
      },
    ]);
    await expect(api.whoAmI()).rejects.toMatchObject({ code: 'account_not_found' });
  });
});
