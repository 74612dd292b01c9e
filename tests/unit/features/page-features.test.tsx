import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { composerLock } from '@/lib/features/composer-lock';
import { confirm, DIALOG_TAG } from '@/lib/features/confirm';
import { pageCss } from '@/lib/features/page-style';
import { rowBadges, ROW_STATUS } from '@/lib/features/row-badges';
import { TOAST_TAG, undoToast } from '@/lib/features/undo-toast';
import { chatwootSelectors } from '@/lib/platforms/chatwoot/page';
import { referenceSelectors } from '@/lib/platforms/reference/page';
import { featureContext, shadowOf } from '../helpers/overlay';

let controller: AbortController;
const flush = (ms = 0) => act(() => new Promise((resolve) => setTimeout(resolve, ms)));

beforeEach(() => {
  controller = new AbortController();
  document.body.innerHTML = `
    <section class="ri-list"><ul class="ri-list__items">
      <li class="ri-row"><a href="/inbox/c/1"><span class="ri-row__name">Promo</span></a></li>
      <li class="ri-row"><a href="/inbox/c/2"><span class="ri-row__name">Mariana</span></a></li>
      <li class="ri-row"><a href="/inbox/c/3"><span class="ri-row__name">Renata</span></a></li>
    </ul></section>
    <main class="ri-chat"><ol class="ri-thread"></ol>
      <form class="ri-composer"><textarea class="ri-composer__input"></textarea><button class="ri-composer__send" type="submit">Send</button></form>
    </main>
    <aside><button data-ri-action="merge">Merge</button></aside>`;
});

afterEach(() => controller.abort());

describe('the page stylesheet', () => {
  test('hides with attributes only, and labels rows in the user\'s language', () => {
    const css = pageCss(referenceSelectors);
    expect(css).toContain('html:not([data-ig-reveal]) [data-ig-hidden]{display:none!important}');
    expect(css).toContain('html:not([data-ig-blocked-view]) :is(li.ri-row)[data-ig-status="blocked"]{display:none!important}');
    expect(css).toContain('content:"Blocked"');
  });

  test('Chatwoot: "Add Note" is not greyed out in note mode, and its unread separator goes with the messages it points at', () => {
    const css = pageCss(chatwootSelectors);
    expect(css).toContain('[data-ig-locked]:not(:is(.reply-box.is-private)) :is(.reply-box button[type="submit"], .reply-box .right-wrap > button){opacity:.45');
    // Whether it hides is for a real browser (the end-to-end tests): happy-dom has no `:has(~ …)`.
    expect(css).toContain(
      'html:not([data-ig-reveal]) :is(.conversation-panel > li.list-none:has(> .bg-n-brand), .conversation-panel > li.unread--toast):has(~ [data-ig-hidden]):not(:has(~ :not([data-ig-hidden], [data-message-id].justify-center, li.center))){display:none!important}',
    );
  });

  test('an admin\'s broken or hostile selector is left out, never injected', () => {
    const css = pageCss({ ...referenceSelectors, row: 'li{} body{display:none', send: '((' });
    expect(css).not.toContain('body{display:none');
    expect(css).not.toContain('((');
  });
});

describe('rows of the conversation list', () => {
  test('each row says archived or blocked, and blocked rows leave the list (an attribute, nothing inserted)', async () => {
    fakeBrowser.runtime.sendMessage = vi.fn(async () => ({
      ok: true,
      data: { statuses: [{ key: 'c:1', status: 'blocked', pending: false }, { key: 'c:3', status: 'archived', pending: false }] },
    })) as typeof fakeBrowser.runtime.sendMessage;
    const { ctx } = featureContext();
    const before = document.querySelector('.ri-list__items')!.innerHTML;
    void rowBadges.init(ctx, controller.signal);
    await flush(150);
    const rows = [...document.querySelectorAll('li.ri-row')];
    expect(rows.map((row) => row.getAttribute(ROW_STATUS))).toEqual(['blocked', null, 'archived']);
    expect(document.querySelector('.ri-list__items')!.innerHTML.replace(/ data-ig-status="\w+"/g, '')).toBe(before);
  });

  test('a row the page re-renders gets its status back at once', async () => {
    fakeBrowser.runtime.sendMessage = vi.fn(async () => ({ ok: true, data: { statuses: [{ key: 'c:1', status: 'blocked', pending: false }] } })) as typeof fakeBrowser.runtime.sendMessage;
    const { ctx } = featureContext();
    void rowBadges.init(ctx, controller.signal);
    await flush(150);
    const list = document.querySelector('.ri-list__items')!;
    list.firstElementChild!.remove();
    const again = document.createElement('li');
    again.className = 'ri-row';
    again.innerHTML = '<a href="/inbox/c/1"><span class="ri-row__name">Promo</span></a>';
    list.prepend(again);
    await act(() => Promise.resolve());
    expect(again.getAttribute(ROW_STATUS)).toBe('blocked');
  });
});

describe('the composer of a blocked contact', () => {
  const blocked = { id: 'k1', name: 'Promo', status: 'blocked' as const, confirmed: 'blocked' as const, statusSince: 0 };

  test('send and Enter do nothing, a notice says why, and admins get Unblock there', async () => {
    const { ctx, store } = featureContext({ contact: blocked });
    const submitted = vi.fn((event: Event) => event.preventDefault());
    document.querySelector('form')!.addEventListener('submit', submitted);
    void composerLock.init(ctx, controller.signal);
    await flush();
    expect(document.querySelector('form')!.hasAttribute('data-ig-locked')).toBe(true);
    document.querySelector<HTMLButtonElement>('.ri-composer__send')!.click();
    const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
    document.querySelector('textarea')!.dispatchEvent(enter);
    expect(submitted).not.toHaveBeenCalled();
    expect(enter.defaultPrevented).toBe(true);
    const notice = shadowOf('inbox-guard-composer')!;
    expect(notice.textContent).toContain('This contact is blocked');
    act(() => notice.querySelector<HTMLButtonElement>('[data-testid="ig-composer-unblock"]')!.click());
    expect(store.get().confirm).toMatchObject({ action: 'unblock' });
  });

  test('merge is disabled while blocked and given back after', async () => {
    const { ctx, store } = featureContext({ contact: blocked });
    void composerLock.init(ctx, controller.signal);
    await flush();
    const merge = document.querySelector('[data-ri-action="merge"]')!;
    expect(merge.getAttribute('aria-disabled')).toBe('true');
    act(() => store.set({ contact: { ...blocked, status: 'active', confirmed: 'active' } }));
    expect(merge.hasAttribute('aria-disabled')).toBe(false);
    expect(document.querySelector('form')!.hasAttribute('data-ig-locked')).toBe(false);
    expect(document.querySelector('inbox-guard-composer')).toBeNull();
  });
});

describe('confirmation and undo', () => {
  test('whatever asked for it, the action waits for the user\'s yes', async () => {
    const { ctx, store } = featureContext();
    act(() => void confirm.init(ctx, controller.signal));
    act(() => ctx.request('block'));
    const dialog = shadowOf(DIALOG_TAG)!.querySelector('dialog')!;
    expect(dialog.textContent).toContain('Block Promo Relâmpago?');
    act(() => shadowOf(DIALOG_TAG)!.querySelector<HTMLButtonElement>('[data-testid="ig-confirm-cancel"]')!.click());
    expect(ctx.run).not.toHaveBeenCalled();
    expect(store.get().confirm).toBeNull();
    act(() => ctx.request('archive'));
    act(() => shadowOf(DIALOG_TAG)!.querySelector<HTMLButtonElement>('[data-testid="ig-confirm-confirm"]')!.click());
    expect(ctx.run).toHaveBeenCalledWith('archive', { contactId: 'k1', name: 'Promo Relâmpago' });
  });

  test('for five seconds, Undo puts things back as they were', async () => {
    vi.useFakeTimers();
    try {
      const { ctx, store } = featureContext();
      act(() => void undoToast.init(ctx, controller.signal));
      act(() => store.set({ undo: { action: 'unblock', target: { contactId: 'k1', name: 'Promo' }, done: 'block', at: Date.now() } }));
      const toast = shadowOf(TOAST_TAG)!;
      expect(toast.textContent).toContain('Promo is blocked.');
      act(() => toast.querySelector<HTMLButtonElement>('[data-testid="ig-undo-action"]')!.click());
      expect(ctx.run).toHaveBeenCalledWith('unblock', { contactId: 'k1', name: 'Promo' }, { undo: true });

      act(() => store.set({ undo: { action: 'archive', target: { contactId: 'k2', name: 'Ana' }, done: 'unarchive', at: Date.now() } }));
      act(() => void vi.advanceTimersByTime(5_100));
      expect(store.get().undo).toBeNull();
      expect(toast.querySelector('[data-testid="ig-undo"]')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
