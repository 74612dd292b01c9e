/**
 * Enterprise deployment in real Firefox ESR: a policies.json with
 * "policies" → "3rdparty" → "Extensions" → <gecko id> sets the extension's settings, which it
 * reads through storage.managed (lib/policy.ts). The options page shows them locked, the user
 * types only the token, and the pinned role applies (an administrator's token acts as an agent:
 * Block is refused in the overlay). Firefox reads policies only at start, so unlike the Chromium
 * test there is no change without a restart.
 *
 * Where: Firefox on Linux reads /etc/firefox/policies/policies.json (its "SysConfD", the same
 * for Debian's firefox-esr) and, only when that file is absent, <install dir>/distribution/
 * policies.json. The test writes the /etc file and removes it, and any directory it created,
 * afterwards whatever happens. It is skipped (with a note) where that directory is not writable
 * (not root) or a policies.json is already there (the machine's own policy is not touched).
 *
 * Every Firefox started meanwhile reads the file (other tests in parallel, say), so the policy
 * names a copy of the e2e build with a gecko id of its own: no other extension is affected.
 * A temporarily installed extension (BiDi webExtension.install) gets its policy like any other:
 * Firefox looks the policy up by the gecko id of the manifest.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchFirefox, type FirefoxSession } from '../harness/firefox';
import { clickInShadow, inShadow, openInboxConversation, until } from '../harness/firefox-steps';
import { serverStatus, startInbox, type ReferenceInbox } from '../harness/inbox';
import { FIREFOX_EXTENSION, requireBuild } from '../harness/paths';

const POLICY_FILE = '/etc/firefox/policies/policies.json';
const DISTRIBUTION_POLICY_FILE = '/usr/lib/firefox-esr/distribution/policies.json';

/** Why the test cannot run here, or null. */
function cannotRun(): string | null {
  if (existsSync(POLICY_FILE) || existsSync(DISTRIBUTION_POLICY_FILE)) return 'this machine already has a Firefox policies.json (left alone)';
  try {
    let dir = dirname(POLICY_FILE);
    while (!existsSync(dir)) dir = dirname(dir);
    accessSync(dir, constants.W_OK);
    return null;
  } catch {
    return `${dirname(POLICY_FILE)} is not writable (run as root to include it)`;
  }
}
const skipped = cannotRun();
if (skipped) console.warn(`firefox/policy.e2e.ts skipped: ${skipped}`);

let inbox: ReferenceInbox | undefined;
let firefox: FirefoxSession | undefined;
let extensionDir: string | undefined;
/** Directories this test made for the policy file, deepest first (removed afterwards). */
const created: string[] = [];
const geckoId = `inbox-guard-policy-${randomUUID().slice(0, 8)}@inbox-guard.dev`;

beforeAll(async () => {
  if (skipped) return;
  extensionDir = await mkdtemp(join(tmpdir(), 'ig-firefox-policy-extension-'));
  await cp(requireBuild(FIREFOX_EXTENSION), extensionDir, { recursive: true });
  const manifestPath = join(extensionDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  manifest.browser_specific_settings.gecko.id = geckoId;
  await writeFile(manifestPath, JSON.stringify(manifest));
  for (let dir = dirname(POLICY_FILE); !existsSync(dir); dir = dirname(dir)) created.push(dir);
  await mkdir(dirname(POLICY_FILE), { recursive: true });
});

afterAll(async () => {
  if (skipped) return;
  await rm(POLICY_FILE, { force: true });
  for (const dir of created) await rmdir(dir).catch(() => undefined);
  await firefox?.close();
  await inbox?.close();
  if (extensionDir) await rm(extensionDir, { recursive: true, force: true });
});

/** An options page field as a user finds it. */
const field = (page: Page, name: string) =>
  page.$eval(`[data-testid="ig-options-${name}"]`, (element) => {
    const input = element as HTMLInputElement;
    return { value: input.value, disabled: input.disabled, checked: input.checked, describedBy: input.getAttribute('aria-describedby') ?? '' };
  });

test.skipIf(Boolean(skipped))('Firefox: a policies.json configures and locks the settings, and the pinned role applies', async () => {
  inbox = await startInbox('chatwoot');
  await writeFile(
    POLICY_FILE,
    JSON.stringify({
      policies: {
        '3rdparty': {
          Extensions: {
            [geckoId]: {
              platform: 'reference',
              apiStyle: 'chatwoot',
              serverUrl: inbox.url,
              accountId: String(inbox.accountId),
              pinnedRole: 'agent',
              rateLimits: [{ limit: 100, windowMs: 5_000 }],
            },
          },
        },
      },
    }),
  );
  firefox = await launchFirefox({ extensionDir, geckoId });

  // The options page the extension opened on install: every value the policy sets, locked.
  const options = await firefox.optionsPage();
  await until(async () => (await field(options, 'serverUrl')).value, (value) => value === inbox!.url, 'the policy server URL');
  expect(await options.$eval('[data-testid="ig-options-policy"]', (element) => element.textContent)).toContain('Your organisation manages some of these settings');
  expect((await field(options, 'platform')).value).toBe('reference');
  expect((await field(options, 'apiStyle-chatwoot')).checked).toBe(true);
  expect((await field(options, 'accountId')).value).toBe(String(inbox.accountId));
  expect((await field(options, 'pinnedRole')).value).toBe('agent');
  expect((await field(options, 'rate-0-limit')).value).toBe('100');
  for (const name of ['platform', 'apiStyle-chatwoot', 'serverUrl', 'accountId', 'pinnedRole', 'rate-0-limit']) {
    expect((await field(options, name)).disabled, name).toBe(true);
  }
  expect((await field(options, 'serverUrl')).describedBy).toContain('ig-options-serverUrl-locked');
  expect(await options.$eval('#ig-options-serverUrl-locked', (element) => element.textContent)).toBe('Set by your organisation.');
  expect((await field(options, 'token')).disabled).toBe(false);

  // Only the token typed (an administrator's): connected, as an agent.
  await options.type('[data-testid="ig-options-token"]', inbox.tokens.admin);
  await options.click('[data-testid="ig-options-test"]');
  const outcome = await until(
    () => options.$eval('[data-testid="ig-options-outcome"]', (element) => `${(element as HTMLElement).dataset.kind}: ${element.textContent}`),
    (text) => !text.startsWith('idle') && !text.startsWith('busy'),
    'the connection test',
  );
  expect(outcome).toMatch(/^connected: .*\(Agent\)/);

  // The overlay: Block is refused with its reason, whatever the platform would allow.
  const page = await openInboxConversation(firefox.browser, inbox, inbox.tokens.admin, 'Promo Relâmpago');
  await until(() => inShadow(page, 'ig-status-badge'), (badge) => badge?.text === 'Active', 'the Active badge');
  const block = await inShadow(page, 'ig-action-bar-block');
  expect(block).toMatchObject({ disabled: 'true', title: 'Only administrators can block contacts' });
  await clickInShadow(page, 'ig-action-bar-block');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await inShadow(page, 'ig-confirm')).toBeNull();
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');
});
