import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hideBlocked, HIDDEN_ATTRIBUTE } from '@/lib/features/hide-blocked';
import type { OverlayState } from '@/lib/features/types';
import type { createStore } from '@/lib/ui/store';
import { featureContext } from '../helpers/overlay';

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
  const made = featureContext({
    contact: { id: 'k1', name: 'Spam', status: 'blocked', confirmed: 'blocked', statusSince: BLOCKED_AT, blockedAt: BLOCKED_AT },
  });
  store = made.store;
  controller = new AbortController();
  const ctx = made.ctx;
  void hideBlocked.init(ctx, controller.signal);
});

afterEach(() => controller.abort());

describe('a blocked contact\'s new messages are not shown', () => {
  test('the count of hidden messages is kept for the pill and the toolbar', async () => {
    thread().append(bubble('8', 'in', BLOCKED_AT + 5_000, 'a'), bubble('9', 'in', BLOCKED_AT + 6_000, 'b'));
    await flush();
    expect(store.get().hiddenCount).toBe(2);
  });

  test('an admin can reveal them for moderation: one attribute on <html>', () => {
    store.set({ reveal: true });
    expect(document.documentElement.hasAttribute('data-ig-reveal')).toBe(true);
    store.set({ reveal: false });
    expect(document.documentElement.hasAttribute('data-ig-reveal')).toBe(false);
  });

  test('on a platform whose ids grow with time, "after the block" is after the last id shown then', async () => {
    store.set({
      contact: { id: 'k1', name: 'Spam', status: 'blocked', confirmed: 'blocked', statusSince: 0, blockedAt: Date.now(), blockedAfterOrder: 100 },
    });
    const old = bubble('99', 'in', Date.now() + 60_000, 'older, though its clock says later');
    const newer = bubble('101', 'in', 0, 'newer');
    thread().append(old, newer);
    await flush();
    expect(old.hasAttribute(HIDDEN_ATTRIBUTE)).toBe(false);
    expect(newer.getAttribute(HIDDEN_ATTRIBUTE)).toBe('blocked');
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
    expect(store.get().hiddenCount).toBe(0);
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
