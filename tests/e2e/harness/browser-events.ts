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
    contextMenus: { onClicked: { dispatch(info: object, tab: object): void } };
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
