/**
 * The real Chatwoot 4.10 agent dashboard (../shared/platforms/chatwoot-4.10/), started by the
 * tests as the reference inbox is: Chatwoot's own production build, served with a test server
 * that signs in, answers the dashboard's calls, pushes ActionCable events and serves the public
 * API (validated against the OpenAPI spec) from one state. Never copied into the project.
 *
 * Plus what a user does there, as Playwright steps: connect Inbox Guard from its options page
 * (platform Chatwoot, the server, account 1, a token), open a conversation, find the bar, click
 * a card of the list, type in the ProseMirror reply box; and what a test reads on the server
 * (replies stored, public-API requests the spec refused). The Firefox side of the same steps is
 * real-chatwoot-firefox.ts. Selectors are the ones ../shared/platforms/chatwoot-4.10/DOM.md read
 * from the live page.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import type { ChromiumSession } from './chromium';
import { ROOT } from './paths';

export const REAL_CHATWOOT_DIR = resolve(ROOT, '../shared/platforms/chatwoot-4.10');

/** One public-API request (every one of them is Inbox Guard's) with the OpenAPI spec's verdict. */
export interface ApiLogEntry {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  operationId: string | null;
  valid: boolean;
  errors: string[];
  outsideSpec: boolean;
}

interface Contact {
  id: number;
  name: string;
  blocked: boolean;
  custom_attributes: Record<string, unknown>;
  last_activity_at: number;
}

interface Conversation {
  id: number;
  contact_id: number;
  status: string;
  muted: boolean;
}

interface Message {
  id: number;
  conversation_id: number;
  content: string;
  /** 0 the contact's, 1 an agent's reply, 2 activity. */
  message_type: number;
  private: boolean;
}

/** A dashboard-side request (the page's own calls, sign-in, public-API passthroughs). */
interface DashboardLogEntry {
  at: number;
  via: 'page' | 'auth' | 'dashboard' | 'public-api' | 'preflight';
  method: string;
  path: string;
}

export interface RealChatwoot {
  url: string;
  tokens: { admin: string; agent: string };
  sessionCookie(role?: 'admin' | 'agent'): { name: string; value: string; url: string; sameSite: 'Lax' };
  incoming(conversationId: number, content: string): Message;
  createConversation(options: { contactId: number; content?: string }): Conversation;
  state(): { contacts: Map<number, Contact>; conversations: Map<number, Conversation>; messages: Message[] };
  apiLog: ApiLogEntry[];
  log: DashboardLogEntry[];
  close(): Promise<void>;
}

export async function startRealChatwoot(): Promise<RealChatwoot> {
  const server = (await import(pathToFileURL(resolve(REAL_CHATWOOT_DIR, 'server.mjs')).href)) as {
    startRealChatwoot(options: { port: number }): Promise<RealChatwoot>;
  };
  return server.startRealChatwoot({ port: 0 });
}

/** The seeded contacts (README of the dashboard): name → [contact id, conversation id]. */
export const SEED = {
  'Spam Bot': [101, 7],
  'Maria Silva': [102, 8],
  'João Souza': [103, 9],
  'Promo Blast': [104, 10],
} as const;

export const contactOf = (cw: RealChatwoot, id: number) => {
  const contact = cw.state().contacts.get(id);
  if (!contact) throw new Error(`no contact ${id}`);
  return contact;
};

/** Fills the options page as a Chatwoot user would and presses "Test connection". */
export async function connectToChatwoot(session: ChromiumSession, cw: RealChatwoot, role: 'admin' | 'agent' = 'admin'): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(session.extensionUrl('options.html')).catch(async () => {
    await page.waitForTimeout(1_000);
    await page.goto(session.extensionUrl('options.html'));
  });
  await page.getByTestId('ig-options-platform').selectOption('chatwoot');
  await page.getByTestId('ig-options-serverUrl').fill(cw.url);
  await page.getByTestId('ig-options-accountId').fill('1');
  await page.getByTestId('ig-options-token').fill(cw.tokens[role]);
  await page.getByTestId('ig-options-test').click();
  await page.locator('[data-testid="ig-options-outcome"]:is([data-kind="connected"], [data-kind="error"])').waitFor();
  return page;
}

/** Signs the dashboard in as `role` (its own session cookie) and opens a conversation. */
export async function openDashboard(session: ChromiumSession, cw: RealChatwoot, conversationId: number, role: 'admin' | 'agent' = 'admin', page?: Page): Promise<Page> {
  await session.context.addCookies([cw.sessionCookie(role)]);
  const tab = page ?? (await session.context.newPage());
  await tab.goto(`${cw.url}/app/accounts/1/conversations/${conversationId}`);
  await tab.locator('.conversation-details-wrap').waitFor({ timeout: 30_000 });
  return tab;
}

/** The public-API requests the spec refused, one readable line each (empty: all valid). */
export const invalidApiRequests = (cw: RealChatwoot) =>
  cw.apiLog.filter((entry) => !entry.valid).map((entry) => `${entry.method} ${entry.path} ${JSON.stringify(entry.body)}: ${entry.errors.join('; ')}`);

/** The public-API writes (not GET) Inbox Guard sent since `since` (a `cw.apiLog.length`), as "METHOD path body". */
/** What changed something on the server (a filter is a read, even as a POST). */
export const apiWritesSince = (cw: RealChatwoot, since: number) =>
  cw.apiLog.slice(since).filter((entry) => entry.method !== 'GET' && !/\/filter$/.test(entry.path)).map((entry) => `${entry.method} ${entry.path} ${JSON.stringify(entry.body ?? {})}`);

/** The agents' public replies stored on the server in one conversation (what "sent" means). */
export const repliesIn = (cw: RealChatwoot, conversationId: number) =>
  cw.state().messages.filter((message) => message.conversation_id === conversationId && message.message_type === 1 && !message.private);

export const conversationOf = (cw: RealChatwoot, id: number) => {
  const conversation = cw.state().conversations.get(id);
  if (!conversation) throw new Error(`no conversation ${id}`);
  return conversation;
};

/** Where a contact stands on the server, as Inbox Guard reads it (README: how each platform stores the status). */
export function serverStatusOf(cw: RealChatwoot, contactId: number): 'blocked' | 'archived' | 'active' {
  const contact = contactOf(cw, contactId);
  if (contact.blocked) return 'blocked';
  return contact.custom_attributes.inbox_guard_archived === true ? 'archived' : 'active';
}

/** The conversation header (the parent of .header-actions-wrap) and the contact name in it. */
export const dashboardHeader = (page: Page) => page.locator('.conversation-details-wrap :has(> .header-actions-wrap)').first();
export const headerName = (page: Page) => dashboardHeader(page).locator('span.font-medium.truncate').first();

/** A card of the conversation list, by its contact's name. */
export const card = (page: Page, name: string) =>
  page.locator('div.conversation', { has: page.locator('h4.conversation--user', { hasText: name }) }).first();

/**
 * The card of `name` the user can see, or null. The list is virtualised: a card whose
 * conversation left it (resolved, say) may stay in the DOM, parked far outside the list.
 */
export async function cardInView(page: Page, name: string): Promise<Locator | null> {
  const index = await page.locator('div.conversation').evaluateAll((cards, wanted) => {
    const list = document.querySelector('.conversations-list')?.getBoundingClientRect();
    return cards.findIndex((element) => {
      if (element.querySelector('h4.conversation--user')?.textContent?.trim() !== wanted) return false;
      const box = element.getBoundingClientRect();
      return box.height > 0 && !!list && box.bottom > list.top && box.top < list.bottom;
    });
  }, name);
  return index < 0 ? null : page.locator('div.conversation').nth(index);
}

/** What Inbox Guard draws after the card's name (its `::after`): '"Archived"', '"Blocked"' or 'none'. */
export const cardBadge = (page: Page, name: string) =>
  card(page, name).locator('h4.conversation--user').evaluate((element) => getComputedStyle(element, '::after').content);

/** One of the tabs above the list ("Mine", "Unassigned", "All"). */
export const listTab = (page: Page, tab: 'Mine' | 'Unassigned' | 'All') =>
  page.locator('.conversations-list-wrap ul > li > a', { hasText: new RegExp(`^\\s*${tab}\\b`) }).first();

/** Clicks a card of the list (the dashboard's own navigation) and waits for its conversation. */
export async function clickCard(page: Page, name: string, conversationId: number): Promise<void> {
  await card(page, name).click();
  await page.waitForURL(new RegExp(`/conversations/${conversationId}$`));
  await headerName(page).filter({ hasText: name }).waitFor();
}

/** Types in the reply box as a user does: a click into the ProseMirror editor, then the keys. */
export async function typeReply(page: Page, text: string): Promise<void> {
  await page.locator('.reply-box .ProseMirror').click();
  await page.keyboard.type(text);
}

export const sendButton = (page: Page) => page.locator('.reply-box button[type="submit"]');
