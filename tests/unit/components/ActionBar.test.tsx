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
});
