/**
 * The reference inbox profile (lib/platforms/reference/page.ts) on real snapshots of the
 * reference page (tests/fixtures/reference/, taken by capture.ts), in both API styles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { safeQuery, safeQueryAll } from '@/lib/platforms/page';
import { referencePage } from '@/lib/platforms/reference/page';

function fixture(file: string): Document {
  const html = readFileSync(join(import.meta.dirname, '../../fixtures/reference', file), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

const profile = referencePage();

describe.each(['helena-style.html', 'chatwoot-style.html'])('reference inbox snapshot %s', (file) => {
  const doc = fixture(file);
  const url = new URL(doc.querySelector('meta[name="fixture-url"]')?.getAttribute('content') ?? '');

  test('the open conversation from the address is the one the active row opens', () => {
    const open = profile.conversationId(url);
    expect(open).not.toBeNull();
    expect(profile.rowConversationId(safeQuery(doc, '.ri-row--active')!)).toBe(open);
  });

  test('every row says which conversation it opens, each a different one', () => {
    const ids = safeQueryAll(doc, profile.selectors.row).map((row) => profile.rowConversationId(row));
    expect(ids.every((id) => id !== null)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('every message is read with its id, direction and time', () => {
    const messages = safeQueryAll(doc, profile.selectors.message).map((node) => profile.readMessage(node));
    expect(messages.map((message) => message?.direction)).toEqual(['incoming', 'outgoing', 'outgoing', 'incoming']);
    for (const message of messages) {
      expect(message?.id).toMatch(/\S/);
      expect(Number.isFinite(message?.at)).toBe(true);
    }
  });
});
