/**
 * The token never travels in cleartext (issue 9 §4), in real Chromium: the settings page refuses
 * an http:// server that is not this computer, with its reason next to the field (English and
 * Brazilian Portuguese), before any permission prompt and without saving anything; a forged
 * 'settings.save' from an extension page is refused too; the manifest cannot even be asked for
 * such a host (no http://*\/* among the optional hosts, every one of which Chromium parses);
 * and http:// on loopback still connects (the reference inbox on 127.0.0.1).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { OPTIONAL_HOSTS } from '@/lib/hosts';
import { launchChromium, type ChromiumSession } from '../harness/chromium';
import { connection, startInbox, type ReferenceInbox } from '../harness/inbox';
import { connectExtension } from '../harness/steps';

let browser: ChromiumSession | undefined;
let inbox: ReferenceInbox | undefined;

afterEach(async () => {
  await browser?.close();
  await inbox?.close();
  browser = undefined;
  inbox = undefined;
});

const REFUSAL = {
  'en-US':
    'An http:// address would send your API token unencrypted over the network. Use https://; http:// is accepted only for a server on this computer (localhost, 127.0.0.1 or [::1]).',
  'pt-BR':
    'Um endereço http:// enviaria seu token de API sem criptografia pela rede. Use https://; http:// só é aceito para um servidor neste computador (localhost, 127.0.0.1 ou [::1]).',
} as const;

describe('an http:// server off this computer is refused', () => {
  test.each(Object.keys(REFUSAL) as (keyof typeof REFUSAL)[])('on the settings page, with the reason (%s); nothing saved, nothing asked', async (language) => {
    browser = await launchChromium({ language });
    const page = await browser.context.newPage();
    await page.goto(browser.extensionUrl('options.html')).catch(async () => {
      await page.waitForTimeout(1_000);
      await page.goto(browser!.extensionUrl('options.html'));
    });
    await page.getByTestId('ig-options-platform').selectOption('chatwoot');
    await page.getByTestId('ig-options-serverUrl').fill('http://chat.example.test');
    await page.getByTestId('ig-options-accountId').fill('3');
    await page.getByTestId('ig-options-token').fill('cw_secret_token_1234');
    await page.getByTestId('ig-options-test').click();

    const field = page.getByTestId('ig-options-serverUrl');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#ig-options-serverUrl-error').textContent()).toBe(REFUSAL[language]);
    // The field names its error for assistive technology.
    expect(await field.getAttribute('aria-describedby')).toContain('ig-options-serverUrl-error');
    expect(await page.getByTestId('ig-options-outcome').getAttribute('data-kind')).not.toBe('connected');
    const summary = (await browser.ask('settings.get', {})) as { ok: boolean; data: { settings: unknown; hasToken: boolean } };
    expect(summary).toMatchObject({ ok: true, data: { settings: null, hasToken: false } });
    const granted = await (await browser.worker()).evaluate(() =>
      (globalThis as unknown as { chrome: { permissions: { getAll(): Promise<{ origins?: string[] }> } } }).chrome.permissions.getAll(),
    );
    expect(granted.origins ?? []).not.toContain('http://chat.example.test/*');
  });

  test('a forged settings.save is refused; the manifest cannot be asked for a cleartext host; loopback still connects', async () => {
    browser = await launchChromium();
    const forged = await browser.ask('settings.save', {
      settings: { platform: 'chatwoot', apiStyle: 'helena', serverUrl: 'http://chat.example.test', accountId: '3', rememberToken: false },
      token: 'cw_secret_token_1234',
    });
    expect(forged).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await browser.ask('settings.get', {})).toMatchObject({ ok: true, data: { settings: null, hasToken: false } });

    const worker = await browser.worker();
    const { optional, parsed } = await worker.evaluate(async () => {
      const chromeApi = (globalThis as unknown as {
        chrome: { runtime: { getManifest(): { optional_host_permissions?: string[] } }; permissions: { contains(p: { origins: string[] }): Promise<boolean> } };
      }).chrome;
      const hosts = chromeApi.runtime.getManifest().optional_host_permissions ?? [];
      // contains() throws on a pattern Chromium cannot parse ("Invalid host"): each must parse.
      const parsed: string[] = [];
      for (const origin of hosts) {
        try {
          await chromeApi.permissions.contains({ origins: [origin] });
          parsed.push(origin);
        } catch {
          // left out of `parsed`
        }
      }
      return { optional: hosts, parsed };
    });
    expect(optional).toEqual(OPTIONAL_HOSTS);
    expect(optional).not.toContain('http://*/*');
    expect(parsed).toEqual(optional);

    inbox = await startInbox('chatwoot');
    const options = await connectExtension(browser, connection(inbox, 'admin'));
    expect(connection(inbox, 'admin').serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    await expect.poll(() => options.getByTestId('ig-options-outcome').getAttribute('data-kind')).toBe('connected');
  });
});
