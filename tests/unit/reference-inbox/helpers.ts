/**
 * Shared helpers for the reference inbox's unit tests: start an instance per style and send
 * JSON requests with the platform's own auth header.
 */
import { startReferenceInbox, type ReferenceInbox } from '../../reference-inbox/server.ts';
import type { Style } from '../../reference-inbox/types.ts';

/** Response bodies are checked by the tests' assertions, not by types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  /** Aborts the fetch (e.g. to play a client killed mid-request). */
  signal?: AbortSignal;
}

export function start(style: Style): Promise<ReferenceInbox> {
  return startReferenceInbox({ style });
}

/** Sends with `Authorization: Bearer` (Helena, app API) or `api_access_token` (Chatwoot). */
export async function call(inbox: ReferenceInbox, method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? inbox.tokens.admin : opts.token;
  if (token !== null) {
    if (inbox.style === 'chatwoot' && !path.startsWith('/app-api')) headers.api_access_token = token;
    else headers.authorization = `Bearer ${token}`;
  }
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(inbox.url + path, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function control(inbox: ReferenceInbox, method: string, path: string, body?: unknown): Promise<Reply> {
  return call(inbox, method, `/__control${path}`, { token: null, body });
}

/** A seeded contact by name, from the control state. */
export async function contactNamed(inbox: ReferenceInbox, name: string): Promise<Json> {
  const state = await control(inbox, 'GET', '/state');
  const contact = state.body.contacts.find((c: { name: string }) => c.name === name);
  if (!contact) throw new Error(`no contact named ${name}`);
  return contact;
}

export async function conversationsOf(inbox: ReferenceInbox, contactId: string | number): Promise<Json[]> {
  const state = await control(inbox, 'GET', '/state');
  return state.body.conversations.filter((c: { contactId: unknown }) => String(c.contactId) === String(contactId));
}

export async function messagesOf(inbox: ReferenceInbox, conversationId: string | number): Promise<Json[]> {
  const state = await control(inbox, 'GET', '/state');
  return state.body.messages.filter((m: { conversationId: unknown }) => String(m.conversationId) === String(conversationId));
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
