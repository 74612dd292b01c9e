/**
 * The "any answer gives valid data or an IgError" property, once per adapter operation.
 * helena.ts and chatwoot.ts describe each adapter (its honest bodies, its arguments);
 * the *.test.ts files pick which operations they run, so each file stays short.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { z } from '@/lib/schema';
import { Contact, Identity, type ContactStatus, type PlatformApi } from '@/lib/platforms/types';
import { answers, badFailure, fetchFrom, settle, tally, type AnswerSpec, type Exchange } from './responses';

export const RUNS = 10_000;
export const TIMEOUT = 120_000;

export const ContactPage = z.object({ items: z.array(Contact), hasMore: z.boolean(), total: z.optional(z.number()) });
export const Contacts = z.array(Contact);

export type OperationName =
  | 'whoAmI'
  | 'getContact'
  | 'contactOfConversation'
  | 'findByPhone'
  | 'findByEmail'
  | 'search'
  | 'listByStatus'
  | 'setStatus';

export interface Operation {
  args: fc.Arbitrary<unknown[]>;
  call: (api: PlatformApi, args: unknown[]) => Promise<unknown>;
  schema: z.ZodMiniType;
}

export interface AdapterUnderTest<D> {
  name: string;
  data: fc.Arbitrary<D>;
  /** The body an honest server would send for this request, from the case's data. */
  validBody: (method: string, path: string, data: D) => unknown;
  create: (fetch: typeof globalThis.fetch) => PlatformApi;
  /** Arguments: ids the adapter accepts, and some it refuses before any request. */
  contactId: fc.Arbitrary<string>;
  conversationId: fc.Arbitrary<string>;
}

export const statusArg = fc.constantFrom<ContactStatus>('active', 'archived', 'blocked');

export function operations<D>(adapter: AdapterUnderTest<D>): Record<OperationName, Operation> {
  return {
    whoAmI: { args: fc.constant([]), call: (api) => api.whoAmI(), schema: Identity },
    getContact: { args: fc.tuple(adapter.contactId), call: (api, [id]) => api.getContact(id as string), schema: Contact },
    contactOfConversation: {
      args: fc.tuple(adapter.conversationId),
      call: (api, [id]) => api.contactOfConversation(id as string),
      schema: Contact,
    },
    findByPhone: {
      args: fc.tuple(fc.constantFrom('+5511987654321', '+12025550123')),
      call: (api, [e164]) => api.findByPhone(e164 as string),
      schema: Contacts,
    },
    findByEmail: {
      args: fc.tuple(fc.constantFrom('ana@x.example', ' Ana@X.example ')),
      call: (api, [email]) => api.findByEmail(email as string),
      schema: Contacts,
    },
    search: {
      args: fc.tuple(fc.constantFrom('ana', ' 11 98765 ', '')),
      call: (api, [q]) => api.search(q as string),
      schema: Contacts,
    },
    listByStatus: {
      args: fc.tuple(fc.constantFrom('blocked', 'archived'), fc.integer({ min: 1, max: 5 })),
      call: (api, [status, page]) => api.listByStatus(status as 'blocked' | 'archived', page as number),
      schema: ContactPage,
    },
    setStatus: {
      args: fc.tuple(adapter.contactId, statusArg),
      call: (api, [id, status]) => api.setStatus(id as string, status as ContactStatus),
      schema: Contact,
    },
  };
}

/** An adapter over a fetch that answers from `specs`; `harnessOk` throws this harness's own mistakes. */
export function run<D>(adapter: AdapterUnderTest<D>, specs: AnswerSpec<D>[]) {
  const fake = fetchFrom(specs, adapter.validBody);
  return {
    api: adapter.create(fake.fetch),
    exchanges: fake.exchanges as Exchange[],
    harnessOk() {
      if (fake.harnessErrors.length > 0) throw fake.harnessErrors[0];
    },
  };
}

const E164 = /^\+[1-9]\d{5,14}$/;

/** Every `phone` field in a result, at any depth (a contact, a page of contacts, a list). */
function phonesIn(value: unknown): (string | undefined)[] {
  if (Array.isArray(value)) return value.flatMap(phonesIn);
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = 'phone' in record ? [record.phone === undefined ? undefined : String(record.phone)] : [];
  return [...own, ...Object.values(record).flatMap(phonesIn)];
}

/** Declares, for each named operation, the property that any answer gives valid data or an IgError. */
export function answerProperties<D>(adapter: AdapterUnderTest<D>, names: OperationName[]) {
  const all = operations(adapter);
  for (const name of names) {
    const operation = all[name];
    test(`${name}: whatever the server answers, resolves with schema-valid data or rejects with a known IgError code, never anything else, never hangs`, async () => {
      const seen = tally();
      await fc.assert(
        fc.asyncProperty(answers(adapter.data), operation.args, async (specs, args) => {
          const { api, harnessOk } = run(adapter, specs);
          const outcome = await settle(() => operation.call(api, args));
          harnessOk();
          seen.add(outcome);
          if (outcome.ok) {
            const parsed = operation.schema.safeParse(outcome.value);
            if (!parsed.success) throw new Error(`invalid ${name} result: ${JSON.stringify(outcome.value)}`);
            // Whatever the platform wrote in a phone field, what reaches the store is E.164 or nothing.
            const odd = phonesIn(outcome.value).find((phone) => phone !== undefined && !E164.test(phone));
            if (odd !== undefined) throw new Error(`${name} passed on a phone that is not E.164: ${JSON.stringify(odd)}`);
          } else {
            const problem = badFailure(outcome.error);
            if (problem) throw new Error(problem);
          }
        }),
        { numRuns: RUNS },
      );
      if (process.env.PROPERTY_STATS) console.log(`${adapter.name} ${name}: ${seen}`);
      // The answers reach the success path often enough for the property to mean something.
      expect(seen.get('resolved')).toBeGreaterThan(RUNS / 50);
    }, TIMEOUT);
  }
}
