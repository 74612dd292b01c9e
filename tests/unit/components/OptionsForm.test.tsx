import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { OptionsForm, type OptionsService } from '@/components/OptionsForm/OptionsForm';
import { IgError } from '@/lib/errors';
import type { Settings } from '@/lib/settings';

let container: HTMLElement;
const flush = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

function service(patch: Partial<OptionsService> = {}): OptionsService {
  return {
    load: vi.fn(async () => ({ settings: null, hasToken: false })),
    ensurePermission: vi.fn(async () => true),
    save: vi.fn(async () => ({ hasToken: true })),
    test: vi.fn(async () => ({ userName: 'Ana Admin', role: 'admin' as const, roleSource: 'platform' as const, accountId: '1' })),
    ...patch,
  };
}

async function mount(svc: OptionsService) {
  container = document.createElement('div');
  document.body.append(container);
  act(() => render(<OptionsForm service={svc} />, container));
  await flush();
}

const input = (name: string) => container.querySelector<HTMLInputElement>(`[data-testid="ig-options-${name}"]`)!;
function type(name: string, value: string) {
  act(() => {
    input(name).value = value;
    input(name).dispatchEvent(new Event('input', { bubbles: true }));
  });
}
function choosePlatform(value: string) {
  act(() => {
    const select = container.querySelector<HTMLSelectElement>('[data-testid="ig-options-platform"]')!;
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
const click = async (name: string) => {
  act(() => input(name).click());
  await flush();
};
const outcome = () => container.querySelector('[data-testid="ig-options-outcome"]')!;

afterEach(() => {
  act(() => render(null, container));
  container.remove();
});

describe('the options page', () => {
  test('shows what is wrong, next to each field, and saves nothing', async () => {
    const svc = service();
    await mount(svc);
    type('serverUrl', 'chat.example.com');
    type('accountId', 'one');
    await click('save');
    expect(input('serverUrl').getAttribute('aria-invalid')).toBe('true');
    expect(container.textContent).toContain('Enter a full address starting with https://');
    expect(container.textContent).toContain('Enter the account number (digits only).');
    expect(container.textContent).toContain('Enter your API token.');
    expect(svc.save).not.toHaveBeenCalled();
  });

  test('Test connection saves, then shows who is signed in and their role', async () => {
    const svc = service();
    await mount(svc);
    type('serverUrl', 'https://chat.example.com/');
    type('accountId', '3');
    type('token', '  secret-token ');
    await click('test');
    expect(svc.ensurePermission).toHaveBeenCalled();
    const saved = (svc.save as ReturnType<typeof vi.fn>).mock.calls[0] as [Settings, string];
    expect(saved[0]).toMatchObject({ platform: 'chatwoot', serverUrl: 'https://chat.example.com', accountId: '3', rememberToken: false });
    expect(saved[1]).toBe('secret-token');
    expect(outcome().textContent).toContain('Connected as Ana Admin (Administrator).');
    expect(input('token').value).toBe('');
  });

  test('Helena asks for the agent e-mail (tokens belong to the account)', async () => {
    await mount(service());
    choosePlatform('helena');
    expect(input('agentEmail')).not.toBeNull();
    expect(container.querySelector('[data-testid="ig-options-accountId"]')).toBeNull();
    expect(container.textContent).toContain('Inbox Guard reads your role from this agent\'s profile');
  });

  test('a wrong token is said plainly', async () => {
    await mount(service({ test: vi.fn(async () => Promise.reject(new IgError('unauthorized', { status: 401 }))) }));
    type('serverUrl', 'https://chat.example.com');
    type('accountId', '3');
    type('token', 'wrong');
    await click('test');
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('did not accept your API token');
  });

  test('a refused host permission is explained, nothing saved', async () => {
    const svc = service({ ensurePermission: vi.fn(async () => false) });
    await mount(svc);
    type('serverUrl', 'https://chat.example.com');
    type('accountId', '3');
    type('token', 't');
    await click('save');
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('needs your permission to reach this server');
    expect(svc.save).not.toHaveBeenCalled();
  });

  test('a saved token is kept when the field is left empty', async () => {
    const svc = service({
      load: vi.fn(async () => ({
        settings: { platform: 'chatwoot' as const, apiStyle: 'helena' as const, serverUrl: 'https://c.example', accountId: '2', rememberToken: true },
        hasToken: true,
      })),
    });
    await mount(svc);
    expect(input('serverUrl').value).toBe('https://c.example');
    expect(input('token').placeholder).toContain('A token is saved');
    await click('save');
    expect((svc.save as ReturnType<typeof vi.fn>).mock.calls[0]?.[1]).toBeUndefined();
    expect(outcome().textContent).toContain('Saved.');
  });

  test('access taken away in the browser: said plainly, asked again only on a click', async () => {
    const settings = { platform: 'chatwoot' as const, apiStyle: 'helena' as const, serverUrl: 'https://chat.example.com', accountId: '2', rememberToken: false };
    const ensurePermission = vi.fn(async () => true);
    await mount(service({ load: vi.fn(async () => ({ settings, hasToken: true, access: 'missing' as const })), ensurePermission }));
    const notice = container.querySelector('[data-testid="ig-options-access"]')!;
    expect(notice.textContent).toContain('can no longer reach chat.example.com');
    expect(ensurePermission).not.toHaveBeenCalled();
    act(() => [...notice.querySelectorAll('button')].find((button) => button.textContent === 'Allow access')!.click());
    await flush();
    expect(ensurePermission).toHaveBeenCalledWith(settings);
    expect(container.querySelector('[data-testid="ig-options-access"]')).toBeNull();
  });

  test('selector overrides: checked before saving, each problem said plainly', async () => {
    const svc = service();
    await mount(svc);
    type('serverUrl', 'https://chat.example.com');
    type('accountId', '3');
    type('token', 't');
    const selectors = container.querySelector<HTMLTextAreaElement>('[data-testid="ig-options-selectors"]')!;
    const write = (text: string) =>
      act(() => {
        selectors.value = text;
        selectors.dispatchEvent(new Event('input', { bubbles: true }));
      });
    write('{ row: ".x" }');
    await click('save');
    expect(container.textContent).toContain('This is not valid JSON');
    write('{ "rows": ".x" }');
    await click('save');
    expect(container.textContent).toContain('keys are selector names (header, headerAnchor');
    write('{ "row": "li{} body{display:none" }');
    await click('save');
    expect(container.textContent).toContain('The selector for “row” is not a CSS selector the browser accepts.');
    expect(svc.save).not.toHaveBeenCalled();
    write('{ "row": ".conversation-card", "send": "button.send" }');
    await click('save');
    expect((svc.save as ReturnType<typeof vi.fn>).mock.calls[0]?.[0]).toMatchObject({ selectors: { row: '.conversation-card', send: 'button.send' } });
  });
});
