// @vitest-environment node
/**
 * The organisation's policy (storage.managed): what it sets is used and locked, what is
 * malformed is left out without breaking the rest, and the role it pins is the most a user
 * can do. The background runs for real against the reference inbox.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { pinRole } from '@/lib/background/platform';
import { createService } from '@/lib/background/service';
import { loadSettings, mergeSettings, settingsItem } from '@/lib/background/settings-store';
import type { IgError } from '@/lib/errors';
import type { InboxEvent } from '@/lib/messaging';
import { forgetPolicy, lockedFields, parsePolicy, readPolicy, watchPolicy } from '@/lib/policy';
import type { Identity } from '@/lib/platforms/types';
import type { Settings } from '@/lib/settings';
import { startReferenceInbox, type ReferenceInbox } from '../reference-inbox/server';

// fakeBrowser.reset() (tests/unit/setup.ts) drops the storage listeners, and the policy read with them.
beforeEach(() => forgetPolicy());

const userSaved: Settings = {
  platform: 'chatwoot',
  apiStyle: 'helena',
  serverUrl: 'https://chat.mine.example',
  accountId: '7',
  rememberToken: false,
};

describe('reading the policy', () => {
  test('a complete policy is read as settings values', () => {
    const read = parsePolicy({
      platform: 'helena',
      serverUrl: 'https://api.wts.chat/',
      inboxUrl: 'https://app.wts.chat',
      agentEmail: 'ana@loja.example',
      rememberToken: true,
      pinnedRole: 'agent',
      rateLimits: [{ limit: 100, windowMs: 5_000 }],
      selectors: { row: '.conversation-card' },
    });
    expect(read.ignored).toEqual([]);
    expect(read.policy).toEqual({
      platform: 'helena',
      serverUrl: 'https://api.wts.chat',
      inboxUrl: 'https://app.wts.chat',
      agentEmail: 'ana@loja.example',
      rememberToken: true,
      pinnedRole: 'agent',
      rateLimits: [{ limit: 100, windowMs: 5_000 }],
      selectors: { row: '.conversation-card' },
    });
  });

  test('a malformed value is left out with its reason; the rest still applies; unknown keys are ignored', () => {
    const read = parsePolicy({
      platform: 'slack',
      serverUrl: 'javascript:alert(1)',
      accountId: 'three',
      agentEmail: 'nobody',
      pinnedRole: 'superuser',
      rateLimits: [{ limit: 0, windowMs: 5_000 }],
      selectors: { row: 'li{} body{display:none' },
      rememberToken: 'yes',
      colour: 'blue',
      inboxUrl: 'https://app.wts.chat',
    });
    expect(read.policy).toEqual({ inboxUrl: 'https://app.wts.chat' });
    expect(read.ignored.map((entry) => entry.key).sort()).toEqual(
      ['accountId', 'agentEmail', 'colour', 'pinnedRole', 'platform', 'rateLimits', 'rememberToken', 'selectors', 'serverUrl'].sort(),
    );
    expect(read.ignored.find((entry) => entry.key === 'colour')?.reason).toBe('unknown key');
  });

  test('a cleartext server (http:// off this computer) is left out with its reason, loopback is kept', () => {
    const read = parsePolicy({ serverUrl: 'http://chat.corp.example', inboxUrl: 'http://app.corp.example' });
    expect(read.policy).toEqual({});
    expect(read.ignored.map((entry) => entry.key).sort()).toEqual(['inboxUrl', 'serverUrl']);
    expect(read.ignored[0]?.reason).toMatch(/https:\/\//);
    expect(parsePolicy({ serverUrl: 'http://127.0.0.1:3000' }).policy).toEqual({ serverUrl: 'http://127.0.0.1:3000' });
  });

  test('no policy, or not an object: nothing set, nothing thrown', () => {
    for (const raw of [undefined, null, 'x', 3, [], {}]) expect(parsePolicy(raw)).toEqual({ policy: {}, ignored: expect.any(Array) });
    expect(parsePolicy({ accountId: 3 }).policy).toEqual({ accountId: '3' });
  });

  test('a browser without managed storage reads as no policy', async () => {
    const managed = fakeBrowser.storage.managed;
    try {
      (fakeBrowser.storage as { managed: unknown }).managed = {
        get: () => Promise.reject(new Error('Managed storage manifest not found')),
      };
      expect(await readPolicy(() => undefined)).toEqual({});
      forgetPolicy();
      (fakeBrowser.storage as { managed: unknown }).managed = undefined;
      expect(await readPolicy(() => undefined)).toEqual({});
    } finally {
      (fakeBrowser.storage as { managed: unknown }).managed = managed;
    }
  });

  test('malformed values are logged, never thrown', async () => {
    await fakeBrowser.storage.managed.set({ serverUrl: 42, pinnedRole: 'agent' });
    const log = vi.fn();
    expect(await readPolicy(log)).toEqual({ pinnedRole: 'agent' });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('"serverUrl" ignored'));
  });
});

describe('the policy on top of the user’s settings', () => {
  test('a policy value wins over the saved one, and only what it sets is locked', async () => {
    await settingsItem.setValue(userSaved);
    await fakeBrowser.storage.managed.set({ serverUrl: 'https://chat.corp.example', pinnedRole: 'agent' });
    expect(await loadSettings()).toEqual({ ...userSaved, serverUrl: 'https://chat.corp.example', pinnedRole: 'agent' });
    expect(lockedFields(parsePolicy({ serverUrl: 'https://chat.corp.example', pinnedRole: 'agent', nope: 1 }).policy)).toEqual(['serverUrl', 'pinnedRole']);
  });

  test('a policy configures everything with nothing saved; a partial one needs the user’s part', () => {
    expect(mergeSettings(undefined, { platform: 'chatwoot', serverUrl: 'https://chat.corp.example', accountId: '4' })).toEqual({
      platform: 'chatwoot',
      apiStyle: 'helena',
      serverUrl: 'https://chat.corp.example',
      accountId: '4',
      rememberToken: false,
    });
    expect(mergeSettings(undefined, { accountId: '4' })).toBeNull();
    expect(mergeSettings({ ...userSaved, serverUrl: 'damaged' }, { serverUrl: 'https://chat.corp.example' })?.serverUrl).toBe('https://chat.corp.example');
  });

  test('the policy is read once, and again when the browser says it changed', async () => {
    await fakeBrowser.storage.managed.set({ pinnedRole: 'manager' });
    const get = vi.spyOn(fakeBrowser.storage.managed, 'get');
    expect(await readPolicy()).toEqual({ pinnedRole: 'manager' });
    expect(await readPolicy()).toEqual({ pinnedRole: 'manager' });
    expect(get).toHaveBeenCalledTimes(1);
    await fakeBrowser.storage.managed.set({ pinnedRole: 'agent' });
    expect(await readPolicy()).toEqual({ pinnedRole: 'agent' });
    expect(get).toHaveBeenCalledTimes(2);
  });

  test('a policy change is noticed without a restart', async () => {
    const changed = vi.fn();
    watchPolicy(changed);
    await fakeBrowser.storage.local.set({ unrelated: 1 });
    expect(changed).not.toHaveBeenCalled();
    await fakeBrowser.storage.managed.set({ pinnedRole: 'agent' });
    expect(changed).toHaveBeenCalledTimes(1);
  });
});

describe('role pinning', () => {
  const admin: Identity = { userName: 'Ana', role: 'admin', roleSource: 'platform', accountId: '1' };

  test('the least privileged of the platform’s role and the pinned one applies', () => {
    expect(pinRole(admin, 'agent')).toEqual({ ...admin, role: 'agent', roleSource: 'policy' });
    expect(pinRole(admin, 'manager')).toMatchObject({ role: 'manager', roleSource: 'policy' });
    expect(pinRole(admin, 'owner')).toBe(admin);
    expect(pinRole(admin, 'admin')).toBe(admin);
    expect(pinRole(admin, undefined)).toBe(admin);
    expect(pinRole({ ...admin, role: 'agent' }, 'owner')).toMatchObject({ role: 'agent', roleSource: 'platform' });
  });
});

describe.each(['helena', 'chatwoot'] as const)('the background under a policy, %s style', (style) => {
  let inbox: ReferenceInbox;
  let events: InboxEvent[];

  beforeEach(async () => {
    inbox = await startReferenceInbox({ style });
    events = [];
  });
  afterEach(async () => {
    await inbox.close();
  });

  const service = () =>
    createService({
      fetch,
      backoff: { baseMs: 5, capMs: 20 },
      broadcast: async (_settings, event) => {
        events.push(event);
      },
    });

  const policyFor = (extra: object = {}) => ({
    platform: 'reference',
    apiStyle: style,
    serverUrl: inbox.url,
    ...(style === 'chatwoot' ? { accountId: String(inbox.accountId) } : { agentEmail: inbox.users.admin.email }),
    ...extra,
  });

  test('with only the token typed, the policy connects; settings.get says what is locked', async () => {
    await fakeBrowser.storage.managed.set(policyFor());
    const svc = service();
    const before = await svc.handlers['settings.get']({}, {});
    expect(before.settings).toMatchObject({ platform: 'reference', serverUrl: inbox.url });
    expect(before.locked).toEqual(expect.arrayContaining(['platform', 'apiStyle', 'serverUrl']));
    await svc.handlers['settings.save']({ settings: before.settings!, token: inbox.tokens.admin }, {});
    expect(await svc.handlers['connection.test']({}, {})).toMatchObject({ role: 'admin', roleSource: 'platform' });
  });

  test('settings.save cannot change a locked field; when the policy lifts it, the user’s own value is back', async () => {
    const svc = service();
    const own = { ...(policyFor() as Settings), serverUrl: 'http://127.0.0.1:9' };
    await svc.handlers['settings.save']({ settings: own, token: inbox.tokens.admin }, {});
    await fakeBrowser.storage.managed.set(policyFor({ pinnedRole: 'agent' }));
    const { settings } = await svc.handlers['settings.get']({}, {});
    const answer = await svc.handlers['settings.save'](
      { settings: { ...settings!, serverUrl: 'https://evil.example', pinnedRole: 'owner', rememberToken: true }, token: inbox.tokens.admin },
      {},
    );
    expect(answer.settings).toMatchObject({ serverUrl: inbox.url, pinnedRole: 'agent', rememberToken: true });
    expect(answer.locked).toEqual(expect.arrayContaining(['serverUrl', 'pinnedRole']));
    expect(await loadSettings()).toMatchObject({ serverUrl: inbox.url, pinnedRole: 'agent' });

    await fakeBrowser.storage.managed.clear();
    const lifted = await loadSettings();
    expect(lifted).toMatchObject({ serverUrl: 'http://127.0.0.1:9', rememberToken: true });
    expect(lifted?.pinnedRole).toBeUndefined();
  });

  test('a pinned role of agent: an admin’s token cannot block through Inbox Guard', async () => {
    await fakeBrowser.storage.managed.set(policyFor({ pinnedRole: 'agent' }));
    const svc = service();
    const { settings } = await svc.handlers['settings.get']({}, {});
    await svc.handlers['settings.save']({ settings: { ...settings!, pinnedRole: undefined }, token: inbox.tokens.admin }, {});
    // The tabs are told who the user now is (the last word after saving).
    const session = events.filter((event) => event.type === 'session.changed').at(-1);
    expect(session).toMatchObject({ session: { role: 'agent', roleSource: 'policy' } });
    expect(await svc.handlers['connection.test']({}, {})).toMatchObject({ role: 'agent', roleSource: 'policy' });
    const spammer = inbox.model.listContacts().find((contact) => contact.name === 'Promo Relâmpago')!;
    const conversationId = String(inbox.model.latestConversation(spammer.id)!.id);
    const error = await svc.handlers['contact.setStatus']({ conversationId, contactId: String(spammer.id), action: 'block' }, {}).then(
      () => null,
      (failure: IgError) => failure,
    );
    expect(error?.code).toBe('role_forbidden');
    expect(inbox.model.contact(spammer.id)?.status).toBe('active');
  });
});
