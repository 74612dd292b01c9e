import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { broadcast } from '@/lib/background/broadcast';
import { createRouter } from '@/lib/background/router';
import { createService } from '@/lib/background/service';
import { forgetTab } from '@/lib/background/toolbar';
import { InboxEvent } from '@/lib/messaging';
import { DEFAULT_BACKOFF } from '@/lib/outbox/backoff';
import { watchPolicy } from '@/lib/policy';

const OUTBOX_ALARM = 'outbox';
const OUTBOX_WAKE_ALARM = 'outbox-wake';
const SYNC_ALARM = 'sync';
// The e2e build retries sooner, so the fault tests take seconds, not minutes.
const backoff = import.meta.env.MODE === 'e2e' ? { baseMs: 250, capMs: 3_000 } : DEFAULT_BACKOFF;

// Wiring only: the message router, the outbox's wake-ups (alarms, re-created on every start;
// a timer when the next try is soon), browser start-up, host permission changes, the context
// menu, the keyboard shortcuts, and the content script for tabs open before an install/update.
export default defineBackground(() => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const service = createService({
    fetch: (...args) => fetch(...args),
    broadcast,
    backoff,
    log: (message, detail) => console.warn(`[Inbox Guard] ${message}`, detail ?? ''),
    wake(at) {
      const delay = Math.max(0, at - Date.now());
      clearTimeout(timer);
      if (delay < 60_000) timer = setTimeout(() => void service.drain(), delay);
      void browser.alarms.create(OUTBOX_WAKE_ALARM, { when: Math.max(at, Date.now() + 30_000) });
    },
  });
  const route = createRouter(service.handlers, {
    extensionId: browser.runtime.id,
    extensionBaseUrl: browser.runtime.getURL('/'),
    loadSettings: service.loadSettings,
    log: (message, detail) => console.warn(`[Inbox Guard] ${message}`, detail),
  });
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));

  void browser.alarms.create(OUTBOX_ALARM, { periodInMinutes: 1 });
  void browser.alarms.create(SYNC_ALARM, { periodInMinutes: 5 });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void service.sync();
    else if (alarm.name === OUTBOX_ALARM || alarm.name === OUTBOX_WAKE_ALARM) {
      void service.drain();
      void service.resumeJobs();
    }
  });
  browser.runtime.onStartup.addListener(() => {
    void service.refreshMenus();
    void service.drain();
    void service.resumeJobs();
    void service.sync();
  });
  browser.runtime.onInstalled.addListener(({ reason }) => {
    void service.refreshMenus();
    if (reason === 'install') void browser.runtime.openOptionsPage();
    else void service.injectIntoOpenTabs();
  });
  browser.permissions.onAdded.addListener(() => void service.permissionsChanged());
  browser.permissions.onRemoved.addListener(() => void service.permissionsChanged());
  // The organisation changed its policy: the settings changed under the tabs (same as a permission change).
  watchPolicy(() => void service.permissionsChanged());
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (tab?.id !== undefined) void service.menuClicked(info.menuItemId, tab.id, info.selectionText);
  });
  browser.commands.onCommand.addListener((command, tab) => {
    const event = InboxEvent.safeParse({ type: 'command', command });
    if (event.success && tab?.id !== undefined) void browser.tabs.sendMessage(tab.id, event.data).catch(() => undefined);
  });
  browser.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));
  self.addEventListener('online', () => void service.drain());

  // The e2e build only: the benchmark times local lookups inside the worker (P7).
  if (import.meta.env.MODE === 'e2e') {
    (globalThis as unknown as { __inboxGuardLookup?: (key: string) => Promise<unknown> }).__inboxGuardLookup = (key) => service.lookupLocal(key);
  }

  // Every start of the worker: finish what a stopped worker left, jobs included.
  void service.refreshWarning();
  void service.drain();
  void service.resumeJobs();
});
