/**
 * Drains the outbox: one item at a time, in arrival order, through the rate-limited platform
 * client. Single-flight: calling `drain()` while it runs makes it look again when done.
 *
 * Exactly once: an item is marked "sending" before its request and settled in the same
 * transaction that records the contact. An item found "sending" that this worker is not
 * carrying was cut off by a stopped worker or browser: the platform is asked what the
 * contact's status is; if it already has the target, the item is settled without a second
 * request, otherwise it goes back in the queue.
 *
 * Errors: network, 408, 429 and 5xx are retried with backoff; a Retry-After holds every item of
 * that platform until then, not only the one told (and the rate limiter holds every request); 401, a
 * missing token or a revoked host permission pause the whole queue until the user acts; every
 * other refusal fails the item, which stays visible with the platform's message.
 */
import { IgError, type ErrorShape } from '../errors';
import type { Contact, PlatformApi } from '../platforms/types';
import { singleFlight } from '../single-flight';
import type { Scope } from '../store/contacts';
import type { Db, OutboxItem, StoredContact } from '../store/db';
import { DEFAULT_BACKOFF, retryDelay, type BackoffPolicy } from './backoff';
import { claim, fail, holdQueue, pauseAll, requeue, reschedule, scan, settleDone } from './queue';

/** `cancelled`: dropped unsent, because later actions on the contact undid it (see reschedule). */
export type Outcome = 'done' | 'retry' | 'failed' | 'paused' | 'cancelled';

export interface Settled {
  item: OutboxItem;
  outcome: Outcome;
  contact?: StoredContact;
  error?: ErrorShape;
}

export interface OutboxDeps {
  openDb(): Promise<Db>;
  /** The configured platform client and store scope, or null when it cannot be used now. */
  connect(): Promise<{ api: PlatformApi; scope: Scope } | null>;
  onSettled(event: Settled): void | Promise<void>;
  onPaused(error: ErrorShape): void | Promise<void>;
  /** Asks to be woken at `at` (ms) to try waiting items again. */
  wakeAt(at: number): void;
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
  log?: (message: string, detail?: unknown) => void;
}

const RETRYABLE = new Set(['network', 'server_error', 'rate_limited']);
const PAUSING = new Set(['unauthorized', 'no_token', 'permission_missing']);

export function createOutbox(deps: OutboxDeps) {
  const now = deps.now ?? Date.now;
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const carrying = new Set<number>();
  const waiters = new Map<number, Set<(outcome: Outcome) => void>>();

  const settle = async (event: Settled) => {
    // Tabs hear first; whoever waits for the item then answers with the same news.
    try {
      await deps.onSettled(event);
    } finally {
      for (const resolve of waiters.get(event.item.seq!) ?? []) resolve(event.outcome);
      waiters.delete(event.item.seq!);
    }
  };

  /** Handles a failed request; returns false when draining must stop (queue paused). */
  const onError = async (db: Db, item: OutboxItem, error: unknown): Promise<boolean> => {
    const igError = IgError.from(error);
    const shape = igError.toShape();
    if (PAUSING.has(igError.code)) {
      await pauseAll(db, shape);
      await settle({ item, outcome: 'paused', error: shape });
      await deps.onPaused(shape);
      return false;
    }
    if (RETRYABLE.has(igError.code)) {
      const at = now() + retryDelay(item.attempts, backoff, igError.retryAfterMs, deps.random);
      // The platform's Retry-After is for everyone: the whole queue of that platform waits, jobs
      // included (the rate limiter holds every other request until then too).
      if (igError.retryAfterMs !== undefined) await holdQueue(db, item, now() + igError.retryAfterMs);
      const dropped = await reschedule(db, item, shape, at, now());
      if (dropped.length > 0) {
        for (const gone of dropped) await settle({ item: gone, outcome: 'cancelled' });
        return true;
      }
      await settle({ item: { ...item, state: 'queued', nextAt: at, error: shape }, outcome: 'retry', error: shape });
      return true;
    }
    if (igError.code === 'internal') deps.log?.('outbox item failed', error);
    await fail(db, item, shape, now());
    await settle({ item: { ...item, state: 'failed', error: shape }, outcome: 'failed', error: shape });
    return true;
  };

  const recover = async (db: Db, api: PlatformApi, orphan: OutboxItem): Promise<boolean> => {
    carrying.add(orphan.seq!);
    try {
      const contact = await api.getContact(orphan.contactId);
      if (contact.status === orphan.target) {
        // Applied before the worker stopped: finish its side effects, never send it again.
        await api.finishStatus(orphan.contactId, orphan.target);
        const stored = await settleDone(db, orphan, contact, now());
        await settle({ item: orphan, outcome: 'done', contact: stored ?? undefined });
      } else {
        await requeue(db, orphan, now());
      }
      return true;
    } catch (error) {
      return onError(db, orphan, error);
    } finally {
      carrying.delete(orphan.seq!);
    }
  };

  const run = async () => {
    const db = await deps.openDb();
    for (;;) {
      const { due, wakeAt, orphans } = await scan(db, now(), carrying);
      if (!due && orphans.length === 0) {
        if (wakeAt !== undefined) deps.wakeAt(wakeAt);
        return;
      }
      const connection = await deps.connect();
      if (!connection) return;
      for (const orphan of orphans) {
        if (!(await recover(db, connection.api, orphan))) return;
      }
      if (!due) continue;
      const item = await claim(db, due.seq!, now());
      if (!item) continue;
      carrying.add(item.seq!);
      try {
        let contact: Contact;
        try {
          contact = await connection.api.setStatus(item.contactId, item.target);
        } catch (error) {
          if (!(await onError(db, item, error))) return;
          continue;
        }
        // Applied on the platform. If recording that fails (IndexedDB refused), the item stays
        // "sending" and the next drain recognises it as an orphan: it is never sent twice.
        const stored = await settleDone(db, item, contact, now());
        await settle({ item, outcome: 'done', contact: stored ?? undefined });
      } finally {
        carrying.delete(item.seq!);
      }
    }
  };

  // IndexedDB refused (an aborted transaction, storage pressure): nothing is lost, the item
  // keeps its last written state; look again shortly.
  const drainer = singleFlight(run, (error) => {
    deps.log?.('outbox drain stopped', error);
    deps.wakeAt(now() + 2_000);
  });

  return {
    /** Sends whatever is due; resolves when nothing more is due now. */
    drain: drainer.run,

    /** Resolves with the first outcome of item `seq`, or "timeout". */
    waitFor(seq: number, timeoutMs: number): Promise<Outcome | 'timeout'> {
      return new Promise((resolve) => {
        const listeners = waiters.get(seq) ?? new Set();
        const timer = setTimeout(() => {
          listeners.delete(done);
          resolve('timeout');
        }, timeoutMs);
        const done = (outcome: Outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        };
        listeners.add(done);
        waiters.set(seq, listeners);
      });
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
