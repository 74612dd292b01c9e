/**
 * The reference inbox's one in-memory model: account, users and tokens, contacts,
 * conversations and messages, plus the platform behaviour the extension depends on
 * (what blocking does, what happens when a blocked or archived contact writes).
 *
 * The style decides ids (Helena uuids, Chatwoot integers) and the platform rules; the wire
 * shapes live in helena-api.ts / chatwoot-api.ts / app-api.ts. Every change emits a
 * ModelEvent, which app-api.ts turns into the page's SSE stream. seed-data.ts holds the data.
 */
import { createIdFactory, idKey, type IdFactory } from './ids.ts';
import { digitsOf, toE164 } from './phone.ts';
import {
  ACCOUNT_NAME, SEED_CONTACTS, SEED_RESTRICTED_USER, SEED_USERS, SPAM_LINES,
  blockedName, bulkEmail, bulkLine, bulkName, bulkPhone, type SeedContact, type SeedUser,
} from './seed-data.ts';
import type {
  Account, Contact, ContactStatus, Conversation, ConversationStatus, Id, Message, ModelEvent, Style, User,
} from './types.ts';

/** Attribute the extension writes on Chatwoot contacts to mark them archived (seeded on one contact). */
/** What the extension writes on a Chatwoot contact it archives (it has no archive of its own). */
export const CHATWOOT_ARCHIVE_FLAG = 'inbox_guard_archived';
export const CHATWOOT_ARCHIVE_ATTRIBUTE = 'inbox_guard_archived_at';

export class ModelError extends Error {
  constructor(
    readonly code: 'contact_not_found' | 'conversation_not_found' | 'invalid' | 'phone_taken',
    message: string,
  ) {
    super(message);
  }
}

export interface IncomingInput {
  contactId?: Id;
  /** E.164 or digits; an unknown number becomes a new contact (it wrote for the first time). */
  phone?: string;
  /** Deliver into this conversation instead of the contact's latest one (Chatwoot API `message_type: incoming`). */
  conversationId?: Id;
  text: string;
  /** Profile name for a new contact created from `phone`. */
  name?: string;
}

export interface IncomingResult {
  stored: boolean;
  dropped: boolean;
  contactId: Id;
  conversationId: Id | null;
  messageId?: Id;
}

export type SendResult = { ok: true; message: Message } | { ok: false; reason: 'blocked' };
export type SnoozeResult = { ok: true; conversation: Conversation } | { ok: false; reason: 'blocked' };
export type MergeResult =
  | { ok: true; contact: Contact; removedContactId: Id; movedConversationIds: Id[] }
  | { ok: false; reason: 'blocked' };

export interface ContactPatch {
  name?: string;
  email?: string | null;
  phone?: string;
  status?: ContactStatus;
  identifier?: string | null;
  /** Merged into the existing attributes. */
  customAttributes?: Record<string, unknown>;
  /** Helena `customFields`: merged, a null value removes the key. */
  removeNullAttributes?: boolean;
  additionalAttributes?: Record<string, unknown>;
}

export interface ModelSnapshot {
  style: Style;
  account: Account;
  users: User[];
  contacts: Contact[];
  conversations: Conversation[];
  messages: Message[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** setTimeout's ceiling (~24.8 days); a later snooze re-arms the timer when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How many ids `seedBlocked` hands back: a sample, not the whole list. */
const BLOCKED_SAMPLE = 5;
/** How many list queries `memo` remembers. */
const MEMO_SIZE = 8;

export class Model {
  readonly style: Style;
  account!: Account;
  users: User[] = [];
  /** The seeded spammers, in round-robin order for the spam ticker. */
  spammerIds: Id[] = [];
  /** Helena's one WhatsApp channel (sessions' channelId). */
  channelId!: Id;

  private ids!: IdFactory;
  private contacts = new Map<string, Contact>();
  private phoneIndex = new Map<string, Contact>();
  private tokenIndex = new Map<string, User>();
  private conversations = new Map<string, Conversation>();
  private conversationsByContact = new Map<string, Conversation[]>();
  private messages = new Map<string, Message[]>();
  private nextSessionNumber = 1001;
  private bulkCounter = 0;
  private listeners = new Set<(event: ModelEvent) => void>();
  /** Keys of the snoozed conversations, so waking them never scans every conversation. */
  private snoozed = new Set<string>();
  private wakeTimer: NodeJS.Timeout | null = null;
  /** Bumped by every change (each emits an event): what `memo` results are valid for. */
  private version = 0;
  private memos = new Map<string, { version: number; value: unknown }>();

  constructor(style: Style) {
    this.style = style;
    this.load();
  }

  // ── events ────────────────────────────────────────────────────────────────

  subscribe(listener: (event: ModelEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ModelEvent): void {
    this.version += 1;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('[reference-inbox] event listener failed', error);
      }
    }
  }

  // ── reads ─────────────────────────────────────────────────────────────────

  /**
   * The result of `compute` for `key`, computed again only after the model changed. The APIs
   * memoise filtered and sorted contact lists with it: paging through a 100,000-contact
   * blocklist (POST /__control/seed-blocked) then filters and sorts once, not once per page.
   * The records in the result are live; only membership and order are remembered.
   */
  memo<T>(key: string, compute: () => T): T {
    const hit = this.memos.get(key);
    if (hit && hit.version === this.version) return hit.value as T;
    const value = compute();
    this.memos.delete(key);
    this.memos.set(key, { version: this.version, value });
    if (this.memos.size > MEMO_SIZE) this.memos.delete(this.memos.keys().next().value ?? key);
    return value;
  }

  userByToken(token: string): User | undefined {
    return this.tokenIndex.get(token);
  }

  user(id: Id): User | undefined {
    return this.users.find((u) => idKey(u.id) === idKey(id));
  }

  contact(id: Id): Contact | undefined {
    return this.contacts.get(idKey(id));
  }

  contactByPhone(phone: string): Contact | undefined {
    return this.phoneIndex.get(digitsOf(phone));
  }

  /** All contacts in creation order. */
  listContacts(): Contact[] {
    return [...this.contacts.values()];
  }

  conversation(id: Id): Conversation | undefined {
    return this.conversations.get(idKey(id));
  }

  /** All conversations in creation order. */
  listConversations(): Conversation[] {
    return [...this.conversations.values()];
  }

  /** A contact's conversations, oldest first. */
  conversationsOf(contactId: Id): Conversation[] {
    return this.conversationsByContact.get(idKey(contactId)) ?? [];
  }

  latestConversation(contactId: Id): Conversation | undefined {
    const list = this.conversationsOf(contactId);
    return list[list.length - 1];
  }

  /** A conversation's messages, oldest first (the live array: do not mutate). */
  messagesOf(conversationId: Id): readonly Message[] {
    return this.messages.get(idKey(conversationId)) ?? [];
  }

  lastMessage(conversationId: Id): Message | undefined {
    const list = this.messagesOf(conversationId);
    return list[list.length - 1];
  }

  contactOf(conversation: Conversation): Contact {
    const contact = this.contact(conversation.contactId);
    if (!contact) throw new Error(`conversation ${conversation.id} has no contact`);
    return contact;
  }

  snapshot(): ModelSnapshot {
    const messages: Message[] = [];
    for (const list of this.messages.values()) messages.push(...list);
    return {
      style: this.style,
      account: this.account,
      users: this.users,
      contacts: this.listContacts(),
      conversations: this.listConversations(),
      messages,
    };
  }

  // ── platform behaviour ────────────────────────────────────────────────────

  /**
   * The contact writes on WhatsApp. Helena: a blocked contact's message is dropped (seed 000:
   * "novas mensagens que ele envie não serão recebidas"); an archived contact becomes active
   * ("o contato arquivado é reativado quando ele enviar uma nova mensagem"); a completed session
   * stays completed and a new one opens unless it was completed with reactivateOnNewMessage.
   * Chatwoot: a blocked contact's message is stored but never reopens the conversation
   * (upstream Message#reopen_conversation returns when conversation.muted?, i.e. contact.blocked?),
   * and a new conversation for a blocked contact starts resolved (Conversation#determine_conversation_status).
   */
  incoming(input: IncomingInput): IncomingResult {
    const text = input.text;
    let contact = this.resolveContact(input);
    let conversation: Conversation | undefined;
    if (input.conversationId !== undefined) {
      conversation = this.conversation(input.conversationId);
      if (!conversation) throw new ModelError('conversation_not_found', 'Conversation not found');
      contact = this.contactOf(conversation);
    }
    if (!contact) throw new ModelError('contact_not_found', 'Contact not found');
    conversation ??= this.latestConversation(contact.id);
    const now = Date.now();

    if (this.style === 'helena' && contact.status === 'blocked') {
      return { stored: false, dropped: true, contactId: contact.id, conversationId: conversation?.id ?? null };
    }

    contact.lastActivityAt = Math.floor(now / SECOND);
    if (this.style === 'helena' && contact.status === 'archived') {
      contact.status = 'active';
      contact.updatedAt = now;
    }

    const blocked = contact.status === 'blocked';
    if (this.style === 'helena') {
      if (!conversation || (conversation.status === 'resolved' && !conversation.reactivateOnNewMessage)) {
        conversation = this.addConversation(contact, 'open', now);
      } else if (conversation.status !== 'open') {
        this.applyStatus(conversation, 'open', now); // reactivated, or back from a snooze
      }
      conversation.unreadCount += 1;
    } else if (blocked) {
      // Muted: nothing reopens, a snoozed conversation included (Message#reopen_conversation).
      conversation ??= this.addConversation(contact, 'resolved', now);
    } else {
      if (!conversation) conversation = this.addConversation(contact, 'open', now);
      else if (conversation.status !== 'open') this.applyStatus(conversation, 'open', now); // resolved or snoozed
      conversation.unreadCount += 1;
    }

    const message = this.addMessage(conversation, 'incoming', text, null, now, false);
    conversation.updatedAt = now;
    this.emit({ type: 'contact', contact });
    this.emit({ type: 'message', message, conversation, contact });
    return { stored: true, dropped: false, contactId: contact.id, conversationId: conversation.id, messageId: message.id };
  }

  /** An agent (or the API on their behalf) sends a message; refused for a blocked contact. */
  sendOutgoing(conversationId: Id, text: string, userId: Id | null, isPrivate = false): SendResult {
    const conversation = this.conversation(conversationId);
    if (!conversation) throw new ModelError('conversation_not_found', 'Conversation not found');
    const contact = this.contactOf(conversation);
    if (contact.status === 'blocked' && !isPrivate) return { ok: false, reason: 'blocked' };
    const now = Date.now();
    const message = this.addMessage(conversation, 'outgoing', text, userId, now, isPrivate);
    conversation.updatedAt = now;
    if (conversation.assigneeUserId === null && userId !== null && !isPrivate) conversation.assigneeUserId = userId;
    this.emit({ type: 'message', message, conversation, contact });
    return { ok: true, message };
  }

  /** Helena `POST /chat/v1/message/send`: into the contact's open session, or a new one. */
  sendToContact(contactId: Id, text: string, userId: Id | null): SendResult {
    const contact = this.contact(contactId);
    if (!contact) throw new ModelError('contact_not_found', 'Contact not found');
    if (contact.status === 'blocked') return { ok: false, reason: 'blocked' };
    let conversation = this.latestConversation(contactId);
    if (!conversation || conversation.status === 'resolved') conversation = this.addConversation(contact, 'open', Date.now());
    return this.sendOutgoing(conversation.id, text, userId);
  }

  /**
   * Helena: setting BLOCKED resolves every open session of the contact (seeds 002/003: "a
   * conversa será automaticamente fechada"). Chatwoot: `blocked: true` changes only the contact;
   * the extension resolves conversations itself through toggle_status.
   */
  updateContact(id: Id, patch: ContactPatch): Contact {
    const contact = this.contact(id);
    if (!contact) throw new ModelError('contact_not_found', 'Contact not found');
    const now = Date.now();
    if (patch.status === 'archived' && this.style === 'chatwoot') {
      throw new ModelError('invalid', 'Chatwoot contacts have no archived status');
    }
    if (patch.phone !== undefined) {
      const e164 = toE164(patch.phone);
      if (!e164) throw new ModelError('invalid', 'Invalid phone number');
      const owner = this.phoneIndex.get(digitsOf(e164));
      if (owner && owner !== contact) throw new ModelError('phone_taken', 'Phone number already in use');
      this.phoneIndex.delete(digitsOf(contact.phone));
      contact.phone = e164;
      this.phoneIndex.set(digitsOf(e164), contact);
    }
    if (patch.name !== undefined) contact.name = patch.name;
    if (patch.email !== undefined) contact.email = patch.email;
    if (patch.identifier !== undefined) contact.identifier = patch.identifier;
    if (patch.customAttributes) {
      const merged: Record<string, unknown> = { ...contact.customAttributes, ...patch.customAttributes };
      if (patch.removeNullAttributes) {
        for (const [key, value] of Object.entries(patch.customAttributes)) if (value === null) delete merged[key];
      }
      contact.customAttributes = merged;
    }
    if (patch.additionalAttributes) {
      contact.additionalAttributes = { ...contact.additionalAttributes, ...patch.additionalAttributes };
    }
    const becameBlocked = patch.status === 'blocked' && contact.status !== 'blocked';
    if (patch.status !== undefined) contact.status = patch.status;
    contact.updatedAt = now;
    this.emit({ type: 'contact', contact });
    if (becameBlocked && this.style === 'helena') {
      for (const conversation of this.conversationsOf(contact.id)) {
        if (conversation.status !== 'resolved') this.setConversationStatus(conversation.id, 'resolved');
      }
    }
    return contact;
  }

  /** Opening or resolving a snoozed conversation ends its snooze. Snoozing is `snooze()`. */
  setConversationStatus(id: Id, status: Exclude<ConversationStatus, 'snoozed'>, opts: { reactivateOnNewMessage?: boolean } = {}): Conversation {
    const conversation = this.conversation(id);
    if (!conversation) throw new ModelError('conversation_not_found', 'Conversation not found');
    conversation.reactivateOnNewMessage = status === 'resolved' && opts.reactivateOnNewMessage === true;
    if (conversation.status !== status) {
      this.applyStatus(conversation, status, Date.now());
      this.emit({ type: 'conversation', conversation, contact: this.contactOf(conversation) });
    }
    return conversation;
  }

  /**
   * Snoozes a conversation until `until` (epoch ms, in the future): it leaves the Open list and
   * comes back (open) when that time passes (wakeSnoozed, on a timer) or when the contact writes
   * (incoming). Refused for a blocked contact: respond.io's help (seed 004) says "Vous ne
   * pourrez pas mettre en veille les contacts bloqués".
   */
  snooze(id: Id, until: number): SnoozeResult {
    const conversation = this.conversation(id);
    if (!conversation) throw new ModelError('conversation_not_found', 'Conversation not found');
    const contact = this.contactOf(conversation);
    if (contact.status === 'blocked') return { ok: false, reason: 'blocked' };
    const now = Date.now();
    if (!Number.isFinite(until) || until <= now) throw new ModelError('invalid', 'The snooze must end in the future');
    this.applyStatus(conversation, 'snoozed', now);
    conversation.snoozedUntil = until;
    this.armWakeTimer();
    this.emit({ type: 'conversation', conversation, contact });
    return { ok: true, conversation };
  }

  /** Reopens every snoozed conversation whose time has passed; the wake timer calls it. */
  wakeSnoozed(now = Date.now()): Conversation[] {
    const due: Conversation[] = [];
    for (const key of this.snoozed) {
      const conversation = this.conversations.get(key);
      if (conversation && (conversation.snoozedUntil ?? 0) <= now) due.push(conversation);
    }
    for (const conversation of due) {
      this.applyStatus(conversation, 'open', now);
      this.emit({ type: 'conversation', conversation, contact: this.contactOf(conversation) });
    }
    this.armWakeTimer();
    return due;
  }

  /**
   * Merges `otherId` into `baseId`: the other contact's conversations (and so their messages)
   * move to the base contact, blank fields and missing attributes are filled from the other
   * (the base wins, as in Chatwoot's ContactMergeAction), and the other contact is deleted.
   * Refused when either is blocked: seed 004, "Vous ne pourrez pas fusionner un contact avec
   * un contact bloqué et vice versa".
   */
  mergeContacts(baseId: Id, otherId: Id): MergeResult {
    const base = this.contact(baseId);
    const other = this.contact(otherId);
    if (!base || !other) throw new ModelError('contact_not_found', 'Contact not found');
    if (base === other) throw new ModelError('invalid', 'A contact cannot be merged with itself');
    if (base.status === 'blocked' || other.status === 'blocked') return { ok: false, reason: 'blocked' };
    const moved = [...this.conversationsOf(other.id)];
    for (const conversation of moved) conversation.contactId = base.id;
    const all = [...this.conversationsOf(base.id), ...moved].sort((a, b) => a.createdAt - b.createdAt);
    this.conversationsByContact.set(idKey(base.id), all);
    this.conversationsByContact.delete(idKey(other.id));

    base.email ??= other.email;
    base.identifier ??= other.identifier;
    base.customAttributes = { ...other.customAttributes, ...base.customAttributes };
    base.additionalAttributes = { ...other.additionalAttributes, ...base.additionalAttributes };
    if (other.lastActivityAt !== null && (base.lastActivityAt === null || other.lastActivityAt > base.lastActivityAt)) {
      base.lastActivityAt = other.lastActivityAt;
    }
    base.updatedAt = Date.now();

    this.contacts.delete(idKey(other.id));
    if (this.phoneIndex.get(digitsOf(other.phone)) === other) this.phoneIndex.delete(digitsOf(other.phone));
    this.spammerIds = this.spammerIds.filter((id) => idKey(id) !== idKey(other.id));

    this.emit({ type: 'contact', contact: base });
    for (const conversation of moved) this.emit({ type: 'conversation', conversation, contact: base });
    this.emit({ type: 'contactRemoved', contactId: other.id, mergedInto: base.id });
    return { ok: true, contact: base, removedContactId: other.id, movedConversationIds: moved.map((c) => c.id) };
  }

  markRead(id: Id): Conversation {
    const conversation = this.conversation(id);
    if (!conversation) throw new ModelError('conversation_not_found', 'Conversation not found');
    if (conversation.unreadCount !== 0) {
      conversation.unreadCount = 0;
      this.emit({ type: 'conversation', conversation, contact: this.contactOf(conversation) });
    }
    return conversation;
  }

  /** Stops the snooze timer (server shutdown). */
  dispose(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
  }

  // ── seeding ───────────────────────────────────────────────────────────────

  /** Back to the initial seed: same account, users, tokens and (deterministic) ids. */
  reset(): void {
    this.load();
    this.emit({ type: 'reset', reason: 'reset' });
  }

  /**
   * Adds `count` contacts, each with one open conversation of `messagesPerConversation`
   * messages. No per-record events (10,000 contacts must be quick): one `reset` event tells
   * the page to reload.
   */
  seedBulk(count: number, messagesPerConversation: number): { contactIds: Id[]; conversationIds: Id[] } {
    const now = Date.now();
    const contactIds: Id[] = [];
    const conversationIds: Id[] = [];
    for (let i = 0; i < count; i++) {
      let n = this.bulkCounter++;
      while (this.phoneIndex.has(digitsOf(bulkPhone(n)))) n = this.bulkCounter++;
      const createdAt = now - (count - i) * SECOND;
      const contact = this.addContact({
        name: bulkName(n), phone: bulkPhone(n), email: bulkEmail(n), status: 'active', createdAt,
      });
      const conversation = this.addConversation(contact, 'open', createdAt);
      for (let m = 0; m < messagesPerConversation; m++) {
        const [dir, text] = bulkLine(m);
        const at = createdAt - (messagesPerConversation - m) * MINUTE;
        this.addMessage(conversation, dir === 'in' ? 'incoming' : 'outgoing', text, dir === 'in' ? null : this.agentUserId(), at, false);
        if (dir === 'in') contact.lastActivityAt = Math.floor(at / SECOND);
      }
      conversation.createdAt = Math.min(createdAt, createdAt - messagesPerConversation * MINUTE);
      conversation.updatedAt = createdAt;
      contactIds.push(contact.id);
      conversationIds.push(conversation.id);
    }
    this.emit({ type: 'reset', reason: 'seed' });
    return { contactIds, conversationIds };
  }

  /**
   * Adds `count` contacts that are already blocked (Helena BLOCKED, Chatwoot `blocked: true`),
   * each with one resolved conversation holding one spam line: a large blocklist for the
   * benchmark. One `reset` event, no per-contact events; the answer carries only a sample of ids.
   */
  seedBlocked(count: number): { count: number; sampleIds: Id[] } {
    const now = Date.now();
    const sampleIds: Id[] = [];
    for (let i = 0; i < count; i++) {
      let n = this.bulkCounter++;
      while (this.phoneIndex.has(digitsOf(bulkPhone(n)))) n = this.bulkCounter++;
      const at = now - (count - i) * SECOND - 7 * 24 * 60 * MINUTE;
      const contact = this.addContact({ name: blockedName(n), phone: bulkPhone(n), email: null, status: 'blocked', createdAt: at });
      const conversation = this.addConversation(contact, 'resolved', at);
      this.addMessage(conversation, 'incoming', SPAM_LINES[n % SPAM_LINES.length] ?? 'Promo!', null, at, false);
      contact.lastActivityAt = Math.floor(at / SECOND);
      if (sampleIds.length < BLOCKED_SAMPLE) sampleIds.push(contact.id);
    }
    this.emit({ type: 'reset', reason: 'seed' });
    return { count, sampleIds };
  }

  private load(): void {
    this.dispose();
    this.snoozed.clear();
    this.ids = createIdFactory(this.style);
    this.contacts.clear();
    this.phoneIndex.clear();
    this.tokenIndex.clear();
    this.conversations.clear();
    this.conversationsByContact.clear();
    this.messages.clear();
    this.nextSessionNumber = 1001;
    this.bulkCounter = 0;
    this.spammerIds = [];
    const now = Date.now();
    this.account = { id: this.ids.next('account'), name: ACCOUNT_NAME };
    this.channelId = this.ids.next('channel');
    const seedUsers: SeedUser[] = this.style === 'helena' ? [...SEED_USERS, SEED_RESTRICTED_USER] : SEED_USERS;
    this.users = seedUsers.map((seed, i) => this.makeUser(seed, now - (30 - i) * 24 * 60 * MINUTE));
    for (const user of this.users) if (user.token) this.tokenIndex.set(user.token, user);
    SEED_CONTACTS.forEach((seed, i) => this.loadSeedContact(seed, now - (60 - i) * 24 * 60 * MINUTE, now));
  }

  private makeUser(seed: SeedUser, createdAt: number): User {
    const id = this.ids.next('user');
    const agentId = this.style === 'helena' ? this.ids.next('agent') : id;
    const prefix = this.style === 'helena' ? 'pn_demo_' : 'cw_demo_';
    return {
      id, agentId, name: seed.name, email: seed.email, role: seed.role, restricted: seed.restricted === true,
      token: seed.token ? prefix + seed.token : null, createdAt,
    };
  }

  private agentUserId(): Id | null {
    return this.users.find((u) => u.role === 'agent' && !u.restricted)?.id ?? null;
  }

  private loadSeedContact(seed: SeedContact, createdAt: number, now: number): void {
    const status: ContactStatus =
      seed.kind === 'blocked' ? 'blocked' : seed.kind === 'archived' && this.style === 'helena' ? 'archived' : 'active';
    const contact = this.addContact({ name: seed.name, phone: seed.phone, email: seed.email, status, createdAt });
    const closed = seed.kind === 'archived' || seed.kind === 'blocked';
    const first = seed.messages[0];
    const startedAt = now - (first ? first[2] : 0) * MINUTE;
    const conversation = this.addConversation(contact, closed ? 'resolved' : 'open', startedAt);
    for (const [dir, text, minutesAgo] of seed.messages) {
      const at = now - minutesAgo * MINUTE;
      this.addMessage(conversation, dir === 'in' ? 'incoming' : 'outgoing', text, dir === 'in' ? null : this.agentUserId(), at, false);
      if (dir === 'in') contact.lastActivityAt = Math.floor(at / SECOND);
      conversation.updatedAt = at;
    }
    if (closed) conversation.endAt = conversation.updatedAt + 5 * MINUTE;
    if (seed.messages.some(([dir]) => dir === 'out')) conversation.assigneeUserId = this.agentUserId();
    conversation.unreadCount = seed.unread ?? 0;
    if (seed.kind === 'archived' && this.style === 'chatwoot') {
      // Epoch seconds, the form the extension writes (lib/platforms/chatwoot/api.ts).
      contact.customAttributes[CHATWOOT_ARCHIVE_FLAG] = true;
      contact.customAttributes[CHATWOOT_ARCHIVE_ATTRIBUTE] = Math.floor((conversation.endAt ?? now) / SECOND);
    }
    if (seed.kind === 'spammer') this.spammerIds.push(contact.id);
  }

  private resolveContact(input: IncomingInput): Contact | undefined {
    if (input.contactId !== undefined) return this.contact(input.contactId);
    if (input.phone === undefined) return undefined;
    const e164 = toE164(input.phone);
    if (!e164) throw new ModelError('invalid', 'Invalid phone number');
    return (
      this.contactByPhone(e164) ??
      this.addContact({ name: input.name ?? e164, phone: e164, email: null, status: 'active', createdAt: Date.now() })
    );
  }

  private addContact(fields: { name: string; phone: string; email: string | null; status: ContactStatus; createdAt: number }): Contact {
    const contact: Contact = {
      id: this.ids.next('contact'),
      name: fields.name,
      phone: fields.phone,
      email: fields.email,
      status: fields.status,
      customAttributes: {},
      additionalAttributes: {},
      identifier: null,
      lastActivityAt: null,
      createdAt: fields.createdAt,
      updatedAt: fields.createdAt,
    };
    this.contacts.set(idKey(contact.id), contact);
    this.phoneIndex.set(digitsOf(contact.phone), contact);
    return contact;
  }

  private addConversation(contact: Contact, status: ConversationStatus, at: number): Conversation {
    const conversation: Conversation = {
      id: this.ids.next('conversation'),
      uuid: this.ids.uuid(),
      number: this.nextSessionNumber++,
      contactId: contact.id,
      status,
      unreadCount: 0,
      assigneeUserId: null,
      reactivateOnNewMessage: false,
      createdAt: at,
      updatedAt: at,
      endAt: status === 'resolved' ? at : null,
      snoozedUntil: null,
    };
    const key = idKey(conversation.id);
    this.conversations.set(key, conversation);
    this.messages.set(key, []);
    const list = this.conversationsByContact.get(idKey(contact.id));
    if (list) list.push(conversation);
    else this.conversationsByContact.set(idKey(contact.id), [conversation]);
    return conversation;
  }

  /** The one place a status changes; leaving `snoozed` ends the snooze (snooze() sets the time). */
  private applyStatus(conversation: Conversation, status: ConversationStatus, at: number): void {
    conversation.status = status;
    conversation.updatedAt = at;
    conversation.endAt = status === 'resolved' ? at : null;
    if (status !== 'resolved') conversation.reactivateOnNewMessage = false;
    if (status === 'snoozed') {
      this.snoozed.add(idKey(conversation.id));
    } else if (conversation.snoozedUntil !== null) {
      conversation.snoozedUntil = null;
      this.snoozed.delete(idKey(conversation.id));
    }
  }

  /** One timer, for the snooze that ends first. */
  private armWakeTimer(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    let next = Infinity;
    for (const key of this.snoozed) next = Math.min(next, this.conversations.get(key)?.snoozedUntil ?? Infinity);
    if (next === Infinity) return;
    const delay = Math.min(Math.max(0, next - Date.now()), MAX_TIMER_MS);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeSnoozed();
    }, delay);
    this.wakeTimer.unref();
  }

  private addMessage(
    conversation: Conversation, direction: Message['direction'], text: string, senderUserId: Id | null, at: number, isPrivate: boolean,
  ): Message {
    const message: Message = {
      id: this.ids.next('message'), conversationId: conversation.id, direction, text, createdAt: at,
      senderUserId: direction === 'outgoing' ? senderUserId : null, private: isPrivate,
    };
    this.messages.get(idKey(conversation.id))?.push(message);
    return message;
  }
}
