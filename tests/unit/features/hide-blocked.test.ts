import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hideBlocked, HIDDEN_ATTRIBUTE } from '@/lib/features/hide-blocked';
import type { ConversationContext, OverlayState } from '@/lib/features/types';
import { referencePage } from '@/lib/platforms/reference/page';
import { createStore } from '@/lib/ui/store';

const BLOCKED_AT = Date.parse('2026-11-21T10:00:00Z');
let controller: AbortController;
let store: ReturnType<typeof createStore<OverlayState>>;

function bubble(id: string, direction: 'in' | 'out', at: number, text: string): HTMLLIElement {
  const li = document.createElement('li');
  li.className = `ri-msg ri-msg--${direction}`;
  li.id = `msg-${id}`;
  li.innerHTML = `<div class="ri-msg__bubble"><p class="ri-msg__text">${text}</p><time class="ri-msg__time" datetime="${new Date(at).toISOString()}">10:00</time></div>`;
  return li;
}

const thread = () => document.querySelector('.ri-thread')!;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  document.body.innerHTML = '<main class="ri-chat"><ol class="ri-thread"></ol></main>';
  thread().append(bubble('1', 'in', BLOCKED_AT - 60_000, 'old spam'), bubble('2', 'out', BLOCKED_AT - 30_000, 'our reply'));
  store = createStore<OverlayState>({
    session: { active: true, role: 'admin' },
    conversationId: 'c1',
    contact: { id: 'k1', name: 'Spam', status: 'blocked', confirmed: 'blocked', statusSince: BLOCKED_AT, blockedAt: BLOCKED_AT },
    loading: false,
    error: null,
    pending: null,
    done: null,
  });
  controller = new AbortController();
  const ctx: ConversationContext = {
    profile: referencePage,
    conversationId: 'c1',
    store,
    document,
    run: async () => undefined,
    refresh: async () => undefined,
  };
  void hideBlocked.init(ctx, controller.signal);
});

afterEach(() => controller.abort());

describe('a blocked contact\'s new messages are not shown', () => {
  test('one stylesheet rule hides them, keyed on an attribute', () => {
    const style = document.getElementById('inbox-guard-hide');
    expect(style?.textContent).toBe(`[${HIDDEN_ATTRIBUTE}]{display:none!important}`);
  });

  test('a message arriving after the block is hidden; history before it is not', async () => {
    thread().append(bubble('3', 'in', BLOCKED_AT + 5_000, 'new spam'));
    await flush();
    expect(document.getElementById('msg-3')?.getAttribute(HIDDEN_ATTRIBUTE)).toBe('blocked');
    expect(document.getElementById('msg-1')?.hasAttribute(HIDDEN_ATTRIBUTE)).toBe(false);
  });

  test('our own outgoing messages are never hidden', async () => {
    thread().append(bubble('4', 'out', BLOCKED_AT + 5_000, 'agent note'));
    await flush();
    expect(document.getElementById('msg-4')?.hasAttribute(HIDDEN_ATTRIBUTE)).toBe(false);
  });

  test('unblocking shows them again (the attribute goes)', async () => {
    thread().append(bubble('5', 'in', BLOCKED_AT + 5_000, 'more spam'));
    await flush();
    store.set({ contact: { id: 'k1', name: 'Spam', status: 'active', confirmed: 'active', statusSince: BLOCKED_AT + 10_000 } });
    expect(document.getElementById('msg-5')?.hasAttribute(HIDDEN_ATTRIBUTE)).toBe(false);
    thread().append(bubble('6', 'in', BLOCKED_AT + 20_000, 'hello again'));
    await flush();
    expect(document.getElementById('msg-6')?.hasAttribute(HIDDEN_ATTRIBUTE)).toBe(false);
  });

  test('hiding never writes inline styles', async () => {
    thread().append(bubble('7', 'in', BLOCKED_AT + 5_000, 'spam'));
    await flush();
    expect(document.getElementById('msg-7')?.getAttribute('style')).toBeNull();
  });
});
