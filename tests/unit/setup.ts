import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { closeStore } from '@/lib/store/db';
import { useLocale } from './helpers/i18n';

beforeEach(async () => {
  fakeBrowser.reset();
  useLocale('en');
  // Host permissions: granted unless a test says otherwise.
  fakeBrowser.permissions.contains = async () => true;
  await closeStore();
  globalThis.indexedDB = new IDBFactory();
});
