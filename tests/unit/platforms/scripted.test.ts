// @vitest-environment node
/** Adapter edge cases no honest server produces on demand: malformed or odd answers. */
import { describe, expect, test } from 'vitest';
import { IgError } from '@/lib/errors';
import { createChatwootApi } from '@/lib/platforms/chatwoot/api';
import { createHelenaApi } from '@/lib/platforms/helena/api';
import { json, scriptedFetch } from '../helpers/fetch';

const contactId = '3f0c1a2b-1111-4222-8333-444455556666';

async function code(promise: Promise<unknown>) {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof IgError ? error.code : 'thrown';
  }
}

describe('Helena adapter', () => {
  const helena = (routes: Parameters<typeof scriptedFetch>[0]) => {
    const fake = scriptedFetch(routes);
    return { api: createHelenaApi({ baseUrl: 'https://api.wts.chat', fetch: fake.fetch, getToken: async () => 'pn_x', agentEmail: 'Ana@X.example' }), seen: fake.seen };
  };

  test('blocks with a Bearer token and `fields: ["Status"]`', async () => {
    const { api, seen } = helena({ [`PUT /core/v2/contact/${contactId}`]: json(200, { id: contactId, name: 'A', status: 'BLOCKED' }) });
    expect((await api.setStatus(contactId, 'blocked')).status).toBe('blocked');
    expect(seen[0]?.headers.authorization).toBe('Bearer pn_x');
    expect(seen[0]?.body).toEqual({ fields: ['Status'], status: 'BLOCKED' });
  });

  test('an agent is found by e-mail whatever its case; owner and profile give the role', async () => {
    const agents = [
      { id: 'a1', companyId: 'c1', name: 'Ana', email: 'ana@x.example', profile: 'Admin', isOwner: false },
      { id: 'a2', companyId: 'c1', name: 'Bo', email: 'bo@x.example', profile: 'Agent', isOwner: true },
    ];
    const { api } = helena({ 'GET /core/v1/agent': json(200, agents) });
    expect(await api.whoAmI()).toMatchObject({ userName: 'Ana', role: 'admin', roleSource: 'platform', accountId: 'c1' });
  });

  test('no agent with that e-mail: least privilege, said so', async () => {
    const fake = scriptedFetch({ 'GET /core/v1/agent': json(200, []) });
    const api = createHelenaApi({ baseUrl: 'https://api.wts.chat', fetch: fake.fetch, getToken: async () => 'pn_x' });
    expect(await api.whoAmI()).toMatchObject({ role: 'agent', roleSource: 'assumed' });
  });

  test('a token that may not list agents (403) is least privilege, said so; a refused token (401) is an error', async () => {
    const { api } = helena({ 'GET /core/v1/agent': json(403, { error: true, key: 'FORBIDDEN', text: 'No access' }) });
    expect(await api.whoAmI()).toMatchObject({ userName: 'Ana@X.example', role: 'agent', roleSource: 'assumed' });
    const refused = helena({ 'GET /core/v1/agent': json(401, { error: true, key: 'UNAUTHORIZED', text: 'Invalid token' }) });
    expect(await code(refused.api.whoAmI())).toBe('unauthorized');
  });

  test('"not found" sent as HTTP 500 FORM_ERROR is read as not found, not as an outage', async () => {
    const { api } = helena({ [`GET /core/v1/contact/${contactId}`]: json(500, { error: true, key: 'FORM_ERROR', text: 'Contact not found' }) });
    expect(await code(api.getContact(contactId))).toBe('not_found');
  });

  test('an error body with HTTP 200 is an error', async () => {
    const { api } = helena({ [`GET /core/v1/contact/${contactId}`]: json(200, { error: true, key: 'SOMETHING', text: 'Nope' }) });
    expect(await code(api.getContact(contactId))).toBe('rejected');
  });

  test('a malformed answer changes nothing and says so', async () => {
    const { api } = helena({
      [`GET /core/v1/contact/${contactId}`]: json(200, { id: contactId, status: 'FROZEN' }),
      'GET /core/v1/agent': new Response('<html>oops</html>', { status: 200 }),
    });
    expect(await code(api.getContact(contactId))).toBe('invalid_response');
    expect(await code(api.whoAmI())).toBe('invalid_response');
  });

  test('a server that does not apply the status is caught', async () => {
    const { api } = helena({ [`PUT /core/v2/contact/${contactId}`]: json(200, { id: contactId, status: 'ACTIVE' }) });
    expect(await code(api.setStatus(contactId, 'blocked'))).toBe('invalid_response');
  });

  test('no token at all: asks to sign in, sends nothing', async () => {
    const fake = scriptedFetch({});
    const api = createHelenaApi({ baseUrl: 'https://api.wts.chat', fetch: fake.fetch, getToken: async () => null });
    expect(await code(api.getContact(contactId))).toBe('no_token');
    expect(fake.seen).toHaveLength(0);
  });
});

describe('Chatwoot adapter', () => {
  const chatwoot = (routes: Parameters<typeof scriptedFetch>[0]) => {
    const fake = scriptedFetch(routes);
    return {
      api: createChatwootApi({ baseUrl: 'https://app.chatwoot.com', fetch: fake.fetch, getToken: async () => 'cw', accountId: '7', now: () => 1_000 }),
      seen: fake.seen,
    };
  };
  const contact = (patch: Record<string, unknown> = {}) => ({ id: 5, name: 'Spam', blocked: false, custom_attributes: {}, last_activity_at: 900, ...patch });

  test('blocks with api_access_token, then resolves the open conversations only', async () => {
    const { api, seen } = chatwoot({
      'PUT /api/v1/accounts/7/contacts/5': json(200, { payload: contact({ blocked: true }) }),
      'GET /api/v1/accounts/7/contacts/5/conversations': json(200, { payload: [{ id: 1, status: 'open' }, { id: 2, status: 'resolved' }, { id: 3, status: 'pending' }] }),
      'POST /api/v1/accounts/7/conversations/1/toggle_status': json(200, { meta: {}, payload: { success: true, current_status: 'resolved', conversation_id: 1 } }),
      'POST /api/v1/accounts/7/conversations/3/toggle_status': json(200, { meta: {}, payload: { success: true, current_status: 'resolved', conversation_id: 3 } }),
    });
    expect((await api.setStatus('5', 'blocked')).status).toBe('blocked');
    expect(seen[0]).toMatchObject({ method: 'PUT', body: { blocked: true } });
    expect(seen[0]?.headers.api_access_token).toBe('cw');
    expect(seen.filter((request) => request.url.pathname.endsWith('toggle_status')).map((request) => request.url.pathname)).toEqual([
      '/api/v1/accounts/7/conversations/1/toggle_status',
      '/api/v1/accounts/7/conversations/3/toggle_status',
    ]);
  });

  test('archive is a custom attribute never earlier than the contact\'s last activity', async () => {
    const { api, seen } = chatwoot({
      'GET /api/v1/accounts/7/contacts/5': json(200, { payload: contact({ last_activity_at: 1_500 }) }),
      'PUT /api/v1/accounts/7/contacts/5': json(200, { payload: contact({ last_activity_at: 1_500, custom_attributes: { inbox_guard_archived: true, inbox_guard_archived_at: 1_500 } }) }),
      'GET /api/v1/accounts/7/contacts/5/conversations': json(200, { payload: [] }),
    });
    expect((await api.setStatus('5', 'archived')).status).toBe('archived');
    expect(seen[1]?.body).toEqual({ blocked: false, custom_attributes: { inbox_guard_archived: true, inbox_guard_archived_at: 1_500 } });
  });

  test('the spec\'s 204 without a body is accepted (the contact is read back)', async () => {
    const { api } = chatwoot({
      'PUT /api/v1/accounts/7/contacts/5': new Response(null, { status: 204 }),
      'GET /api/v1/accounts/7/contacts/5': json(200, { payload: contact() }),
    });
    expect((await api.setStatus('5', 'active')).status).toBe('active');
  });

  test('a user who is not in the account is told so', async () => {
    const { api } = chatwoot({ 'GET /api/v1/profile': json(200, { id: 1, name: 'Ana', accounts: [{ id: 8, role: 'administrator' }] }) });
    expect(await code(api.whoAmI())).toBe('account_not_found');
  });

  test('a conversation id that is not a number never reaches the server', async () => {
    const { api, seen } = chatwoot({});
    expect(await code(api.contactOfConversation('../profile'))).toBe('not_found');
    expect(seen).toHaveLength(0);
  });

  test('a 422 carries the platform\'s own words', async () => {
    const { api } = chatwoot({ 'PUT /api/v1/accounts/7/contacts/5': json(422, { description: 'Contact is locked', errors: [] }) });
    const error = await api.setStatus('5', 'blocked').catch((e: IgError) => e);
    expect(error).toMatchObject({ code: 'rejected', detail: 'Contact is locked' });
  });
});
