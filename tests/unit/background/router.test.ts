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
    'blocked.conversations': vi.fn(async () => ({ total: 0, rows: [] })),
    'menu.target': vi.fn(async () => ({})),
    'tab.hidden': vi.fn(async () => ({})),
    'options.open': vi.fn(async () => ({})),
    'settings.get': vi.fn(async () => ({ settings, hasToken: true })),
    'settings.save': vi.fn(async () => ({ settings, hasToken: true })),
    'connection.test': vi.fn(async () => ({ userName: 'A', role: 'admin' as const, roleSource: 'platform' as const, accountId: '1' })),
    'panel.state': vi.fn(async () => ({ session: { active: true }, counts: { blocked: 0, archived: 0 }, outbox: { queued: 0, failed: 0, paused: 0 }, jobs: [], syncing: false })),
    'contacts.list': vi.fn(async () => ({ total: 0, rows: [] })),
    'contacts.find': vi.fn(async () => ({ rows: [], more: false })),
    'bulk.start': vi.fn(async () => job),
    'import.apply': vi.fn(async () => ({ ...job, kind: 'import' as const })),
    'export.rows': vi.fn(async () => ({ rows: [] })),
    'jobs.list': vi.fn(async () => ({ jobs: [job] })),
    'job.items': vi.fn(async () => ({ total: 0, items: [] })),
    'job.cancel': vi.fn(async () => ({ ...job, state: 'cancelled' as const })),
    'outbox.list': vi.fn(async () => ({ items: [] })),
    'outbox.retry': vi.fn(async () => ({})),
    'outbox.discard': vi.fn(async () => ({})),
    'activity.list': vi.fn(async () => ({ entries: [] })),
    'sync.now': vi.fn(async () => ({ changed: 0, at: 1 })),
  };
}

const job = {
  id: 'j1', kind: 'bulk' as const, action: 'block' as const, state: 'running' as const, total: 3, done: 0, failed: 0, skipped: 0,
  createdAt: 1, by: { userName: 'A', role: 'admin' as const },
};

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

  test('the panel\'s messages (lists, bulk jobs, import, outbox, activity, sync) come from extension pages only', async () => {
    const all = handlers();
    const route = createRouter(all, deps);
    const asks = [
      { type: 'panel.state', payload: {} },
      { type: 'contacts.list', payload: { status: 'blocked', offset: 0, limit: 50 } },
      { type: 'bulk.start', payload: { action: 'block', contactIds: ['1', '2'] } },
      { type: 'import.apply', payload: { rows: [{ phone: '+5511987654321', status: 'blocked' }] } },
      { type: 'export.rows', payload: { statuses: ['blocked'] } },
      { type: 'jobs.list', payload: {} },
      { type: 'job.items', payload: { id: 'j1', offset: 0, limit: 10 } },
      { type: 'job.cancel', payload: { id: 'j1' } },
      { type: 'outbox.list', payload: {} },
      { type: 'outbox.retry', payload: { seq: 3 } },
      { type: 'outbox.discard', payload: { seq: 3 } },
      { type: 'activity.list', payload: { limit: 20 } },
      { type: 'sync.now', payload: {} },
    ];
    for (const message of asks) {
      expect(await route(message, inboxTab), message.type).toEqual({ ok: false, error: { code: 'sender_refused', detail: message.type } });
      expect(await route(message, optionsPage), message.type).toMatchObject({ ok: true });
    }
    for (const message of asks) expect(all[message.type as keyof Handlers], message.type).toHaveBeenCalledTimes(1);
  });

  test('an import row that is not a phone in E.164, or a bulk job of no contact, is refused before any handler', async () => {
    const all = handlers();
    const route = createRouter(all, deps);
    expect(await route({ type: 'import.apply', payload: { rows: [{ phone: '11 98765-4321', status: 'blocked' }] } }, optionsPage)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await route({ type: 'bulk.start', payload: { action: 'block', contactIds: [] } }, optionsPage)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(all['import.apply']).not.toHaveBeenCalled();
    expect(all['bulk.start']).not.toHaveBeenCalled();
  });

  test('before any configuration, inbox pages are not answered', async () => {
    const route = createRouter(handlers(), { ...deps, loadSettings: async () => null });
    expect(await route({ type: 'overlay.hello', payload: {} }, inboxTab)).toMatchObject({ ok: false, error: { code: 'sender_refused' } });
  });
});
