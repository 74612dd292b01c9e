/**
 * The platforms' known cloud hosts (the FACTS.md files under ../shared/contracts/): the inbox web apps the
 * content script runs on, and the API hosts the background may call. Self-hosted servers are
 * added by the user from the options page.
 *
 * The e2e build (`wxt build --mode e2e`, used by tests and the demo) also allows loopback
 * (127.0.0.1, localhost), where the reference inbox runs; store builds never do.
 */
export const INBOX_MATCHES = [
  'https://app.chatwoot.com/*',
  'https://*.wts.chat/*',
  'https://*.flw.chat/*',
  'https://*.helena.run/*',
];

export const API_HOSTS = ['https://app.chatwoot.com/*', 'https://*.wts.chat/*', 'https://*.flw.chat/*', 'https://*.helena.run/*'];

export const LOOPBACK_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];

/**
 * The only hosts an http:// (cleartext) server address may name: this computer. Anywhere else
 * the API token would cross a network unencrypted, so the settings refuse it (lib/settings.ts)
 * and the manifest cannot even be asked for it. As the URL parser writes them (`[::1]` with its
 * brackets; 127.0.0.1 spelled 0x7f.1 or 2130706433 parses to 127.0.0.1).
 */
export const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];

/** Whether a request to `url` would carry the token unencrypted across a network. */
export function sendsInClear(url: URL): boolean {
  return url.protocol === 'http:' && !LOOPBACK_HOSTS.includes(url.hostname);
}

/**
 * `optional_host_permissions`: what a self-hosted server saved on the settings page may be
 * granted, and nothing the settings would refuse: any https:// origin, http:// on loopback.
 */
export const OPTIONAL_HOSTS = ['https://*/*', ...LOOPBACK_HOSTS.map((host) => `http://${host}/*`)];

/**
 * Where the e2e build declares the content script: 127.0.0.1 only. An inbox on localhost is
 * then "self-hosted" (allowed, but not in the manifest), which exercises the run-time
 * registration real self-hosted servers get.
 */
export const LOOPBACK_CONTENT_MATCHES = ['http://127.0.0.1/*'];
