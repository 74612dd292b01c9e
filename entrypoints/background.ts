import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { broadcast } from '@/lib/background/broadcast';
import { createRouter } from '@/lib/background/router';
import { createService } from '@/lib/background/service';

// Wiring only: one message listener routed through the typed protocol, and the first-run
// welcome (the options page, where the user connects their platform).
export default defineBackground(() => {
  const service = createService({ fetch: (...args) => fetch(...args), broadcast });
  const route = createRouter(service.handlers, {
    extensionId: browser.runtime.id,
    extensionBaseUrl: browser.runtime.getURL('/'),
    loadSettings: service.loadSettings,
    log: (message, detail) => console.warn(`[Inbox Guard] ${message}`, detail),
  });
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });
});
