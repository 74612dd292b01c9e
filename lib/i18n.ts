/**
 * Localized strings for every surface (overlay, options, errors).
 *
 * Catalogs live in public/_locales/{en,pt_BR,fr}/messages.json and are read through
 * browser.i18n, so the UI follows the browser's language. `MessageKey` is derived from
 * the English catalog, so a typo in a key is a type error; tests/unit/i18n.test.ts checks
 * that the three catalogs have the same keys, none empty, none unused.
 */
import { browser } from 'wxt/browser';
import type en from '../public/_locales/en/messages.json';

export type MessageKey = Exclude<keyof typeof en, 'extName' | 'extDescription'>;

export function t(key: MessageKey, substitutions?: string | number | (string | number)[]): string {
  const subs =
    substitutions === undefined
      ? undefined
      : (Array.isArray(substitutions) ? substitutions : [substitutions]).map(String);
  // Our own key type (from the English catalog) instead of WXT's generated overloads, which
  // lag behind the catalogs until `wxt prepare` runs again.
  try {
    const getMessage = browser.i18n.getMessage as (name: string, substitutions?: string[]) => string;
    return getMessage(key, subs) || key;
  } catch {
    // An orphaned content script (the extension was updated) has no i18n left while it tears down.
    return key;
  }
}

/** The language the UI is shown in, for `lang` attributes and number/date formatting. */
export function uiLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}
