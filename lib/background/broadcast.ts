/**
 * Tells every open tab of the configured inbox about a change. Only tabs on the inbox origin
 * are asked (the query needs the host permission the user granted for it); a tab without our
 * content script simply does not answer.
 */
import { browser } from 'wxt/browser';
import type { InboxEvent } from '../messaging';
import { inboxOrigin, type Settings } from '../settings';

export async function broadcast(settings: Settings, event: InboxEvent): Promise<void> {
  let tabs: { id?: number }[];
  try {
    tabs = await browser.tabs.query({ url: `${inboxOrigin(settings)}/*` });
  } catch {
    return;
  }
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined ? undefined : browser.tabs.sendMessage(tab.id, event).catch(() => undefined),
    ),
  );
}
