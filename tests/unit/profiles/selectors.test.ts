/**
 * Every named selector of every platform against every fixture page it is listed for, with the
 * exact number of matches (tests/fixtures/<platform>/selectors.ts). When a platform changes its
 * markup, the failing test names the platform, the selector and the page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chatwootPage } from '@/lib/platforms/chatwoot/page';
import { helenaPage } from '@/lib/platforms/helena/page';
import { SELECTOR_NAMES, type PageProfile, type SelectorName } from '@/lib/platforms/page';
import { referencePage } from '@/lib/platforms/reference/page';
import { chatwootSelectorCounts } from '../../fixtures/chatwoot/selectors';
import { helenaSelectorCounts } from '../../fixtures/helena/selectors';
import { referenceSelectorCounts } from '../../fixtures/reference/selectors';

interface Platform {
  id: PageProfile['id'];
  profile: PageProfile;
  counts: Partial<Record<SelectorName, Record<string, number>>>;
}

const PLATFORMS: Platform[] = [
  { id: 'chatwoot', profile: chatwootPage(), counts: chatwootSelectorCounts },
  { id: 'helena', profile: helenaPage(), counts: helenaSelectorCounts },
  { id: 'reference', profile: referencePage(), counts: referenceSelectorCounts },
];

const folder = (id: string) => join(import.meta.dirname, '../../fixtures', id);
const pagesOf = (id: string) => readdirSync(folder(id)).filter((file) => file.endsWith('.html')).sort();

const parsed = new Map<string, Document>();
function fixture(id: string, file: string): Document {
  const key = `${id}/${file}`;
  let doc = parsed.get(key);
  if (!doc) {
    doc = new DOMParser().parseFromString(readFileSync(join(folder(id), file), 'utf8'), 'text/html');
    parsed.set(key, doc);
  }
  return doc;
}

const times = (count: number) => (count === 1 ? 'once' : `${count} times`);

for (const { id, profile, counts } of PLATFORMS) {
  describe(`${id} page profile`, () => {
    test('every named selector has a row in the table, listing every fixture page of the platform', () => {
      const pages = pagesOf(id);
      expect(pages.length).toBeGreaterThan(0);
      for (const name of SELECTOR_NAMES) {
        expect(Object.keys(counts[name] ?? {}).sort(), `${id}.${name}`).toEqual(pages);
      }
    });

    for (const name of SELECTOR_NAMES) {
      for (const [page, count] of Object.entries(counts[name] ?? {})) {
        test(`${name} matches ${times(count)} on ${page}`, () => {
          // No safeQueryAll here: an invalid default selector must fail loudly, not count 0.
          const matches = fixture(id, page).querySelectorAll(profile.selectors[name]);
          expect(matches.length, `${id}.${name} = ${profile.selectors[name]} on ${page}`).toBe(count);
        });
      }
    }
  });
}
