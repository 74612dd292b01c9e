/**
 * Tells every open tab of the configured inbox about a change. Only tabs on the inbox origin
 * are asked (the query needs the host permission the user granted for it); a tab without our
 * content script simply does not answer.
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
  await Promise.all(
    tabs
      .filter((tab) => tab.id !== undefined && tab.url?.startsWith(`${origin}/`))
      .map((tab) => browser.tabs.sendMessage(tab.id!, event).catch(() => undefined)),
  );
}
