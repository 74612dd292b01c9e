/**
 * What the browser itself would do, done in the extension's service worker: the context menu
 * item the user picks and the keyboard shortcut they press reach the extension as
 * `contextMenus.onClicked` / `commands.onCommand` events. A headless browser shows no menu and
 * routes no global shortcut, so the tests dispatch those same events (Chrome's event objects
 * carry `dispatch`); everything from the listener on is the extension's real code.
 */
import type { ChromiumSession } from './chromium';

interface ChromeInWorker {
  chrome: {
    tabs: { query(filter: object): Promise<{ id: number; url?: string }[]> };
    contextMenus: {
      onClicked: { dispatch(info: object, tab: object): void };
      update(id: string | number, properties: { visible?: boolean; enabled?: boolean }, ...rest: unknown[]): unknown;
    };
    commands: { onCommand: { dispatch(command: string, tab: object): void } };
    action: { getBadgeText(details: object): Promise<string> };
  };
}

async function tabOf(browser: ChromiumSession, url: string) {
  const worker = await browser.worker();
  return worker.evaluate(async (prefix) => {
    const { chrome } = globalThis as unknown as ChromeInWorker;
    const tabs = await chrome.tabs.query({});
    const tab = tabs.find((candidate) => candidate.url?.startsWith(prefix));
    if (!tab) throw new Error(`no tab at ${prefix}`);
    return tab;
  }, url);
}

export async function pickMenuItem(browser: ChromiumSession, pageUrl: string, menuItemId: string, selectionText?: string): Promise<void> {
  const tab = await tabOf(browser, pageUrl);
  const worker = await browser.worker();
  await worker.evaluate(
    ([id, target, selection]) => {
      const { chrome } = globalThis as unknown as ChromeInWorker;
      chrome.contextMenus.onClicked.dispatch({ menuItemId: id, editable: false, pageUrl: target.url, ...(selection ? { selectionText: selection } : {}) }, target);
    },
    [menuItemId, tab, selectionText ?? ''] as const,
  );
}

/**
 * What the context menu would offer now: the items the extension made visible, by id, with
 * " (disabled)" after those it greyed out. A headless browser draws no menu, so from this call on
 * the extension's own `contextMenus.update` calls are noted on their way through to Chrome
 * (until the service worker restarts). Returns the reader, to poll.
 */
export async function watchMenu(browser: ChromiumSession): Promise<() => Promise<string[]>> {
  const worker = await browser.worker();
  await worker.evaluate(() => {
    const scope = globalThis as unknown as ChromeInWorker & { igMenuSeen?: Record<string, { visible?: boolean; enabled?: boolean }> };
    if (scope.igMenuSeen) return;
    const seen: Record<string, { visible?: boolean; enabled?: boolean }> = {};
    scope.igMenuSeen = seen;
    const menus = scope.chrome.contextMenus;
    const update = menus.update.bind(menus);
    menus.update = (id, properties, ...rest) => {
      seen[String(id)] = { ...seen[String(id)], ...properties };
      return update(id, properties, ...rest);
    };
  });
  return () =>
    worker.evaluate(() => {
      const seen = (globalThis as unknown as { igMenuSeen: Record<string, { visible?: boolean; enabled?: boolean }> }).igMenuSeen;
      return Object.entries(seen)
        .filter(([, item]) => item.visible)
        .map(([id, item]) => (item.enabled === false ? `${id} (disabled)` : id))
        .sort();
    });
}

export async function pressShortcut(browser: ChromiumSession, pageUrl: string, command: 'toggle-block' | 'toggle-archive'): Promise<void> {
  const tab = await tabOf(browser, pageUrl);
  const worker = await browser.worker();
  await worker.evaluate(
    ([name, target]) => {
      const { chrome } = globalThis as unknown as ChromeInWorker;
      chrome.commands.onCommand.dispatch(name, target);
    },
    [command, tab] as const,
  );
}

export async function toolbarBadge(browser: ChromiumSession, pageUrl: string): Promise<string> {
  const tab = await tabOf(browser, pageUrl);
  const worker = await browser.worker();
  return worker.evaluate((tabId) => (globalThis as unknown as ChromeInWorker).chrome.action.getBadgeText({ tabId }), tab.id);
}
