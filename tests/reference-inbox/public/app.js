/*
 * The reference inbox's web page: a vanilla-JS single-page inbox (sign-in, conversation list,
 * open conversation, contact panel). It talks only to its own app API (/app-api/*, see
 * ../app-api.ts) with the signed-in user's token, and stays live through the SSE stream
 * /app-api/stream. index.html loads it; app.css styles it.
 *
 * Live updates touch only what changed: one row is updated and moved, one bubble is appended;
 * the list and the thread are rendered whole only when loaded (sign-in, tab switch, navigation,
 * reset). Routes: /inbox and /inbox/c/{conversationId}, with pushState and popstate.
 */

const TOKEN_KEY = 'reference-inbox.token';
const ARCHIVE_FLAG = 'inbox_guard_archived';
const root = document.getElementById('root');

const state = {
  token: null,
  me: null,
  tab: 'open',
  /** conversation id (string) → <li> */
  rows: new Map(),
  /** <li> → latest summary */
  rowData: new WeakMap(),
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
  return { ok: res.ok, status: res.status, data };
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
  localStorage.removeItem(TOKEN_KEY);
  renderSignIn(message);
}

// ── app shell ────────────────────────────────────────────────────────────────

const shell = {};

function renderShell() {
  const { user, account, style } = state.me;
  shell.items = h('ul', { class: 'ri-list__items' });
  shell.empty = h('p', { class: 'ri-list__empty', hidden: true }, '');
  shell.tabs = {
    open: h('button', { class: 'ri-tab', type: 'button', role: 'tab', id: 'ri-tab-open', 'aria-controls': 'ri-list-items', onclick: () => switchTab('open') }, 'Open'),
    resolved: h('button', { class: 'ri-tab', type: 'button', role: 'tab', id: 'ri-tab-resolved', 'aria-controls': 'ri-list-items', onclick: () => switchTab('resolved') }, 'Resolved'),
  };
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
      h('div', { class: 'ri-list__tabs', role: 'tablist', 'aria-label': 'Conversation status' }, shell.tabs.open, shell.tabs.resolved),
      shell.items,
      shell.empty,
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
  loadList();
}

async function loadList() {
  const request = ++state.listRequest;
  const res = await api(`/app-api/conversations?status=${state.tab}`);
  if (request !== state.listRequest || !res.ok) return;
  state.rows = new Map();
  const fragment = document.createDocumentFragment();
  for (const summary of res.data) fragment.append(createRow(summary));
  shell.items.replaceChildren(fragment);
  updateEmpty();
}

function updateEmpty() {
  const empty = state.rows.size === 0;
  shell.empty.hidden = !empty;
  setText(shell.empty, state.tab === 'open' ? 'No open conversations. Nice work!' : 'No resolved conversations yet.');
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

/** Updates only the parts of a row whose content changed. */
function fillRow(li, summary) {
  state.rowData.set(li, summary);
  const link = li.firstElementChild;
  const av = link.querySelector('.ri-avatar');
  setText(av, initials(summary.contact.name));
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
  if (summary.status !== state.tab) {
    if (li) {
      li.remove();
      state.rows.delete(key);
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
  const name = h('h1', { class: 'ri-chat__name' }, contact.name);
  const sub = h('span', { class: 'ri-chat__sub' }, `${contact.phoneDisplay} · WhatsApp`);
  const headerAvatar = avatar(contact.name);
  const header = h('header', { class: 'ri-chat__header' }, headerAvatar, h('div', { class: 'ri-chat__who' }, name, sub), h('div', { class: 'ri-chat__tools' }, toggle));

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

  shell.chat.replaceChildren(header, thread, composer);

  const pill = h('span', { class: 'ri-contact__status' });
  const panelName = h('h2', { class: 'ri-contact__name' });
  const phone = h('dd', { class: 'ri-contact__phone' });
  const email = h('dd', { class: 'ri-contact__email' });
  const panelAvatar = avatar(contact.name, ' ri-avatar--lg');
  shell.contact.replaceChildren(
    h(
      'div',
      { class: 'ri-contact__card' },
      panelAvatar,
      panelName,
      pill,
      h('dl', { class: 'ri-contact__fields' }, h('dt', {}, 'Phone'), phone, h('dt', {}, 'Email'), email, h('dt', {}, 'Channel'), h('dd', {}, 'WhatsApp')),
    ),
  );

  state.open = {
    conversation,
    contact,
    els: { thread, toggle, name, sub, input, send, error, pill, panelName, phone, email, headerAvatar, panelAvatar },
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

function appendBubble(message) {
  const open = state.open;
  if (!open || document.getElementById(`msg-${message.id}`)) return;
  const { thread } = open.els;
  const nearBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
  thread.append(renderBubble(message));
  if (nearBottom || message.direction === 'outgoing') thread.scrollTop = thread.scrollHeight;
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
      if (state.open === open) fillConversation(res.data);
      applySummary(res.data);
    }
  } finally {
    button.disabled = false;
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
      if (message.direction === 'incoming' && conversation.unreadCount > 0) markRead(conversationId);
    }
  });
  events.addEventListener('conversation', (event) => {
    const summary = JSON.parse(event.data);
    applySummary(summary);
    if (String(summary.id) === state.openId) fillConversation(summary);
  });
  events.addEventListener('contact', (event) => {
    const { contact } = JSON.parse(event.data);
    for (const li of state.rows.values()) {
      const summary = state.rowData.get(li);
      if (summary && String(summary.contact.id) === String(contact.id) && summary.contact.name !== contact.name) {
        fillRow(li, { ...summary, contact });
      }
    }
    if (state.open && String(state.open.contact.id) === String(contact.id)) fillContact(contact);
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
