// @vitest-environment node
import { describe, expect, test } from 'vitest';
import { apiKind, inboxOrigin, originPatterns, Settings, validateSettings } from '@/lib/settings';

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
});
