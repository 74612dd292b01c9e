/**
 * The snooze and merge controls of a blocked contact: disabled while blocked, whatever the page
 * re-renders, and exactly as the page made them once unblocked or once the overlay is gone —
 * their own tooltip included (older Chatwoot finds its merge button by that very title).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { composerLock } from '@/lib/features/composer-lock';
import { chatwootPage } from '@/lib/platforms/chatwoot/page';
import { featureContext } from '../helpers/overlay';

const blocked = { id: 'k1', name: 'João Pereira', status: 'blocked' as const, confirmed: 'blocked' as const, statusSince: 0 };
const active = { ...blocked, status: 'active' as const, confirmed: 'active' as const };
const REASON = 'Blocked contacts can’t be snoozed or merged.';
const MERGE_TITLE = "$t('CONTACT_PANEL.MERGE_CONTACT')";
/** MutationObserver callbacks run as microtasks; a macrotask later they have all run. */
const flush = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

let controller: AbortController;
afterEach(() => controller.abort());

/** Every attribute of an element, to compare before and after. */
const attributes = (element: Element) => Object.fromEntries([...element.attributes].map((attribute) => [attribute.name, attribute.value]));

describe('older Chatwoot (woot-button), where merge is found by its literal title', () => {
  const legacy = readFileSync(join(import.meta.dirname, '../../fixtures/chatwoot/conversation-legacy.html'), 'utf8');
  const merge = () => document.querySelector<HTMLButtonElement>(`button[title="${MERGE_TITLE}"]`);
  const snooze = () => [...document.querySelectorAll('.dropdown-menu__item button')].find((button) => button.textContent?.includes('Snooze until'))!;

  beforeEach(() => {
    controller = new AbortController();
    document.body.innerHTML = new DOMParser().parseFromString(legacy, 'text/html').body.innerHTML;
  });

  function start(contact: typeof blocked | typeof active = blocked) {
    const made = featureContext({ contact });
    made.ctx.profile = chatwootPage();
    void composerLock.init(made.ctx, controller.signal);
    return made;
  }

  test('merge stays disabled, and clicks on it stay refused, while the page keeps changing', async () => {
    const before = attributes(merge()!);
    start();
    await flush();
    expect(merge()?.getAttribute('aria-disabled')).toBe('true');
    expect(merge()?.getAttribute('title')).toBe(MERGE_TITLE);

    // Vue updates the panel around the button (a new conversation message, a label, …).
    document.querySelector('.contact--panel')!.append(document.createElement('div'));
    document.querySelector('.reply-box__top textarea')!.after(document.createElement('span'));
    await flush();
    const button = merge()!;
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.hasAttribute('data-ig-disabled')).toBe(true);
    const clicked = vi.fn();
    button.addEventListener('click', clicked);
    button.click();
    expect(clicked).not.toHaveBeenCalled();

    // Vue re-renders the button itself: the new one is disabled too.
    const again = document.createElement('button');
    for (const [name, value] of Object.entries(before)) again.setAttribute(name, value);
    button.replaceWith(again);
    await flush();
    expect(again.getAttribute('aria-disabled')).toBe('true');
    expect(again.getAttribute('title')).toBe(MERGE_TITLE);
  });

  test('the reason is told to assistive technology without taking the page\'s tooltip', async () => {
    start();
    await flush();
    expect(merge()?.getAttribute('aria-description')).toBe(REASON);
    expect(merge()?.getAttribute('title')).toBe(MERGE_TITLE);
    // Snooze until has no title of its own: the reason becomes its tooltip.
    expect(snooze().getAttribute('title')).toBe(REASON);
    expect(snooze().getAttribute('aria-disabled')).toBe('true');
  });

  test('once unblocked, merge and snooze are exactly as the page made them, and work', async () => {
    const mergeBefore = attributes(merge()!);
    const snoozeBefore = attributes(snooze());
    const { store } = start();
    await flush();
    act(() => store.set({ contact: active }));
    await flush();
    expect(attributes(merge()!)).toEqual(mergeBefore);
    expect(attributes(snooze())).toEqual(snoozeBefore);
    const clicked = vi.fn();
    merge()!.addEventListener('click', clicked);
    merge()!.click();
    expect(clicked).toHaveBeenCalledOnce();
    // …and a later page change does not bring the marks back.
    document.querySelector('.contact--panel')!.append(document.createElement('div'));
    await flush();
    expect(attributes(merge()!)).toEqual(mergeBefore);
  });

  test('when the overlay goes away (teardown), the page\'s controls are given back as they were', async () => {
    const mergeBefore = attributes(merge()!);
    const snoozeBefore = attributes(snooze());
    start();
    await flush();
    expect(merge()?.getAttribute('aria-disabled')).toBe('true');
    controller.abort();
    expect(attributes(merge()!)).toEqual(mergeBefore);
    expect(attributes(snooze())).toEqual(snoozeBefore);
    expect(document.querySelector('[data-ig-locked]')).toBeNull();
    expect(document.querySelector('inbox-guard-composer')).toBeNull();
  });
});

describe('restoring what the page had', () => {
  beforeEach(() => {
    controller = new AbortController();
    document.body.innerHTML = `
      <main class="ri-chat"><form class="ri-composer"><textarea class="ri-composer__input"></textarea><button class="ri-composer__send" type="submit">Send</button></form></main>
      <aside>
        <button data-ri-action="merge" title="Merge this contact" aria-disabled="false" aria-description="Merges duplicates">Merge</button>
        <button data-ri-action="snooze">Snooze</button>
      </aside>`;
  });

  test('unblocking gives back the page\'s title, aria-disabled and aria-description', async () => {
    const merge = document.querySelector('[data-ri-action="merge"]')!;
    const snooze = document.querySelector('[data-ri-action="snooze"]')!;
    const mergeBefore = attributes(merge);
    const snoozeBefore = attributes(snooze);
    const { ctx, store } = featureContext({ contact: blocked });
    void composerLock.init(ctx, controller.signal);
    await flush();
    expect(attributes(merge)).toMatchObject({ title: 'Merge this contact', 'aria-disabled': 'true', 'aria-description': REASON });
    expect(attributes(snooze)).toMatchObject({ title: REASON, 'aria-disabled': 'true', 'aria-description': REASON });
    act(() => store.set({ contact: active }));
    expect(attributes(merge)).toEqual(mergeBefore);
    expect(attributes(snooze)).toEqual(snoozeBefore);
    // Blocked again, then the overlay torn down: the same.
    act(() => store.set({ contact: blocked }));
    expect(snooze.getAttribute('aria-disabled')).toBe('true');
    controller.abort();
    expect(attributes(merge)).toEqual(mergeBefore);
    expect(attributes(snooze)).toEqual(snoozeBefore);
  });

  test('a tooltip the page changed while blocked is the page\'s, and stays', async () => {
    const snooze = document.querySelector('[data-ri-action="snooze"]')!;
    const { ctx, store } = featureContext({ contact: blocked });
    void composerLock.init(ctx, controller.signal);
    await flush();
    snooze.setAttribute('title', 'Snooze until tomorrow');
    act(() => store.set({ contact: active }));
    expect(snooze.getAttribute('title')).toBe('Snooze until tomorrow');
    expect(snooze.hasAttribute('aria-disabled')).toBe(false);
    expect(snooze.hasAttribute('aria-description')).toBe(false);
  });
});

describe('Chatwoot 4.10: only sending to the contact stops', () => {
  const page = readFileSync(join(import.meta.dirname, '../../fixtures/chatwoot/conversation-4.10.html'), 'utf8');
  const replyBox = () => document.querySelector('.reply-box')!;
  const editor = () => document.querySelector<HTMLElement>('.reply-box .ProseMirror')!;
  const send = () => document.querySelector<HTMLButtonElement>('.reply-box button[type="submit"]')!;
  const button = (text: string) => [...document.querySelectorAll('button')].find((element) => element.textContent?.trim() === text)!;
  const notice = () => document.querySelector('inbox-guard-composer')?.shadowRoot?.querySelector('[data-testid="ig-composer-lock"]')?.textContent ?? '';
  /** A key press in the editor: whether the page's own handlers would see it. */
  const press = (init: KeyboardEventInit) => {
    const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init });
    const seen = vi.fn();
    document.addEventListener('keydown', seen);
    editor().dispatchEvent(event);
    document.removeEventListener('keydown', seen);
    return { refused: event.defaultPrevented, reachedPage: seen.mock.calls.length > 0 };
  };
  const clicked = (element: HTMLElement) => {
    const onClick = vi.fn();
    element.addEventListener('click', onClick);
    element.click();
    element.removeEventListener('click', onClick);
    return onClick.mock.calls.length > 0;
  };
  const noteMode = async (on: boolean) => {
    replyBox().classList.toggle('is-private', on);
    send().querySelector('span')!.textContent = on ? 'Add Note (⌘ + ↵)' : 'Send (⌘ + ↵)';
    await flush();
  };

  beforeEach(() => {
    controller = new AbortController();
    document.body.innerHTML = new DOMParser().parseFromString(page, 'text/html').body.innerHTML;
    // Something typed: Chatwoot enables its button.
    send().disabled = false;
  });

  function start(contact: typeof blocked | typeof active = blocked) {
    const made = featureContext({ contact });
    made.ctx.profile = chatwootPage();
    void composerLock.init(made.ctx, controller.signal);
    return made;
  }

  test('a private note goes: "Add Note" and Ctrl+Enter work, and the notice says notes still work', async () => {
    start();
    await flush();
    expect(replyBox().hasAttribute('data-ig-locked')).toBe(true);
    expect(clicked(send())).toBe(true);
    expect(press({ ctrlKey: true })).toEqual({ refused: false, reachedPage: true });
    expect(notice()).toContain('Private notes still work');
  });

  test('back to Reply: Send and Ctrl/Cmd+Enter are refused, a plain Enter is still a new line', async () => {
    start();
    await flush();
    await noteMode(false);
    expect(clicked(send())).toBe(false);
    expect(press({ ctrlKey: true })).toEqual({ refused: true, reachedPage: false });
    expect(press({ metaKey: true })).toEqual({ refused: true, reachedPage: false });
    // "Send (⌘ + ↵)": Enter is Chatwoot's new paragraph here, not its send key.
    expect(press({})).toEqual({ refused: false, reachedPage: true });
    expect(press({ shiftKey: true })).toEqual({ refused: false, reachedPage: true });
    expect(notice()).toContain('messages can’t be sent to them');
    expect(notice()).not.toContain('Private notes');
    // The user's "send with Enter" setting: the label says "(↵)", and Enter is refused too.
    send().querySelector('span')!.textContent = 'Send (↵)';
    expect(press({})).toEqual({ refused: true, reachedPage: false });
    await noteMode(true);
    expect(notice()).toContain('Private notes still work');
    expect(press({ ctrlKey: true }).refused).toBe(false);
  });

  test('Reopen and Chatwoot\'s own "Block Contact" are disabled with their reasons; its Unblock is left alone', async () => {
    const reopen = button('Reopen');
    const blockContact = button('Block Contact');
    const before = { reopen: attributes(reopen), blockContact: attributes(blockContact) };
    const { store } = start();
    await flush();
    expect(reopen.getAttribute('aria-disabled')).toBe('true');
    expect(reopen.getAttribute('aria-description')).toBe('A blocked contact’s conversation stays closed.');
    expect(blockContact.getAttribute('aria-description')).toBe('This contact is already blocked.');
    expect(clicked(reopen)).toBe(false);
    expect(clicked(blockContact)).toBe(false);
    // After a reload Chatwoot offers "Unblock Contact" in its place: that one works.
    blockContact.querySelector('span')!.className = 'i-lucide-volume-1 flex-shrink-0 size-3.5';
    blockContact.querySelector('span + span')!.textContent = 'Unblock Contact';
    const unblock = blockContact.cloneNode(true) as HTMLButtonElement;
    for (const name of ['data-ig-disabled', 'aria-disabled', 'aria-description', 'title']) unblock.removeAttribute(name);
    blockContact.replaceWith(unblock);
    await flush();
    expect(unblock.hasAttribute('aria-disabled')).toBe(false);
    expect(clicked(unblock)).toBe(true);

    act(() => store.set({ contact: active }));
    expect(attributes(reopen)).toEqual(before.reopen);
    expect(clicked(reopen)).toBe(true);
  });

  test('"Mark as pending" is disabled like snooze when the dropdown opens', async () => {
    start();
    await flush();
    const dropdown = document.createElement('div');
    dropdown.innerHTML = '<ul class="dropdown menu vertical"><li class="dropdown-menu__item"><button><span class="i-lucide-alarm-clock-minus"></span><span>Snooze</span></button></li><li class="dropdown-menu__item"><button><span class="i-lucide-circle-dot-dashed"></span><span>Mark as pending</span></button></li></ul>';
    document.querySelector('.resolve-actions')!.append(dropdown);
    await flush();
    expect(button('Mark as pending').getAttribute('aria-description')).toBe('A blocked contact’s conversation stays closed.');
    expect(clicked(button('Mark as pending'))).toBe(false);
    expect(button('Snooze').getAttribute('aria-disabled')).toBe('true');
  });
});

describe('older Chatwoot\'s plain textarea', () => {
  const legacy = readFileSync(join(import.meta.dirname, '../../fixtures/chatwoot/conversation-legacy.html'), 'utf8');

  beforeEach(() => {
    controller = new AbortController();
    document.body.innerHTML = new DOMParser().parseFromString(legacy, 'text/html').body.innerHTML;
  });

  test('"Send (⌘ + ↵)": Enter is a new line, Ctrl+Enter and the button are refused; "Mark as pending" is disabled', async () => {
    const made = featureContext({ contact: blocked });
    made.ctx.profile = chatwootPage();
    void composerLock.init(made.ctx, controller.signal);
    await flush();
    const textarea = document.querySelector('textarea')!;
    const enter = (init: KeyboardEventInit = {}) => {
      const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init });
      textarea.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(enter()).toBe(false);
    expect(enter({ ctrlKey: true })).toBe(true);
    const sendButton = document.querySelector<HTMLButtonElement>('.reply-box .right-wrap > button')!;
    const sent = vi.fn();
    sendButton.addEventListener('click', sent);
    sendButton.click();
    expect(sent).not.toHaveBeenCalled();
    const pending = [...document.querySelectorAll('.dropdown-menu__item button')].find((element) => element.textContent?.includes('Mark as pending'))!;
    expect(pending.getAttribute('aria-disabled')).toBe('true');
  });
});
