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

  test('an http:// server off this computer is refused with the reason, before any permission prompt', async () => {
    const svc = service();
    await mount(svc);
    type('serverUrl', 'http://chat.example.test');
    type('accountId', '3');
    type('token', 'secret-token');
    await click('test');
    expect(input('serverUrl').getAttribute('aria-invalid')).toBe('true');
    expect(container.querySelector('#ig-options-serverUrl-error')?.textContent).toBe(
      'An http:// address would send your API token unencrypted over the network. Use https://; http:// is accepted only for a server on this computer (localhost, 127.0.0.1 or [::1]).',
    );
    expect(svc.ensurePermission).not.toHaveBeenCalled();
    expect(svc.save).not.toHaveBeenCalled();
    expect(svc.test).not.toHaveBeenCalled();
    // The same server over https:// is taken.
    type('serverUrl', 'https://chat.example.test');
    await click('save');
    expect(svc.save).toHaveBeenCalled();
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

describe('the options page under an organisation’s policy', () => {
  const policySettings = {
    platform: 'chatwoot' as const,
    apiStyle: 'helena' as const,
    serverUrl: 'https://chat.corp.example',
    accountId: '4',
    rememberToken: false,
    pinnedRole: 'agent' as const,
  };

  test('locked fields are disabled, say who set them, and the page says a policy is in effect', async () => {
    const svc = service({
      load: vi.fn(async () => ({ settings: policySettings, hasToken: false, access: 'missing' as const, locked: ['platform', 'serverUrl', 'accountId', 'pinnedRole'] })),
    });
    await mount(svc);
    expect(container.querySelector('[data-testid="ig-options-policy"]')?.textContent).toContain('Your organisation manages some of these settings');
    for (const name of ['platform', 'serverUrl', 'accountId', 'pinnedRole']) {
      const control = input(name);
      expect(control.disabled).toBe(true);
      const note = container.querySelector(`#ig-options-${name}-locked`);
      expect(note?.textContent).toBe('Set by your organisation.');
      expect(control.getAttribute('aria-describedby')?.split(' ')).toContain(`ig-options-${name}-locked`);
    }
    expect(input('serverUrl').value).toBe('https://chat.corp.example');
    expect(input('token').disabled).toBe(false);
    expect(container.querySelector('[data-testid="ig-options-access"]')?.textContent).toContain(
      'Your organisation set up Inbox Guard for chat.corp.example. Allow it to reach that site to start.',
    );
    expect(input('remember').disabled).toBe(false);

    // Only the token to type: the policy's values are what is saved.
    type('token', 'mine');
    await click('save');
    expect((svc.save as ReturnType<typeof vi.fn>).mock.calls[0]?.[0]).toMatchObject(policySettings);
  });

  test('a policy change while the page is open: newly locked fields take the policy value, lifted ones unlock; typing elsewhere stays', async () => {
    let changed = () => undefined as void;
    const load = vi.fn(async () => ({ settings: policySettings, hasToken: false, locked: ['serverUrl', 'pinnedRole'] }));
    await mount(service({ load, watchPolicy: (listener) => ((changed = listener), () => undefined) }));
    type('token', 'typing');
    expect(input('accountId').disabled).toBe(false);
    type('accountId', '99');
    load.mockResolvedValue({ settings: { ...policySettings, accountId: '5', pinnedRole: undefined } as never, hasToken: false, locked: ['serverUrl', 'accountId'] });
    act(() => changed());
    await flush();
    expect(input('accountId').disabled).toBe(true);
    expect(input('accountId').value).toBe('5');
    expect(input('pinnedRole').disabled).toBe(false);
    expect(input('pinnedRole').value).toBe('');
    expect(input('token').value).toBe('typing');
    load.mockResolvedValue({ settings: { ...policySettings, accountId: '5' }, hasToken: false, locked: [] as string[] } as never);
    act(() => changed());
    await flush();
    expect(container.querySelector('[data-testid="ig-options-policy"]')).toBeNull();
  });

  test('no policy: nothing locked, no notice', async () => {
    await mount(service());
    expect(container.querySelector('[data-testid="ig-options-policy"]')).toBeNull();
    expect(container.querySelector('.ig-field__locked')).toBeNull();
    expect(input('serverUrl').disabled).toBe(false);
  });

  test('a role limited by the settings is said after the connection test', async () => {
    await mount(
      service({
        load: vi.fn(async () => ({ settings: policySettings, hasToken: true, locked: ['pinnedRole'] })),
        test: vi.fn(async () => ({ userName: 'Ana Admin', role: 'agent' as const, roleSource: 'policy' as const, accountId: '4' })),
      }),
    );
    await click('test');
    expect(outcome().textContent).toContain('Connected as Ana Admin (Agent).');
    expect(outcome().textContent).toContain('The role limit in these settings applies');
  });
});

describe('the rate-limit editor', () => {
  async function ready(svc: OptionsService) {
    await mount(svc);
    type('serverUrl', 'https://api.wts.chat');
    choosePlatform('helena');
    type('token', 't');
  }
  const button = (name: string) => container.querySelector<HTMLButtonElement>(`[data-testid="ig-options-${name}"]`);
  const press = async (name: string) => {
    act(() => button(name)!.click());
    await flush();
  };

  test('shows the platform default, and saves none until the user sets their own', async () => {
    const svc = service();
    await ready(svc);
    expect(container.textContent).toContain("The platform's default: 200 requests per 5 s, 1,000 requests per 300 s.");
    await click('save');
    expect((svc.save as ReturnType<typeof vi.fn>).mock.calls[0]?.[0].rateLimits).toBeUndefined();
  });

  test('each bad number is said next to its row, and nothing is saved', async () => {
    const svc = service();
    await ready(svc);
    await press('rateLimits-custom');
    expect(input('rate-0-limit').value).toBe('200');
    expect(input('rate-1-seconds').value).toBe('300');
    type('rate-0-limit', '0');
    type('rate-1-seconds', 'soon');
    await click('save');
    expect(input('rate-0-limit').getAttribute('aria-invalid')).toBe('true');
    expect(container.querySelector('#ig-options-rate-0-limit-error')?.textContent).toBe('Enter a whole number of requests, from 1 to 100,000.');
    expect(input('rate-1-seconds').getAttribute('aria-describedby')).toBe('ig-options-rate-1-seconds-error');
    expect(container.querySelector('#ig-options-rate-1-seconds-error')?.textContent).toBe('Enter a number of seconds, from 0.1 to 86,400.');
    expect(svc.save).not.toHaveBeenCalled();
  });

  test('windows can be added (up to five), removed, and saved; the default comes back on reset', async () => {
    const svc = service();
    await ready(svc);
    await press('rateLimits-custom');
    await press('rate-1-remove');
    await press('rateLimits-add');
    type('rate-1-limit', '50');
    type('rate-1-seconds', '1.5');
    await press('rateLimits-add');
    await press('rateLimits-add');
    await press('rateLimits-add');
    expect(container.querySelectorAll('.ig-rates__row')).toHaveLength(5);
    expect(button('rateLimits-add')).toBeNull();
    for (const row of [4, 3, 2]) await press(`rate-${row}-remove`);
    await click('save');
    expect((svc.save as ReturnType<typeof vi.fn>).mock.calls[0]?.[0].rateLimits).toEqual([
      { limit: 200, windowMs: 5_000 },
      { limit: 50, windowMs: 1_500 },
    ]);
    await press('rateLimits-reset');
    expect(container.textContent).toContain("Inbox Guard uses the platform's default.");
    await click('save');
    expect((svc.save as ReturnType<typeof vi.fn>).mock.calls[1]?.[0].rateLimits).toBeUndefined();
  });

  test('the role limit is saved with the settings', async () => {
    const svc = service();
    await ready(svc);
    act(() => {
      const select = container.querySelector<HTMLSelectElement>('[data-testid="ig-options-pinnedRole"]')!;
      select.value = 'manager';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await click('save');
    expect((svc.save as ReturnType<typeof vi.fn>).mock.calls[0]?.[0]).toMatchObject({ pinnedRole: 'manager' });
  });
});
