/**
 * `npm run demo`: the main job on an embedded default.
 *
 * Builds the extension (e2e build: the store build plus loopback access), starts the
 * reference inbox in Helena style with spammers who keep writing, opens Chromium with Inbox
 * Guard connected as an administrator (through its own options page), and then:
 * - with a display: leaves a real window to use, until you close it or press Ctrl-C;
 * - without one (or with --headless): walks through blocking a spammer and archiving a
 *   contact, saves screenshots in demo-output/, and prints what happened.
 *
 *   npm run demo -- [--style helena|chatwoot] [--headless]
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/harness/chromium';
import { connection, contactNamed, serverStatus, type Style } from '../e2e/harness/inbox';
import { openPopup, panelTestId } from '../e2e/harness/panel';
import { badge, barButton, confirmButton, confirmDialog, connectExtension, openConversation, signInToInbox } from '../e2e/harness/steps';
import { startReferenceInbox } from '../reference-inbox/server';

const { values } = parseArgs({
  options: {
    style: { type: 'string', default: 'helena' },
    headless: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
const style = values.style as Style;
if (style !== 'helena' && style !== 'chatwoot') throw new Error('--style is helena or chatwoot');
const headless = values.headless || !process.env.DISPLAY;
const out = join(process.cwd(), 'demo-output');
const say = (line: string) => console.log(`  ${line}`);

async function waitFor(read: () => Promise<string | null>, expected: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await read()) !== expected) {
    if (Date.now() > deadline) throw new Error(`expected "${expected}", saw "${await read()}"`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (!values['skip-build']) {
  console.log('Building Inbox Guard (Chrome MV3, e2e build)…');
  const build = spawnSync('npx', ['wxt', 'build', '--mv3', '--mode', 'e2e'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    // Production code (no development Preact) with the e2e build's loopback access.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const inbox = await startReferenceInbox({ style, port: 0, spamIntervalMs: headless ? 0 : 8000 });
const browser = await launchChromium({ headless });
const stop = async () => {
  await browser.close();
  await inbox.close();
};
process.on('SIGINT', () => void stop().then(() => process.exit(0)));

console.log(`\nReference inbox (${style} style): ${inbox.url}/inbox`);
const admin = connection(inbox, 'admin');
const options = await connectExtension(browser, admin);
await waitFor(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind'), 'connected');
say(`Inbox Guard connected: ${(await options.getByTestId('ig-options-outcome').textContent())?.trim()}`);

const page = await browser.context.newPage();
await signInToInbox(page, inbox, inbox.tokens.admin);

if (!headless) {
  await page.bringToFront();
  console.log(`
A Chromium window is open on the reference inbox, signed in as ${inbox.users.admin.name} (admin).
Open a conversation: Inbox Guard's badge and Block / Archive buttons sit in its header.
Spammers write every 8 s. To try another role, put its token (and, in Helena style, its e-mail)
in Inbox Guard's settings tab, and sign in to the page with it:
${(['owner', 'manager', 'agent'] as const).map((role) => `    ${role.padEnd(8)} ${inbox.tokens[role]}  (${inbox.users[role].email})`).join('\n')}
Close the window or press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => browser.context.on('close', () => resolve()));
  await inbox.close();
  process.exit(0);
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const shot = async (target: Page, name: string) => {
  await target.screenshot({ path: join(out, name) });
  return `demo-output/${name}`;
};
await options.setViewportSize({ width: 900, height: 900 });
say(`Options page: ${await shot(options, '01-options.png')}`);

console.log('\n1. Blocking a spammer');
await openConversation(page, 'Promo Relâmpago');
await waitFor(() => badge(page).textContent(), 'Active');
say(`Opened "Promo Relâmpago": badge Active, Block and Archive in the header (${await shot(page, '02-conversation.png')})`);
await barButton(page, 'block').click();
await confirmDialog(page).waitFor();
say(`Clicked Block: "${await page.locator('#ig-confirm-title').textContent()}" (${await shot(page, '03-confirm-block.png')})`);
await confirmButton(page).click();
await waitFor(() => badge(page).textContent(), 'Blocked');
say(`Confirmed: badge Blocked; the platform says "${serverStatus(inbox, 'Promo Relâmpago')}" (${await shot(page, '04-blocked.png')})`);
const spam = inbox.control.incoming({ contactId: contactNamed(inbox, 'Promo Relâmpago').id, text: 'ÚLTIMA CHANCE!!! Clique agora' });
await page.waitForTimeout(800);
const visible = await page.locator('.ri-thread').getByText('ÚLTIMA CHANCE!!!').isVisible();
say(`The spammer wrote again: ${spam.dropped ? 'the platform dropped it' : 'the platform stored it'}, and it is ${visible ? 'VISIBLE (unexpected)' : 'not shown'} in the conversation`);

console.log('\n2. Archiving a contact');
await openConversation(page, 'Mariana Souza');
await waitFor(() => badge(page).textContent(), 'Active');
await barButton(page, 'archive').click();
await confirmDialog(page).waitFor();
say(`Clicked Archive: "${await page.locator('#ig-confirm-body').textContent()}"`);
await confirmButton(page).click();
await waitFor(() => badge(page).textContent(), 'Archived');
say(`Confirmed: badge Archived; the platform says "${serverStatus(inbox, 'Mariana Souza')}" (${await shot(page, '05-archived.png')})`);
if (style === 'chatwoot') await page.waitForTimeout(1100);
inbox.control.incoming({ contactId: contactNamed(inbox, 'Mariana Souza').id, text: 'Oi! Voltei, ainda tem o produto?' });
await waitFor(() => badge(page).textContent(), 'Active');
say(`Mariana wrote again: she is active again (badge Active, platform "${serverStatus(inbox, 'Mariana Souza')}") (${await shot(page, '06-reactivated.png')})`);

console.log('\n3. The panel (the toolbar button)');
const panel = await openPopup(browser);
const part = (id: string) => panel.getByTestId(panelTestId(id));
await waitFor(() => part('connection').getAttribute('data-kind'), 'connected');
await part('sync').click();
await waitFor(async () => ((await part('notice').textContent().catch(() => ''))?.includes('Synced') ? 'synced' : null), 'synced');
const counts = `Blocked ${await part('count-blocked').textContent()} · Archived ${await part('count-archived').textContent()}`;
await part('search').fill('Promo');
const listed = async () => (await part('list-row').allTextContents()).map((row) => (row.includes('Promo Relâmpago') ? 'Promo' : 'other')).join();
await waitFor(listed, 'Promo');
say(
  `${counts}; searching "Promo" finds the spammer in the Blocked list, with Unblock (${await shot(panel, '07-panel.png')})`,
);

console.log(`\nDone. Screenshots are in ${out}.`);
await stop();
process.exit(visible ? 1 : 0);
