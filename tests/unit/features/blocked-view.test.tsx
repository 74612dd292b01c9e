/**
 * The page's Blocked view: counted and listed from what the background answers (the blocked
 * list and the conversations it knows), never from the page's rows; while it is closed only
 * the count is asked; a row opens its conversation through the page's own navigation, and an
 * admin unblocks from there after the confirmation.
 */
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { blockedView, VIEW_TAG } from '@/lib/features/blocked-view';
import { featureContext, shadowOf } from '../helpers/overlay';

let controller: AbortController;
const flush = (ms = 0) => act(() => new Promise((resolve) => setTimeout(resolve, ms)));
const ROWS = [
  { contactId: 'k1', name: 'Empréstimo Fácil', pending: false, conversations: ['12', '9'] },
  { contactId: 'k2', name: 'Promo Relâmpago', pending: true, conversations: [] },
];

let asked: { offset: number; limit: number; withConversations: boolean }[];

beforeEach(() => {
  controller = new AbortController();
  asked = [];
  // The page's own list: one row, which says nothing about the blocked contacts.
  document.body.innerHTML = '<section><ul class="ri-list__items"><li class="ri-row"><span class="ri-row__name">Mariana</span></li></ul></section>';
  fakeBrowser.runtime.sendMessage = vi.fn(async (message: { type: string; payload: (typeof asked)[number] }) => {
    asked.push(message.payload);
    const rows = message.payload.withConversations ? ROWS : ROWS.slice(0, 1).map((row) => ({ ...row, conversations: [] }));
    return { ok: true, data: { total: 2, rows } };
  }) as unknown as typeof fakeBrowser.runtime.sendMessage;
});

afterEach(() => {
  controller.abort();
  document.documentElement.removeAttribute('data-ig-blocked-view');
});

const view = () => shadowOf(VIEW_TAG)!;
const toggle = () => view().querySelector<HTMLButtonElement>('[data-testid="ig-blocked-view"]')!;

test('the switch counts the blocked contacts the background knows, asking only the count while closed', async () => {
  const { ctx } = featureContext();
  await act(() => blockedView.init(ctx, controller.signal));
  await flush();
  expect(toggle().textContent).toBe('Blocked (2)');
  expect(toggle().getAttribute('aria-pressed')).toBe('false');
  expect(asked).toEqual([{ offset: 0, limit: 1, withConversations: false }]);
});

test('open, it takes the list\'s place with its rows; a row opens the newest conversation through the page\'s navigation', async () => {
  const { ctx } = featureContext();
  await act(() => blockedView.init(ctx, controller.signal));
  await flush();
  act(() => toggle().click());
  await flush();
  expect(document.documentElement.hasAttribute('data-ig-blocked-view')).toBe(true);
  expect(asked.at(-1)).toEqual({ offset: 0, limit: 25, withConversations: true });
  const rows = [...view().querySelectorAll('[data-testid="ig-blocked-view-row"]')];
  expect(rows.map((row) => row.querySelector('.ig-view-open')?.textContent)).toEqual(['Empréstimo Fácil', 'Promo Relâmpago']);
  // A contact whose conversations nobody knows is listed, without a link.
  expect(rows[1]!.querySelector<HTMLButtonElement>('.ig-view-open')!.disabled).toBe(true);
  expect(rows[1]!.textContent).toContain('not sent yet');

  const popped = vi.fn();
  window.addEventListener('popstate', popped, { once: true });
  act(() => rows[0]!.querySelector<HTMLButtonElement>('.ig-view-open')!.click());
  expect(location.pathname).toBe('/inbox/c/12');
  expect(popped).toHaveBeenCalledTimes(1);

  // Back to the page's list.
  act(() => toggle().click());
  expect(document.documentElement.hasAttribute('data-ig-blocked-view')).toBe(false);
  expect(toggle().textContent).toBe('Blocked (2)');
});

test('an admin unblocks from a row after the confirmation; an agent is not offered it', async () => {
  const { ctx, store } = featureContext();
  await act(() => blockedView.init(ctx, controller.signal));
  await flush();
  act(() => toggle().click());
  await flush();
  act(() => view().querySelector<HTMLButtonElement>('[data-testid="ig-blocked-view-unblock"]')!.click());
  expect(ctx.request).toHaveBeenCalledWith('unblock', { contactId: 'k1', name: 'Empréstimo Fácil', status: 'blocked', conversationId: '12' });
  act(() => store.set({ session: { active: true, role: 'agent' } }));
  expect(view().querySelector('[data-testid="ig-blocked-view-unblock"]')).toBeNull();
});

test('a change the background tells is counted again, once for a burst', async () => {
  const { ctx, emit } = featureContext();
  await act(() => blockedView.init(ctx, controller.signal));
  await flush();
  for (let i = 0; i < 5; i += 1) emit({ type: 'contacts.resynced', count: 40 });
  await flush(400);
  expect(asked).toHaveLength(2);
});
