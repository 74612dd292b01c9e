/**
 * The Helena page profile (lib/platforms/helena/page.ts) — BEST EFFORT, like its fixtures
 * (tests/fixtures/helena/: the markup the profile assumes, not snapshots). What is tested here
 * is that the assumptions hold together: the session uuid from every address shape assumed,
 * messages and rows of the assumed markup, and overrides that cannot break the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { helenaPage, helenaSelectors } from '@/lib/platforms/helena/page';
import { safeQuery, safeQueryAll, SELECTOR_NAMES, type SelectorOverrides } from '@/lib/platforms/page';

const PAGES = ['session.html', 'inbox.html'];
const SESSION = '5b0c7e2a-9f4d-4c1e-8a37-2d6f0b9e41c3';

function fixture(file: string): Document {
  const html = readFileSync(join(import.meta.dirname, '../../fixtures/helena', file), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

const fixtureUrl = (doc: Document) => new URL(doc.querySelector('meta[name="fixture-url"]')?.getAttribute('content') ?? '');
const profile = helenaPage();

describe('the open session comes from the address', () => {
  test.each([
    `https://lojaaurora.wts.chat/chat2/sessions/${SESSION}`,
    `https://lojaaurora.wts.chat/chat2/sessions/${SESSION}/`,
    `https://lojaaurora.wts.chat/chat/${SESSION}?tab=contact`,
    `https://app.flw.chat/atendimentos/${SESSION}`,
    `https://empresa.helena.run/chat2?session=${SESSION}`,
    `https://empresa.helena.run/chat2?sessionId=${SESSION}`,
    `https://lojaaurora.wts.chat/#/chat/sessions/${SESSION}`,
    `https://lojaaurora.wts.chat/#/chat2?session=${SESSION}`,
    `https://lojaaurora.wts.chat/chat2/sessions/${SESSION.toUpperCase()}`,
  ])('reads the session uuid from %s', (address) => {
    expect(profile.conversationId(new URL(address))).toBe(SESSION);
  });

  test.each([
    'https://lojaaurora.wts.chat/chat2',
    `https://lojaaurora.wts.chat/contacts/${SESSION}`,
    `https://lojaaurora.wts.chat/departments/${SESSION}/agents`,
    'https://lojaaurora.wts.chat/chat2/sessions/not-a-uuid',
    'https://lojaaurora.wts.chat/chat2?session=1234',
    'https://lojaaurora.wts.chat/#/contacts',
  ])('finds no open session on %s', (address) => {
    expect(profile.conversationId(new URL(address))).toBeNull();
  });

  test.each([
    ['session.html', SESSION],
    ['inbox.html', null],
  ])('reads the address each fixture stands for (%s)', (file, expected) => {
    expect(profile.conversationId(fixtureUrl(fixture(file)))).toBe(expected);
  });
});

describe('messages', () => {
  test('reads every message of the open session: received incoming, sent and notes outgoing, with their time', () => {
    const doc = fixture('session.html');
    const items = [...doc.querySelectorAll('.chat-thread > li')].map((node) => profile.readMessage(node));
    expect(items).toEqual([
      { id: 'e3b1c6d2-0a4f-4b7e-9c58-1f2a3d4e5b60', direction: 'incoming', at: Date.parse('2026-11-21T12:41:00.000Z') },
      { id: '7f6e5d4c-3b2a-4190-8e7d-6c5b4a392817', direction: 'outgoing', at: Date.parse('2026-11-21T12:43:00.000Z') },
      null, // "Atendimento transferido …": a system line
      { id: '2a9c8b7d-6e5f-4031-9a2b-8c7d6e5f4a31', direction: 'outgoing', at: Date.parse('2026-11-21T12:44:00.000Z') },
      { id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', direction: 'incoming', at: Date.parse('2026-11-21T13:02:00.000Z') },
    ]);
  });

  test('uuids say nothing about order: no message has one', () => {
    for (const node of safeQueryAll(fixture('session.html'), profile.selectors.message)) {
      expect(profile.readMessage(node)).not.toHaveProperty('order');
    }
  });

  test('a time given as epoch milliseconds in data-created-at is read too', () => {
    const li = document.createElement('li');
    li.className = 'chat-message chat-message--received';
    li.dataset.messageId = 'm1';
    li.dataset.createdAt = '1795000000000';
    expect(profile.readMessage(li)).toEqual({ id: 'm1', direction: 'incoming', at: 1_795_000_000_000 });
  });
});

describe('the session list', () => {
  test('each row says which session it opens', () => {
    const rows = safeQueryAll(fixture('session.html'), profile.selectors.row);
    expect(rows.map((row) => profile.rowConversationId(row))).toEqual([
      SESSION,
      '0e8f3a51-7c2b-4d9e-b1a6-93c5d7e2f804',
      'c41d9b07-2e6a-4f85-9b3c-7a1e0d5f6b28',
      'a7e2c94f-1b3d-4e60-8f52-6d0b9c3a1e75',
    ]);
  });

  test('a row without a data attribute is read from its link; a row with neither gives null', () => {
    const linked = document.createElement('li');
    linked.innerHTML = `<a href="/chat2/sessions/${SESSION}">Mariana</a>`;
    expect(profile.rowConversationId(linked)).toBe(SESSION);
    const bare = document.createElement('li');
    bare.innerHTML = '<span>Mariana</span>';
    expect(profile.rowConversationId(bare)).toBeNull();
  });

  test('each row has one contact name', () => {
    const names = safeQueryAll(fixture('inbox.html'), profile.selectors.row).map((row) => safeQuery(row, profile.selectors.rowName)?.textContent);
    expect(names).toEqual(['Mariana Souza', 'João Pereira']);
  });
});

describe('what Helena does not have', () => {
  test('snooze and merge are valid selectors that never match', () => {
    for (const name of ['snooze', 'merge'] as const) {
      expect(() => document.querySelectorAll(profile.selectors[name])).not.toThrow();
      for (const file of PAGES) expect(fixture(file).querySelectorAll(profile.selectors[name])).toHaveLength(0);
    }
  });
});

describe('admin overrides', () => {
  test('an override replaces that selector only, which is how the real markup gets in', () => {
    const custom = helenaPage({ row: '.my-row', snooze: '[data-action="snooze"]' });
    expect(custom.selectors.row).toBe('.my-row');
    expect(custom.selectors.snooze).toBe('[data-action="snooze"]');
    expect(custom.selectors.header).toBe(helenaSelectors.header);
  });

  test('broken override selectors throw nowhere', () => {
    const broken = Object.fromEntries(SELECTOR_NAMES.map((name) => [name, 'li[[['])) as SelectorOverrides;
    const custom = helenaPage(broken);
    for (const file of PAGES) {
      const doc = fixture(file);
      for (const name of SELECTOR_NAMES) expect(safeQueryAll(doc, custom.selectors[name])).toEqual([]);
      for (const node of doc.querySelectorAll('*')) {
        expect(custom.readMessage(node)).toBeNull();
        expect(() => custom.rowConversationId(node)).not.toThrow();
      }
    }
  });
});
