/**
 * browser.i18n for unit tests: reads the real catalogs in public/_locales with Chrome's
 * placeholder rules, so a component test sees the strings a user sees.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';

export type Locale = 'en' | 'pt_BR' | 'fr';
type Catalog = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

// Tests run from the project root (npm scripts); happy-dom rewrites import.meta.url.
const localesDir = join(process.cwd(), 'public', '_locales') + '/';

export function readCatalog(locale: Locale): Catalog {
  return JSON.parse(readFileSync(`${localesDir}${locale}/messages.json`, 'utf8')) as Catalog;
}

export function format(catalog: Catalog, key: string, substitutions: string[] = []): string {
  const entry = catalog[key];
  if (!entry) return '';
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (_, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
    return content.replace(/\$(\d)/g, (__, index: string) => substitutions[Number(index) - 1] ?? '');
  });
}

export function useLocale(locale: Locale): void {
  const catalog = readCatalog(locale);
  fakeBrowser.i18n.getMessage = ((key: string, substitutions?: string | string[]) =>
    format(catalog, key, substitutions === undefined ? [] : ([] as string[]).concat(substitutions))) as typeof fakeBrowser.i18n.getMessage;
  fakeBrowser.i18n.getUILanguage = () => locale.replace('_', '-');
}
