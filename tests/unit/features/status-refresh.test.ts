/**
 * When the open conversation's contact is read again from the platform: an activity line that
 * arrives while the conversation is open (Chatwoot's own Block adds "… has muted the
 * conversation"), whatever the contact's status, once per burst; never for a history being
 * rendered; and, for an archived contact, a message of theirs (they are active again).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ACTIVITY_DELAY_MS, statusRefresh } from '@/lib/features/status-refresh';
import type { ContactView } from '@/lib/messaging';
import { chatwootPage } from '@/lib/platforms/chatwoot/page';
import type { ContactStatus } from '@/lib/platforms/types';
import { featureContext } from '../helpers/overlay';

const page = readFileSync(join(import.meta.dirname, '../../fixtures/chatwoot/conversation-4.10.html'), 'utf8');
const contact = (status: ContactStatus): ContactView => ({ id: '101', name: 'Spam Bot', status, confirmed: status, statusSince: 0 });

let controller: AbortController;
let nextId = 6000;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  controller = new AbortController();
  document.body.innerHTML = new DOMParser().parseFromString(page, 'text/html').body.innerHTML;
});

afterEach(() => {
  controller.abort();
  vi.useRealTimers();
});

function start(status: ContactStatus) {
  const made = featureContext({ contact: contact(status) });
  made.ctx.profile = chatwootPage();
  void statusRefresh.init(made.ctx, controller.signal);
  return made.ctx;
}

const thread = () => document.querySelector('ul.conversation-panel')!;
function row(kind: 'activity' | 'incoming', text: string): HTMLElement {
  const id = String(nextId++);
  const div = document.createElement('div');
  div.id = `message${id}`;
  div.dataset.messageId = id;
  div.className = `flex mb-2 w-full message-bubble-container ${kind === 'activity' ? 'justify-center' : 'justify-start'}`;
  div.innerHTML =
    kind === 'activity'
      ? `<div><div data-bubble-name="activity" content="${text}"><span title="${text}">${text}</span></div></div>`
      : `<div class="[grid-area:bubble] flex"><div class="left-bubble" data-bubble-name="text"><p>${text}</p></div></div>`;
  return div;
}

/** The MutationObserver's callback (a microtask), then `ms` of the clock. */
async function after(ms: number) {
  await Promise.resolve();
  await vi.advanceTimersByTimeAsync(ms);
}

describe('an activity line arrives in the open conversation', () => {
  test.each(['active', 'blocked', 'archived'] as ContactStatus[])('the %s contact is read again from the platform, once for a burst', async (status) => {
    const ctx = start(status);
    thread().append(row('activity', 'Ana Admin has muted the conversation'));
    await after(10);
    thread().append(row('activity', 'Conversation was marked resolved by Ana Admin'));
    await after(ACTIVITY_DELAY_MS - 50);
    expect(ctx.refresh).not.toHaveBeenCalled();
    await after(100);
    expect(ctx.refresh).toHaveBeenCalledOnce();
  });

  test('older Chatwoot\'s li.center counts too', async () => {
    document.body.innerHTML = '<ul class="conversation-panel"><li class="left"><div class="wrap"><div class="bubble">Oi</div></div></li></ul>';
    const ctx = start('active');
    const line = document.createElement('li');
    line.className = 'center';
    line.innerHTML = '<div class="activity-wrap"><div class="message-text__wrap">Ana Admin has unmuted the conversation</div></div>';
    thread().append(line);
    await after(ACTIVITY_DELAY_MS + 10);
    expect(ctx.refresh).toHaveBeenCalledOnce();
  });

  test('a history rendered at once (opening the conversation, loading older messages) asks nothing', async () => {
    const ctx = start('active');
    const history = [row('incoming', 'a'), row('activity', 'Assigned to Ana Admin'), row('incoming', 'b'), row('activity', 'Ana Admin added spam'), row('incoming', 'c')];
    thread().prepend(...history);
    await after(ACTIVITY_DELAY_MS + 10);
    expect(ctx.refresh).not.toHaveBeenCalled();
  });

  test('nothing is asked once the user has left the conversation', async () => {
    const ctx = start('active');
    thread().append(row('activity', 'Ana Admin has muted the conversation'));
    await after(10);
    controller.abort();
    await after(ACTIVITY_DELAY_MS + 10);
    expect(ctx.refresh).not.toHaveBeenCalled();
  });
});

describe('a message of the contact arrives', () => {
  test('an archived contact is read again at once (writing makes them active)', async () => {
    const ctx = start('archived');
    thread().append(row('incoming', 'Oi, voltei'));
    await after(0);
    expect(ctx.refresh).toHaveBeenCalledOnce();
  });

  test('an active contact is not', async () => {
    const ctx = start('active');
    thread().append(row('incoming', 'Oi'));
    await after(ACTIVITY_DELAY_MS + 10);
    expect(ctx.refresh).not.toHaveBeenCalled();
  });
});
