import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { closeStore } from '@/lib/store/db';
import { useLocale } from './helpers/i18n';

/**
 * happy-dom lays nothing out, so its IntersectionObserver never reports: here every observed
 * element is "in view" (a real browser decides in the e2e tests).
 */
class EverythingInView {
  private readonly callback: IntersectionObserverCallback;
  constructor(callback: IntersectionObserverCallback) {
    this.callback = callback;
  }
  observe(target: Element) {
    queueMicrotask(() => this.callback([{ target, isIntersecting: true } as IntersectionObserverEntry], this as unknown as IntersectionObserver));
  }
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
globalThis.IntersectionObserver = EverythingInView as unknown as typeof IntersectionObserver;

beforeEach(async () => {
  fakeBrowser.reset();
  useLocale('en');
  // Host permissions: granted unless a test says otherwise.
  fakeBrowser.permissions.contains = async () => true;
  await closeStore();
  globalThis.indexedDB = new IDBFactory();
});
