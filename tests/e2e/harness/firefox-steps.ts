/**
 * What a user does in Firefox (Puppeteer over BiDi), as steps shared by the Firefox tests:
 * wait for something the page shows, connect the extension from the settings page it opened.
 */
import type { Page as PuppeteerPage } from 'puppeteer-core';
import type { Connection } from './steps';

/** Polls `read` until `accept` says yes (Puppeteer has no expect.poll of its own). */
export async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeout = 15_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** Firefox: fills the options page the extension opened at install and tests the connection. */
export async function connectFirefox(options: PuppeteerPage, connection: Connection): Promise<string> {
  await options.select('[data-testid="ig-options-platform"]', 'reference');
  await options.click(`[data-testid="ig-options-apiStyle-${connection.apiStyle}"]`);
  await options.type('[data-testid="ig-options-serverUrl"]', connection.serverUrl);
  if (connection.apiStyle === 'chatwoot') await options.type('[data-testid="ig-options-accountId"]', connection.accountId);
  else await options.type('[data-testid="ig-options-agentEmail"]', connection.agentEmail);
  await options.type('[data-testid="ig-options-token"]', connection.token);
  await options.click('[data-testid="ig-options-test"]');
  return until(
    () => options.$eval('[data-testid="ig-options-outcome"]', (element) => `${(element as HTMLElement).dataset.kind}: ${element.textContent}`),
    (text) => !text.startsWith('idle') && !text.startsWith('busy'),
    'the connection test',
  );
}
