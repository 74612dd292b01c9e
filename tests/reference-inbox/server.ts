/**
 * Starts one reference inbox: a local stand-in for Helena or Chatwoot that the extension's demo
 * and end-to-end tests talk to. One node:http server per instance (several may run in one
 * process) routes each request to its owner:
 *
 *   /__control/*        controls.ts     test controls, no auth, never faulted
 *   /app-api/*          app-api.ts      the web page's own API + SSE, never faulted
 *   /, /inbox, /assets  public/         the web inbox page (a foreign site, vanilla JS)
 *   everything else     helena-api.ts | chatwoot-api.ts   (only the instance's style)
 *                       after request-log.ts, faults.ts and held.ts:
 *                       offline → hold 'before' → latency → fail/rateLimit rule → platform
 *                       (→ hold 'after': the answer is captured and held)
 *
 * All of them share one Model (model.ts). cli.ts wraps this for `npm run inbox`.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAppApi } from './app-api.ts';
import { createChatwootApi } from './chatwoot-api.ts';
import { createControls, type BurstInput, type BurstResult, type RateLimitWindow } from './controls.ts';
import { Faults, writeFault } from './faults.ts';
import { captureResponse, HeldRequests, type HeldView, type HoldOutcome } from './held.ts';
import { createHelenaApi } from './helena-api.ts';
import { sendJson, sendText, type Ctx } from './http.ts';
import { Model, type IncomingInput, type IncomingResult } from './model.ts';
import { RequestLog, type LoggedRequest } from './request-log.ts';
import { SpamTicker } from './spam.ts';
import type { Id, Role, Style } from './types.ts';

export type { Model } from './model.ts';
export type { Style } from './types.ts';

export interface StartOptions {
  style?: Style;
  /** 0 = a random free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = spammers don't write by themselves (default). */
  spamIntervalMs?: number;
}

export interface DemoUser {
  id: Id;
  name: string;
  email: string;
}

export interface ReferenceInbox {
  /** http://127.0.0.1:PORT */
  url: string;
  style: Style;
  accountId: string | number;
  tokens: Record<Role, string>;
  users: Record<Role, DemoUser>;
  model: Model;
  /** In-process shortcuts for what /__control offers over HTTP. */
  control: {
    incoming(input: IncomingInput): IncomingResult;
    seed(contacts: number, messagesPerConversation?: number): { contactIds: Id[]; conversationIds: Id[] };
    /** Same as `POST /__control/seed-blocked`: `count` already-blocked contacts, one event. */
    seedBlocked(count: number): { count: number; sampleIds: Id[] };
    /**
     * Same as `POST /__control/burst`: `count` incoming messages from one contact, each through
     * `incoming`. Resolves once all went through; rejects on an invalid input or unknown id.
     */
    burst(input: BurstInput): Promise<BurstResult>;
    /** Same body as `POST /__control/faults`; throws on an invalid config. */
    faults(config: unknown): void;
    /** Clears every fault and releases every held request (`DELETE /__control/faults`). */
    clearFaults(): void;
    /** Requests held by a `hold` fault right now (`GET /__control/held`). */
    held(): HeldView[];
    /** Releases one held request, or all without an id. Returns how many were released. */
    release(id?: number): number;
    /**
     * Replaces Helena's rate-limit windows and forgets the counted requests
     * (`POST /__control/rate-limit`); `[]` = no limit, null = the defaults. Throws on an
     * invalid list or in Chatwoot style.
     */
    rateLimit(windows: RateLimitWindow[] | null): void;
    requests(since?: number): LoggedRequest[];
    reset(): void;
    spam(intervalMs: number): void;
  };
  close(): Promise<void>;
}

const PUBLIC_DIR = new URL('./public/', import.meta.url);
const STATIC: Record<string, string> = {
  '/assets/app.js': 'text/javascript; charset=utf-8',
  '/assets/app.css': 'text/css; charset=utf-8',
};

async function sendStatic(res: ServerResponse, file: string, contentType: string): Promise<void> {
  const body = await readFile(new URL(file, PUBLIC_DIR), 'utf8');
  sendText(res, 200, body, contentType, { 'cache-control': 'no-cache' });
}

const ROLES: Role[] = ['owner', 'admin', 'manager', 'agent'];

export async function startReferenceInbox(opts: StartOptions = {}): Promise<ReferenceInbox> {
  const style: Style = opts.style ?? 'helena';
  const host = opts.host ?? '127.0.0.1';
  const model = new Model(style);
  const faults = new Faults();
  const held = new HeldRequests();
  const log = new RequestLog();
  const platform = style === 'helena' ? createHelenaApi(model) : createChatwootApi(model);
  const app = createAppApi(model);
  const spam = new SpamTicker(model);
  const controls = createControls({ model, faults, held, log, platform, spam });

  /** Latency, then a fail/rateLimit rule or the platform itself. */
  async function answer(ctx: Ctx, entry: LoggedRequest, target: string): Promise<void> {
    const latency = faults.latencyFor(target);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const rule = faults.take(target);
    if (rule) {
      entry.fault = true;
      ctx.req.resume();
      return writeFault(ctx.res, style, rule);
    }
    await platform.handle(ctx);
  }

  async function handlePlatform(ctx: Ctx): Promise<void> {
    const { req, res, url } = ctx;
    const target = url.pathname + url.search;
    // Filled in as the request goes; pushed once, when it ends one way or another.
    const entry: LoggedRequest = { method: ctx.method, path: url.pathname, query: url.search, status: 0, at: Date.now() };
    let logged = false;
    const record = (status: number, extra: Partial<LoggedRequest> = {}): void => {
      if (logged) return;
      logged = true;
      log.push({ ...entry, ...extra, status });
    };
    res.on('finish', () => record(res.statusCode));

    if (faults.offline) {
      record(0, { fault: true, offline: true });
      req.socket.destroy();
      return;
    }

    const phase = faults.takeHold(target);
    const holdInfo = { method: ctx.method, path: target };
    if (phase === 'before') {
      // Nothing is read or applied until released; a client that goes away is never applied.
      const outcome = await new Promise<HoldOutcome>((resolve) => {
        held.hold({ ...holdInfo, phase }, res, (result, view) => {
          entry.holdPhase = phase;
          entry.holdId = view.id;
          if (result === 'released') entry.held = 'released';
          else record(0, { held: 'discarded' });
          resolve(result);
        });
      });
      if (outcome !== 'released') return void res.destroy();
    }

    if (phase !== 'after') return answer(ctx, entry, target);

    // Applied now; the answer is captured and held until released (or dropped).
    const capture = captureResponse(res);
    try {
      await answer(ctx, entry, target);
    } catch (error) {
      console.error('[reference-inbox] request failed', error);
      if (!capture.ended) sendJson(res, 500, { error: 'Internal error in the reference inbox' });
    }
    held.hold({ ...holdInfo, phase }, res, (result, view) => {
      entry.holdPhase = phase;
      entry.holdId = view.id;
      if (result === 'released') {
        entry.held = 'released';
        capture.replay();
      } else {
        record(capture.status, { held: 'dropped' });
        res.destroy();
      }
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://reference-inbox.local');
    const path = url.pathname;
    const ctx: Ctx = { req, res, url, method: (req.method ?? 'GET').toUpperCase(), params: {}, user: null };
    if (path === '/__control' || path.startsWith('/__control/')) return controls.handle(ctx);
    if (path === '/app-api' || path.startsWith('/app-api/')) return app.handle(ctx);
    if (ctx.method === 'GET' || ctx.method === 'HEAD') {
      if (path === '/') return void res.writeHead(302, { location: '/inbox' }).end();
      if (path === '/inbox' || path.startsWith('/inbox/')) return sendStatic(res, 'index.html', 'text/html; charset=utf-8');
      const type = STATIC[path];
      if (type) return sendStatic(res, path.slice('/assets/'.length), type);
      if (path === '/favicon.ico') return void res.writeHead(204).end();
    }
    return handlePlatform(ctx);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[reference-inbox] request failed', error);
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal error in the reference inbox' });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  spam.start(opts.spamIntervalMs ?? 0);

  const byRole = (role: Role) => {
    const user = model.users.find((u) => u.role === role && u.token !== null);
    if (!user?.token) throw new Error(`no ${role} user`);
    return user;
  };
  const tokens = Object.fromEntries(ROLES.map((r) => [r, byRole(r).token])) as Record<Role, string>;
  const users = Object.fromEntries(
    ROLES.map((r) => {
      const u = byRole(r);
      return [r, { id: u.id, name: u.name, email: u.email }];
    }),
  ) as Record<Role, DemoUser>;

  return {
    url: `http://${urlHost}:${port}`,
    style,
    accountId: model.account.id,
    tokens,
    users,
    model,
    control: {
      incoming: (input) => model.incoming(input),
      seed: (contacts, messagesPerConversation = 2) => model.seedBulk(contacts, messagesPerConversation),
      seedBlocked: (count) => model.seedBlocked(count),
      burst: async (input) => {
        const result = await controls.burst(input);
        if (typeof result === 'string') throw new Error(result);
        return result;
      },
      faults: (config) => {
        const error = faults.configure(config);
        if (error) throw new Error(error);
      },
      clearFaults: () => controls.clearFaults(),
      held: () => held.list(),
      release: (id) => held.release(id),
      rateLimit: (windows) => {
        const error = controls.setRateLimit(windows);
        if (error) throw new Error(error);
      },
      requests: (since) => log.list(since),
      reset: () => controls.reset(),
      spam: (intervalMs) => spam.start(intervalMs),
    },
    async close() {
      spam.stop();
      controls.stop();
      model.dispose();
      app.close();
      held.discardAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
