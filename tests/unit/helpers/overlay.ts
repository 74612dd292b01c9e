/** A feature context for unit tests: a fresh store, the reference profile, spies for actions. */
import { vi } from 'vitest';
import type { ConversationContext, OverlayState } from '@/lib/features/types';
import type { InboxEvent } from '@/lib/messaging';
import { referencePage } from '@/lib/platforms/reference/page';
import { createStore } from '@/lib/ui/store';

export function overlayState(patch: Partial<OverlayState> = {}): OverlayState {
  return {
    session: { active: true, platform: 'reference', role: 'admin', roleSource: 'platform', userName: 'Ana Admin' },
    conversationId: 'c1',
    contact: { id: 'k1', name: 'Promo Relâmpago', status: 'active', confirmed: 'active', statusSince: 0 },
    loading: false,
    error: null,
    pending: null,
    done: null,
    hiddenCount: 0,
    reveal: false,
    confirm: null,
    undo: null,
    notice: null,
    ...patch,
  };
}

export function featureContext(patch: Partial<OverlayState> = {}) {
  const store = createStore(overlayState(patch));
  const listeners = new Set<(event: InboxEvent) => void>();
  const ctx: ConversationContext = {
    profile: referencePage(),
    conversationId: 'c1',
    store,
    document,
    request: vi.fn((action, target) => {
      const contact = store.get().contact;
      const chosen = target ?? (contact ? { contactId: contact.id, name: contact.name } : undefined);
      if (chosen) store.set({ confirm: { action, target: chosen } });
    }),
    run: vi.fn(async () => undefined),
    refresh: vi.fn(async () => undefined),
    onEvent: (listener, signal) => {
      listeners.add(listener);
      signal.addEventListener('abort', () => listeners.delete(listener));
    },
  };
  return { ctx, store, emit: (event: InboxEvent) => listeners.forEach((listener) => listener(event)) };
}

/** The shadow root of an injected host. */
export const shadowOf = (tag: string) => document.querySelector(tag)?.shadowRoot ?? null;
