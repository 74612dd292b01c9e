import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { useLocale } from './helpers/i18n';

beforeEach(() => {
  fakeBrowser.reset();
  useLocale('en');
});
