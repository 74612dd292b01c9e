import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ActionBar, type Props } from '@/components/ActionBar/ActionBar';
import type { OverlayState } from '@/lib/features/types';
import { useLocale } from '../helpers/i18n';
import { overlayState } from '../helpers/overlay';

let container: HTMLElement;

const state = overlayState;

function mount(props: Partial<Props> & { state: OverlayState }) {
  container = document.createElement('div');
  document.body.append(container);
  const handlers = { onRequest: vi.fn(), onRetry: vi.fn(), onOpenOptions: vi.fn(), onToggleReveal: vi.fn() };
  act(() => render(<ActionBar {...handlers} {...props} />, container));
  return handlers;
}

const button = (action: string) => container.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;

afterEach(() => {
  act(() => render(null, container));
  container.remove();
});

describe('the action bar in the conversation header', () => {
  test('shows the contact status and the two toggles', () => {
    mount({ state: state() });
    expect(container.querySelector('[data-testid="ig-status-badge"]')?.textContent).toBe('Active');
    expect(button('block').textContent).toBe('Block');
    expect(button('archive').textContent).toBe('Archive');
  });

  test('a blocked contact offers Unblock on the same screen, and Archive explains why not', () => {
    mount({ state: state({ contact: { id: 'k1', name: 'Promo', status: 'blocked', confirmed: 'blocked', statusSince: 0 } }) });
    expect(container.querySelector('[data-testid="ig-status-badge"]')?.textContent).toBe('Blocked');
    expect(button('unblock').getAttribute('aria-disabled')).toBeNull();
    expect(button('archive').getAttribute('aria-disabled')).toBe('true');
    expect(button('archive').title).toContain('unblock them first');
  });

  test('an agent sees Block disabled with the reason, and Archive works', () => {
    const handlers = mount({ state: state({ session: { active: true, role: 'agent', roleSource: 'platform' } }) });
    const block = button('block');
    expect(block.getAttribute('aria-disabled')).toBe('true');
    expect(block.title).toBe('Only administrators can block contacts');
    const describedBy = block.getAttribute('aria-describedby');
    expect(container.querySelector(`#${describedBy}`)?.textContent).toBe('Only administrators can block contacts');

    act(() => block.click());
    expect(handlers.onRequest).not.toHaveBeenCalled();
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Only administrators can block contacts');

    act(() => button('archive').click());
    expect(handlers.onRequest).toHaveBeenCalledWith('archive');
  });

  test('Block and Archive ask for confirmation (the page\'s dialog), they never act directly', () => {
    const handlers = mount({ state: state() });
    act(() => button('block').click());
    act(() => button('archive').click());
    expect(handlers.onRequest.mock.calls).toEqual([['block'], ['archive']]);
  });

  test('the hidden-messages pill: admins can reveal them, agents only read the count', () => {
    const handlers = mount({ state: state({ hiddenCount: 3 }) });
    const pill = container.querySelector<HTMLButtonElement>('[data-testid="ig-action-bar-hidden"]')!;
    expect(pill.textContent).toBe('3 hidden');
    expect(pill.getAttribute('aria-pressed')).toBe('false');
    act(() => pill.click());
    expect(handlers.onToggleReveal).toHaveBeenCalled();
    act(() => render(null, container));
    mount({ state: state({ hiddenCount: 2, session: { active: true, role: 'agent' } }) });
    const info = container.querySelector('[data-testid="ig-action-bar-hidden"]')!;
    expect(info.tagName).toBe('SPAN');
    expect(info.getAttribute('title')).toBe('2 messages sent after the block are hidden');
  });

  test('after a block the live region says so', () => {
    mount({ state: state({ contact: { id: 'k1', name: 'Promo', status: 'blocked', confirmed: 'blocked', statusSince: 0 }, done: 'block' }) });
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Promo is blocked.');
  });

  test('a wrong token shows a readable error and a way to the settings', () => {
    const handlers = mount({ state: state({ session: { active: true, error: { code: 'unauthorized', status: 401 } } }) });
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('did not accept your API token');
    const open = [...container.querySelectorAll('button')].find((button) => button.textContent === 'Open settings');
    act(() => open!.click());
    expect(handlers.onOpenOptions).toHaveBeenCalled();
  });

  test('news of a done action fades by itself', () => {
    vi.useFakeTimers();
    try {
      mount({ state: state({ contact: { id: 'k1', name: 'Promo', status: 'blocked', confirmed: 'blocked', statusSince: 0 }, done: 'block' }) });
      expect(container.querySelector('[role="status"]')?.textContent).toBe('Promo is blocked.');
      act(() => void vi.advanceTimersByTime(6500));
      expect(container.querySelector('[role="status"]')?.textContent).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });

  test('an error stays until dismissed', () => {
    mount({ state: state({ error: { code: 'server_error', status: 503 } }) });
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('having trouble');
    act(() => container.querySelector<HTMLButtonElement>('[aria-label="Dismiss"]')!.click());
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  test('speaks Portuguese to a Brazilian user', () => {
    useLocale('pt_BR');
    mount({ state: state({ session: { active: true, role: 'agent', roleSource: 'platform' } }) });
    expect(button('block').textContent).toBe('Bloquear');
    expect(button('block').title).toBe('Somente administradores podem bloquear contatos');
    expect(container.querySelector('[data-testid="ig-status-badge"]')?.textContent).toBe('Ativo');
  });

  test('an archived contact who wrote again: the news "is archived." goes with the status', () => {
    mount({ state: state({ contact: { id: 'k1', name: 'Maria Silva', status: 'archived', confirmed: 'archived', statusSince: 0 }, done: 'archive' }) });
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Maria Silva is archived.');
    act(() => render(null, container));
    mount({ state: state({ contact: { id: 'k1', name: 'Maria Silva', status: 'active', confirmed: 'active', statusSince: 1 }, done: 'archive' }) });
    expect(container.querySelector('[role="status"]')?.textContent).toBe('');
  });
});

describe('the compact bar: the badge and a menu of the same actions', () => {
  const menuButton = () => container.querySelector<HTMLButtonElement>('[data-testid="ig-action-bar-menu"]')!;
  const item = (id: string) => container.querySelector<HTMLElement>(`[data-testid="ig-action-bar-menu-${id}"]`);
  const open = () => act(() => menuButton().click());
  const key = (target: Element, name: string) => act(() => void target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true })));

  test('lists Block and Archive, with the reasons an agent may not, and asks for the confirmation', () => {
    const handlers = mount({ state: state({ session: { active: true, role: 'agent', roleSource: 'platform' } }) });
    expect(menuButton().getAttribute('aria-haspopup')).toBe('menu');
    expect(menuButton().getAttribute('aria-expanded')).toBe('false');
    open();
    expect(menuButton().getAttribute('aria-expanded')).toBe('true');
    expect(container.querySelector('[role="menu"]')?.getAttribute('aria-label')).toBe('Inbox Guard actions');
    expect(item('block')?.getAttribute('aria-disabled')).toBe('true');
    expect(item('block')?.textContent).toBe('BlockOnly administrators can block contacts');
    act(() => item('block')!.click());
    expect(handlers.onRequest).not.toHaveBeenCalled();
    act(() => item('archive')!.click());
    expect(handlers.onRequest).toHaveBeenCalledWith('archive');
    // Choosing closes the menu.
    expect(item('archive')).toBeNull();
  });

  test('the keyboard: arrows move, Enter chooses, Escape closes; the hidden messages are a toggle', () => {
    const handlers = mount({ state: state({ hiddenCount: 2, contact: { id: 'k1', name: 'Promo', status: 'blocked', confirmed: 'blocked', statusSince: 0 } }) });
    expect(menuButton().getAttribute('aria-label')).toBe('Inbox Guard actions (2 hidden)');
    open();
    const items = [...container.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
    expect(items.map((element) => element.getAttribute('data-testid'))).toEqual(['ig-action-bar-menu-unblock', 'ig-action-bar-menu-archive', 'ig-action-bar-menu-hidden']);
    expect(item('hidden')?.getAttribute('role')).toBe('menuitemcheckbox');
    expect(item('hidden')?.getAttribute('aria-checked')).toBe('false');
    items[0]!.focus();
    key(items[0]!, 'ArrowDown');
    key(items[1]!, 'ArrowDown');
    expect(document.activeElement).toBe(items[2]);
    key(items[2]!, 'Enter');
    expect(handlers.onToggleReveal).toHaveBeenCalledTimes(1);
    open();
    key(item('unblock')!, 'Escape');
    expect(item('unblock')).toBeNull();
    expect(document.activeElement).toBe(menuButton());
  });

  test('while an action is on its way, the menu says so and offers nothing', () => {
    mount({ state: state({ pending: 'block' }) });
    open();
    expect(item('block')?.textContent).toContain('Blocking…');
    expect(item('block')?.getAttribute('aria-disabled')).toBe('true');
  });
});
