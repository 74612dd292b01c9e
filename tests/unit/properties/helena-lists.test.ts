// @vitest-environment node
/**
 * Properties: whatever a Helena server answers to a search, a list or a status change, the
 * adapter gives valid data or an `IgError`; a status change succeeds only when the server said so.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Contact } from '@/lib/platforms/types';
import { answerProperties, run, RUNS, statusArg, TIMEOUT } from './adapter-properties';
import { helena } from './helena';
import { answers, badFailure, settle, type Exchange } from './responses';

const HELENA_STATUS = { active: 'ACTIVE', archived: 'ARCHIVED', blocked: 'BLOCKED' } as const;

describe('Helena adapter, searches, lists and status changes: any answer gives valid data or an IgError', () => {
  answerProperties(helena, ['findByEmail', 'search', 'listByStatus', 'setStatus']);

  test('setStatus reports success only when the server answered 2xx with the contact in that very status', async () => {
    await fc.assert(
      fc.asyncProperty(answers(helena.data, 2), helena.contactId, statusArg, async (specs, id, status) => {
        const { api, exchanges, harnessOk } = run(helena, specs);
        const outcome = await settle(() => api.setStatus(id, status));
        harnessOk();
        if (!outcome.ok) {
          expect(badFailure(outcome.error)).toBeNull();
          return;
        }
        expect((outcome.value as Contact).status).toBe(status);
        const puts = exchanges.filter((exchange) => exchange.method === 'PUT' && exchange.path.startsWith('/core/v2/contact/'));
        expect(puts).toHaveLength(1);
        const [put] = puts as [Exchange];
        expect(put.status).toBeGreaterThanOrEqual(200);
        expect(put.status).toBeLessThan(300);
        expect((put.body as { status?: unknown }).status).toBe(HELENA_STATUS[status]);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
