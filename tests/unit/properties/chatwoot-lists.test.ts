// @vitest-environment node
/**
 * Properties: whatever a Chatwoot server answers to a search, a list or a status change, the
 * adapter gives valid data or an `IgError`; a status change succeeds only when the server said so.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ARCHIVED_AT, ARCHIVED_FLAG } from '@/lib/platforms/chatwoot/api';
import type { Contact, ContactStatus } from '@/lib/platforms/types';
import { answerProperties, run, RUNS, statusArg, TIMEOUT } from './adapter-properties';
import { chatwoot } from './chatwoot';
import { answers, badFailure, settle, type Exchange } from './responses';

const ok2xx = (exchange: Exchange | undefined) => !!exchange && exchange.status >= 200 && exchange.status < 300;

interface Dto {
  blocked?: unknown;
  custom_attributes?: Record<string, unknown> | null;
  last_activity_at?: unknown;
}

/** What the server's own answer says the contact is, read independently of the adapter. */
function serverSays(dto: Dto, status: ContactStatus): boolean {
  const archivedFlag = dto.custom_attributes?.[ARCHIVED_FLAG] === true;
  const at = dto.custom_attributes?.[ARCHIVED_AT];
  const wroteSince = typeof dto.last_activity_at === 'number' && dto.last_activity_at > (typeof at === 'number' && at > 0 ? at : 0);
  if (status === 'blocked') return dto.blocked === true;
  if (dto.blocked) return false;
  return status === 'archived' ? archivedFlag && !wroteSince : !archivedFlag || wroteSince;
}

const setStatusCase = fc.tuple(answers(chatwoot.data, 6), fc.constantFrom('5', '42'), statusArg);

describe('Chatwoot adapter, searches, lists and status changes: any answer gives valid data or an IgError', () => {
  answerProperties(chatwoot, ['findByEmail', 'search', 'listByStatus', 'setStatus']);

  test('setStatus reports success only when the server answered 2xx with the contact in that very status', async () => {
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(setStatusCase, async ([specs, id, status]) => {
        const { api, exchanges, harnessOk } = run(chatwoot, specs);
        const outcome = await settle(() => api.setStatus(id, status));
        harnessOk();
        if (!outcome.ok) {
          expect(badFailure(outcome.error)).toBeNull();
          return;
        }
        successes += 1;
        expect((outcome.value as Contact).status).toBe(status);
        const update = exchanges.find((exchange) => exchange.method === 'PUT' && exchange.path.endsWith(`/contacts/${id}`));
        expect(ok2xx(update)).toBe(true);
        // The contact as the server last described it: the PUT's answer, or the read after a 204.
        const reads = exchanges.filter((exchange) => /\/contacts\/\d+$/.test(exchange.path) && exchanges.indexOf(exchange) >= exchanges.indexOf(update!));
        const last = reads.findLast((exchange) => (exchange.body as { payload?: unknown } | undefined)?.payload !== undefined);
        expect(ok2xx(last)).toBe(true);
        expect(serverSays((last!.body as { payload: Dto }).payload, status)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(successes).toBeGreaterThan(RUNS / 100);
  }, TIMEOUT);

  test('setStatus to blocked or archived reports success only when the server resolved every open conversation', async () => {
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(setStatusCase, async ([specs, id, status]) => {
        const { api, exchanges, harnessOk } = run(chatwoot, specs);
        const outcome = await settle(() => api.setStatus(id, status));
        harnessOk();
        if (!outcome.ok || status === 'active') return;
        successes += 1;
        const list = exchanges.find((exchange) => exchange.method === 'GET' && exchange.path.endsWith(`/contacts/${id}/conversations`));
        expect(ok2xx(list)).toBe(true);
        const open = (list!.body as { payload: { id: number; status: string }[] }).payload.filter(
          (conversation) => ['open', 'pending', 'snoozed'].includes(conversation.status),
        );
        const toggles = exchanges.filter((exchange) => exchange.path.endsWith('/toggle_status'));
        expect(toggles.map((exchange) => exchange.path)).toEqual(open.map((conversation) => `/api/v1/accounts/7/conversations/${conversation.id}/toggle_status`));
        for (const toggle of toggles) {
          expect(ok2xx(toggle)).toBe(true);
          expect((toggle.body as { payload: { success: unknown } }).payload.success).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
    expect(successes).toBeGreaterThan(RUNS / 200);
  }, TIMEOUT);
});
