// @vitest-environment node
/**
 * The connection's rate limiter (lib/background/platform.ts) against the reference inbox in
 * Node: one limiter per connection, whose log outlives a change of limits and a restarted worker.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { browser } from 'wxt/browser';
import { createPlatformAccess } from '@/lib/background/platform';
import { saveToken } from '@/lib/background/token';
import type { Settings } from '@/lib/settings';
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server';

let inbox: ReferenceInbox;

beforeEach(async () => {
  inbox = await startReferenceInbox({ style: 'helena' });
  await saveToken(inbox.tokens.admin, false);
});
afterEach(async () => {
  await inbox.close();
});

const settingsWith = (rateLimits: Settings['rateLimits']): Settings => ({
  platform: 'reference',
  apiStyle: 'helena',
  serverUrl: inbox.url,
  agentEmail: inbox.users.admin.email,
  rememberToken: false,
  ...(rateLimits ? { rateLimits } : {}),
});

test('new limits do not forget what was sent under the old ones: the platform still counts it', async () => {
  const access = createPlatformAccess({ fetch });
  const [contact] = inbox.model.listContacts();
  const before = settingsWith([{ limit: 2, windowMs: 600_000 }]);
  await access.apiFor(before).getContact(String(contact!.id));
  await access.apiFor(before).getContact(String(contact!.id));
  // Three per 10 minutes now: one more may go, the one after waits for the first to leave the window.
  const pace = await access.pace(settingsWith([{ limit: 3, windowMs: 600_000 }]));
  expect(pace.reason).toBeUndefined();
  expect(pace.finishIn(2)).toBeGreaterThan(500_000);
});

test('a restarted worker (a new access) finds the log the last one saved, and a Retry-After it was told', async () => {
  const settings = settingsWith([{ limit: 5, windowMs: 600_000 }]);
  const first = createPlatformAccess({ fetch });
  inbox.control.faults({ fail: { status: 503, count: 1, retryAfter: 300 } });
  const [contact] = inbox.model.listContacts();
  await expect(first.apiFor(settings).getContact(String(contact!.id))).rejects.toMatchObject({ code: 'server_error', retryAfterMs: 300_000 });
  // Saved within a second or so of the answer.
  const saved = async () => Object.entries(await browser.storage.session.get(null)).find(([key]) => key.startsWith('rateLog:') && key.includes(inbox.url))?.[1] as { holdUntil?: number } | undefined;
  await expect.poll(async () => (await saved())?.holdUntil, { timeout: 5_000 }).toBeGreaterThan(Date.now());
  const second = createPlatformAccess({ fetch });
  const pace = await second.pace(settings);
  expect(pace.reason).toBe('retry_after');
  expect(pace.nextAt - Date.now()).toBeGreaterThan(290_000);
});
