/**
 * A conversation opens (or the page reloads on it) before the background has said whether its
 * contact is blocked: the incoming messages wait, so a blocked contact's are never painted, and
 * they all come back as soon as the status is known, on an error, or after HOLD_MS.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { hideBlocked, HOLD_MS } from '@/lib/features/hide-blocked';
import { CHECKING, installPageStyle, pageCss } from '@/lib/features/page-style';
import type { OverlayState } from '@/lib/features/types';
import type { ContactStatus } from '@/lib/platforms/types';
import { referenceSelectors } from '@/lib/platforms/reference/page';
import { featureContext } from '../helpers/overlay';

const BLOCKED_AT = Date.parse('2026-11-21T10:00:00Z');
let controller: AbortController;
let store: ReturnType<typeof featureContext>['store'];

function bubble(id: number, direction: 'in' | 'out', text: string): string {
  return `<li class="ri-msg ri-msg--${direction}" id="msg-${id}"><p>${text}</p><time datetime="${new Date(BLOCKED_AT - 60_000).toISOString()}">9:59</time></li>`;
}

/**
 * What the user sees: the messages no `display:none` rule of the page stylesheet selects (read
 * rule by rule with querySelectorAll: happy-dom's getComputedStyle and matches() keep a stale
 * answer when only <html> changes).
 */
const shown = () => {
  const hidden = new Set(
    [...document.styleSheets]
      .flatMap((sheet) => [...sheet.cssRules])
      .filter((rule): rule is CSSStyleRule => rule instanceof CSSStyleRule && rule.style.display === 'none')
      .flatMap((rule) => [...document.querySelectorAll(rule.selectorText)]),
  );
  return [...document.querySelectorAll('li.ri-msg')].filter((li) => !hidden.has(li)).map((li) => li.textContent);
};

const blocked: OverlayState['contact'] = {
  id: 'k1',
  name: 'Empréstimo Fácil',
  status: 'blocked',
  confirmed: 'blocked',
  statusSince: BLOCKED_AT,
  blockedAt: BLOCKED_AT,
  blockedAfterOrder: 2,
};

function open(statuses?: Map<string, ContactStatus>) {
  const made = featureContext({ contact: null });
  store = made.store;
  controller = new AbortController();
  void hideBlocked.init({ ...made.ctx, ...(statuses ? { statuses } : {}) }, controller.signal);
}

beforeEach(() => {
  document.head.innerHTML = '';
  installPageStyle(document, pageCss(referenceSelectors));
  // 1 and 2 came before the block; 3 and 5 after it (Chatwoot stores them on the resolved conversation).
  document.body.innerHTML = `<ol class="ri-thread">${bubble(1, 'in', 'before')}${bubble(2, 'out', 'our reply')}${bubble(3, 'in', 'spam 1')}${bubble(4, 'out', 'a note')}${bubble(5, 'in', 'spam 2')}</ol>`;
});

afterEach(() => {
  controller.abort();
  vi.useRealTimers();
});

describe('until the contact\'s status is known, incoming messages wait', () => {
  test('a blocked contact: nothing of theirs shows meanwhile, then only what came before the block', () => {
    open();
    expect(document.documentElement.hasAttribute(CHECKING)).toBe(true);
    expect(shown()).toEqual(['our reply9:59', 'a note9:59']);

    store.set({ contact: blocked, loading: false });
    expect(document.documentElement.hasAttribute(CHECKING)).toBe(false);
    expect(shown()).toEqual(['before9:59', 'our reply9:59', 'a note9:59']);
    expect(store.get().hiddenCount).toBe(2);
  });

  test('an active contact: every message shows once the status is known', () => {
    open();
    store.set({ contact: { ...blocked, status: 'active', confirmed: 'active' } });
    expect(shown()).toHaveLength(5);
  });

  test('the status cannot be learned: the messages show (the bar shows the error)', () => {
    open();
    store.set({ loading: false, error: { code: 'network' } });
    expect(shown()).toHaveLength(5);
  });

  test('no answer at all: the messages show after HOLD_MS', () => {
    vi.useFakeTimers();
    open();
    vi.advanceTimersByTime(HOLD_MS - 1);
    expect(shown()).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(shown()).toHaveLength(5);
  });

  test('leaving the conversation before the answer shows them', () => {
    open();
    controller.abort();
    expect(shown()).toHaveLength(5);
  });

  test('a conversation this page already knows not to be blocked is not held; a known blocked one is', () => {
    open(new Map([['c1', 'active']]));
    expect(shown()).toHaveLength(5);
    controller.abort();

    open(new Map([['c1', 'blocked']]));
    expect(shown()).toHaveLength(2);
  });
});
