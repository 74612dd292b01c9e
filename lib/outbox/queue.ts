/**
 * The outbox in IndexedDB: every status change is written here before any request, and each
 * step of its life is one transaction, so a service worker stopped at any moment leaves a
 * state the next start can finish from.
 *
 *   queued ──claim──▶ sending ──done──▶ (deleted; contact updated; activity "done")  [one tx]
 *                         (retryable, and later items undo it ──▶ all deleted, "discarded")
 *     ▲                 │ └──retryable──▶ queued (later)   └──401──▶ paused (all)
 *     └──── resume ◀── paused            └──permanent──▶ failed (activity "failed")
 *
 * Opposite actions on one contact coalesce while waiting: the new item replaces the waiting
 * ones and, if it would only restore the status the contact has (or will have once the item
 * in flight lands), nothing is sent at all.
 */
import type { ErrorShape } from '../errors';
import type { Contact, ContactStatus, Role } from '../platforms/types';
import { actionFor, targetStatus, type StatusAction } from '../roles';
import { putContact, type Scope } from '../store/contacts';
import type { ActivityEntry, Db, OutboxItem, StoredContact } from '../store/db';

export interface EnqueueInput {
  scope: Scope;
  contactId: string;
  contactName: string;
  conversationId?: string;
  action: StatusAction;
  /** The status the platform last confirmed for the contact. */
  confirmed: ContactStatus;
  by: { userName: string; role: Role };
  /** The bulk job or import (and its row) this action belongs to. */
  jobId?: string;
  jobItem?: number;
}

export type EnqueueResult =
  | { kind: 'queued'; item: OutboxItem; replaced: OutboxItem[] }
  | { kind: 'cancelled'; replaced: OutboxItem[] };

const contactKey = (item: { platform: string; account: string; contactId: string }): [string, string, string] => [
  item.platform,
  item.account,
  item.contactId,
];

function activity(item: OutboxItem, at: number, result: ActivityEntry['result'], error?: ErrorShape): ActivityEntry {
  return {
    at,
    platform: item.platform,
    account: item.account,
    contactId: item.contactId,
    contactName: item.contactName,
    action: item.action,
    by: item.by,
    result,
    ...(error ? { error } : {}),
    ...(item.jobId ? { jobId: item.jobId } : {}),
  };
}

export async function enqueue(db: Db, input: EnqueueInput, now: number): Promise<EnqueueResult> {
  const tx = db.transaction(['outbox', 'activity'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const mine = await outbox.index('byContact').getAll(contactKey({ ...input.scope, contactId: input.contactId }));
  const inFlight = mine.filter((item) => item.state === 'sending');
  const waiting = mine.filter((item) => item.state !== 'sending');
  const base = inFlight.at(-1)?.target ?? waiting[0]?.from ?? input.confirmed;
  for (const item of waiting) {
    await outbox.delete(item.seq!);
    await tx.objectStore('activity').add(activity(item, now, 'discarded'));
  }
  const target = targetStatus[input.action];
  // While the queue waits for the user (signed out), new work waits with it.
  const queuePaused = (await outbox.index('byState').count('paused')) > 0;
  if (target === base) {
    await tx.done;
    return { kind: 'cancelled', replaced: waiting };
  }
  const item: OutboxItem = {
    ...input.scope,
    contactId: input.contactId,
    contactName: input.contactName,
    ...(input.conversationId ? { conversationId: input.conversationId } : {}),
    action: actionFor(base, target) ?? input.action,
    from: base,
    target,
    state: queuePaused ? 'paused' : 'queued',
    attempts: 0,
    nextAt: now,
    createdAt: now,
    by: input.by,
    ...(input.jobId ? { jobId: input.jobId, jobItem: input.jobItem } : {}),
  };
  item.seq = await outbox.add(item);
  await tx.done;
  return { kind: 'queued', item, replaced: waiting };
}

export interface DueScan {
  /** The first item that may go now, in arrival order (one contact's items stay in order). */
  due?: OutboxItem;
  /** The earliest time a waiting item becomes due. */
  wakeAt?: number;
  /** Items marked "sending" that no request of this worker is carrying. */
  orphans: OutboxItem[];
}

export async function scan(db: Db, now: number, carrying: ReadonlySet<number>): Promise<DueScan> {
  const items = await db.getAll('outbox');
  const busy = new Set<string>();
  const result: DueScan = { orphans: [] };
  for (const item of items) {
    const key = contactKey(item).join('\u0000');
    if (item.state === 'sending') {
      if (!carrying.has(item.seq!)) result.orphans.push(item);
      busy.add(key);
      continue;
    }
    if (item.state !== 'queued') {
      busy.add(key);
      continue;
    }
    if (busy.has(key)) continue;
    busy.add(key);
    if (item.nextAt <= now) {
      result.due ??= item;
    } else {
      result.wakeAt = Math.min(result.wakeAt ?? Infinity, item.nextAt);
    }
  }
  return result;
}

/** Marks an item as on its way, if it still waits; the request is sent only after this. */
export async function claim(db: Db, seq: number, now: number): Promise<OutboxItem | null> {
  const tx = db.transaction('outbox', 'readwrite');
  const item = await tx.store.get(seq);
  if (!item || item.state !== 'queued') {
    await tx.done;
    return null;
  }
  const claimed: OutboxItem = { ...item, state: 'sending', sentAt: now, attempts: item.attempts + 1 };
  delete claimed.error;
  await tx.store.put(claimed);
  await tx.done;
  return claimed;
}

/** The platform applied it: delete the item, record the contact and the activity, together. */
export async function settleDone(db: Db, item: OutboxItem, contact: Contact, now: number): Promise<StoredContact | null> {
  const tx = db.transaction(['outbox', 'activity', 'contacts'], 'readwrite');
  const current = await tx.objectStore('outbox').get(item.seq!);
  if (!current) {
    await tx.done;
    return null;
  }
  await tx.objectStore('outbox').delete(item.seq!);
  await tx.objectStore('activity').add(activity(item, now, 'done'));
  const stored = await putContact(tx.objectStore('contacts'), { platform: item.platform, account: item.account }, contact, now);
  await tx.done;
  return stored;
}

/**
 * A retryable failure: back in the queue for later. If what was queued after it for the same
 * contact brings the contact back to where this item started (block, then unblock, while the
 * block could not get through), nothing needs sending at all: this item and those after it are
 * dropped in one transaction (activity "discarded") and returned.
 */
export async function reschedule(db: Db, item: OutboxItem, error: ErrorShape, nextAt: number, now: number): Promise<OutboxItem[]> {
  const tx = db.transaction(['outbox', 'activity'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const current = await outbox.get(item.seq!);
  if (!current) {
    await tx.done;
    return [];
  }
  const later = (await outbox.index('byContact').getAll(contactKey(current))).filter((other) => other.seq! > current.seq!);
  if (later.length > 0 && later.at(-1)!.target === current.from && later.every((other) => other.state === 'queued' || other.state === 'paused')) {
    const dropped = [current, ...later];
    for (const gone of dropped) {
      await outbox.delete(gone.seq!);
      await tx.objectStore('activity').add(activity(gone, now, 'discarded'));
    }
    await tx.done;
    return dropped;
  }
  await outbox.put({ ...current, state: 'queued', nextAt, error });
  await tx.done;
  return [];
}

/**
 * The platform said when to come back (Retry-After): every item of that platform waiting in the
 * queue waits until then too, not only the one that was told. Returns how many were moved.
 */
export async function holdQueue(db: Db, scope: Scope, until: number): Promise<number> {
  const tx = db.transaction('outbox', 'readwrite');
  let held = 0;
  for (const item of await tx.store.index('byState').getAll('queued')) {
    if (item.platform !== scope.platform || item.account !== scope.account || item.nextAt >= until) continue;
    await tx.store.put({ ...item, nextAt: until });
    held += 1;
  }
  await tx.done;
  return held;
}

/** Back in the queue untouched (an orphan the platform never applied). */
export async function requeue(db: Db, item: OutboxItem, now: number): Promise<void> {
  await update(db, item.seq!, (current) => ({ ...current, state: 'queued', nextAt: now }));
}

export async function fail(db: Db, item: OutboxItem, error: ErrorShape, now: number): Promise<void> {
  const tx = db.transaction(['outbox', 'activity'], 'readwrite');
  const current = await tx.objectStore('outbox').get(item.seq!);
  if (current) {
    await tx.objectStore('outbox').put({ ...current, state: 'failed', error });
    await tx.objectStore('activity').add(activity(current, now, 'failed', error));
  }
  await tx.done;
}

/** Sign-in lost (or access revoked): every waiting item waits for the user. */
export async function pauseAll(db: Db, error: ErrorShape): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  for (const item of await tx.store.getAll()) {
    if (item.state === 'queued' || item.state === 'sending') await tx.store.put({ ...item, state: 'paused', error });
  }
  await tx.done;
}

export async function resumeAll(db: Db, now: number): Promise<number> {
  const tx = db.transaction('outbox', 'readwrite');
  let resumed = 0;
  for (const item of await tx.store.getAll()) {
    if (item.state !== 'paused') continue;
    const next: OutboxItem = { ...item, state: 'queued', nextAt: now };
    delete next.error;
    await tx.store.put(next);
    resumed += 1;
  }
  await tx.done;
  return resumed;
}

/** The user asks a failed (or paused) item to be tried again now. */
export async function retry(db: Db, seq: number, now: number): Promise<OutboxItem | null> {
  const tx = db.transaction('outbox', 'readwrite');
  const item = await tx.store.get(seq);
  if (!item || (item.state !== 'failed' && item.state !== 'paused')) {
    await tx.done;
    return null;
  }
  const next: OutboxItem = { ...item, state: 'queued', nextAt: now };
  delete next.error;
  await tx.store.put(next);
  await tx.done;
  return next;
}

/** The user gives up on an item (a failed one, or one still waiting). */
export async function discard(db: Db, seq: number, now: number): Promise<OutboxItem | null> {
  const tx = db.transaction(['outbox', 'activity'], 'readwrite');
  const item = await tx.objectStore('outbox').get(seq);
  if (!item || item.state === 'sending') {
    await tx.done;
    return null;
  }
  await tx.objectStore('outbox').delete(seq);
  await tx.objectStore('activity').add(activity(item, now, 'discarded'));
  await tx.done;
  return item;
}

/** The latest item for a contact, if any: what the overlay shows as "pending". */
export async function pendingFor(db: Db, scope: Scope, contactId: string): Promise<OutboxItem | undefined> {
  return (await db.getAllFromIndex('outbox', 'byContact', contactKey({ ...scope, contactId }))).at(-1);
}

async function update(db: Db, seq: number, change: (item: OutboxItem) => OutboxItem): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  const item = await tx.store.get(seq);
  if (item) await tx.store.put(change(item));
  await tx.done;
}
