// @vitest-environment node
/**
 * Properties: an id never becomes free text in a request's path. Whatever string the Helena or
 * Chatwoot adapter is handed as a contact or conversation id, it either refuses it before any
 * request (`not_found`: no contact has such an id) or sends it as one path segment of the
 * platform's own shape (uuid, digits); no segment of any request is empty, `.` or `..`, or
 * holds / ? # % or \. Ids from a page or a file (SAFE_ID, lib/page-messaging.ts) are never such
 * segments either.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { IgError } from '@/lib/errors';
import { createChatwootApi } from '@/lib/platforms/chatwoot/api';
import { createHelenaApi } from '@/lib/platforms/helena/api';
import { buildUrl } from '@/lib/platforms/http';
import { CHATWOOT_ID, HELENA_ID, SAFE_ID } from '@/lib/platforms/ids';
import type { PlatformApi } from '@/lib/platforms/types';

const RUNS = 2_000;

/** Strings made of what path syntax is made of, and of what ids are made of. */
const nasty = fc.oneof(
  fc.constantFrom('', '.', '..', '/', '%2e', '%2e%2e', '.%2E', '..%2f', '../agent', '5/../6', '5?x=1', '5#x', '5\\..', ' 5', '５', '3f0c1a2b-1111-4222-8333-444455556666/..'),
  fc.string({ unit: fc.constantFrom('.', '/', '?', '#', '%', '\\', '2', 'e', 'E', 'f', '5', '-', ' '), maxLength: 10 }),
  fc.string({ maxLength: 40 }),
  fc.uuid(),
  fc.stringMatching(/^\d{1,12}$/),
);

const ADAPTERS: { name: string; shape: RegExp; create(fetch: typeof globalThis.fetch): PlatformApi }[] = [
  {
    name: 'helena',
    shape: HELENA_ID,
    create: (fetch) => createHelenaApi({ baseUrl: 'https://api.helena.run', fetch, getToken: async () => 'pn_x' }),
  },
  {
    name: 'chatwoot',
    shape: CHATWOOT_ID,
    create: (fetch) => createChatwootApi({ baseUrl: 'https://app.chatwoot.com', fetch, getToken: async () => 'cw', accountId: '7', now: () => 1 }),
  },
];

/** Every adapter method that puts an id in a path. */
const CALLS: [string, (api: PlatformApi, id: string) => Promise<unknown>][] = [
  ['getContact', (api, id) => api.getContact(id)],
  ['contactOfConversation', (api, id) => api.contactOfConversation(id)],
  ['setStatus blocked', (api, id) => api.setStatus(id, 'blocked')],
  ['setStatus archived', (api, id) => api.setStatus(id, 'archived')],
  ['finishStatus', (api, id) => api.finishStatus(id, 'blocked')],
  ['closeConversation', (api, id) => api.closeConversation(id)],
  ['conversationsOf', (api, id) => api.conversationsOf(id)],
];

function unsafeSegment(segment: string): boolean {
  return segment === '' || segment === '.' || segment === '..' || /[/?#%\\]/.test(segment);
}

describe.each(ADAPTERS)('$name adapter: ids are the platform\'s shape, never free text in a path', ({ shape, create }) => {
  test.each(CALLS)('%s', async (_name, call) => {
    await fc.assert(
      fc.asyncProperty(nasty, async (id) => {
        const urls: URL[] = [];
        // Every request fails (404) after it is recorded: what matters is where it went.
        const fetch = (async (input: RequestInfo | URL) => {
          urls.push(new URL(String(input)));
          return new Response('{}', { status: 404 });
        }) as typeof globalThis.fetch;
        const outcome = await call(create(fetch), id).then(
          () => null,
          (error: unknown) => error,
        );
        expect(outcome === null || outcome instanceof IgError).toBe(true);
        for (const url of urls) expect(url.pathname.split('/').slice(1).some(unsafeSegment), url.pathname).toBe(false);
        if (!shape.test(id)) {
          expect(urls).toEqual([]);
          // Helena's finishStatus sends nothing whatever the id (Helena closes sessions itself).
          if (outcome !== null) expect(outcome).toMatchObject({ code: 'not_found' });
          return;
        }
        if (urls.length === 0) return;
        // The id went out whole: a path segment of its own, or a query value (Helena's ContactId).
        expect(urls.some((url) => url.pathname.split('/').includes(id) || [...url.searchParams.values()].includes(id))).toBe(true);
      }),
      { numRuns: RUNS / 10 },
    );
  });
});

describe('the last gate: a path the URL parser would change is never requested', () => {
  test.each(['/core/v1/contact/..', '/core/v1/contact/.', '/core/v1/contact/', '/core/v1/contact/%2e%2e', '/a/.%2E/b', '/a?b', '/a#b', '/a//b', '/a/%2F', '/a\\b', 'a', '/a b', '/é'])(
    '%j is refused before any request',
    (path) => {
      expect(() => buildUrl('https://api.helena.run', path)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    },
  );

  test('the paths the adapters build are taken as they are, under a base with a path too', () => {
    expect(buildUrl('https://x.example/base/', '/core/v1/contact/3f0c1a2b-1111-4222-8333-444455556666')).toBe(
      'https://x.example/base/core/v1/contact/3f0c1a2b-1111-4222-8333-444455556666',
    );
  });

  test('an id from a page or a file (SAFE_ID) is never a dot segment nor holds URL syntax', () => {
    fc.assert(
      fc.property(nasty, (value) => !SAFE_ID.test(value) || !unsafeSegment(value)),
      { numRuns: RUNS },
    );
    for (const value of ['.', '..', '', 'a/b', 'a?b', 'a#b', 'a%2e', 'a\\b', ' ']) expect(SAFE_ID.test(value), value).toBe(false);
  });
});
