// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { API_HOSTS, OPTIONAL_HOSTS } from '@/lib/hosts';
import { apiKind, defaultRateLimits, inboxOrigin, originPatterns, serverAddress, Settings, validateRateLimits, validateSettings } from '@/lib/settings';

const base = {
  platform: 'chatwoot' as const,
  apiStyle: 'helena' as const,
  serverUrl: 'https://chat.example.com/',
  inboxUrl: '',
  accountId: '3',
  agentEmail: '',
  rememberToken: false,
};

describe('connection settings', () => {
  test('a valid Chatwoot configuration is normalised', () => {
    const result = validateSettings(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.serverUrl).toBe('https://chat.example.com');
    expect(result.settings.accountId).toBe('3');
    expect(result.settings.agentEmail).toBeUndefined();
    expect(apiKind(result.settings)).toBe('chatwoot');
  });

  test('each bad field gets its own readable reason', () => {
    const result = validateSettings({ ...base, serverUrl: 'chat.example.com', accountId: 'abc' });
    expect(result).toEqual({ ok: false, errors: { serverUrl: 'options_error_url', accountId: 'options_error_account' } });
    expect(validateSettings({ ...base, serverUrl: 'javascript:alert(1)' }).ok).toBe(false);
    expect(validateSettings({ ...base, serverUrl: 'https://user:pw@chat.example.com' }).ok).toBe(false);
    expect(validateSettings({ ...base, platform: 'helena', agentEmail: 'not-an-email' })).toEqual({
      ok: false,
      errors: { agentEmail: 'options_error_email' },
    });
  });

  test('Helena: the inbox page can live on another origin than the API', () => {
    const result = validateSettings({ ...base, platform: 'helena', serverUrl: 'https://api.wts.chat', inboxUrl: 'https://app.wts.chat/', agentEmail: 'ana@x.example' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(inboxOrigin(result.settings)).toBe('https://app.wts.chat');
    expect(originPatterns(result.settings)).toEqual(['https://api.wts.chat/*', 'https://app.wts.chat/*']);
    expect(result.settings.accountId).toBeUndefined();
  });

  test('host permission patterns carry no port (Firefox refuses one; no port means any port)', () => {
    const result = validateSettings({ ...base, platform: 'reference', serverUrl: 'http://127.0.0.1:4010' });
    expect(result.ok && originPatterns(result.settings)).toEqual(['http://127.0.0.1/*']);
  });

  // Issue 9 §4: http:// is cleartext; the token may cross no network that way.
  const CLEARTEXT = [
    'http://chat.example.test',
    'http://192.168.1.10:3000',
    'http://10.0.0.1',
    'http://127.0.0.2',
    'http://[::2]',
    'http://localhost.',
    'http://localhost.evil.example',
    'http://127.0.0.1.nip.io',
    'http://app.chatwoot.com',
  ];
  const LOOPBACK = ['http://127.0.0.1:4010', 'http://localhost:3000', 'http://[::1]:8080', 'http://LOCALHOST', 'http://2130706433:9', 'http://0x7f.0.0.1', 'http://[0:0:0:0:0:0:0:1]'];

  test.each(CLEARTEXT)('%s is refused: it would send the token unencrypted', (url) => {
    expect(serverAddress(url)).toBe('cleartext');
    expect(validateSettings({ ...base, serverUrl: url })).toEqual({ ok: false, errors: { serverUrl: 'options_error_cleartext' } });
    expect(validateSettings({ ...base, platform: 'helena', serverUrl: 'https://api.wts.chat', inboxUrl: url })).toEqual({
      ok: false,
      errors: { inboxUrl: 'options_error_cleartext' },
    });
    // Nor can a saved value, a policy or a 'settings.save' message hold it: they parse with Settings.
    expect(Settings.safeParse({ platform: 'chatwoot', serverUrl: url, accountId: '3' }).success).toBe(false);
    expect(Settings.safeParse({ platform: 'helena', serverUrl: 'https://api.wts.chat', inboxUrl: url }).success).toBe(false);
    expect(serverAddress(url.replace('http:', 'https:'))).toBe('ok');
  });

  test.each(LOOPBACK)('%s is accepted: this computer, in any spelling the URL parser reads as loopback', (url) => {
    expect(serverAddress(url)).toBe('ok');
    const result = validateSettings({ ...base, platform: 'reference', serverUrl: url });
    expect(result.ok).toBe(true);
  });

  test('every address the settings accept is one the manifest can be asked for, and no other http://', () => {
    // The manifest (wxt.config.ts) asks for API_HOSTS and may ask for OPTIONAL_HOSTS.
    const covered = (pattern: string) => [...API_HOSTS, ...OPTIONAL_HOSTS].some((host) => host === pattern || (host === 'https://*/*' && pattern.startsWith('https://')));
    for (const url of [...LOOPBACK, 'https://chat.example.test:8443', 'https://app.chatwoot.com']) {
      const result = validateSettings({ ...base, platform: 'reference', serverUrl: url });
      if (!result.ok) throw new Error(url);
      for (const pattern of originPatterns(result.settings)) expect(covered(pattern), pattern).toBe(true);
    }
    expect(OPTIONAL_HOSTS).toEqual(['https://*/*', 'http://127.0.0.1/*', 'http://[::1]/*', 'http://localhost/*']);
    expect([...API_HOSTS, ...OPTIONAL_HOSTS].filter((host) => host.startsWith('http:') && !/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)\/\*$/.test(host))).toEqual([]);
  });

  test('the reference inbox speaks the chosen API style', () => {
    const result = validateSettings({ ...base, platform: 'reference', apiStyle: 'chatwoot', serverUrl: 'http://127.0.0.1:4010' });
    expect(result.ok && apiKind(result.settings)).toBe('chatwoot');
  });

  test('rate limits can replace the platform defaults, within sane bounds', () => {
    const settings = { platform: 'helena', apiStyle: 'helena', serverUrl: 'https://api.wts.chat', rememberToken: false };
    expect(Settings.safeParse({ ...settings, rateLimits: [{ limit: 500, windowMs: 5_000 }] }).success).toBe(true);
    expect(Settings.safeParse({ ...settings, rateLimits: [] }).success).toBe(false);
    expect(Settings.safeParse({ ...settings, rateLimits: [{ limit: 0, windowMs: 5_000 }] }).success).toBe(false);
    expect(Settings.safeParse({ ...settings, rateLimits: [{ limit: 5, windowMs: 10 }] }).success).toBe(false);
  });

  test('the rate-limit editor’s rows: seconds become windows, each bad number gets its reason', () => {
    expect(validateRateLimits([{ limit: ' 150 ', seconds: '2,5' }])).toEqual({ ok: true, rateLimits: [{ limit: 150, windowMs: 2_500 }] });
    expect(validateRateLimits([{ limit: '1.5', seconds: '0' }, { limit: '10', seconds: '60' }, { limit: '', seconds: '' }])).toEqual({
      ok: false,
      errors: [{ limit: 'options_error_rate_limit', seconds: 'options_error_rate_seconds' }, {}, { limit: 'options_error_rate_limit', seconds: 'options_error_rate_seconds' }],
    });
    expect(validateRateLimits([]).ok).toBe(false);
    expect(validateRateLimits(Array.from({ length: 6 }, () => ({ limit: '1', seconds: '1' }))).ok).toBe(false);
  });

  test('the platform’s default windows: Helena’s documented limits, a courteous ceiling for Chatwoot', () => {
    expect(defaultRateLimits({ platform: 'helena', apiStyle: 'helena' })).toEqual([
      { limit: 200, windowMs: 5_000 },
      { limit: 1_000, windowMs: 300_000 },
    ]);
    expect(defaultRateLimits({ platform: 'reference', apiStyle: 'chatwoot' })).toEqual([{ limit: 60, windowMs: 1_000 }]);
  });

  test('a pinned role is one of the four roles', () => {
    const settings = { platform: 'helena', apiStyle: 'helena', serverUrl: 'https://api.wts.chat', rememberToken: false };
    expect(Settings.safeParse({ ...settings, pinnedRole: 'agent' }).success).toBe(true);
    expect(Settings.safeParse({ ...settings, pinnedRole: 'root' }).success).toBe(false);
  });
});
