/**
 * The toolbar button's badge: how many messages Inbox Guard hides in this tab, and a "!" when
 * actions failed or wait for the user (signed out).
 */
import { browser } from 'wxt/browser';

const hidden = new Map<number, number>();
let warning = false;

async function paint(tabId?: number): Promise<void> {
  const mark = warning ? '!' : '';
  const color = warning ? '#b91c1c' : '#4a5260';
  try {
    if (tabId === undefined) {
      await browser.action.setBadgeText({ text: mark });
      await browser.action.setBadgeBackgroundColor({ color });
      for (const id of hidden.keys()) await paint(id);
      return;
    }
    const count = hidden.get(tabId) ?? 0;
    await browser.action.setBadgeText({ tabId, text: `${count > 0 ? (count > 999 ? '999+' : count) : ''}${mark}` });
    await browser.action.setBadgeBackgroundColor({ tabId, color });
  } catch {
    // The tab closed meanwhile.
    if (tabId !== undefined) hidden.delete(tabId);
  }
}

export function setHidden(tabId: number, count: number): Promise<void> {
  hidden.set(tabId, count);
  return paint(tabId);
}

export function setWarning(on: boolean): Promise<void> {
  if (on === warning) return Promise.resolve();
  warning = on;
  return paint();
}

export function forgetTab(tabId: number): void {
  hidden.delete(tabId);
}
