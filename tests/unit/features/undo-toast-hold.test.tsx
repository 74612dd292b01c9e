/**
 * The undo toast does not run out under a user who is on it: while it has the keyboard focus or
 * the pointer it stays, and once they leave it stays two seconds more (WCAG 2.2.1).
 */
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { TOAST_TAG, UNDO_AFTER_HOLD_MS, UNDO_MS, undoToast } from '@/lib/features/undo-toast';
import { featureContext, shadowOf } from '../helpers/overlay';

let controller: AbortController;

beforeEach(() => {
  controller = new AbortController();
  vi.useFakeTimers();
});

afterEach(() => {
  controller.abort();
  vi.useRealTimers();
});

function showToast() {
  const { ctx, store } = featureContext();
  act(() => void undoToast.init(ctx, controller.signal));
  act(() => store.set({ undo: { action: 'unblock', target: { contactId: 'k1', name: 'Promo' }, done: 'block', at: Date.now() } }));
  const toast = () => shadowOf(TOAST_TAG)!.querySelector<HTMLElement>('[data-testid="ig-undo"]');
  return { store, toast };
}

const advance = (ms: number) => act(() => void vi.advanceTimersByTime(ms));

test('focused, the toast outlasts its five seconds; after the focus leaves, two seconds more', () => {
  const { store, toast } = showToast();
  advance(1_000);
  act(() => toast()!.querySelector('button')!.dispatchEvent(new FocusEvent('focusin', { bubbles: true })));
  advance(UNDO_MS * 3);
  expect(toast()).not.toBeNull();
  act(() => toast()!.querySelector('button')!.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: null })));
  advance(UNDO_AFTER_HOLD_MS - 100);
  expect(toast()).not.toBeNull();
  advance(200);
  expect(toast()).toBeNull();
  expect(store.get().undo).toBeNull();
});

test('under the pointer, the toast stays; the pointer gone, it goes', () => {
  const { toast } = showToast();
  act(() => toast()!.dispatchEvent(new MouseEvent('mouseenter')));
  advance(UNDO_MS + 1_000);
  expect(toast()).not.toBeNull();
  act(() => toast()!.dispatchEvent(new MouseEvent('mouseleave')));
  advance(UNDO_AFTER_HOLD_MS + 100);
  expect(toast()).toBeNull();
});

test('left alone, it goes after five seconds', () => {
  const { toast } = showToast();
  advance(UNDO_MS - 100);
  expect(toast()).not.toBeNull();
  advance(200);
  expect(toast()).toBeNull();
});
