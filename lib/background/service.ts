/**
 * The background's work: every handler of the protocol, over the platform, the token, the
 * IndexedDB store and the outbox, which only the background touches.
 *
 * - A status change is checked against the role gate (lib/roles.ts) and the contact's status
 *   as the store and the outbox know it, written to the outbox, and sent from there
 *   (lib/outbox/). The answer waits for the first attempt (a few seconds at most), so the
 *   user sees "Blocked" or "will be sent when the platform answers", never a silent spinner.
 * - A contact's status is answered from the store when known (re-read in the background when
 *   old), from the platform otherwise, with any pending action on top.
 * - Every change reaches every open inbox tab (`broadcast`). A 401 anywhere pauses the outbox
 *   and tells the tabs to ask the user to sign in again. Changes made by a bulk job or an
 *   import are told in batches (`changedMany`), so a 1,000-contact job does not flood the tabs.
 * - The admin panel's handlers live in panel.ts, over the list index (lists.ts) and the job
 *   runner (jobs.ts); this file wires them to the outbox, the sync and the tabs.
 */
import { browser } from 'wxt/browser';
import { IgError, type ErrorShape } from '../errors';
import type { ContactView, InboxEvent, MenuTarget, Session } from '../messaging';
import { createOutbox } from '../outbox/drain';
import type { BackoffPolicy } from '../outbox/backoff';
import { enqueue, pendingFor, resumeAll } from '../outbox/queue';
import { canBlock, refusal, targetStatus } from '../roles';
import { inboxOrigin, matchPattern, originPatterns, type Settings } from '../settings';
import { loadSettings, loadSettingsWithPolicy, saveSettings } from './settings-store';
import {
  contactIdOfConversation,
  contactsNamed,
  getStoredContact,
  rememberBlockOrder,
  rememberContact,
  rememberConversation,
  type Scope,
} from '../store/contacts';
import { openStore, type Db } from '../store/db';
import { toE164 } from '../phone';
import { syncContentScripts } from './content-scripts';
import { actionOfItem, createMenus, labelMenus, SELECTION_ITEM } from './menus';
import { blockedConversations, rowStatuses } from './rows';
import { setHidden, setWarning } from './toolbar';
import { createPlatformAccess, type Connection } from './platform';
import type { Handlers } from './router';
import { syncLists } from './sync';
import { createJobs } from './jobs';
import { createListIndex } from './lists';
import { createPanelHandlers, LAST_SYNC_KEY } from './panel';
import { hasToken, saveToken, setRemember } from './token';

const CONTACT_REVALIDATE_MS = 30_000;
const FIRST_ATTEMPT_WAIT_MS = 8_000;
const SYNC_AFTER_ACTIONS_MS = 3_000;
const SYNC_TELL_ONE_BY_ONE = 20;
/** Job changes are told to the tabs at most this often, one by one only when this few. */
const JOB_TELL_EVERY_MS = 1_000;
const JOB_TELL_ONE_BY_ONE = 3;

export interface ServiceDeps {
  fetch: typeof fetch;
  now?: () => number;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** Tells open inbox tabs; the background entrypoint wires it to tabs.sendMessage. */
  broadcast: (settings: Settings, event: InboxEvent) => Promise<void>;
  /** Asks to run the outbox again at `at` (an alarm, and a timer when it is soon). */
  wake?: (at: number) => void;
  log?: (message: string, detail?: unknown) => void;
}

/** The contact as the overlay shows it: the confirmed status with the pending action on top. */
export async function contactView(db: Db, scope: Scope, contactId: string): Promise<ContactView | null> {
  const stored = await getStoredContact(db, scope, contactId);
  if (!stored) return null;
  const item = await pendingFor(db, scope, contactId);
  const waiting = item && item.state !== 'failed' ? item : undefined;
  const status = waiting?.target ?? stored.status;
  const since = waiting ? waiting.createdAt : stored.statusSince;
  return {
    id: stored.id,
    name: stored.name,
    status,
    confirmed: stored.status,
    statusSince: since,
    ...(status === 'blocked' ? { blockedAt: stored.status === 'blocked' ? (stored.blockedAt ?? since) : since } : {}),
    ...(status === 'blocked' && stored.blockedAfterOrder !== undefined ? { blockedAfterOrder: stored.blockedAfterOrder } : {}),
    ...(item
      ? {
          pending: {
            action: item.action,
            state: item.state,
            ...(item.error ? { error: item.error } : {}),
            ...(item.state === 'queued' && item.attempts > 0 ? { nextAt: item.nextAt } : {}),
          },
        }
      : {}),
  };
}

export function createService(deps: ServiceDeps) {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => undefined);

  const signedOut = async (settings: Settings, error: ErrorShape) => {
    await deps.broadcast(settings, { type: 'session.changed', session: { active: true, platform: settings.platform, error } });
  };

  const access = createPlatformAccess({
    fetch: deps.fetch,
    now,
    onSignedOut: (settings, error) => signedOut(settings, error.toShape()),
  });

  const lists = createListIndex(openStore);

  const tell = async (connection: { settings: Settings; scope: Scope }, contactId: string) => {
    await lists.touch(connection.scope, [contactId]);
    const view = await contactView(await openStore(), connection.scope, contactId);
    if (view) await deps.broadcast(connection.settings, { type: 'contact.changed', contact: view });
  };

  /** Contacts a job changed: told together, one by one when few, as one "resynced" when many. */
  const batches = new Map<string, { connection: { settings: Settings; scope: Scope }; ids: Set<string> }>();
  let batchTimer: ReturnType<typeof setTimeout> | undefined;
  const flushChanged = async () => {
    batchTimer = undefined;
    const all = [...batches.values()];
    batches.clear();
    for (const { connection, ids } of all) {
      await lists.touch(connection.scope, ids);
      if (ids.size <= JOB_TELL_ONE_BY_ONE) {
        for (const id of ids) await tell(connection, id);
      } else {
        await deps.broadcast(connection.settings, { type: 'contacts.resynced', count: ids.size });
      }
    }
  };
  const changedMany = (connection: { settings: Settings; scope: Scope }, ids: string[]) => {
    const key = `${connection.scope.platform}\u0000${connection.scope.account}`;
    const batch = batches.get(key) ?? { connection, ids: new Set<string>() };
    for (const id of ids) batch.ids.add(id);
    batches.set(key, batch);
    batchTimer ??= setTimeout(() => void flushChanged().catch((error: unknown) => log('telling tabs failed', error)), JOB_TELL_EVERY_MS);
  };

  let syncTimer: ReturnType<typeof setTimeout> | undefined;
  let syncing: Promise<number> | null = null;

  /** Runs the sync (or joins the one running); resolves with the number of changed contacts. */
  const syncNow = (): Promise<number> => {
    syncing ??= (async () => {
      const connection = await access.connect();
      const result = await syncLists(await openStore(), connection, now());
      await browser.storage.local.set({ [LAST_SYNC_KEY]: now() });
      // A few changes are told one by one (which updates the panel's lists); many (a first
      // sync, a cleanup elsewhere) at once, and the lists are read again.
      if (result.changed.length <= SYNC_TELL_ONE_BY_ONE) {
        for (const contact of result.changed) await tell(connection, contact.id);
      } else {
        lists.invalidate(connection.scope);
        await deps.broadcast(connection.settings, { type: 'contacts.resynced', count: result.changed.length });
      }
      return result.changed.length;
    })().finally(() => {
      syncing = null;
    });
    return syncing;
  };

  const sync = async (): Promise<void> => {
    try {
      await syncNow();
    } catch (error) {
      const code = error instanceof IgError ? error.code : 'internal';
      if (code !== 'not_configured') log('sync did not finish', error);
    }
  };

  const outbox = createOutbox({
    openDb: openStore,
    now,
    random: deps.random,
    backoff: deps.backoff,
    log,
    wakeAt: (at) => deps.wake?.(at),
    async connect() {
      try {
        const connection = await access.connect();
        return { api: connection.api, scope: connection.scope };
      } catch (error) {
        const igError = IgError.from(error);
        // Not reachable now: items wait (offline) or wait for the user (signed out, no access).
        if (igError.code === 'permission_missing' || igError.code === 'no_token' || igError.code === 'unauthorized') {
          const settings = await loadSettings();
          if (settings) await signedOut(settings, igError.toShape());
        } else {
          log('platform not reachable now', igError.toShape());
          deps.wake?.(now() + 30_000);
        }
        return null;
      }
    },
    async onSettled({ item, outcome, error }) {
      void refreshWarning();
      const settings = await loadSettings();
      const scope = { platform: item.platform, account: item.account };
      if (item.jobId) {
        // The list index first: a panel that sees the job end asks the counts at once.
        await lists.touch(scope, [item.contactId]);
        if (outcome === 'done' || outcome === 'failed') await jobs.settled(item, outcome, error);
        else if (outcome === 'cancelled') await jobs.settled(item, 'discarded');
        if (settings) changedMany({ settings, scope }, [item.contactId]);
      } else if (settings) await tell({ settings, scope }, item.contactId);
      if (outcome === 'done') {
        clearTimeout(syncTimer);
        syncTimer = setTimeout(() => void sync(), SYNC_AFTER_ACTIONS_MS);
      }
    },
    async onPaused(error) {
      const settings = await loadSettings();
      if (settings) await signedOut(settings, error);
    },
  });

  const jobs = createJobs({
    openDb: openStore,
    connect: () => access.connect(),
    lists,
    now,
    drain: () => void outbox.drain(),
    changed: changedMany,
    wake: (at) => deps.wake?.(at),
    pace: (settings) => access.pace(settings),
    log,
  });

  /** The "!" on the toolbar button while actions failed or wait for the user. */
  const refreshWarning = async () => {
    const db = await openStore();
    const stuck = (await db.countFromIndex('outbox', 'byState', 'failed')) + (await db.countFromIndex('outbox', 'byState', 'paused'));
    await setWarning(stuck > 0);
  };

  const menuTargets = new Map<number, MenuTarget>();
  /** When each blocked contact's conversations were last asked of the platform (rows.ts). */
  const conversationsAsked = new Map<string, number>();

  /** The contact a right-click or a row points at, from the store (or the platform for a conversation). */
  const contactOfTarget = async (connection: Connection, target: MenuTarget): Promise<ContactView | null> => {
    const db = await openStore();
    if (target.conversationId) {
      const known = await contactIdOfConversation(db, connection.scope, target.conversationId);
      if (known) return contactView(db, connection.scope, known);
      return fetchByConversation(connection, target.conversationId);
    }
    if (target.name) {
      const named = await contactsNamed(db, connection.scope, target.name);
      return named.length === 1 ? contactView(db, connection.scope, named[0]!.id) : null;
    }
    return null;
  };

  const session = async (connect: () => Promise<Connection>): Promise<Session> => {
    try {
      const { settings, identity } = await connect();
      return {
        active: true,
        platform: settings.platform,
        apiStyle: settings.apiStyle,
        role: identity.role,
        roleSource: identity.roleSource,
        userName: identity.userName,
        ...(settings.selectors ? { selectors: settings.selectors } : {}),
        ...(settings.accountId ? { accountId: settings.accountId } : {}),
      };
    } catch (error) {
      const igError = IgError.from(error);
      if (igError.code === 'not_configured') throw igError;
      const settings = await loadSettings();
      return { active: true, platform: settings?.platform, apiStyle: settings?.apiStyle, error: igError.toShape() };
    }
  };

  /**
   * Reads the contact of a conversation from the platform into the store. A contact found
   * blocked who was not when last read was blocked elsewhere (the platform's own Block):
   * `lastOrder`, where the page's messages stand now, becomes the block's point, so that what
   * they send next stays hidden on a reload too, as after a block made here.
   */
  const fetchByConversation = async (connection: Connection, conversationId: string, lastOrder?: number): Promise<ContactView> => {
    const contact = await connection.api.contactOfConversation(conversationId);
    const db = await openStore();
    await rememberConversation(db, connection.scope, conversationId, contact.id);
    const previous = await getStoredContact(db, connection.scope, contact.id);
    await rememberContact(db, connection.scope, contact, now());
    if (lastOrder !== undefined && contact.status === 'blocked' && previous && previous.status !== 'blocked' && previous.blockedAfterOrder === undefined) {
      await rememberBlockOrder(db, connection.scope, contact.id, lastOrder);
    }
    await lists.touch(connection.scope, [contact.id]);
    // An imported row still waiting for this contact takes effect now, not at its turn.
    const applied = await jobs.meet(connection, contact).catch((error: unknown) => {
      log('imported row not applied', error);
      return false;
    });
    if (applied || (previous && previous.status !== contact.status)) await tell(connection, contact.id);
    return (await contactView(db, connection.scope, contact.id))!;
  };

  /** The scope local lookups answer for: the connection's, asked again at most once a minute. */
  let lookupScopeCache: { at: number; scope: Promise<Scope> } | undefined;
  const lookupScope = (): Promise<Scope> => {
    if (!lookupScopeCache || now() - lookupScopeCache.at > 60_000) {
      const scope = access.connect().then((connection) => connection.scope);
      lookupScopeCache = { at: now(), scope };
      scope.catch(() => (lookupScopeCache = undefined));
    }
    return lookupScopeCache.scope;
  };

  const panel = createPanelHandlers({
    openDb: openStore,
    connect: () => access.connect(),
    session: () => session(() => access.connect()),
    lists,
    jobs,
    now,
    drain: () => void outbox.drain(),
    tell,
    syncNow,
    isSyncing: () => syncing !== null,
  });

  const handlers: Handlers = {
    ...panel,

    async 'overlay.hello'() {
      return session(() => access.connect());
    },

    async 'contact.status'({ conversationId, refresh, lastOrder }) {
      const connection = await access.connect();
      if (!refresh) {
        const db = await openStore();
        const contactId = await contactIdOfConversation(db, connection.scope, conversationId);
        const stored = contactId ? await getStoredContact(db, connection.scope, contactId) : undefined;
        if (contactId && stored) {
          if (await jobs.meet(connection, stored).catch(() => false)) await tell(connection, contactId);
          if (now() - stored.checkedAt > CONTACT_REVALIDATE_MS) {
            void fetchByConversation(connection, conversationId).catch(() => undefined);
          }
          return (await contactView(db, connection.scope, contactId))!;
        }
      }
      return fetchByConversation(connection, conversationId, refresh ? lastOrder : undefined);
    },

    async 'contact.setStatus'({ conversationId, contactId, action, andThen, lastOrder }) {
      const connection = await access.connect();
      const { scope, identity } = connection;
      const db = await openStore();
      let stored = await getStoredContact(db, scope, contactId);
      if (!stored) stored = await rememberContact(db, scope, await connection.api.getContact(contactId), now());
      const pending = await pendingFor(db, scope, contactId);
      const effective = pending && pending.state !== 'failed' ? pending.target : stored.status;
      // Each step passes the gate from where the one before leaves the contact.
      const reason = refusal(identity.role, effective, action) ?? (andThen ? refusal(identity.role, targetStatus[action], andThen) : null);
      if (reason === 'reason_admin_only') throw new IgError('role_forbidden');
      if (reason) throw new IgError('invalid_transition', { detail: reason });

      if (conversationId) await rememberConversation(db, scope, conversationId, contactId);
      if (action === 'block' && lastOrder !== undefined) await rememberBlockOrder(db, scope, contactId, lastOrder);
      const queued = await enqueue(
        db,
        {
          scope,
          contactId,
          contactName: stored.name,
          conversationId,
          // Two steps are one change: the outbox replaces what waits with a move from where the
          // contact is (or will be) to the last step's status, or sends nothing if that is
          // where it already is (Undo of a block still waiting).
          action: andThen ?? action,
          confirmed: stored.status,
          by: { userName: identity.userName, role: identity.role },
        },
        now(),
      );
      await tell(connection, contactId);
      if (queued.kind === 'queued' && queued.item.state === 'queued') {
        const first = outbox.waitFor(queued.item.seq!, FIRST_ATTEMPT_WAIT_MS);
        void outbox.drain();
        await first;
      }
      const view = (await contactView(db, scope, contactId))!;
      if (view.pending?.state === 'failed' && view.pending.error) throw IgError.fromShape(view.pending.error);
      return view;
    },

    async 'rows.status'({ rows }) {
      const connection = await access.connect();
      const statuses = await rowStatuses(await openStore(), connection.scope, rows, async (conversationId) => {
        await fetchByConversation(connection, conversationId);
      });
      return { statuses };
    },

    async 'blocked.conversations'(window) {
      const connection = await access.connect();
      return blockedConversations(await openStore(), connection.scope, lists, window, (contactId) => connection.api.conversationsOf(contactId), conversationsAsked, now());
    },

    async 'menu.target'(target, sender) {
      if (sender.tab?.id === undefined) return {};
      menuTargets.set(sender.tab.id, target);
      try {
        const connection = await access.connect();
        const contact = await contactOfTarget(connection, target);
        await labelMenus({ role: connection.identity.role, ...(contact ? { status: contact.status } : {}) });
      } catch {
        await labelMenus(null);
      }
      return {};
    },

    async 'tab.hidden'({ count }, sender) {
      if (sender.tab?.id !== undefined) await setHidden(sender.tab.id, count);
      return {};
    },

    async 'options.open'() {
      await browser.runtime.openOptionsPage();
      return {};
    },

    async 'settings.get'() {
      const { settings, locked } = await loadSettingsWithPolicy();
      const access = settings
        ? (await browser.permissions.contains({ origins: originPatterns(settings) }))
          ? ('granted' as const)
          : ('missing' as const)
        : undefined;
      return { settings, hasToken: await hasToken(), ...(access ? { access } : {}), ...(locked.length > 0 ? { locked } : {}) };
    },

    async 'settings.save'({ settings: asked, token }) {
      // A field the organisation's policy sets keeps the policy's value, whatever was sent.
      await saveSettings(asked);
      const { settings: merged, locked } = await loadSettingsWithPolicy();
      const settings = merged ?? asked;
      if (token) await saveToken(token, settings.rememberToken);
      else await setRemember(settings.rememberToken);
      await access.forgetIdentity();
      lookupScopeCache = undefined;
      await syncContentScripts(settings).catch((error: unknown) => log('content script registration failed', error));
      await refreshMenus();
      const current = await session(() => access.connect({ fresh: true }));
      await deps.broadcast(settings, { type: 'session.changed', session: current });
      if (!current.error) {
        await resumeAll(await openStore(), now());
        lists.invalidate();
        void outbox.drain();
        void jobs.kick();
        void sync();
      }
      return { settings, hasToken: await hasToken(), ...(locked.length > 0 ? { locked } : {}) };
    },

    async 'connection.test'() {
      return (await access.connect({ fresh: true })).identity;
    },
  };

  /** The context menu, on the configured inbox's pages only. */
  const refreshMenus = async () => {
    const settings = await loadSettings();
    await createMenus(settings ? [matchPattern(inboxOrigin(settings))] : []).catch((error: unknown) => log('menus', error));
  };

  /** Puts the content script into inbox tabs already open (after an install or an update). */
  const injectIntoOpenTabs = async () => {
    const settings = await loadSettings();
    if (!settings) return;
    const origin = inboxOrigin(settings);
    const tabs = await browser.tabs.query({ url: matchPattern(origin) }).catch(() => []);
    for (const tab of tabs) {
      if (tab.id === undefined || !tab.url?.startsWith(`${origin}/`)) continue;
      await browser.scripting.executeScript({ target: { tabId: tab.id }, files: ['/content-scripts/inbox.js'] }).catch(() => undefined);
    }
  };

  /** A context-menu click: the page is asked to confirm, exactly as from the action bar. */
  const menuClicked = async (menuItemId: string | number, tabId: number, selectionText?: string) => {
    const settings = await loadSettings();
    if (!settings) return;
    const tell = (event: InboxEvent) => browser.tabs.sendMessage(tabId, event).catch(() => undefined);
    try {
      const connection = await access.connect();
      if (menuItemId === SELECTION_ITEM) {
        // Blocking or unblocking whoever the text names: not a lookup an agent needs made.
        if (!canBlock(connection.identity.role)) throw new IgError('role_forbidden');
        const text = (selectionText ?? '').trim();
        const phone = toE164(text);
        const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? text : null;
        if (!phone && !email) throw new IgError('not_found', { detail: text.slice(0, 80) });
        const listed = phone ? await connection.api.findByPhone(phone) : await connection.api.findByEmail(email!);
        // One contact listed twice (Helena is asked per status: a change between the asks) is one.
        const found = [...new Map(listed.map((each) => [each.id, each])).values()];
        const contact = found[0];
        if (!contact) throw new IgError('not_found', { detail: text.slice(0, 80) });
        // As imports do: several contacts share it, so which one is meant is not guessed.
        if (found.length > 1) throw new IgError('ambiguous', { detail: String(found.length) });
        const db = await openStore();
        await rememberContact(db, connection.scope, contact, now());
        const view = (await contactView(db, connection.scope, contact.id))!;
        await tell({ type: 'menu.confirm', action: view.status === 'blocked' ? 'unblock' : 'block', contact: { id: view.id, name: view.name, status: view.status } });
        return;
      }
      const action = actionOfItem(menuItemId);
      const target = menuTargets.get(tabId);
      if (!action || !target) return;
      const contact = await contactOfTarget(connection, target);
      if (!contact) throw new IgError('not_found');
      await tell({ type: 'menu.confirm', action, contact: { id: contact.id, name: contact.name, status: contact.status }, ...(target.conversationId ? { conversationId: target.conversationId } : {}) });
    } catch (error) {
      await tell({ type: 'notice', error: IgError.from(error).toShape() });
    }
  };

  return {
    handlers,
    loadSettings,
    menuClicked,
    refreshMenus,
    injectIntoOpenTabs,
    refreshWarning,
    /** Sends what is due and moves running jobs on. */
    drain: () => {
      void jobs.kick();
      return outbox.drain();
    },
    /** Resumes running bulk jobs and imports (worker start, browser start-up, alarms). */
    resumeJobs: () => jobs.kick(),
    /** Resolves when no job pass runs (tests, the benchmark). */
    jobsIdle: () => jobs.idle(),
    /** The local status of `id:…`, `phone:+…` or `email:…` (answered from memory). */
    async lookupLocal(key: string) {
      return jobs.lookupLocal(await lookupScope(), key);
    },
    sync,
    /** A host permission was granted or revoked (by the user, outside our pages). */
    async permissionsChanged() {
      const settings = await loadSettings();
      await syncContentScripts(settings).catch((error: unknown) => log('content script registration failed', error));
      if (settings) await deps.broadcast(settings, { type: 'session.changed', session: await session(() => access.connect()) });
      void outbox.drain();
    },
  };
}
