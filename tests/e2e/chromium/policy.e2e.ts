/**
 * Enterprise deployment in real Chromium: a policy file in /etc/chromium/policies/managed/
 * (where Debian's Chromium reads mandatory policies; Google Chrome reads /etc/opt/chrome/…)
 * sets the extension's settings through "3rdparty" → "extensions" → <id>. The options page
 * shows them locked, the user types only the token, and the background acts with the pinned
 * role. A policy change reaches open tabs without a restart.
 *
 * The policy names the extension by id, so the test loads a copy of the e2e build with its own
 * `key` (an id no other test uses, and no other Chromium on the machine is affected), and
 * removes the policy file afterwards whatever happens.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { CHROME_EXTENSION, requireBuild } from '../harness/paths';
import { serverStatus, startInbox, type ReferenceInbox } from '../harness/inbox';
import { badge, barButton, openConversation, signInToInbox } from '../harness/steps';

const POLICY_DIR = '/etc/chromium/policies/managed';

/** Writing machine policy needs root (CI runs as root; a developer's account usually is not). */
function canWritePolicies(): boolean {
  try {
    let dir = POLICY_DIR;
    while (!existsSync(dir)) dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
const writable = canWritePolicies();
if (!writable) console.warn(`policy.e2e.ts skipped: ${POLICY_DIR} is not writable (run as root to include it)`);

/** A fresh key pair's public half (base64 SPKI DER, as manifest.json `key` wants) and the id Chrome derives from it. */
function extensionKey(): { key: string; id: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  const id = [...hex].map((digit) => String.fromCharCode('a'.charCodeAt(0) + parseInt(digit, 16))).join('');
  return { key: der.toString('base64'), id };
}

let inbox: ReferenceInbox;
let browser: ChromiumSession | undefined;
let extensionDir: string;
let policyFile: string;
let extensionId: string;

const writePolicy = (values: object) =>
  writeFile(policyFile, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: values } } }, null, 2));

beforeAll(async () => {
  if (!writable) return;
  inbox = await startInbox('chatwoot');
  const { key, id } = extensionKey();
  extensionId = id;
  extensionDir = await mkdtemp(join(tmpdir(), 'ig-policy-extension-'));
  await cp(requireBuild(CHROME_EXTENSION), extensionDir, { recursive: true });
  const manifestPath = join(extensionDir, 'manifest.json');
  await writeFile(manifestPath, JSON.stringify({ ...JSON.parse(await readFile(manifestPath, 'utf8')), key }));
  await mkdir(POLICY_DIR, { recursive: true });
  policyFile = join(POLICY_DIR, `inbox-guard-e2e-${id}.json`);
});

afterAll(async () => {
  if (!writable) return;
  await rm(policyFile, { force: true });
  await browser?.close();
  await inbox?.close();
  await rm(extensionDir, { recursive: true, force: true });
});

test.skipIf(!writable)('a policy file configures and locks the settings, pins the role, and a change applies without a restart', async () => {
  await writePolicy({
    platform: 'reference',
    apiStyle: 'chatwoot',
    serverUrl: inbox.url,
    accountId: String(inbox.accountId),
    pinnedRole: 'agent',
    rateLimits: [{ limit: 100, windowMs: 5_000 }],
  });
  browser = await launchChromium({ extensionDir });
  expect(browser.extensionId).toBe(extensionId);

  // The options page: every value the policy sets is there, locked, and says so.
  const options = await browser.context.newPage();
  // Right after an install the extension opens its options page itself (it may take this tab): once more.
  await options.goto(browser.extensionUrl('options.html')).catch(async () => {
    await options.waitForTimeout(1_000);
    await options.goto(browser!.extensionUrl('options.html'));
  });
  // Chromium hands the policy to the extension a moment after it starts; the page follows.
  await expect.poll(() => options.getByTestId('ig-options-serverUrl').inputValue(), { timeout: 30_000 }).toBe(inbox.url);
  expect(await options.getByTestId('ig-options-policy').textContent()).toContain('Your organisation manages some of these settings');
  expect(await options.getByTestId('ig-options-platform').inputValue()).toBe('reference');
  expect(await options.getByTestId('ig-options-apiStyle-chatwoot').isChecked()).toBe(true);
  expect(await options.getByTestId('ig-options-accountId').inputValue()).toBe(String(inbox.accountId));
  expect(await options.getByTestId('ig-options-pinnedRole').inputValue()).toBe('agent');
  expect(await options.getByTestId('ig-options-rate-0-limit').inputValue()).toBe('100');
  for (const name of ['platform', 'apiStyle-chatwoot', 'serverUrl', 'accountId', 'pinnedRole', 'rate-0-limit']) {
    expect(await options.getByTestId(`ig-options-${name}`).isDisabled(), name).toBe(true);
  }
  expect(await options.getByTestId('ig-options-serverUrl').getAttribute('aria-describedby')).toContain('ig-options-serverUrl-locked');
  expect(await options.locator('#ig-options-serverUrl-locked').textContent()).toBe('Set by your organisation.');
  expect(await options.getByTestId('ig-options-token').isDisabled()).toBe(false);

  // Only the token typed (an administrator's): connected, as an agent.
  await options.getByTestId('ig-options-token').fill(inbox.tokens.admin);
  await options.getByTestId('ig-options-test').click();
  await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  expect(await options.getByTestId('ig-options-outcome').textContent()).toContain('(Agent)');
  expect(await browser.ask('settings.get', {})).toMatchObject({
    ok: true,
    data: { settings: { serverUrl: inbox.url, pinnedRole: 'agent' }, locked: expect.arrayContaining(['serverUrl', 'pinnedRole']) },
  });

  // The overlay: Block is disabled with its reason, whatever the platform would allow.
  const page = await browser.context.newPage();
  await signInToInbox(page, inbox, inbox.tokens.admin);
  await openConversation(page, 'Promo Relâmpago');
  await expect.poll(() => badge(page).textContent()).toBe('Active');
  expect(await barButton(page, 'block').getAttribute('aria-disabled')).toBe('true');
  expect(await barButton(page, 'block').getAttribute('title')).toBe('Only administrators can block contacts');
  expect(serverStatus(inbox, 'Promo Relâmpago')).toBe('active');

  // The organisation lifts the pin: Chromium re-reads the file, the open tab hears of it.
  await writePolicy({ platform: 'reference', apiStyle: 'chatwoot', serverUrl: inbox.url, accountId: String(inbox.accountId) });
  await expect.poll(() => barButton(page, 'block').getAttribute('aria-disabled'), { timeout: 45_000, interval: 500 }).toBeNull();
  // The options page still open shows the role limit unlocked, back to the user's own (none).
  await expect.poll(() => options.getByTestId('ig-options-pinnedRole').isDisabled()).toBe(false);
  expect(await options.getByTestId('ig-options-pinnedRole').inputValue()).toBe('');
  expect(await options.getByTestId('ig-options-serverUrl').isDisabled()).toBe(true);
});
