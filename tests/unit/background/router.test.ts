// @vitest-environment node
import { describe, expect, test, vi } from 'vitest';
import { createRouter, type Handlers, type Sender } from '@/lib/background/router';
import type { Settings } from '@/lib/settings';

const settings: Settings = {
  platform: 'chatwoot',
  apiStyle: 'helena',
  serverUrl: 'https://chat.example.com',
  accountId: '1',
  rememberToken: false,
};

const deps = {
  extensionId: 'ig-id',
  extensionBaseUrl: 'chrome-extension://ig-id/',
  loadSettings: async () => settings,
};

function handlers(): Handlers {
  return {
    'overlay.hello': vi.fn(async () => ({ active: true })),
    'contact.status': vi.fn(async () => ({ id: '5', name: 'A', status: 'active' as const, confirmed: 'active' as const, statusSince: 1 })),
    'contact.setStatus': vi.fn(async () => ({ id: '5', name: 'A', status: 'blocked' as const, confirmed: 'blocked' as const, statusSince: 2 })),
    'rows.status': vi.fn(async () => ({ statuses: [] })),
    'menu.target': vi.fn(async () => ({})),
    'tab.hidden': vi.fn(async () => ({})),
    'options.open': vi.fn(async () => ({})),
    'settings.get': vi.fn(async () => ({ settings, hasToken: true })),
    'settings.save': vi.fn(async () => ({ settings, hasToken: true })),
    'connection.test': vi.fn(async () => ({ userName: 'A', role: 'admin' as const, roleSource: 'platform' as const, accountId: '1' })),
  };
}

const inboxTab: Sender = { id: 'ig-id', url: 'https://chat.example.com/app/accounts/1/conversations/9', tab: { id: 3 } as Sender['tab'], frameId: 0 };
const optionsPage: Sender = { id: 'ig-id', url: 'chrome-extension://ig-id/options.html' };

describe('the background answers only the right senders, with valid messages', () => {
  test('the inbox content script may ask a contact\'s status', async () => {
    const route = createRouter(handlers(), deps);
    expect(await route({ type: 'contact.status', payload: { conversationId: '9' } }, inboxTab)).toMatchObject({ ok: true, data: { status: 'active' } });
  });

  test('another extension, another site, or a frame inside the inbox is refused', async () => {
    const all = handlers();
    const route = createRouter(all, deps);
    const message = { type: 'contact.setStatus', payload: { contactId: '5', action: 'block' } };
    for (const sender of [
      { ...inboxTab, id: 'evil-extension' },
      { ...inboxTab, url: 'https://evil.example/app/accounts/1/conversations/9' },
      { ...inboxTab, frameId: 4 },
    ]) {
      expect(await route(message, sender)).toEqual({ ok: false, error: { code: 'sender_refused', detail: 'contact.setStatus' } });
    }
    expect(all['contact.setStatus']).not.toHaveBeenCalled();
  });

  test('settings can be changed from the options page only, never from a page script', async () => {
    const all = handlers();
    const route = createRouter(all, deps);
    const save = { type: 'settings.save', payload: { settings } };
    expect(await route(save, inboxTab)).toMatchObject({ ok: false, error: { code: 'sender_refused' } });
    expect(await route(save, optionsPage)).toMatchObject({ ok: true });
  });

  test('a forged or malformed message gets a clear refusal, and nothing runs', async () => {
    const all = handlers();
    const route = createRouter(all, deps);
    expect(await route('hello', inboxTab)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await route({ type: 'fetch', payload: { url: 'https://evil.example' } }, inboxTab)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await route({ type: 'contact.setStatus', payload: { contactId: '5', action: 'delete' } }, inboxTab)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(all['contact.setStatus']).not.toHaveBeenCalled();
  });

  test('a message cannot smuggle a URL: unknown fields are dropped before the handler', async () => {
    const all = handlers();
    const route = createRouter(all, deps);
    await route({ type: 'contact.status', payload: { conversationId: '9', baseUrl: 'https://evil.example' } }, inboxTab);
    expect(all['contact.status']).toHaveBeenCalledWith({ conversationId: '9' }, inboxTab);
  });

  test('a handler failure comes back as a readable error value', async () => {
    const all = handlers();
    all['contact.status'] = async () => {
      throw new Error('boom');
    };
    const log = vi.fn();
    const route = createRouter(all, { ...deps, log });
    expect(await route({ type: 'contact.status', payload: { conversationId: '9' } }, inboxTab)).toEqual({ ok: false, error: { code: 'internal', detail: 'boom' } });
    expect(log).toHaveBeenCalled();
  });

  test('before any configuration, inbox pages are not answered', async () => {
    const route = createRouter(handlers(), { ...deps, loadSettings: async () => null });
    expect(await route({ type: 'overlay.hello', payload: {} }, inboxTab)).toMatchObject({ ok: false, error: { code: 'sender_refused' } });
  });
});
