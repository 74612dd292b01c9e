/**
 * Tells every open tab of the configured inbox about a change. Only tabs on the inbox origin
 * are asked (the query needs the host permission the user granted for it); a tab without our
 * content script simply does not answer. Nothing waits for a tab's answer: a tab that never
 * answers (a page being torn down, a copy of the content script left by an extension reload)
 * must not hold up the outbox.
 */
import { browser } from 'wxt/browser';
import type { InboxEvent } from '../messaging';
import { inboxOrigin, matchPattern, type Settings } from '../settings';

export async function broadcast(settings: Settings, event: InboxEvent): Promise<void> {
  const origin = inboxOrigin(settings);
  let tabs: { id?: number; url?: string }[];
  try {
    tabs = await browser.tabs.query({ url: matchPattern(origin) });
  } catch {
    return;
  }
  for (const tab of tabs) {
    if (tab.id === undefined || !tab.url?.startsWith(`${origin}/`)) continue;
    void browser.tabs.sendMessage(tab.id, event).catch(() => undefined);
  }
}
