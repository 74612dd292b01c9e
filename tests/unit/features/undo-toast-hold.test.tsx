/**
 * The undo toast does not run out under a user who is on it: while its button has the keyboard
 * focus it stays, and once the focus leaves it goes within two seconds (WCAG 2.2.1). The pointer
 * (`:hover`) takes the same path; happy-dom has no pointer, the end-to-end tests hover for real.
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

test('focused, the toast outlasts its five seconds; once the focus leaves, it goes within two seconds', () => {
  const { store, toast } = showToast();
  advance(1_000);
  act(() => toast()!.querySelector('button')!.focus());
  advance(UNDO_MS * 3);
  expect(toast()).not.toBeNull();
  act(() => toast()!.querySelector('button')!.blur());
  advance(UNDO_AFTER_HOLD_MS + 100);
  expect(toast()).toBeNull();
  expect(store.get().undo).toBeNull();
});

test('left alone, it goes after five seconds', () => {
  const { toast } = showToast();
  advance(UNDO_MS - 100);
  expect(toast()).not.toBeNull();
  advance(200);
  expect(toast()).toBeNull();
});
