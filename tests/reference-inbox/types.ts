/**
 * Shared types of the reference inbox: the in-memory model (model.ts) owns these records;
 * the platform APIs (helena-api.ts, chatwoot-api.ts) and the app API (app-api.ts) only
 * translate them into their own wire shapes.
 */
import type { Id } from './ids.ts';

export type { Id } from './ids.ts';
export type Style = 'helena' | 'chatwoot';
export type Role = 'owner' | 'admin' | 'manager' | 'agent';
/** `archived` exists only in Helena style; Chatwoot keeps "archived" in custom attributes. */
export type ContactStatus = 'active' | 'archived' | 'blocked';
/**
 * `snoozed`: out of the Open list until `snoozedUntil` passes or the contact writes (app API
 * only; Chatwoot's wire shape says `snoozed` as upstream does, Helena's says IN_PROGRESS).
 */
export type ConversationStatus = 'open' | 'resolved' | 'snoozed';
export type Direction = 'incoming' | 'outgoing';

export interface Account {
  id: Id;
  name: string;
}

export interface User {
  /** The user id (Helena: the `userId` that sessions reference; Chatwoot: the user id). */
  id: Id;
  /** Helena's PublicAgentDTO.id, distinct from userId. Equal to `id` in Chatwoot style. */
  agentId: Id;
  name: string;
  email: string;
  role: Role;
  /** Helena profile `RestrictedAgent` (a user with no API token in the seed). */
  restricted: boolean;
  token: string | null;
  createdAt: number;
}

export interface Contact {
  id: Id;
  name: string;
  /** E.164, e.g. +5511987654321. */
  phone: string;
  email: string | null;
  status: ContactStatus;
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  identifier: string | null;
  /** Epoch seconds of the contact's last incoming message. */
  lastActivityAt: number | null;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

export interface Conversation {
  id: Id;
  /** Chatwoot's conversation uuid. */
  uuid: string;
  /** Helena's session number. */
  number: number;
  contactId: Id;
  status: ConversationStatus;
  unreadCount: number;
  assigneeUserId: Id | null;
  /** Helena: set by `PUT …/complete {reactivateOnNewMessage: true}`. */
  reactivateOnNewMessage: boolean;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  endAt: number | null;
  /** Epoch milliseconds; set only while `status` is `snoozed`. */
  snoozedUntil: number | null;
}

export interface Message {
  id: Id;
  conversationId: Id;
  direction: Direction;
  text: string;
  /** Epoch milliseconds. */
  createdAt: number;
  senderUserId: Id | null;
  /** Chatwoot private note: never reaches the contact. */
  private: boolean;
}

export type ModelEvent =
  | { type: 'message'; message: Message; conversation: Conversation; contact: Contact }
  | { type: 'conversation'; conversation: Conversation; contact: Contact }
  | { type: 'contact'; contact: Contact }
  /** A merge deleted this contact; its conversations now belong to `mergedInto`. */
  | { type: 'contactRemoved'; contactId: Id; mergedInto: Id }
  | { type: 'reset'; reason: 'reset' | 'seed' };
