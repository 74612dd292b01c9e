/**
 * The Chatwoot page profile (lib/platforms/chatwoot/page.ts) on its fixture pages
 * (tests/fixtures/chatwoot/, built from DOM.md and the live 4.10 dashboard's): the open
 * conversation from the address, every message of each renderer read the right way round,
 * list rows, the send key, the controls a blocked contact's conversation must not use, overrides.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { chatwootAccountId, chatwootPage, chatwootSelectors } from '@/lib/platforms/chatwoot/page';
import { safeQuery, safeQueryAll, SELECTOR_NAMES, type MessageInfo, type SelectorOverrides } from '@/lib/platforms/page';

const PAGES = ['conversation-new.html', 'conversation-early.html', 'conversation-legacy.html', 'dashboard.html', 'conversation-4.10.html'];

function fixture(file: string): Document {
  const html = readFileSync(join(import.meta.dirname, '../../fixtures/chatwoot', file), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

const fixtureUrl = (doc: Document) => new URL(doc.querySelector('meta[name="fixture-url"]')?.getAttribute('content') ?? '');
/** Every message-like row of a page, activity lines included, in page order. */
const rows = (doc: Document) => [...doc.querySelectorAll('[data-message-id], .conversation-panel > li')];
const profile = chatwootPage();
const url = (path: string) => new URL(path, 'https://app.chatwoot.com');
const incoming = (id: string): MessageInfo => ({ id, order: Number(id), direction: 'incoming' });
const outgoing = (id: string): MessageInfo => ({ id, order: Number(id), direction: 'outgoing' });

describe('the open conversation comes from the address (DOM.md §7)', () => {
  test.each([
    '/app/accounts/3/conversations/42',
    '/app/accounts/3/conversations/42/',
    '/app/accounts/3/conversations/42?messageId=9001',
    '/app/accounts/3/conversations/42#reply',
    '/app/accounts/3/inbox/7/conversations/42',
    '/app/accounts/3/label/vip/conversations/42',
    '/app/accounts/3/team/2/conversations/42',
    '/app/accounts/3/custom_view/5/conversations/42',
    '/app/accounts/3/mentions/conversations/42',
    '/app/accounts/3/unattended/conversations/42',
    '/app/accounts/3/participating/conversations/42',
  ])('reads conversation 42 from %s', (path) => {
    expect(profile.conversationId(url(path))).toBe('42');
  });

  test('reads it on a self-hosted server too', () => {
    expect(profile.conversationId(new URL('https://chat.example.org/app/accounts/12/conversations/7'))).toBe('7');
  });

  test.each([
    '/app/accounts/3/dashboard',
    '/app/accounts/3/inbox/7',
    '/app/accounts/3/label/vip',
    '/app/accounts/3/team/2',
    '/app/accounts/3/custom_view/5',
    '/app/accounts/3/mentions/conversations',
    '/app/accounts/3/unattended/conversations',
    '/app/accounts/3/participating/conversations',
    // "My Inbox" (notifications view): its id may be a notification's, not a conversation's.
    '/app/accounts/3/inbox',
    '/app/accounts/3/inbox/42',
    '/app/accounts/3/contacts',
    '/app/accounts/3/contacts/42',
    '/app/accounts/3/conversations/draft',
    '/app/accounts/x/conversations/42',
    '/conversations/42',
    '/app/login',
  ])('finds no open conversation on %s', (path) => {
    expect(profile.conversationId(url(path))).toBeNull();
  });

  test('reads the account the dashboard belongs to', () => {
    expect(chatwootAccountId(url('/app/accounts/3/inbox/7/conversations/42'))).toBe('3');
    expect(chatwootAccountId(url('/app/accounts/3/dashboard'))).toBe('3');
    expect(chatwootAccountId(url('/app/login'))).toBeNull();
  });

  test.each([
    ['conversation-new.html', '42'],
    ['conversation-early.html', '58'],
    ['conversation-legacy.html', '17'],
    ['dashboard.html', null],
    ['conversation-4.10.html', '7'],
  ])('reads the address each fixture stands for (%s)', (file, expected) => {
    expect(profile.conversationId(fixtureUrl(fixture(file)))).toBe(expected);
  });
});

describe('messages are read the right way round, activity lines are not messages', () => {
  test('new renderer (C): the contact on the left; bot, agent and private note on the right', () => {
    expect(rows(fixture('conversation-new.html')).map((node) => profile.readMessage(node))).toEqual([
      incoming('9001'),
      outgoing('9002'), // bot
      null, // "Conversation was assigned to …"
      outgoing('9004'),
      outgoing('9005'), // private note
      incoming('9006'),
      incoming('9007'),
    ]);
  });

  test('earlier new renderer (C′): a colleague\'s private note is outgoing; their public reply cannot be told from the contact\'s', () => {
    expect(rows(fixture('conversation-early.html')).map((node) => profile.readMessage(node))).toEqual([
      incoming('7001'),
      null,
      incoming('7003'), // Pedro Agent, on the left like the contact: the markup does not say
      outgoing('7004'), // Pedro Agent's private note: its lock icon does
      outgoing('7005'), // the signed-in agent
      incoming('7006'),
    ]);
  });

  test('legacy bubbles: li.left incoming, li.right outgoing, li.center not a message, and no ids', () => {
    expect(rows(fixture('conversation-legacy.html')).map((node) => profile.readMessage(node))).toEqual([
      { direction: 'incoming' },
      { direction: 'incoming' },
      null,
      { direction: 'outgoing' },
      { direction: 'outgoing' }, // private note
      { direction: 'incoming' },
    ]);
  });

  test('4.10: the contact on the left, the activity line and the unread separator are not messages', () => {
    const doc = fixture('conversation-4.10.html');
    expect(rows(doc).map((node) => profile.readMessage(node))).toEqual([null, incoming('5000'), null, null, incoming('5002')]);
    expect(safeQueryAll(doc, profile.selectors.activity).map((node) => node.id)).toEqual(['message5001']);
    expect(safeQuery(doc, profile.selectors.unreadSeparator)?.textContent).toBe('1 Unread Message');
  });

  test.each(PAGES)('the message selector matches exactly the rows that are read (%s)', (file) => {
    const doc = fixture(file);
    for (const node of doc.querySelectorAll('*')) {
      expect(node.matches(profile.selectors.message), node.outerHTML.slice(0, 80)).toBe(profile.readMessage(node) !== null);
    }
  });

  test('the incoming selector never matches a row that is not a message', () => {
    for (const file of PAGES) {
      for (const node of fixture(file).querySelectorAll(profile.selectors.incoming)) {
        expect(node.matches(profile.selectors.message)).toBe(true);
      }
    }
  });

  test('reads the id from id="message{ID}" when the row has no data-message-id', () => {
    const li = document.createElement('li');
    li.className = 'left';
    li.id = 'message321';
    li.innerHTML = '<div class="wrap"><div class="bubble is-text">Oi</div></div>';
    expect(profile.readMessage(li)).toEqual({ id: '321', order: 321, direction: 'incoming' });
  });

  test('a message still being sent, under a temporary non-numeric id, has no order', () => {
    const div = document.createElement('div');
    div.className = 'flex w-full message-bubble-container mb-2 justify-end';
    div.dataset.messageId = '0b1f6c1e-6a55-4a7e-9d3c-2f4f3c7a9b10';
    div.innerHTML = '<div class="text-sm right-bubble">Sending…</div>';
    expect(profile.readMessage(div)).toEqual({ id: '0b1f6c1e-6a55-4a7e-9d3c-2f4f3c7a9b10', direction: 'outgoing' });
  });

  test('a time is read only when it is machine-readable: Chatwoot\'s own "h:mm a" is not', () => {
    const doc = fixture('conversation-new.html');
    expect(profile.readMessage(doc.getElementById('message9001')!)?.at).toBeUndefined();
    const div = document.createElement('div');
    div.className = 'flex w-full message-bubble-container justify-start';
    div.dataset.messageId = '77';
    div.innerHTML = '<div class="left-bubble">Oi<time datetime="2026-11-21T12:41:00Z">9:41 AM</time></div>';
    expect(profile.readMessage(div)).toEqual({ id: '77', order: 77, direction: 'incoming', at: Date.parse('2026-11-21T12:41:00Z') });
  });

  test('a right-hand message quoting a contact\'s bubble stays outgoing', () => {
    const div = document.createElement('div');
    div.className = 'flex w-full message-bubble-container justify-end';
    div.dataset.messageId = '78';
    div.innerHTML = '<div class="right-bubble"><blockquote><div class="left-bubble">quoted</div></blockquote>reply</div>';
    expect(profile.readMessage(div)?.direction).toBe('outgoing');
  });
});

describe('the conversation list', () => {
  test.each(PAGES)('no card says which conversation it opens, not even the active one (%s)', (file) => {
    const cards = safeQueryAll(fixture(file), profile.selectors.row);
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(profile.rowConversationId(card)).toBeNull();
  });

  test('each card has one contact name, the one the extension maps rows by', () => {
    const doc = fixture('conversation-new.html');
    const names = safeQueryAll(doc, profile.selectors.row).map((card) => safeQueryAll(card, profile.selectors.rowName).map((el) => el.textContent?.trim()));
    expect(names).toEqual([['Mariana Souza'], ['João Pereira'], ['Promo Relâmpago'], ['Camille Dubois'], ['Lucas Almeida']]);
  });

  test('the list holds every card', () => {
    for (const file of PAGES) {
      const doc = fixture(file);
      const list = safeQuery(doc, profile.selectors.list)!;
      for (const card of safeQueryAll(doc, profile.selectors.row)) expect(list.contains(card)).toBe(true);
    }
  });
});

describe('where the action bar and the composer are', () => {
  test.each(PAGES.filter((file) => file !== 'dashboard.html'))('the bar lands inside the header, after Chatwoot\'s own actions in their block; its slot is under the name (%s)', (file) => {
    const doc = fixture(file);
    const header = safeQuery(doc, profile.selectors.header)!;
    const anchor = safeQuery(header, profile.selectors.headerAnchor)!;
    expect(anchor.parentElement?.matches('.header-actions-wrap')).toBe(true);
    expect(anchor.parentElement?.parentElement).toBe(header);
    expect(anchor.nextElementSibling).toBeNull();
    expect(safeQuery(header, profile.selectors.badgeSlot)?.matches('.conversation--header--actions')).toBe(true);
  });

  test.each(PAGES.filter((file) => file !== 'dashboard.html'))('the input and the send button are inside the reply box (%s)', (file) => {
    const doc = fixture(file);
    const composer = safeQuery(doc, profile.selectors.composer)!;
    expect(safeQueryAll(composer, profile.selectors.composerInput)).toHaveLength(1);
    const send = safeQueryAll(composer, profile.selectors.send);
    expect(send).toHaveLength(1);
    expect(send[0]?.textContent).toMatch(/Send|Adicionar nota|Add Note/);
  });

  test('the send button tells the send key: "(⌘ + ↵)" is Ctrl/Cmd+Enter, "(↵)" or no key is Enter', () => {
    const enterSends = (file: string) => profile.enterSends(safeQuery(fixture(file), profile.selectors.composer)!);
    expect(enterSends('conversation-4.10.html')).toBe(false); // "Add Note (⌘ + ↵)"
    expect(enterSends('conversation-legacy.html')).toBe(false); // "Send (⌘ + ↵)"
    expect(enterSends('conversation-new.html')).toBe(true); // "Send (↵)"
    expect(enterSends('conversation-early.html')).toBe(true); // "Adicionar nota": no key shown
    const box = document.createElement('div');
    box.className = 'reply-box';
    box.innerHTML = '<div class="right-wrap"><button type="submit">Enviar (Ctrl + ↵)</button></div>';
    expect(profile.enterSends(box)).toBe(false);
  });

  test('private-note mode is the reply box\'s .is-private', () => {
    expect(PAGES.map((file) => safeQueryAll(fixture(file), profile.selectors.composerNote).length)).toEqual([0, 1, 0, 0, 1]);
  });

  test('snooze is the "Snooze" entry of the open resolve dropdown, in both button generations', () => {
    const labels = ['conversation-new.html', 'conversation-legacy.html'].map((file) =>
      safeQueryAll(fixture(file), profile.selectors.snooze).map((el) => el.textContent?.trim()),
    );
    expect(labels).toEqual([['Snooze'], ['Snooze until']]);
  });

  test('"Mark as pending" is the other entry of that dropdown, in both button generations', () => {
    const labels = ['conversation-new.html', 'conversation-legacy.html'].map((file) =>
      safeQueryAll(fixture(file), profile.selectors.markPending).map((el) => el.textContent?.trim()),
    );
    expect(labels).toEqual([['Mark as pending'], ['Mark as pending']]);
  });

  test('Reopen is ResolveAction\'s first button once the conversation is resolved, never "Resolve"', () => {
    expect(safeQueryAll(fixture('conversation-4.10.html'), profile.selectors.reopen).map((el) => el.textContent?.trim())).toEqual(['Reopen']);
    for (const file of ['conversation-new.html', 'conversation-early.html', 'conversation-legacy.html']) {
      expect(safeQueryAll(fixture(file), profile.selectors.reopen)).toEqual([]);
    }
    const legacy = document.createElement('div');
    legacy.className = 'resolve-actions';
    legacy.innerHTML = '<div class="button-group"><button class="button resolve warning">Reopen</button><button class="button button--only-icon warning"></button></div>';
    expect(safeQueryAll(legacy, profile.selectors.reopen).map((el) => el.textContent)).toEqual(['Reopen']);
  });

  test('Chatwoot\'s own Block is 4.10\'s "Block Contact" menu item or the older header icon; its Unblock is not', () => {
    expect(safeQueryAll(fixture('conversation-4.10.html'), profile.selectors.platformBlock).map((el) => el.textContent?.trim())).toEqual(['Block Contact']);
    expect(safeQueryAll(fixture('conversation-new.html'), profile.selectors.platformBlock).map((el) => el.getAttribute('title'))).toEqual(['Mute conversation']);
    const unblock = document.createElement('div');
    unblock.innerHTML = '<button type="button"><span class="i-lucide-volume-1"></span><span>Unblock Contact</span></button>';
    expect(safeQueryAll(unblock, profile.selectors.platformBlock)).toEqual([]);
  });
});

describe('admin overrides', () => {
  test('an override replaces that selector only', () => {
    const custom = chatwootPage({ row: '.my-row' });
    expect(custom.selectors.row).toBe('.my-row');
    expect(custom.selectors.rowName).toBe(chatwootSelectors.rowName);
    expect(chatwootPage().selectors.row).toBe(chatwootSelectors.row);
  });

  test('an overridden message selector is what readMessage goes by', () => {
    const custom = chatwootPage({ message: '[data-message-id="9001"]' });
    const doc = fixture('conversation-new.html');
    expect(custom.readMessage(doc.getElementById('message9001')!)).toEqual(incoming('9001'));
    expect(custom.readMessage(doc.getElementById('message9004')!)).toBeNull();
  });

  test('broken override selectors throw nowhere', () => {
    const broken = Object.fromEntries(SELECTOR_NAMES.map((name) => [name, 'div[[['])) as SelectorOverrides;
    const custom = chatwootPage(broken);
    for (const file of PAGES) {
      const doc = fixture(file);
      for (const name of SELECTOR_NAMES) {
        expect(safeQueryAll(doc, custom.selectors[name])).toEqual([]);
        expect(safeQuery(doc, custom.selectors[name])).toBeNull();
      }
      for (const node of doc.querySelectorAll('*')) {
        expect(() => custom.readMessage(node)).not.toThrow();
        expect(custom.readMessage(node)).toBeNull();
        expect(custom.rowConversationId(node)).toBeNull();
      }
    }
  });

  test('a broken incoming selector leaves messages readable, as outgoing', () => {
    const custom = chatwootPage({ incoming: ':has(' });
    const doc = fixture('conversation-new.html');
    expect(custom.readMessage(doc.getElementById('message9001')!)).toEqual(outgoing('9001'));
  });
});
