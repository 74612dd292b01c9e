/*
 * The reference inbox's web page: a vanilla-JS single-page inbox (sign-in, conversation list,
 * open conversation, contact panel). It talks only to its own app API (/app-api/*, see
 * ../app-api.ts) with the signed-in user's token, and stays live through the SSE stream
 * /app-api/stream. index.html loads it; app.css styles it.
 *
 * Live updates touch only what changed: one row is updated and moved, one bubble is appended;
 * the list and the thread are rendered whole only when loaded (sign-in, tab switch, navigation,
 * reset). Routes: /inbox and /inbox/c/{conversationId}, with pushState and popstate.
 *
 * Built for the benchmark too: bubbles that arrive in a burst are appended once per animation
 * frame (still one `li.ri-msg` each), and a long list renders its first rows at once and the
 * rest in slices, so neither 5,000 messages nor 5,000 rows freeze the page.
 *
 * Chat tools: Snooze (a menu: 1 hour / until tomorrow) and Resolve/Reopen. Contact panel:
 * "Merge with…" (a picker of other contacts). Refusals (a blocked contact) show the server's
 * error: snooze in `.ri-chat__error`, merge in `.ri-merge__error`.
 */

const TOKEN_KEY = 'reference-inbox.token';
const ARCHIVE_FLAG = 'inbox_guard_archived';
/** The list shows at most this many rows (the most recent); a footer says how many there are. */
const LIST_LIMIT = 10_000;
/** Rows rendered at once when a list loads; the rest follow in slices of LIST_SLICE. */
const LIST_FIRST = 300;
const LIST_SLICE = 1_000;
const HOUR = 60 * 60 * 1000;
const root = document.getElementById('root');

const state = {
  token: null,
  me: null,
  tab: 'open',
  /** conversation id (string) → <li> */
  rows: new Map(),
  /** <li> → latest summary */
  rowData: new WeakMap(),
  /** contact id (string) → Set of its rows, so a contact event touches only its rows */
  rowsByContact: new Map(),
  /** conversation ids changed live while a long list is still rendering its slices */
  touched: new Set(),
  /** bubbles waiting for the next frame: { conversationId, messages, ids, scheduled } */
  pending: null,
  openId: null,
  open: null, // { conversation, contact, els }
  events: null,
  listRequest: 0,
  openRequest: 0,
};

// ── tiny DOM helpers ─────────────────────────────────────────────────────────

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function initials(name) {
  const clean = String(name || '').trim();
  if (clean === '' || /^\+?\d/.test(clean)) return '#';
  const words = clean.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  const letters = words.slice(0, 2).map((w) => [...w.replace(/[^\p{L}]/gu, '')][0] || '');
  return (letters.join('') || clean[0]).toUpperCase();
}

function avatarClass(name) {
  let hash = 0;
  for (const ch of String(name)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return `ri-avatar ri-avatar--c${hash % 8}`;
}

function avatar(name, extra = '') {
  return h('span', { class: `${avatarClass(name)}${extra}`, 'aria-hidden': 'true' }, initials(name));
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: '2-digit', month: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function rowTime(ms) {
  const date = new Date(ms);
  const today = new Date();
  if (date.toDateString() === today.toDateString()) return clock.format(date);
  const yesterday = new Date(today);
  yesterday.setDate(today.getDate() - 1);
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return dayMonth.format(date);
}

function bubbleTime(ms) {
  const date = new Date(ms);
  return date.toDateString() === new Date().toDateString() ? clock.format(date) : `${dayMonth.format(date)} ${clock.format(date)}`;
}

/** Chatwoot has no archive: "archived" is the attribute the extension writes, unless blocked. */
function contactStatus(contact) {
  if (contact.status === 'blocked') return 'blocked';
  if (contact.status === 'archived') return 'archived';
  if (state.me?.style === 'chatwoot' && contact.customAttributes && contact.customAttributes[ARCHIVE_FLAG] === true) return 'archived';
  return 'active';
}

const STATUS_LABEL = { active: 'Active', archived: 'Archived', blocked: 'Blocked' };
const TABS = { open: 'Open', snoozed: 'Snoozed', resolved: 'Resolved' };
const EMPTY_TEXT = {
  open: 'No open conversations. Nice work!',
  snoozed: 'No snoozed conversations.',
  resolved: 'No resolved conversations yet.',
};

/** "14:05", "tomorrow 09:00" or "12/05 09:00": when a snooze ends. */
function snoozeEnd(ms) {
  const date = new Date(ms);
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  if (date.toDateString() === tomorrow.toDateString()) return `tomorrow ${clock.format(date)}`;
  return bubbleTime(ms);
}

/** Tomorrow at 09:00, local time (what "until tomorrow" means in most inboxes). */
function tomorrowMorning() {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  date.setHours(9, 0, 0, 0);
  return date.getTime();
}

// ── API ──────────────────────────────────────────────────────────────────────

async function api(path, { method = 'GET', body, token = state.token } = {}) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (res.status === 401 && token === state.token && state.me) signOut('Your session has ended. Sign in again.');
  return { ok: res.ok, status: res.status, data, headers: res.headers };
}

// ── sign-in ──────────────────────────────────────────────────────────────────

function renderSignIn(message = '') {
  const error = h('p', { class: 'ri-signin__error', role: 'alert' }, message);
  const input = h('input', { id: 'ri-token', type: 'password', name: 'token', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const button = h('button', { class: 'ri-btn ri-btn--primary', type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'ri-signin', novalidate: true },
    h('div', { class: 'ri-signin__brand' }, h('span', { class: 'ri-brand__logo', 'aria-hidden': 'true' }, 'A'), h('h1', {}, 'Loja Aurora')),
    h('p', { class: 'ri-signin__lead' }, 'Sign in to the team inbox.'),
    h('label', { for: 'ri-token' }, 'API token'),
    input,
    button,
    error,
    h('p', { class: 'ri-signin__hint' }, 'Use your personal API token (Settings → Integrations).'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === '') {
      error.textContent = 'Enter your API token.';
      input.focus();
      return;
    }
    button.disabled = true;
    error.textContent = '';
    try {
      const res = await api('/app-api/me', { token });
      if (res.status === 401) {
        error.textContent = 'That token was not recognised. Check it and try again.';
        input.select();
        return;
      }
      if (!res.ok) {
        error.textContent = `The inbox answered with an error (${res.status}). Try again.`;
        return;
      }
      localStorage.setItem(TOKEN_KEY, token);
      startApp(token, res.data);
    } catch {
      error.textContent = 'Could not reach the inbox. Is it running?';
    } finally {
      button.disabled = false;
    }
  });
  root.replaceChildren(h('main', { class: 'ri-signin-page' }, form));
  input.focus();
}

function signOut(message = '') {
  state.events?.close();
  state.events = null;
  state.token = null;
  state.me = null;
  state.open = null;
  state.openId = null;
  state.rows = new Map();
  state.rowsByContact = new Map();
  state.pending = null;
  localStorage.removeItem(TOKEN_KEY);
  renderSignIn(message);
}

// ── app shell ────────────────────────────────────────────────────────────────

const shell = {};

function renderShell() {
  const { user, account, style } = state.me;
  shell.items = h('ul', { class: 'ri-list__items' });
  shell.empty = h('p', { class: 'ri-list__empty', hidden: true }, '');
  shell.more = h('p', { class: 'ri-list__more', hidden: true }, '');
  shell.tabs = Object.fromEntries(
    Object.entries(TABS).map(([tab, label]) => [
      tab,
      h('button', { class: 'ri-tab', type: 'button', role: 'tab', id: `ri-tab-${tab}`, 'aria-controls': 'ri-list-items', onclick: () => switchTab(tab) }, label),
    ]),
  );
  shell.items.id = 'ri-list-items';
  shell.items.addEventListener('click', onRowClick);
  shell.chat = h('main', { class: 'ri-chat' });
  shell.contact = h('aside', { class: 'ri-contact', 'aria-label': 'Contact details' });

  const app = h(
    'div',
    { id: 'app', class: 'ri-app' },
    h(
      'nav',
      { class: 'ri-rail', 'aria-label': 'Main' },
      h(
        'div',
        { class: 'ri-brand' },
        h('span', { class: 'ri-brand__logo', 'aria-hidden': 'true' }, 'A'),
        h('span', { class: 'ri-brand__name' }, account.name, h('span', { class: 'ri-brand__sub' }, `WhatsApp · ${style === 'helena' ? 'Helena' : 'Chatwoot'} API`)),
      ),
      h('ul', { class: 'ri-rail__nav' }, h('li', {}, h('a', { class: 'ri-rail__link ri-rail__link--active', href: '/inbox', onclick: onNavClick }, 'Inbox'))),
      h('div', { class: 'ri-rail__spacer' }),
      h('div', { class: 'ri-user' }, h('span', { class: 'ri-user__name' }, user.name), h('span', { class: 'ri-user__role' }, user.role)),
      h('button', { class: 'ri-btn ri-signout', type: 'button', onclick: () => signOut() }, 'Sign out'),
    ),
    h(
      'section',
      { class: 'ri-list', 'aria-label': 'Conversations' },
      h('div', { class: 'ri-list__header' }, h('h2', { class: 'ri-list__title' }, 'Conversations')),
      h('div', { class: 'ri-list__tabs', role: 'tablist', 'aria-label': 'Conversation status' }, ...Object.values(shell.tabs)),
      shell.items,
      shell.empty,
      shell.more,
    ),
    shell.chat,
    shell.contact,
  );
  root.replaceChildren(app);
  markTabs();
}

async function startApp(token, me) {
  state.token = token;
  state.me = me;
  state.rows = new Map();
  state.rowsByContact = new Map();
  state.open = null;
  state.openId = null;
  renderShell();
  connectEvents();
  const id = routeId();
  if (id !== null) {
    // Open the list on the tab that holds the linked conversation.
    const res = await api(`/app-api/conversations/${encodeURIComponent(id)}`);
    if (res.ok) state.tab = res.data.conversation.status;
    markTabs();
  }
  await Promise.all([loadList(), route()]);
}

async function boot() {
  const token = localStorage.getItem(TOKEN_KEY);
  if (!token) return renderSignIn();
  try {
    const res = await api('/app-api/me', { token });
    if (res.status === 401) {
      localStorage.removeItem(TOKEN_KEY);
      return renderSignIn('Your saved token is no longer valid. Sign in again.');
    }
    if (!res.ok) return renderSignIn(`The inbox answered with an error (${res.status}).`);
    startApp(token, res.data);
  } catch {
    renderSignIn('Could not reach the inbox. Is it running?');
  }
}

// ── routing ──────────────────────────────────────────────────────────────────

function routeId() {
  const m = /^\/inbox\/c\/([^/]+)\/?$/.exec(location.pathname);
  return m ? decodeURIComponent(m[1]) : null;
}

function navigate(href) {
  if (href === location.pathname) return;
  history.pushState({}, '', href);
  route();
}

function onNavClick(event) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.getAttribute('href'));
}

function onRowClick(event) {
  const link = event.target.closest('a.ri-row__link');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
}

window.addEventListener('popstate', () => {
  if (state.me) route();
});

async function route() {
  const id = routeId();
  if (id === null) return closeConversation();
  if (id === state.openId && state.open) return;
  await openConversation(id);
}

// ── list ─────────────────────────────────────────────────────────────────────

function markTabs() {
  for (const [name, tab] of Object.entries(shell.tabs)) {
    setAttr(tab, 'aria-selected', String(name === state.tab));
    setAttr(tab, 'tabindex', name === state.tab ? '0' : '-1');
  }
}

function switchTab(tab) {
  if (tab === state.tab) return;
  state.tab = tab;
  markTabs();
  // No rows from the previous tab while the new list loads.
  state.rows = new Map();
  state.rowsByContact = new Map();
  shell.items.replaceChildren();
  shell.empty.hidden = true;
  shell.more.hidden = true;
  loadList();
}

/**
 * Loads the tab's list. The first LIST_FIRST rows are rendered at once, the rest in slices
 * between frames; a row changed live meanwhile (state.touched) is not rendered again from the
 * older list.
 */
async function loadList() {
  const request = ++state.listRequest;
  const res = await api(`/app-api/conversations?status=${state.tab}&limit=${LIST_LIMIT}`);
  if (request !== state.listRequest || !res.ok) return;
  state.rows = new Map();
  state.rowsByContact = new Map();
  state.touched = new Set();
  const list = res.data;
  const total = Number(res.headers.get('x-total-count') ?? list.length);
  const appendSlice = (from, to) => {
    const fragment = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const summary = list[i];
      if (!state.touched.has(String(summary.id)) && !state.rows.has(String(summary.id))) fragment.append(createRow(summary));
    }
    shell.items.append(fragment);
  };
  shell.items.replaceChildren();
  appendSlice(0, Math.min(LIST_FIRST, list.length));
  updateEmpty();
  setText(shell.more, total > list.length ? `Showing the ${list.length.toLocaleString()} most recent of ${total.toLocaleString()} conversations.` : '');
  shell.more.hidden = total <= list.length;
  for (let from = LIST_FIRST; from < list.length; from += LIST_SLICE) {
    await nextFrame();
    if (request !== state.listRequest) return;
    appendSlice(from, Math.min(from + LIST_SLICE, list.length));
  }
}

/** The next animation frame, or a short timeout when frames are paused (a background tab). */
function nextFrame() {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    requestAnimationFrame(finish);
    setTimeout(finish, 50);
  });
}

function updateEmpty() {
  const empty = state.rows.size === 0;
  shell.empty.hidden = !empty;
  setText(shell.empty, EMPTY_TEXT[state.tab]);
}

function unreadLabel(n) {
  return `${n} unread message${n === 1 ? '' : 's'}`;
}

function createRow(summary) {
  const name = h('span', { class: 'ri-row__name' });
  const preview = h('span', { class: 'ri-row__preview' });
  const time = h('time', { class: 'ri-row__time' });
  const link = h('a', { class: 'ri-row__link', href: `/inbox/c/${encodeURIComponent(summary.id)}` }, avatar(summary.contact.name), name, preview, time);
  const li = h('li', { class: 'ri-row' }, link);
  state.rows.set(String(summary.id), li);
  fillRow(li, summary);
  return li;
}

/** Keeps state.rowsByContact in step with the contact a row shows (a merge can change it). */
function indexRow(li, contactId) {
  const before = state.rowData.get(li)?.contact.id;
  if (before !== undefined && String(before) === String(contactId)) return;
  if (before !== undefined) state.rowsByContact.get(String(before))?.delete(li);
  if (contactId === null) return;
  const key = String(contactId);
  let set = state.rowsByContact.get(key);
  if (!set) state.rowsByContact.set(key, (set = new Set()));
  set.add(li);
}

function removeRow(key) {
  const li = state.rows.get(key);
  if (!li) return;
  li.remove();
  state.rows.delete(key);
  indexRow(li, null);
  state.rowData.delete(li);
}

/** Updates only the parts of a row whose content changed. */
function fillRow(li, summary) {
  indexRow(li, summary.contact.id);
  state.rowData.set(li, summary);
  const link = li.firstElementChild;
  const av = link.querySelector('.ri-avatar');
  setText(av, initials(summary.contact.name));
  setAttr(av, 'class', avatarClass(summary.contact.name));
  setText(link.querySelector('.ri-row__name'), summary.contact.name);
  const last = summary.lastMessage;
  setText(link.querySelector('.ri-row__preview'), last ? `${last.direction === 'outgoing' ? 'You: ' : ''}${last.text}` : 'No messages yet');
  const time = link.querySelector('.ri-row__time');
  const at = last ? last.createdAt : summary.updatedAt;
  setAttr(time, 'datetime', new Date(at).toISOString());
  setAttr(time, 'title', full.format(new Date(at)));
  setText(time, rowTime(at));
  let badge = link.querySelector('.ri-row__unread');
  if (summary.unreadCount > 0) {
    if (!badge) {
      badge = h('span', { class: 'ri-row__unread' });
      link.append(badge);
    }
    setAttr(badge, 'aria-label', unreadLabel(summary.unreadCount));
    setText(badge, String(summary.unreadCount));
  } else if (badge) {
    badge.remove();
  }
  li.classList.toggle('ri-row--unread', summary.unreadCount > 0);
  li.classList.toggle('ri-row--active', String(summary.id) === state.openId);
}

/** Keeps the list ordered by last update (newest first), moving the row only when needed. */
function placeRow(li, summary) {
  const updated = (el) => state.rowData.get(el)?.updatedAt ?? 0;
  const prev = li.previousElementSibling;
  const next = li.nextElementSibling;
  if (li.parentNode === shell.items && (!prev || updated(prev) >= summary.updatedAt) && (!next || updated(next) <= summary.updatedAt)) return;
  for (const child of shell.items.children) {
    if (child !== li && updated(child) < summary.updatedAt) {
      shell.items.insertBefore(li, child);
      return;
    }
  }
  if (li.parentNode !== shell.items || li.nextElementSibling) shell.items.append(li);
}

/** A conversation changed: update, move, add or remove its row for the current tab. */
function applySummary(summary) {
  const key = String(summary.id);
  const li = state.rows.get(key);
  state.touched.add(key);
  if (summary.status !== state.tab) {
    if (li) {
      removeRow(key);
      updateEmpty();
    }
    return;
  }
  if (li) {
    fillRow(li, summary);
    placeRow(li, summary);
  } else {
    const row = createRow(summary);
    placeRow(row, summary);
    updateEmpty();
  }
}

function markActiveRow() {
  for (const [id, li] of state.rows) li.classList.toggle('ri-row--active', id === state.openId);
}

// ── open conversation ────────────────────────────────────────────────────────

function closeConversation() {
  state.openId = null;
  state.open = null;
  state.pending = null;
  state.openRequest++;
  markActiveRow();
  shell.chat.replaceChildren(
    h('div', { class: 'ri-chat__empty' }, h('strong', {}, 'No conversation selected'), 'Pick a conversation from the list to read and reply.'),
  );
  shell.contact.replaceChildren(h('p', { class: 'ri-contact__empty' }, 'Contact details appear here.'));
}

async function openConversation(id) {
  const request = ++state.openRequest;
  state.openId = id;
  state.open = null;
  state.pending = null;
  markActiveRow();
  const res = await api(`/app-api/conversations/${encodeURIComponent(id)}`);
  if (request !== state.openRequest) return;
  if (!res.ok) {
    shell.chat.replaceChildren(
      h('div', { class: 'ri-chat__empty' }, h('strong', {}, 'Conversation not found'), res.data?.error ?? 'It may have been removed.'),
    );
    shell.contact.replaceChildren(h('p', { class: 'ri-contact__empty' }, 'Contact details appear here.'));
    return;
  }
  renderConversation(res.data);
  if (res.data.conversation.unreadCount > 0) markRead(id);
}

function markRead(id) {
  api(`/app-api/conversations/${encodeURIComponent(id)}/read`, { method: 'POST' }).catch(() => undefined);
}

/** One read mark per frame at most: a burst of incoming messages is read once, not once each. */
const readSoon = new Set();
function markReadSoon(id) {
  const key = String(id);
  if (readSoon.has(key)) return;
  readSoon.add(key);
  nextFrame().then(() => {
    readSoon.delete(key);
    markRead(id);
  });
}

function renderBubble(message) {
  const iso = new Date(message.createdAt).toISOString();
  const cls = `ri-msg ${message.direction === 'incoming' ? 'ri-msg--in' : 'ri-msg--out'}${message.private ? ' ri-msg--note' : ''}`;
  return h(
    'li',
    { class: cls, id: `msg-${message.id}` },
    h(
      'div',
      { class: 'ri-msg__bubble' },
      h('p', { class: 'ri-msg__text' }, message.text),
      h('time', { class: 'ri-msg__time', datetime: iso, title: full.format(new Date(message.createdAt)) }, bubbleTime(message.createdAt)),
    ),
  );
}

function renderConversation({ conversation, contact, messages }) {
  const thread = h('ol', { class: 'ri-thread', 'aria-label': 'Messages' });
  const fragment = document.createDocumentFragment();
  for (const message of messages) fragment.append(renderBubble(message));
  thread.append(fragment);

  const toggle = h('button', { class: 'ri-btn', type: 'button' }, '');
  toggle.addEventListener('click', () => toggleStatus(toggle));
  const snooze = renderSnooze();
  const name = h('h1', { class: 'ri-chat__name' }, contact.name);
  const sub = h('span', { class: 'ri-chat__sub' }, `${contact.phoneDisplay} · WhatsApp`);
  const headerAvatar = avatar(contact.name);
  const header = h(
    'header',
    { class: 'ri-chat__header' },
    headerAvatar,
    h('div', { class: 'ri-chat__who' }, name, sub),
    h('div', { class: 'ri-chat__tools' }, snooze.wrap, toggle),
  );
  const snoozeNote = h('p', { class: 'ri-chat__snoozed', hidden: true });
  const chatError = h('p', { class: 'ri-chat__error', role: 'alert' });

  const input = h('textarea', { class: 'ri-composer__input', 'aria-label': 'Message', placeholder: 'Type a message', rows: '1' });
  const send = h('button', { class: 'ri-composer__send', type: 'submit' }, 'Send');
  const error = h('p', { class: 'ri-composer__error', role: 'alert' });
  const composer = h('form', { class: 'ri-composer' }, input, send, error);
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    sendMessage();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendMessage();
    }
  });
  input.addEventListener('input', () => autosize(input));

  shell.chat.replaceChildren(header, snoozeNote, chatError, thread, composer);

  const pill = h('span', { class: 'ri-contact__status' });
  const panelName = h('h2', { class: 'ri-contact__name' });
  const phone = h('dd', { class: 'ri-contact__phone' });
  const email = h('dd', { class: 'ri-contact__email' });
  const panelAvatar = avatar(contact.name, ' ri-avatar--lg');
  const merge = renderMerge();
  shell.contact.replaceChildren(
    h(
      'div',
      { class: 'ri-contact__card' },
      panelAvatar,
      panelName,
      pill,
      h('dl', { class: 'ri-contact__fields' }, h('dt', {}, 'Phone'), phone, h('dt', {}, 'Email'), email, h('dt', {}, 'Channel'), h('dd', {}, 'WhatsApp')),
    ),
    merge.section,
  );

  state.open = {
    conversation,
    contact,
    els: {
      thread, toggle, name, sub, input, send, error, pill, panelName, phone, email, headerAvatar, panelAvatar,
      snoozeNote, chatError, snooze, merge,
    },
  };
  fillConversation(conversation);
  fillContact(contact);
  thread.scrollTop = thread.scrollHeight;
}

function fillConversation(conversation) {
  const open = state.open;
  if (!open) return;
  open.conversation = conversation;
  setText(open.els.toggle, conversation.status === 'open' ? 'Resolve' : 'Reopen');
  const snoozed = conversation.status === 'snoozed' && conversation.snoozedUntil;
  open.els.snoozeNote.hidden = !snoozed;
  setText(open.els.snoozeNote, snoozed ? `Snoozed until ${snoozeEnd(conversation.snoozedUntil)}. It comes back when the contact writes.` : '');
  if (snoozed) setAttr(open.els.snoozeNote, 'title', full.format(new Date(conversation.snoozedUntil)));
  // A merge may have moved the open conversation to another contact.
  if (conversation.contact && String(conversation.contact.id) !== String(open.contact.id)) fillContact(conversation.contact);
}

function fillContact(contact) {
  const open = state.open;
  if (!open) return;
  open.contact = contact;
  const status = contactStatus(contact);
  setText(open.els.name, contact.name);
  setText(open.els.sub, `${contact.phoneDisplay} · WhatsApp`);
  setText(open.els.panelName, contact.name);
  setText(open.els.phone, contact.phoneDisplay);
  setText(open.els.email, contact.email || '—');
  setText(open.els.pill, STATUS_LABEL[status]);
  setAttr(open.els.pill, 'class', `ri-contact__status ri-contact__status--${status}`);
  for (const av of [open.els.headerAvatar, open.els.panelAvatar]) setText(av, initials(contact.name));
}

function autosize(input) {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
}

/**
 * Queues a bubble for the open conversation; queued bubbles are appended together at the next
 * frame (one `li.ri-msg` each), so a burst of thousands costs one layout, not one per message.
 */
function appendBubble(message) {
  const open = state.open;
  if (!open || String(message.conversationId) !== String(open.conversation.id)) return;
  let pending = state.pending;
  if (!pending || pending.open !== open) {
    pending = state.pending = { open, messages: [], ids: new Set(), scheduled: false };
  }
  const key = String(message.id);
  if (pending.ids.has(key) || document.getElementById(`msg-${message.id}`)) return;
  pending.ids.add(key);
  pending.messages.push(message);
  if (!pending.scheduled) {
    pending.scheduled = true;
    nextFrame().then(() => flushBubbles(pending));
  }
}

function flushBubbles(pending) {
  if (state.pending === pending) state.pending = null;
  const open = pending.open;
  if (state.open !== open || pending.messages.length === 0) return;
  const { thread } = open.els;
  const nearBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
  const fragment = document.createDocumentFragment();
  let outgoing = false;
  for (const message of pending.messages) {
    if (document.getElementById(`msg-${message.id}`)) continue;
    fragment.append(renderBubble(message));
    outgoing ||= message.direction === 'outgoing';
  }
  thread.append(fragment);
  if (nearBottom || outgoing) thread.scrollTop = thread.scrollHeight;
}

async function sendMessage() {
  const open = state.open;
  if (!open) return;
  const { input, send, error } = open.els;
  const text = input.value;
  if (text.trim() === '' || send.disabled) return;
  send.disabled = true;
  try {
    const res = await api(`/app-api/conversations/${encodeURIComponent(open.conversation.id)}/messages`, { method: 'POST', body: { text } });
    if (state.open !== open) return;
    if (res.ok) {
      input.value = '';
      autosize(input);
      error.textContent = '';
      appendBubble(res.data);
    } else {
      error.textContent = res.data?.error ?? `The message could not be sent (${res.status}).`;
    }
  } catch {
    error.textContent = 'The message could not be sent: the inbox is unreachable.';
  } finally {
    send.disabled = false;
  }
}

async function toggleStatus(button) {
  const open = state.open;
  if (!open) return;
  const next = open.conversation.status === 'open' ? 'resolved' : 'open';
  button.disabled = true;
  try {
    const res = await api(`/app-api/conversations/${encodeURIComponent(open.conversation.id)}/status`, { method: 'POST', body: { status: next } });
    if (res.ok) {
      if (state.open === open) {
        fillConversation(res.data);
        setText(open.els.chatError, '');
      }
      applySummary(res.data);
    } else if (state.open === open) {
      setText(open.els.chatError, res.data?.error ?? `The conversation could not be changed (${res.status}).`);
    }
  } catch {
    if (state.open === open) setText(open.els.chatError, 'The conversation could not be changed: the inbox is unreachable.');
  } finally {
    button.disabled = false;
  }
}

// ── snooze ───────────────────────────────────────────────────────────────────

const SNOOZE_CHOICES = [
  { id: '1h', label: 'For 1 hour', until: () => Date.now() + HOUR },
  { id: 'tomorrow', label: 'Until tomorrow, 09:00', until: tomorrowMorning },
];

/** The Snooze button (`data-ri-action="snooze"`, the site's hook) and its small menu. */
function renderSnooze() {
  const button = h('button', {
    class: 'ri-btn ri-snooze__button', type: 'button', 'data-ri-action': 'snooze', 'aria-haspopup': 'menu', 'aria-expanded': 'false',
  }, 'Snooze');
  const menu = h('div', { class: 'ri-menu', role: 'menu', 'aria-label': 'Snooze until', hidden: true });
  for (const choice of SNOOZE_CHOICES) {
    const item = h('button', { class: 'ri-menu__item', type: 'button', role: 'menuitem', 'data-ri-snooze': choice.id }, choice.label);
    item.addEventListener('click', () => {
      // Whoever disabled the button (an extension, say) meant the menu too.
      if (button.disabled) return close();
      snoozeOpen(choice.until(), button);
    });
    menu.append(item);
  }
  const wrap = h('div', { class: 'ri-snooze' }, button, menu);
  function close() {
    menu.hidden = true;
    setAttr(button, 'aria-expanded', 'false');
  }
  button.addEventListener('click', () => {
    const opening = menu.hidden;
    menu.hidden = !opening;
    setAttr(button, 'aria-expanded', String(opening));
    if (opening) menu.querySelector('button')?.focus();
  });
  wrap.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !menu.hidden) {
      close();
      button.focus();
    }
  });
  wrap.addEventListener('focusout', (event) => {
    if (!wrap.contains(event.relatedTarget)) close();
  });
  return { wrap, button, menu, close };
}

/** The button's `disabled` is left alone: it is a hook other code (an extension) may hold. */
async function snoozeOpen(until, button) {
  const open = state.open;
  if (!open || open.snoozing) return;
  open.els.snooze.close();
  open.snoozing = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const res = await api(`/app-api/conversations/${encodeURIComponent(open.conversation.id)}/snooze`, { method: 'POST', body: { until } });
    if (state.open !== open) return;
    if (res.ok) {
      setText(open.els.chatError, '');
      fillConversation(res.data);
      applySummary(res.data);
    } else {
      setText(open.els.chatError, res.data?.error ?? `The conversation could not be snoozed (${res.status}).`);
    }
  } catch {
    if (state.open === open) setText(open.els.chatError, 'The conversation could not be snoozed: the inbox is unreachable.');
  } finally {
    open.snoozing = false;
    button.removeAttribute('aria-busy');
    if (state.open === open) button.focus();
  }
}

// ── merge ────────────────────────────────────────────────────────────────────

/** "Merge with…" (`data-ri-action="merge"`, the site's hook) and its picker of other contacts. */
function renderMerge() {
  const button = h('button', { class: 'ri-btn', type: 'button', 'data-ri-action': 'merge', 'aria-expanded': 'false', 'aria-controls': 'ri-merge' }, 'Merge with…');
  const search = h('input', { class: 'ri-merge__search', type: 'search', placeholder: 'Search contacts', 'aria-label': 'Search contacts to merge', autocomplete: 'off' });
  const list = h('ul', { class: 'ri-merge__list', 'aria-label': 'Contacts' });
  const error = h('p', { class: 'ri-merge__error', role: 'alert' });
  const cancel = h('button', { class: 'ri-btn ri-merge__cancel', type: 'button' }, 'Cancel');
  const picker = h(
    'div',
    { class: 'ri-merge', id: 'ri-merge', hidden: true },
    h('p', { class: 'ri-merge__lead' }, 'Merge another contact into this one. Its conversations move here and it is deleted.'),
    search,
    list,
    error,
    cancel,
  );
  const notice = h('p', { class: 'ri-contact__notice', role: 'status' });
  const section = h('div', { class: 'ri-contact__actions' }, button, picker, notice);
  const merge = { section, button, picker, search, list, error, notice, request: 0, timer: 0 };
  const close = () => {
    picker.hidden = true;
    setAttr(button, 'aria-expanded', 'false');
    setText(error, '');
  };
  merge.close = close;
  button.addEventListener('click', () => {
    if (!picker.hidden) return close();
    picker.hidden = false;
    setAttr(button, 'aria-expanded', 'true');
    setText(notice, '');
    search.value = '';
    loadMergeCandidates(merge);
    search.focus();
  });
  cancel.addEventListener('click', () => {
    close();
    button.focus();
  });
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      close();
      button.focus();
    }
  });
  search.addEventListener('input', () => {
    clearTimeout(merge.timer);
    merge.timer = setTimeout(() => loadMergeCandidates(merge), 150);
  });
  list.addEventListener('click', (event) => {
    const option = event.target.closest('button.ri-merge__option');
    if (!option) return;
    if (button.disabled) return close(); // disabled meanwhile (by an extension, say): so is the picker
    mergeWith(merge, option.dataset.contactId, option.dataset.contactName);
  });
  return merge;
}

async function loadMergeCandidates(merge) {
  const open = state.open;
  const request = ++merge.request;
  const q = merge.search.value.trim();
  const res = await api(`/app-api/contacts?limit=21&q=${encodeURIComponent(q)}`);
  if (request !== merge.request || !open || state.open?.els.merge !== merge) return;
  if (!res.ok) {
    setText(merge.error, res.data?.error ?? `The contacts could not be loaded (${res.status}).`);
    return;
  }
  const others = res.data.filter((c) => String(c.id) !== String(open.contact.id)).slice(0, 20);
  merge.list.replaceChildren(
    ...others.map((c) => {
      const status = contactStatus(c);
      return h(
        'li',
        {},
        h(
          'button',
          { class: 'ri-merge__option', type: 'button', 'data-contact-id': String(c.id), 'data-contact-name': c.name },
          avatar(c.name),
          h('span', { class: 'ri-merge__name' }, c.name),
          h('span', { class: 'ri-merge__phone' }, c.phoneDisplay),
          status === 'active' ? null : h('span', { class: `ri-contact__status ri-contact__status--${status}` }, STATUS_LABEL[status]),
        ),
      );
    }),
  );
  if (others.length === 0) merge.list.append(h('li', { class: 'ri-merge__none' }, q === '' ? 'No other contacts.' : 'No contact matches.'));
}

async function mergeWith(merge, otherId, otherName) {
  const open = state.open;
  if (!open || merge.busy) return;
  merge.busy = true;
  setText(merge.error, '');
  try {
    const res = await api(`/app-api/contacts/${encodeURIComponent(open.contact.id)}/merge`, { method: 'POST', body: { otherId } });
    if (state.open !== open) return;
    if (res.ok) {
      fillContact(res.data.contact);
      merge.close();
      setText(merge.notice, `${otherName} was merged into this contact.`);
      merge.button.focus();
    } else {
      setText(merge.error, res.data?.error ?? `The contacts could not be merged (${res.status}).`);
    }
  } catch {
    if (state.open === open) setText(merge.error, 'The contacts could not be merged: the inbox is unreachable.');
  } finally {
    merge.busy = false;
  }
}

// ── live updates (SSE) ───────────────────────────────────────────────────────

function connectEvents() {
  state.events?.close();
  const events = new EventSource(`/app-api/stream?token=${encodeURIComponent(state.token)}`);
  state.events = events;
  events.addEventListener('message', (event) => {
    const { conversationId, message, conversation } = JSON.parse(event.data);
    const isOpen = String(conversationId) === state.openId && state.open !== null;
    // The open conversation is being read: its row never shows an unread badge.
    applySummary(isOpen ? { ...conversation, unreadCount: 0 } : conversation);
    if (isOpen) {
      fillConversation(conversation);
      appendBubble(message);
      if (message.direction === 'incoming' && conversation.unreadCount > 0) markReadSoon(conversationId);
    }
  });
  events.addEventListener('conversation', (event) => {
    const summary = JSON.parse(event.data);
    applySummary(summary);
    if (String(summary.id) === state.openId) fillConversation(summary);
  });
  events.addEventListener('contact', (event) => {
    const { contact } = JSON.parse(event.data);
    for (const li of state.rowsByContact.get(String(contact.id)) ?? []) {
      const summary = state.rowData.get(li);
      if (summary && summary.contact.name !== contact.name) fillRow(li, { ...summary, contact });
    }
    if (state.open && String(state.open.contact.id) === String(contact.id)) fillContact(contact);
  });
  events.addEventListener('contact-removed', (event) => {
    const { contactId } = JSON.parse(event.data);
    const option = state.open?.els.merge.list.querySelector(`button[data-contact-id="${CSS.escape(String(contactId))}"]`);
    option?.parentElement?.remove();
  });
  events.addEventListener('reset', () => {
    loadList();
    if (state.openId !== null) {
      state.open = null;
      openConversation(state.openId);
    }
  });
}

boot();
