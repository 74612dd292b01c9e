/**
 * The background service as the unit tests run it: real handlers over fake browser storage and
 * fake IndexedDB, the reference inbox as the platform, short retry delays, and every event it
 * would broadcast to the tabs kept in `events`.
 */
import { createService } from '@/lib/background/service';
import type { InboxEvent } from '@/lib/messaging';
import type { Settings } from '@/lib/settings';
import type { ReferenceInbox } from '../../reference-inbox/server';

export type Service = ReturnType<typeof createService>;

/** A service; its wake-ups go into `timers`, for the test's afterEach to clear. */
export function testService(timers: ReturnType<typeof setTimeout>[], fetchImpl: typeof fetch = fetch): { svc: Service; events: InboxEvent[] } {
  const events: InboxEvent[] = [];
  const svc = createService({
    fetch: fetchImpl,
    backoff: { baseMs: 5, capMs: 20 },
    broadcast: async (_settings, event) => {
      events.push(event);
    },
    // As the background does: try again when the outbox says an item is due.
    wake: (at) => void timers.push(setTimeout(() => void svc.drain(), Math.max(0, at - Date.now()))),
  });
  return { svc, events };
}

/** Saves the settings for `inbox` with the token of the demo user who has `role`. */
export async function configureFor(
  svc: Service,
  inbox: ReferenceInbox,
  role: 'admin' | 'agent',
  options: { remember?: boolean; token?: string } = {},
): Promise<void> {
  const settings: Settings = {
    platform: 'reference',
    apiStyle: inbox.style,
    serverUrl: inbox.url,
    accountId: String(inbox.accountId),
    agentEmail: inbox.users[role].email,
    rememberToken: options.remember ?? false,
  };
  await svc.handlers['settings.save']({ settings, token: options.token ?? inbox.tokens[role] }, {});
}

/** The status the platform holds for contact `id` (Chatwoot keeps "archived" in two custom attributes). */
export function platformStatus(inbox: ReferenceInbox, id: string | number): string | undefined {
  const contact = inbox.model.listContacts().find((candidate) => String(candidate.id) === String(id));
  if (!contact || inbox.style === 'helena' || contact.status === 'blocked') return contact?.status;
  const archivedAt = Number(contact.customAttributes.inbox_guard_archived_at ?? 0);
  return contact.customAttributes.inbox_guard_archived === true && !((contact.lastActivityAt ?? 0) > archivedAt) ? 'archived' : 'active';
}
