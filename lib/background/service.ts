/**
 * The background's work: every handler of the protocol, over the platform API, the token and
 * the IndexedDB store, which only the background touches.
 *
 * - Identity (user + role) is read from the platform and cached in storage.session for a few
 *   minutes; a 401 anywhere forgets it and tells open tabs.
 * - A contact's status is answered from the store when known (and re-checked in the
 *   background when old), from the platform otherwise.
 * - A status change is checked against the role gate (lib/roles.ts) and against the contact's
 *   current status on the platform, then sent; every open inbox tab hears the result.
 */
import { browser } from 'wxt/browser';
import { IgError } from '../errors';
import type { ContactView, InboxEvent, Session } from '../messaging';
import { createPlatformApi } from '../platforms';
import type { Identity, PlatformApi } from '../platforms/types';
import { refusal, targetStatus } from '../roles';
import { loadSettings, settingsItem, storeScope, type Settings } from '../settings';
import { contactIdOfConversation, getStoredContact, rememberContact, rememberConversation } from '../store/contacts';
import type { StoredContact } from '../store/db';
import { openStore } from '../store/db';
import type { Handlers } from './router';
import { getToken, hasToken, saveToken, setRemember } from './token';

const IDENTITY_KEY = 'identity';
const IDENTITY_MAX_AGE_MS = 5 * 60_000;
const CONTACT_REVALIDATE_MS = 30_000;

export interface ServiceDeps {
  fetch: typeof fetch;
  now?: () => number;
  /** Tells open inbox tabs; the background entrypoint wires it to tabs.sendMessage. */
  broadcast: (settings: Settings, event: InboxEvent) => Promise<void>;
}

function fingerprint(settings: Settings): string {
  const { platform, apiStyle, serverUrl, accountId, agentEmail } = settings;
  return JSON.stringify([platform, apiStyle, serverUrl, accountId ?? '', agentEmail ?? '']);
}

export function toView(contact: StoredContact): ContactView {
  return {
    id: contact.id,
    name: contact.name,
    status: contact.status,
    statusSince: contact.statusSince,
    blockedAt: contact.blockedAt,
  };
}

export function createService(deps: ServiceDeps) {
  const now = deps.now ?? Date.now;

  const requireSettings = async (): Promise<Settings> => {
    const settings = await loadSettings();
    if (!settings) throw new IgError('not_configured');
    return settings;
  };

  const api = (settings: Settings): PlatformApi =>
    createPlatformApi(settings, { fetch: (...args) => deps.fetch(...args), getToken });

  const forgetIdentity = () => browser.storage.session.remove(IDENTITY_KEY);

  /** Runs a platform call; a 401 also forgets who we are and tells the tabs. */
  const guarded = async <T>(settings: Settings, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      const igError = IgError.from(error);
      if (igError.code === 'unauthorized' || igError.code === 'no_token') {
        await forgetIdentity();
        await deps.broadcast(settings, {
          type: 'session.changed',
          session: { active: true, platform: settings.platform, error: igError.toShape() },
        });
      }
      throw igError;
    }
  };

  const identity = async (settings: Settings, fresh = false): Promise<Identity> => {
    const key = fingerprint(settings);
    if (!fresh) {
      const cached = (await browser.storage.session.get(IDENTITY_KEY))[IDENTITY_KEY] as
        | { key: string; at: number; identity: Identity }
        | undefined;
      if (cached && cached.key === key && now() - cached.at < IDENTITY_MAX_AGE_MS) return cached.identity;
    }
    const me = await guarded(settings, () => api(settings).whoAmI());
    await browser.storage.session.set({ [IDENTITY_KEY]: { key, at: now(), identity: me } });
    return me;
  };

  const session = async (settings: Settings): Promise<Session> => {
    try {
      const me = await identity(settings);
      return {
        active: true,
        platform: settings.platform,
        apiStyle: settings.apiStyle,
        role: me.role,
        roleSource: me.roleSource,
        userName: me.userName,
      };
    } catch (error) {
      return { active: true, platform: settings.platform, apiStyle: settings.apiStyle, error: IgError.from(error).toShape() };
    }
  };

  const fetchByConversation = async (settings: Settings, conversationId: string): Promise<StoredContact> => {
    const me = await identity(settings);
    const scope = storeScope(settings, me.accountId);
    const contact = await guarded(settings, () => api(settings).contactOfConversation(conversationId));
    const db = await openStore();
    await rememberConversation(db, scope, conversationId, contact.id);
    const previous = await getStoredContact(db, scope, contact.id);
    const stored = await rememberContact(db, scope, contact, now());
    if (previous && previous.status !== stored.status) {
      await deps.broadcast(settings, { type: 'contact.changed', contact: toView(stored) });
    }
    return stored;
  };

  const handlers: Handlers = {
    async 'overlay.hello'() {
      return session(await requireSettings());
    },

    async 'contact.status'({ conversationId, refresh }) {
      const settings = await requireSettings();
      if (!refresh) {
        const me = await identity(settings);
        const scope = storeScope(settings, me.accountId);
        const db = await openStore();
        const contactId = await contactIdOfConversation(db, scope, conversationId);
        const cached = contactId ? await getStoredContact(db, scope, contactId) : undefined;
        if (cached) {
          if (now() - cached.checkedAt > CONTACT_REVALIDATE_MS) {
            void fetchByConversation(settings, conversationId).catch(() => undefined);
          }
          return toView(cached);
        }
      }
      return toView(await fetchByConversation(settings, conversationId));
    },

    async 'contact.setStatus'({ conversationId, contactId, action }) {
      const settings = await requireSettings();
      const me = await identity(settings);
      const platform = api(settings);
      const current = await guarded(settings, () => platform.getContact(contactId));
      const reason = refusal(me.role, current.status, action);
      if (reason === 'reason_admin_only') throw new IgError('role_forbidden');
      if (reason) throw new IgError('invalid_transition', { detail: reason });
      const updated = await guarded(settings, () => platform.setStatus(contactId, targetStatus[action]));
      const db = await openStore();
      const scope = storeScope(settings, me.accountId);
      if (conversationId) await rememberConversation(db, scope, conversationId, contactId);
      const stored = await rememberContact(db, scope, updated, now());
      const view = toView(stored);
      await deps.broadcast(settings, { type: 'contact.changed', contact: view });
      return view;
    },

    async 'options.open'() {
      await browser.runtime.openOptionsPage();
      return {};
    },

    async 'settings.get'() {
      return { settings: await loadSettings(), hasToken: await hasToken() };
    },

    async 'settings.save'({ settings, token }) {
      await settingsItem.setValue(settings);
      if (token) await saveToken(token, settings.rememberToken);
      else await setRemember(settings.rememberToken);
      await forgetIdentity();
      await deps.broadcast(settings, { type: 'session.changed', session: await session(settings) });
      return { settings, hasToken: await hasToken() };
    },

    async 'connection.test'() {
      const settings = await requireSettings();
      return identity(settings, true);
    },
  };

  return { handlers, loadSettings };
}
