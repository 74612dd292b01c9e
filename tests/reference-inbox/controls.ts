/**
 * Test controls (`/__control/*`, no auth): read the whole state and the platform-API request
 * log, simulate the contact writing on WhatsApp (once, or in a burst), bulk-seed (contacts with
 * conversations, or an already-blocked blocklist), inject faults, list and release
 * held requests, set Helena's rate-limit windows, reset, drive the spam ticker. Everything a
 * test needs is reachable over HTTP; server.ts also exposes the same operations in-process on
 * the ReferenceInbox object.
 *
 * Neighbours: model.ts (state and platform rules), faults.ts, held.ts, request-log.ts,
 * spam.ts, platform.ts and rate-limit.ts (the limiter's windows and counts).
 */
import { isRecord, matchRoute, readJson, route, sendJson, toInt, type Ctx, type Route } from './http.ts';
import { ModelError, type ContactPatch, type IncomingInput, type IncomingResult, type Model } from './model.ts';
import type { Faults } from './faults.ts';
import type { HeldRequests } from './held.ts';
import type { PlatformApi } from './platform.ts';
import type { RateWindow } from './rate-limit.ts';
import type { RequestLog } from './request-log.ts';
import type { SpamTicker } from './spam.ts';
import type { ContactStatus, Id } from './types.ts';

export interface ControlDeps {
  model: Model;
  faults: Faults;
  held: HeldRequests;
  log: RequestLog;
  platform: PlatformApi;
  spam: SpamTicker;
}

export interface Controls {
  handle(ctx: Ctx): Promise<void>;
  /**
   * Back to the initial seed: model, faults, request log, rate-limit windows (the defaults,
   * nothing counted). Held requests are discarded first.
   */
  reset(): void;
  /** Clears every fault and releases every held request. */
  clearFaults(): void;
  /** Same input as `POST /__control/rate-limit`. Returns an error text when invalid. */
  setRateLimit(input: unknown): string | null;
  /**
   * Same body as `POST /__control/burst`: the error text when invalid, otherwise the burst's
   * result once every message went through. A reset or `stop()` ends a spaced burst early.
   */
  burst(input: unknown): Promise<BurstResult | string>;
  /** Ends spaced bursts still running (server shutdown). */
  stop(): void;
}

export interface BurstInput {
  contactId?: Id;
  conversationId?: Id;
  /** 1..5000 messages. */
  count: number;
  /** Every message's text; by default `Burst message i of N`. */
  text?: string;
  /** Pause between two messages; 0 (default) sends them all in one go. */
  spacingMs?: number;
}

export interface BurstResult {
  /** How many messages were stored / dropped (Helena drops a blocked contact's messages). */
  stored: number;
  dropped: number;
  /** The stored messages' ids, in order. */
  messageIds: Id[];
  /** The conversation the last message went to (or would have, when dropped). */
  conversationId: Id | null;
}

/** Rate-limit windows as tests write them: at most `limit` accepted requests in any `windowMs`. */
export interface RateLimitWindow {
  limit: number;
  windowMs: number;
}

const MAX_WINDOWS = 10;

/** `[{limit, windowMs}…]`, `{windows: […]}`, or null / `{windows: null}` (= the defaults). `[]` = no limit. */
function parseWindows(input: unknown): RateWindow[] | null | string {
  if (input === null) return null;
  let list: unknown = input;
  if (isRecord(input)) {
    if (!('windows' in input)) return 'Give `windows`: [{ limit, windowMs }…] or null for the defaults';
    list = input.windows;
    if (list === null) return null;
  }
  if (!Array.isArray(list) || list.length > MAX_WINDOWS) return `\`windows\` must be an array of at most ${MAX_WINDOWS} { limit, windowMs }`;
  const out: RateWindow[] = [];
  for (const w of list) {
    if (!isRecord(w)) return 'Each window must be { limit, windowMs }';
    const { limit, windowMs } = w;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) return '`limit` must be a positive integer';
    if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) return '`windowMs` must be a positive number of milliseconds';
    out.push({ ms: windowMs, max: limit });
  }
  return out;
}

function windowsView(windows: RateWindow[]): RateLimitWindow[] {
  return windows.map((w) => ({ limit: w.max, windowMs: w.ms }));
}

const MAX_SEED_CONTACTS = 100_000;
const MAX_SEED_MESSAGES = 10_000;
const MAX_SEED_BLOCKED = 200_000;
const MAX_BURST = 5_000;
const MAX_BURST_SPACING_MS = 60_000;

function idParam(value: unknown): Id | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

function parseBurst(input: unknown): BurstInput | string {
  if (!isRecord(input)) return 'Expected { contactId | conversationId, count, text?, spacingMs? }';
  const contactId = idParam(input.contactId);
  const conversationId = idParam(input.conversationId);
  if (contactId === undefined && conversationId === undefined) return 'Give `contactId` or `conversationId`';
  const { count, text, spacingMs = 0 } = input;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_BURST) return `\`count\` must be an integer from 1 to ${MAX_BURST}`;
  if (text !== undefined && (typeof text !== 'string' || text === '')) return '`text` must be a non-empty string';
  if (typeof spacingMs !== 'number' || !(spacingMs >= 0) || spacingMs > MAX_BURST_SPACING_MS) return `\`spacingMs\` must be a number from 0 to ${MAX_BURST_SPACING_MS}`;
  return { contactId, conversationId, count, text, spacingMs };
}

function sinceOf(ctx: Ctx): number | undefined {
  const raw = ctx.url.searchParams.get('since');
  return raw === null ? undefined : toInt(raw, 0);
}

export function createControls(deps: ControlDeps): Controls {
  const { model, faults, held, log, platform, spam } = deps;

  /** Bumped by reset() and stop(): a spaced burst started under an older generation ends. */
  let burstGeneration = 0;

  /**
   * `count` incoming messages, each through Model.incoming (the path of `POST /__control/incoming`,
   * so blocked and archived contacts behave as there, and each stored message is one SSE event).
   * After a stored message the next goes to the same conversation: a Helena contact writing to a
   * completed session opens one new session, not one per message.
   */
  async function burst(input: unknown): Promise<BurstResult | string> {
    const parsed = parseBurst(input);
    if (typeof parsed === 'string') return parsed;
    const { count, text, spacingMs = 0 } = parsed;
    const generation = burstGeneration;
    const result: BurstResult = { stored: 0, dropped: 0, messageIds: [], conversationId: null };
    let target: Omit<IncomingInput, 'text'> =
      parsed.conversationId !== undefined ? { conversationId: parsed.conversationId } : { contactId: parsed.contactId };
    for (let i = 0; i < count; i++) {
      if (i > 0 && spacingMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, spacingMs));
        if (generation !== burstGeneration) break;
      }
      let one: IncomingResult;
      try {
        one = model.incoming({ ...target, text: text ?? `Burst message ${i + 1} of ${count}` });
      } catch (error) {
        if (i > 0 && error instanceof ModelError) break; // the contact went away mid-burst (reset, merge)
        throw error;
      }
      result.conversationId = one.conversationId;
      if (one.stored && one.messageId !== undefined && one.conversationId !== null) {
        result.stored += 1;
        result.messageIds.push(one.messageId);
        target = { conversationId: one.conversationId };
      } else {
        result.dropped += 1;
      }
    }
    return result;
  }

  function reset(): void {
    burstGeneration += 1;
    held.discardAll();
    faults.clear();
    log.clear();
    platform.resetLimits();
    platform.limiter?.restoreDefaults();
    model.reset();
  }

  function clearFaults(): void {
    faults.clear();
    held.release();
  }

  function setRateLimit(input: unknown): string | null {
    const limiter = platform.limiter;
    if (!limiter) return 'This style has no rate limit (Chatwoot); use the `rateLimit` fault instead';
    const windows = parseWindows(input);
    if (typeof windows === 'string') return windows;
    if (windows === null) limiter.restoreDefaults();
    else limiter.setWindows(windows);
    return null;
  }

  function rateLimitView(): { windows: RateLimitWindow[] | null; default: boolean } {
    const limiter = platform.limiter;
    return limiter ? { windows: windowsView(limiter.windows), default: limiter.isDefault } : { windows: null, default: true };
  }

  async function body(ctx: Ctx): Promise<Record<string, unknown> | undefined> {
    const result = await readJson(ctx.req);
    if (!result.ok || (result.value !== undefined && !isRecord(result.value))) {
      sendJson(ctx.res, 400, { error: 'Expected a JSON object body' });
      return undefined;
    }
    return (result.value ?? {}) as Record<string, unknown>;
  }

  function modelError(ctx: Ctx, error: unknown): void {
    if (!(error instanceof ModelError)) throw error;
    const status = error.code === 'contact_not_found' || error.code === 'conversation_not_found' ? 404 : 400;
    sendJson(ctx.res, status, { error: error.message });
  }

  const routes: Route[] = [
    route('GET', '/__control/state', (ctx) => {
      sendJson(ctx.res, 200, {
        ...model.snapshot(),
        requests: log.list(sinceOf(ctx)),
        faults: faults.view(),
        held: held.list(),
        rateLimit: rateLimitView(),
        spam: { intervalMs: spam.intervalMs, spammerIds: model.spammerIds },
      });
    }),
    route('GET', '/__control/requests', (ctx) => {
      sendJson(ctx.res, 200, log.list(sinceOf(ctx)));
    }),
    route('POST', '/__control/incoming', async (ctx) => {
      const b = await body(ctx);
      if (!b) return;
      if (typeof b.text !== 'string' || b.text === '') return sendJson(ctx.res, 400, { error: '`text` is required' });
      const contactId = idParam(b.contactId);
      const conversationId = idParam(b.conversationId);
      const phone = typeof b.phone === 'string' ? b.phone : undefined;
      if (contactId === undefined && phone === undefined && conversationId === undefined) {
        return sendJson(ctx.res, 400, { error: 'Give `contactId`, `phone` or `conversationId`' });
      }
      try {
        const result = model.incoming({
          contactId, phone, conversationId, text: b.text, name: typeof b.name === 'string' ? b.name : undefined,
        });
        sendJson(ctx.res, 200, result);
      } catch (error) {
        modelError(ctx, error);
      }
    }),
    route('POST', '/__control/burst', async (ctx) => {
      const b = await body(ctx);
      if (!b) return;
      try {
        const result = await burst(b);
        if (typeof result === 'string') return sendJson(ctx.res, 400, { error: result });
        sendJson(ctx.res, 200, result);
      } catch (error) {
        modelError(ctx, error);
      }
    }),
    route('PATCH', '/__control/contacts/:id', async (ctx) => {
      const b = await body(ctx);
      if (!b) return;
      const patch: ContactPatch = {};
      if (b.status !== undefined) {
        if (b.status !== 'active' && b.status !== 'archived' && b.status !== 'blocked') {
          return sendJson(ctx.res, 400, { error: '`status` must be active, archived or blocked' });
        }
        patch.status = b.status satisfies ContactStatus;
      }
      if (typeof b.name === 'string') patch.name = b.name;
      if (isRecord(b.customAttributes)) patch.customAttributes = b.customAttributes;
      try {
        sendJson(ctx.res, 200, model.updateContact(ctx.params.id ?? '', patch));
      } catch (error) {
        modelError(ctx, error);
      }
    }),
    route('POST', '/__control/seed', async (ctx) => {
      const b = await body(ctx);
      if (!b) return;
      const count = b.contacts;
      const perConversation = b.messagesPerConversation ?? 2;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_SEED_CONTACTS) {
        return sendJson(ctx.res, 400, { error: `\`contacts\` must be an integer from 0 to ${MAX_SEED_CONTACTS}` });
      }
      if (typeof perConversation !== 'number' || !Number.isInteger(perConversation) || perConversation < 0 || perConversation > MAX_SEED_MESSAGES) {
        return sendJson(ctx.res, 400, { error: `\`messagesPerConversation\` must be an integer from 0 to ${MAX_SEED_MESSAGES}` });
      }
      sendJson(ctx.res, 200, model.seedBulk(count, perConversation));
    }),
    route('POST', '/__control/seed-blocked', async (ctx) => {
      const b = await body(ctx);
      if (!b) return;
      const count = b.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_SEED_BLOCKED) {
        return sendJson(ctx.res, 400, { error: `\`count\` must be an integer from 0 to ${MAX_SEED_BLOCKED}` });
      }
      sendJson(ctx.res, 200, model.seedBlocked(count));
    }),
    route('GET', '/__control/faults', (ctx) => sendJson(ctx.res, 200, faults.view())),
    route('POST', '/__control/faults', async (ctx) => {
      const b = await body(ctx);
      if (!b) return;
      const error = faults.configure(b);
      if (error) return sendJson(ctx.res, 400, { error });
      sendJson(ctx.res, 200, faults.view());
    }),
    route('DELETE', '/__control/faults', (ctx) => {
      clearFaults();
      sendJson(ctx.res, 200, faults.view());
    }),
    route('GET', '/__control/held', (ctx) => sendJson(ctx.res, 200, { held: held.list() })),
    route('POST', '/__control/release', async (ctx) => {
      const b = await body(ctx);
      if (!b) return;
      const raw = b.id;
      if (raw === undefined || raw === null) return sendJson(ctx.res, 200, { released: held.release() });
      const id = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
      if (typeof id !== 'number' || !Number.isInteger(id)) return sendJson(ctx.res, 400, { error: '`id` must be a held request id (integer)' });
      const released = held.release(id);
      if (released === 0) return sendJson(ctx.res, 404, { error: `No held request with id ${id}` });
      sendJson(ctx.res, 200, { released });
    }),
    route('GET', '/__control/rate-limit', (ctx) => sendJson(ctx.res, 200, rateLimitView())),
    route('POST', '/__control/rate-limit', async (ctx) => {
      const result = await readJson(ctx.req);
      if (!result.ok) return sendJson(ctx.res, 400, { error: result.error });
      const error = setRateLimit(result.value === undefined ? {} : result.value);
      if (error) return sendJson(ctx.res, 400, { error });
      sendJson(ctx.res, 200, rateLimitView());
    }),
    route('DELETE', '/__control/rate-limit', (ctx) => {
      platform.resetLimits();
      sendJson(ctx.res, 200, { ok: true });
    }),
    route('POST', '/__control/reset', (ctx) => {
      reset();
      sendJson(ctx.res, 200, { ok: true });
    }),
    route('POST', '/__control/spam', async (ctx) => {
      const b = await body(ctx);
      if (!b) return;
      const interval = b.intervalMs;
      if (typeof interval !== 'number' || !(interval >= 0)) return sendJson(ctx.res, 400, { error: '`intervalMs` must be a number ≥ 0 (0 stops)' });
      spam.start(interval);
      sendJson(ctx.res, 200, { intervalMs: spam.intervalMs });
    }),
    route('POST', '/__control/spam/tick', (ctx) => {
      spam.tick();
      sendJson(ctx.res, 200, { ok: true });
    }),
  ];

  return {
    reset,
    clearFaults,
    setRateLimit,
    burst,
    stop() {
      burstGeneration += 1;
    },
    async handle(ctx) {
      const match = matchRoute(routes, ctx.method, ctx.url.pathname);
      if (match.kind !== 'found') return sendJson(ctx.res, 404, { error: 'Unknown control endpoint' });
      ctx.params = match.params;
      await match.route.handler(ctx);
    },
  };
}
