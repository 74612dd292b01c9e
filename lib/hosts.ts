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
 * Where the e2e build declares the content script: 127.0.0.1 only. An inbox on localhost is
 * then "self-hosted" (allowed, but not in the manifest), which exercises the run-time
 * registration real self-hosted servers get.
 */
export const LOOPBACK_CONTENT_MATCHES = ['http://127.0.0.1/*'];
