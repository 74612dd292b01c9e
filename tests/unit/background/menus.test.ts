// @vitest-environment node
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { actionOfItem, createMenus, labelMenus, MENU_ROOT, SELECTION_ITEM } from '@/lib/background/menus';

const created: Record<string, unknown>[] = [];
const updates = new Map<string, { visible?: boolean; enabled?: boolean }>();

beforeEach(() => {
  created.length = 0;
  updates.clear();
  Object.assign(fakeBrowser, {
    contextMenus: {
      removeAll: vi.fn(async () => undefined),
      create: vi.fn((properties: Record<string, unknown>, done?: () => void) => {
        created.push(properties);
        done?.();
      }),
      update: vi.fn(async (id: string, properties: { visible?: boolean; enabled?: boolean }) => void updates.set(id, properties)),
    },
  });
  Object.assign(fakeBrowser.runtime, { lastError: undefined });
});

describe('the context menu', () => {
  test('lives only on the configured inbox\'s pages, with an item for a selected number or e-mail', async () => {
    await createMenus(['https://chat.example.com/*']);
    expect(created.map((item) => item.id)).toEqual([
      MENU_ROOT,
      'inbox-guard-block',
      'inbox-guard-unblock',
      'inbox-guard-archive',
      'inbox-guard-unarchive',
      SELECTION_ITEM,
    ]);
    for (const item of created) expect(item.documentUrlPatterns).toEqual(['https://chat.example.com/*']);
    expect(created.find((item) => item.id === SELECTION_ITEM)?.title).toBe('Block “%s”');
    expect(created.find((item) => item.id === SELECTION_ITEM)?.contexts).toEqual(['selection']);
  });

  test('no configured inbox, no menu', async () => {
    await createMenus([]);
    expect(created).toEqual([]);
  });

  test('labelled for the contact\'s status: only the actions that apply are shown', async () => {
    await labelMenus({ status: 'active', role: 'admin' });
    expect(Object.fromEntries([...updates].map(([id, { visible }]) => [id, visible]))).toEqual({
      'inbox-guard-block': true,
      'inbox-guard-unblock': false,
      'inbox-guard-archive': true,
      'inbox-guard-unarchive': false,
    });
    await labelMenus({ status: 'blocked', role: 'admin' });
    expect(updates.get('inbox-guard-unblock')?.visible).toBe(true);
    expect(updates.get('inbox-guard-block')?.visible).toBe(false);
    expect(updates.get('inbox-guard-archive')?.visible).toBe(false);
  });

  test('an agent sees Block, disabled; archive stays available', async () => {
    await labelMenus({ status: 'active', role: 'agent' });
    expect(updates.get('inbox-guard-block')).toEqual({ visible: true, enabled: false });
    expect(updates.get('inbox-guard-archive')).toEqual({ visible: true, enabled: true });
  });

  test('nothing recognised under the pointer: no contact items', async () => {
    await labelMenus({ role: 'admin' });
    for (const [id, properties] of updates) if (id !== SELECTION_ITEM) expect(properties.visible).toBe(false);
    await labelMenus(null);
    for (const [id, properties] of updates) if (id !== SELECTION_ITEM) expect(properties.visible).toBe(false);
  });

  test('"Block “…”" on selected text is disabled for an agent, wherever they right-click, and enabled for an admin', async () => {
    await labelMenus({ role: 'agent' });
    expect(updates.get(SELECTION_ITEM)).toEqual({ enabled: false });
    await labelMenus({ status: 'active', role: 'agent' });
    expect(updates.get(SELECTION_ITEM)).toEqual({ enabled: false });
    await labelMenus({ role: 'manager' });
    expect(updates.get(SELECTION_ITEM)).toEqual({ enabled: true });
    await labelMenus({ status: 'blocked', role: 'admin' });
    expect(updates.get(SELECTION_ITEM)).toEqual({ enabled: true });
  });

  test('menu item ids map back to actions', () => {
    expect(actionOfItem('inbox-guard-unarchive')).toBe('unarchive');
    expect(actionOfItem(SELECTION_ITEM)).toBeNull();
  });
});
