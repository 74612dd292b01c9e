/**
 * The feature manager on a page (happy-dom, WXT's own content script context, the fake
 * browser standing in for the background): one failing feature never takes the others down,
 * a single-page navigation restarts what belongs to a conversation, a second copy of the
 * script leaves one overlay, and what the user reads after Undo, a shortcut or a menu click.
 */
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { actionBar, HOST_TAG } from '@/lib/features/action-bar';
import { confirm, DIALOG_TAG } from '@/lib/features/confirm';
import { startFeatureManager } from '@/lib/features/manager';
import { shortcuts } from '@/lib/features/shortcuts';
import type { ConversationContext, Feature, FeatureContext } from '@/lib/features/types';
import { TOAST_TAG, undoToast } from '@/lib/features/undo-toast';
import type { ContactView, InboxEvent } from '@/lib/messaging';
import type { ContactStatus, Role } from '@/lib/platforms/types';
import { referencePage } from '@/lib/platforms/reference/page';
import { targetStatus, type StatusAction } from '@/lib/roles';
import { shadowOf } from '../helpers/overlay';

interface Asked {
  type: string;
  payload: Record<string, unknown>;
}

let asked: Asked[];
let contexts: ContentScriptContext[];
/** The contact of each conversation, as the background would answer. */
let contacts: Map<string, ContactView>;
const flush = (ms = 0) => act(() => new Promise((resolve) => setTimeout(resolve, ms)));

function contact(id: string, name: string, status: ContactStatus): ContactView {
  return { id, name, status, confirmed: status, statusSince: 0 };
}

/** The background: answers what the page asks, and applies actions (a second step included). */
function background(role: Role = 'admin') {
  fakeBrowser.runtime.sendMessage = vi.fn(async ({ type, payload }: Asked) => {
    asked.push({ type, payload });
    if (type === 'overlay.hello') return { ok: true, data: { active: true, platform: 'reference', role, roleSource: 'platform', userName: 'Ana' } };
    if (type === 'contact.status') return { ok: true, data: contacts.get(String(payload.conversationId)) };
    if (type === 'contact.setStatus') {
      const [conversation, before] = [...contacts].find(([, view]) => view.id === payload.contactId)!;
      const status = targetStatus[(payload.andThen ?? payload.action) as StatusAction];
      const after = { ...before, status, confirmed: status };
      contacts.set(conversation, after);
      return { ok: true, data: after };
    }
    if (type === 'rows.status') return { ok: true, data: { statuses: [] } };
    return { ok: true, data: {} };
  }) as unknown as typeof fakeBrowser.runtime.sendMessage;
}

/** The page opens conversation `id`: the address changes and the app renders it (a DOM change). */
function navigate(id: string, name: string) {
  history.pushState({}, '', `/inbox/c/${id}`);
  document.querySelector('.ri-chat__who')!.textContent = name;
}

async function start(features: Feature[], log = vi.fn()) {
  const ctx = new ContentScriptContext('inbox');
  contexts.push(ctx);
  let store: Awaited<ReturnType<typeof startFeatureManager>> = null;
  await act(async () => {
    store = await startFeatureManager({ ctx, features, profileFor: () => referencePage(), document, log });
  });
  await flush();
  return { ctx, store: store!, log };
}

/** Pushes an event from the background to this tab. */
const emit = (event: InboxEvent) => act(async () => void (await fakeBrowser.runtime.onMessage.trigger(event, { id: fakeBrowser.runtime.id }, () => undefined)));

/** A feature that keeps its context and writes down what it hears. */
function recorder(id: string, scope: 'page' | 'conversation' = 'page') {
  const heard: { states: number; events: string[]; starts: string[]; aborts: number; ctx?: FeatureContext } = { states: 0, events: [], starts: [], aborts: 0 };
  const init = (ctx: FeatureContext | ConversationContext, signal: AbortSignal) => {
    heard.ctx = ctx;
    heard.starts.push('conversationId' in ctx ? ctx.conversationId : 'page');
    const unsubscribe = ctx.store.subscribe(() => void (heard.states += 1));
    ctx.onEvent((event) => heard.events.push(event.type), signal);
    signal.addEventListener('abort', () => {
      heard.aborts += 1;
      unsubscribe();
    });
  };
  const feature = (scope === 'page' ? { id, scope, init } : { id, scope, init }) as Feature;
  return { feature, heard };
}

beforeEach(() => {
  asked = [];
  contexts = [];
  contacts = new Map([
    ['1', contact('k1', 'Promo Relâmpago', 'active')],
    ['2', contact('k2', 'Mariana Souza', 'active')],
    ['3', contact('k3', 'Renata Campos', 'archived')],
  ]);
  document.body.innerHTML = `
    <main class="ri-chat"><header class="ri-chat__header"><h2 class="ri-chat__who">Promo Relâmpago</h2></header><ol class="ri-thread"></ol></main>`;
  history.replaceState({}, '', '/inbox/c/1');
});

afterEach(() => {
  for (const ctx of contexts) ctx.notifyInvalidated();
  for (const host of document.querySelectorAll('[data-inbox-guard]')) host.remove();
});

describe('one failing feature does not take the others down', () => {
  test('a feature that throws as it starts is logged; the features after it start and the overlay works', async () => {
    background();
    const broken: Feature = {
      id: 'broken',
      scope: 'page',
      init() {
        throw new Error('boom');
      },
    };
    const brokenLater: Feature = { id: 'broken-later', scope: 'conversation', init: async () => Promise.reject(new Error('later')) };
    const { feature, heard } = recorder('after');
    const { log } = await start([broken, brokenLater, feature, actionBar]);
    expect(log).toHaveBeenCalledWith('feature broken failed', expect.any(Error));
    expect(log).toHaveBeenCalledWith('feature broken-later failed', expect.any(Error));
    expect(heard.starts).toEqual(['page']);
    expect(shadowOf(HOST_TAG)?.textContent).toContain('Active');
  });

  test('a feature whose store listener or event listener throws: later features still hear every change, and an action still goes through', async () => {
    background();
    const throwing: Feature = {
      id: 'throwing',
      scope: 'page',
      init(ctx, signal) {
        ctx.store.subscribe(() => {
          throw new Error('store listener');
        });
        ctx.onEvent(() => {
          throw new Error('event listener');
        }, signal);
      },
    };
    const { feature, heard } = recorder('after');
    const { store, log } = await start([throwing, feature, actionBar]);
    expect(heard.states).toBeGreaterThan(0);
    expect(shadowOf(HOST_TAG)?.textContent).toContain('Active');

    const states = heard.states;
    await act(() => heard.ctx!.run('block'));
    expect(heard.states).toBeGreaterThan(states);
    expect(store.get().contact?.status).toBe('blocked');
    expect(shadowOf(HOST_TAG)?.textContent).toContain('Blocked');
    expect(log).toHaveBeenCalledWith('a store listener failed', expect.any(Error));

    await emit({ type: 'contact.changed', contact: contact('k1', 'Promo Relâmpago', 'archived') });
    expect(heard.events).toEqual(['contact.changed']);
    expect(store.get().contact?.status).toBe('archived');
    expect(log).toHaveBeenCalledWith('an event listener failed on contact.changed', expect.any(Error));
  });
});

describe('the page changes under the overlay', () => {
  test('opening another conversation in the single-page app stops the first conversation\'s features and starts them for the new one', async () => {
    background();
    const { feature, heard } = recorder('per-conversation', 'conversation');
    const { store } = await start([feature, actionBar]);
    expect(heard.starts).toEqual(['1']);
    expect(store.get().contact?.name).toBe('Promo Relâmpago');

    navigate('2', 'Mariana Souza');
    await flush();
    expect(heard.aborts).toBe(1);
    expect(heard.starts).toEqual(['1', '2']);
    expect(store.get()).toMatchObject({ conversationId: '2', contact: { name: 'Mariana Souza' } });
    expect(document.querySelectorAll(HOST_TAG)).toHaveLength(1);

    // An address change that keeps the conversation (a query string) restarts nothing.
    history.pushState({}, '', '/inbox/c/2?tab=info');
    document.body.append(document.createElement('span'));
    await flush();
    expect(heard.starts).toEqual(['1', '2']);
  });

  test('an action answered after the user moved to another conversation stays with its contact: the new conversation keeps its own', async () => {
    background();
    const answer = fakeBrowser.runtime.sendMessage;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    fakeBrowser.runtime.sendMessage = vi.fn(async (message: Asked) => {
      if (message.type === 'contact.setStatus') await held;
      return answer(message);
    }) as unknown as typeof fakeBrowser.runtime.sendMessage;
    const { feature, heard } = recorder('after');
    const { store } = await start([feature, undoToast, actionBar]);
    expect(store.get().contact?.name).toBe('Promo Relâmpago');
    let done: Promise<void> = Promise.resolve();
    act(() => void (done = heard.ctx!.run('block')));
    expect(store.get().contact?.status).toBe('blocked'); // at once, on the page

    navigate('2', 'Mariana Souza');
    await flush();
    expect(store.get()).toMatchObject({ conversationId: '2', contact: { name: 'Mariana Souza', status: 'active' } });
    release();
    await act(() => done);
    await flush();
    // The block landed for Promo; Mariana's bar still shows Mariana, active.
    expect(contacts.get('1')?.status).toBe('blocked');
    expect(store.get()).toMatchObject({ conversationId: '2', contact: { id: 'k2', name: 'Mariana Souza', status: 'active' }, pending: null });
    expect(shadowOf(HOST_TAG)?.textContent).toContain('Active');
  });

  test('a second copy of the script (the extension updated or injected again) leaves one overlay, never two', async () => {
    background();
    const features = [confirm, undoToast, actionBar];
    await start(features);
    expect(document.querySelectorAll(`${HOST_TAG}, ${TOAST_TAG}, ${DIALOG_TAG}`)).toHaveLength(3);
    const second = await start(features);
    await flush();
    expect(document.querySelectorAll(HOST_TAG)).toHaveLength(1);
    expect(document.querySelectorAll(TOAST_TAG)).toHaveLength(1);
    expect(document.querySelectorAll(DIALOG_TAG)).toHaveLength(1);
    expect(contexts[0]!.isInvalid).toBe(true);
    // The copy left is the one that works.
    await act(() => second.store.set({ notice: { code: 'network' } }));
    expect(shadowOf(TOAST_TAG)?.textContent).toContain("Can't reach the platform.");
  });
});

describe('what the user reads and gets', () => {
  test('Archived → Block → Undo: the contact is Archived again (unblock, then archive, asked as one change)', async () => {
    background();
    history.replaceState({}, '', '/inbox/c/3');
    document.querySelector('.ri-chat__who')!.textContent = 'Renata Campos';
    const { feature, heard } = recorder('after');
    const { store } = await start([feature, undoToast, actionBar]);
    expect(store.get().contact?.status).toBe('archived');
    await act(() => heard.ctx!.run('block'));
    expect(store.get().contact?.status).toBe('blocked');
    const toast = shadowOf(TOAST_TAG)!;
    expect(toast.textContent).toContain('Renata Campos is blocked.');

    act(() => toast.querySelector<HTMLButtonElement>('[data-testid="ig-undo-action"]')!.click());
    await flush();
    expect(asked.filter((message) => message.type === 'contact.setStatus').map((message) => message.payload)).toEqual([
      expect.objectContaining({ contactId: 'k3', action: 'block' }),
      expect.objectContaining({ contactId: 'k3', action: 'unblock', andThen: 'archive' }),
    ]);
    expect(store.get().contact?.status).toBe('archived');
    expect(shadowOf(HOST_TAG)?.textContent).toContain('Archived');
    // Undoing an undo is not offered.
    expect(store.get().undo).toBeNull();
  });

  test('Active → Block → Undo is one unblock, as before', async () => {
    background();
    const { feature, heard } = recorder('after');
    const { store } = await start([feature, undoToast]);
    await act(() => heard.ctx!.run('block'));
    expect(store.get().undo).toMatchObject({ action: 'unblock', done: 'block' });
    expect(store.get().undo?.andThen).toBeUndefined();
  });

  test('"toggle archive" on a blocked contact says why, in the user\'s language, and opens no dialog', async () => {
    background();
    contacts.set('1', contact('k1', 'Promo Relâmpago', 'blocked'));
    await start([confirm, undoToast, shortcuts]);
    await emit({ type: 'command', command: 'toggle-archive' });
    expect(shadowOf(TOAST_TAG)?.querySelector('[data-testid="ig-notice"]')?.textContent).toContain("A blocked contact can't be archived: unblock them first.");
    expect(shadowOf(DIALOG_TAG)?.querySelector('dialog')).toBeFalsy();
  });

  test('an agent\'s Block from the context menu is refused on the page before any dialog', async () => {
    background('agent');
    await start([confirm, undoToast]);
    await emit({ type: 'menu.confirm', action: 'block', contact: { id: 'k2', name: 'Mariana Souza', status: 'active' } });
    expect(shadowOf(DIALOG_TAG)?.querySelector('dialog')).toBeFalsy();
    expect(shadowOf(TOAST_TAG)?.querySelector('[data-testid="ig-notice"]')?.textContent).toContain('Only administrators can block');
    expect(asked.some((message) => message.type === 'contact.setStatus')).toBe(false);
  });

  test('a selected phone or e-mail that several contacts share: the notice says so', async () => {
    background();
    await start([undoToast]);
    await emit({ type: 'notice', error: { code: 'ambiguous', detail: '2' } });
    expect(shadowOf(TOAST_TAG)?.querySelector('[data-testid="ig-notice"]')?.textContent).toContain('This phone or e-mail matches 2 contacts, so nothing was done');
  });
});
