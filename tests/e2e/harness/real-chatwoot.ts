/**
 * The real Chatwoot 4.10 agent dashboard (../shared/platforms/chatwoot-4.10/), started by the
 * tests as the reference inbox is: Chatwoot's own production build, served with a test server
 * that signs in, answers the dashboard's calls, pushes ActionCable events and serves the public
 * API (validated against the OpenAPI spec) from one state. Never copied into the project.
 *
 * Plus what a user does there, as Playwright steps: connect Inbox Guard from its options page
 * (platform Chatwoot, the server, account 1, a token), open a conversation, find the bar.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { ChromiumSession } from './chromium';
import { ROOT } from './paths';

export const REAL_CHATWOOT_DIR = resolve(ROOT, '../shared/platforms/chatwoot-4.10');

interface ApiLogEntry {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  valid: boolean;
  errors: string[];
  role: string | null;
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
  message_type: number;
  private: boolean;
}

export interface RealChatwoot {
  url: string;
  tokens: { admin: string; agent: string };
  sessionCookie(role?: 'admin' | 'agent'): { name: string; value: string; url: string; sameSite: 'Lax' };
  incoming(conversationId: number, content: string): Message;
  createConversation(options: { contactId: number; content?: string }): Conversation;
  state(): { contacts: Map<number, Contact>; conversations: Map<number, Conversation>; messages: Message[] };
  apiLog: ApiLogEntry[];
  log: unknown[];
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
