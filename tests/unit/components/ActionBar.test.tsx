import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ActionBar, type Props } from '@/components/ActionBar/ActionBar';
import type { OverlayState } from '@/lib/features/types';
import { useLocale } from '../helpers/i18n';

let container: HTMLElement;

function state(patch: Partial<OverlayState> = {}): OverlayState {
  return {
    session: { active: true, platform: 'reference', role: 'admin', roleSource: 'platform', userName: 'Ana Admin' },
    conversationId: 'c1',
    contact: { id: 'k1', name: 'Promo Relâmpago', status: 'active', confirmed: 'active', statusSince: 0 },
    loading: false,
    error: null,
    pending: null,
    done: null,
    ...patch,
  };
}

function mount(props: Partial<Props> & { state: OverlayState }) {
  container = document.createElement('div');
  document.body.append(container);
  const handlers = { onAction: vi.fn(), onRetry: vi.fn(), onOpenOptions: vi.fn() };
  act(() => render(<ActionBar {...handlers} {...props} />, container));
  return handlers;
}

const button = (action: string) => container.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!;
const dialog = () => container.querySelector<HTMLDialogElement>('dialog');

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
    expect(dialog()).toBeNull();
    expect(container.querySelector('[role="status"]')?.textContent).toBe('Only administrators can block contacts');

    act(() => button('archive').click());
    expect(dialog()?.textContent).toContain('Archive Promo Relâmpago?');
    act(() => container.querySelector<HTMLButtonElement>('[data-testid$="-confirm-confirm"]')!.click());
    expect(handlers.onAction).toHaveBeenCalledWith('archive');
  });

  test('Block asks for confirmation with the seeds\' wording; Cancel sends nothing', () => {
    const handlers = mount({ state: state() });
    act(() => button('block').click());
    expect(dialog()?.getAttribute('role')).toBe('alertdialog');
    expect(dialog()?.textContent).toContain('Block Promo Relâmpago?');
    expect(dialog()?.textContent).toContain('new messages they send will not be received');
    act(() => container.querySelector<HTMLButtonElement>('[data-testid$="-confirm-cancel"]')!.click());
    expect(dialog()).toBeNull();
    expect(handlers.onAction).not.toHaveBeenCalled();
  });

  test('Escape cancels the confirmation', () => {
    const handlers = mount({ state: state() });
    act(() => button('block').click());
    act(() => {
      dialog()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(dialog()).toBeNull();
    expect(handlers.onAction).not.toHaveBeenCalled();
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
    act(() => button('archive').click());
    expect(dialog()?.textContent).toContain('O contato arquivado é reativado quando ele enviar uma nova mensagem');
  });
});
