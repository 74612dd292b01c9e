/**
 * `npm run inbox` → starts one reference inbox (server.ts) for the demo or for manual testing
 * and prints how to reach it: URL, style, account id and one demo token per role.
 *
 *   npm run inbox -- --style chatwoot --port 4011 --spam-interval 0
 *
 * Flags: --style helena|chatwoot (default helena), --port N (default 4010),
 * --spam-interval ms (default 8000; 0 = spammers only write when told). Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startReferenceInbox } from './server.ts';
import type { Role } from './types.ts';

function fail(message: string): never {
  console.error(`reference inbox: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    style: { type: 'string', default: 'helena' },
    port: { type: 'string', default: '4010' },
    'spam-interval': { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('Usage: npm run inbox -- [--style helena|chatwoot] [--port 4010] [--spam-interval 8000] [--host 127.0.0.1]');
  process.exit(0);
}

const style = values.style;
if (style !== 'helena' && style !== 'chatwoot') fail(`--style must be helena or chatwoot, not "${style}"`);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, not "${values.port}"`);
const spamIntervalMs = Number(values['spam-interval']);
if (!Number.isFinite(spamIntervalMs) || spamIntervalMs < 0) fail(`--spam-interval must be milliseconds ≥ 0, not "${values['spam-interval']}"`);

const inbox = await startReferenceInbox({ style, port, host: values.host, spamIntervalMs }).catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  fail(code === 'EADDRINUSE' ? `port ${port} is already in use (try --port 0)` : String(error));
});

const roles: Role[] = ['owner', 'admin', 'manager', 'agent'];
const width = Math.max(...roles.map((r) => inbox.tokens[r].length));
const apiHint = style === 'helena' ? 'Authorization: Bearer <token>' : 'api_access_token: <token>';
console.log(
  [
    '',
    `  Reference inbox (${style === 'helena' ? 'Helena' : 'Chatwoot'} style) — ${inbox.model.account.name}`,
    '',
    `  Web inbox   ${inbox.url}/inbox`,
    `  API base    ${inbox.url}   (${apiHint})`,
    `  Account id  ${String(inbox.accountId)}`,
    `  Spammers    ${spamIntervalMs > 0 ? `write every ${spamIntervalMs} ms` : 'write only when told (POST /__control/spam)'}`,
    '',
    '  Demo tokens',
    ...roles.map((r) => `    ${r.padEnd(8)} ${inbox.tokens[r].padEnd(width)}  ${inbox.users[r].name} <${inbox.users[r].email}>`),
    '',
    '  Test controls under /__control (see tests/reference-inbox/README.md). Ctrl-C stops.',
    '',
  ].join('\n'),
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await inbox.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
