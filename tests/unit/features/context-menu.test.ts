/**
 * What the content script tells the background as a right-click lands, so the context menu is
 * labelled for that contact: once per right-click, and again at every right-click, even on the
 * same conversation (its contact may have been blocked in between).
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { contextMenu } from '@/lib/features/context-menu';
import { featureContext } from '../helpers/overlay';

let controller: AbortController;
let reported: unknown[];

beforeEach(() => {
  controller = new AbortController();
  reported = [];
  fakeBrowser.runtime.sendMessage = vi.fn(async (message: unknown) => {
    const { type, payload } = message as { type: string; payload?: unknown };
    if (type === 'menu.target') reported.push(payload);
    return { ok: true, data: {} };
  }) as typeof fakeBrowser.runtime.sendMessage;
  document.body.innerHTML = `
    <ul class="ri-list__items"><li class="ri-row"><a href="/inbox/c/2"><span class="ri-row__name">Mariana Souza</span></a></li></ul>
    <main class="ri-chat"><header class="ri-chat__header"><div class="ri-chat__who"><h1 class="ri-chat__name">Promo</h1></div></header>
      <ol class="ri-thread"><li class="ri-msg ri-msg--in"><p class="ri-msg__text">spam</p></li></ol></main>`;
  const { ctx } = featureContext();
  void contextMenu.init(ctx, controller.signal);
});

afterEach(() => controller.abort());

function rightClick(selector: string) {
  const element = document.querySelector(selector)!;
  element.dispatchEvent(new PointerEvent('pointerdown', { button: 2, bubbles: true }));
  element.dispatchEvent(new MouseEvent('contextmenu', { button: 2, bubbles: true, cancelable: true }));
}

describe('the context menu target', () => {
  test('a message and the header stand for the open conversation; a row for its own', async () => {
    rightClick('.ri-msg__text');
    rightClick('.ri-chat__name');
    rightClick('.ri-row__name');
    await vi.waitFor(() => expect(reported).toHaveLength(3));
    expect(reported).toEqual([{ conversationId: 'c1' }, { conversationId: 'c1' }, { conversationId: '2' }]);
  });

  test('each right-click is told once, and the same target right-clicked again is told again', async () => {
    rightClick('.ri-msg__text');
    await vi.waitFor(() => expect(reported).toHaveLength(1));
    rightClick('.ri-msg__text');
    await vi.waitFor(() => expect(reported).toHaveLength(2));
    // A keyboard context menu (no pointer) is told too.
    document.querySelector('.ri-msg__text')!.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true }));
    await vi.waitFor(() => expect(reported).toHaveLength(3));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reported).toHaveLength(3);
  });
});
