// @vitest-environment node
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ErrorCode } from '@/lib/errors';
import { format, readCatalog, type Locale } from './helpers/i18n';

const LOCALES: Locale[] = ['en', 'pt_BR', 'fr'];
const manifest = readFileSync('wxt.config.ts', 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('every string exists in English, Brazilian Portuguese and French', () => {
  const en = readCatalog('en');
  const keys = Object.keys(en).sort();

  test.each(LOCALES)('%s has exactly the English keys, none empty, same placeholders', (locale) => {
    const catalog = readCatalog(locale);
    expect(Object.keys(catalog).sort()).toEqual(keys);
    for (const key of keys) {
      expect(catalog[key]?.message.trim(), `${locale}:${key}`).not.toBe('');
      expect(Object.keys(catalog[key]?.placeholders ?? {}).sort(), `${locale}:${key}`).toEqual(
        Object.keys(en[key]?.placeholders ?? {}).sort(),
      );
    }
  });

  test('no key is unused by the code (and the code uses no missing key)', () => {
    const code = [...sources('lib'), ...sources('components'), ...sources('entrypoints')].join('\n');
    const unused = keys.filter((key) => !manifest.includes(`__MSG_${key}__`) && !code.includes(`'${key}'`) && !code.includes(`"${key}"`));
    expect(unused).toEqual([]);
    const referenced = new Set(
      [...code.matchAll(/['"]((?:action|activity|bar|blocked|bulk|command|composer|confirm|error|export|hidden|import|list|menu|notice|options|outbox|panel|pending|platform|policy|reason|role|row|status|undo)_[a-z_]+)['"]/g)].map((m) => m[1]),
    );
    const codes: readonly string[] = ErrorCode.options;
    expect([...referenced].filter((key) => key && !keys.includes(key) && !codes.includes(key))).toEqual([]);
  });

  test('the block confirmation speaks the seeds\' words in each language', () => {
    expect(format(readCatalog('pt_BR'), 'confirm_block_body')).toContain('novas mensagens que ele envie não serão recebidas');
    expect(format(readCatalog('pt_BR'), 'confirm_archive_body')).toContain('reativado quando ele enviar uma nova mensagem');
    expect(format(readCatalog('fr'), 'confirm_block_body')).toContain('après le blocage ne seront pas affichés');
    expect(format(readCatalog('en'), 'confirm_block_title', ['Promo'])).toBe('Block Promo?');
    expect(format(readCatalog('en'), 'reason_admin_only')).toBe('Only administrators can block contacts');
  });
});
