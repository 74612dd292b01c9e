/**
 * Held platform-API requests: the `hold` fault (faults.ts) keeps a request open so a test can
 * kill the client (the extension's service worker) at a precise moment.
 *
 *   phase 'before'  held before anything is applied; the request waits in `hold` until it is
 *                   released (then server.ts handles it normally) or its client goes away
 *                   (then it is discarded and never applied).
 *   phase 'after'   already applied; server.ts captured the response (`captureResponse`) and
 *                   holds it. Released → written; client gone → dropped (the effect stays).
 *
 * controls.ts lists (`GET /__control/held`) and releases (`POST /__control/release`) them;
 * `DELETE /__control/faults` releases all, `POST /__control/reset` and `close()` discard all.
 * Settling is synchronous, so a reset can clear the request log right after discarding.
 */
import type { ServerResponse } from 'node:http';

export type HoldPhase = 'before' | 'after';

/**
 * `released`: let it go on. `gone`: the client disconnected. `discarded`: a reset or close()
 * threw it away (its socket is already destroyed).
 */
export type HoldOutcome = 'released' | 'gone' | 'discarded';

export interface HeldView {
  id: number;
  method: string;
  /** Pathname plus query string. */
  path: string;
  phase: HoldPhase;
  /** Epoch ms when it started being held. */
  since: number;
}

interface Live {
  view: HeldView;
  res: ServerResponse;
  settle: (outcome: HoldOutcome) => void;
}

export type OnSettle = (outcome: HoldOutcome, view: HeldView) => void;

export class HeldRequests {
  private live = new Map<number, Live>();
  private nextId = 1;

  /**
   * Holds `res`'s request until it is released, its client disconnects or everything is
   * discarded. `onSettle` runs exactly once, synchronously, when that happens (at once when
   * the client is already gone).
   */
  hold(info: { method: string; path: string; phase: HoldPhase }, res: ServerResponse, onSettle: OnSettle): number {
    const id = this.nextId++;
    const view: HeldView = { id, method: info.method, path: info.path, phase: info.phase, since: Date.now() };
    const onClose = (): void => this.settle(id, 'gone');
    const entry: Live = {
      view,
      res,
      settle: (outcome) => {
        res.off('close', onClose);
        onSettle(outcome, { ...view });
      },
    };
    this.live.set(id, entry);
    if (res.destroyed || res.socket === null || res.socket.destroyed) this.settle(id, 'gone');
    else res.once('close', onClose);
    return id;
  }

  list(): HeldView[] {
    return [...this.live.values()].map((e) => ({ ...e.view }));
  }

  /** Releases one held request (by id) or all of them. Returns how many were released. */
  release(id?: number): number {
    const ids = id === undefined ? [...this.live.keys()] : this.live.has(id) ? [id] : [];
    for (const each of ids) this.settle(each, 'released');
    return ids.length;
  }

  /** Destroys the sockets of all held requests: 'before' ones are never applied, 'after' responses are dropped. */
  discardAll(): number {
    const entries = [...this.live.values()];
    for (const entry of entries) {
      this.settle(entry.view.id, 'discarded');
      entry.res.destroy();
    }
    return entries.length;
  }

  private settle(id: number, outcome: HoldOutcome): void {
    const entry = this.live.get(id);
    if (!entry) return;
    this.live.delete(id);
    entry.settle(outcome);
  }
}

export interface CapturedResponse {
  /** True once the handler has ended the response (into the capture). */
  readonly ended: boolean;
  /** The status the handler wrote (200 until writeHead). */
  readonly status: number;
  /** Stops capturing and writes what was captured to the real response. */
  replay(): void;
}

type Call = { method: 'writeHead' | 'write' | 'end'; args: unknown[] };

/**
 * Makes `res` record writeHead/write/end instead of sending them, so a handler can apply its
 * change and build its answer while nothing reaches the client. Only this one object is
 * patched (own properties shadowing ServerResponse.prototype); `replay` removes them.
 */
export function captureResponse(res: ServerResponse): CapturedResponse {
  const calls: Call[] = [];
  let status = 200;
  let ended = false;
  const patched = res as unknown as Record<Call['method'], unknown>;
  patched.writeHead = (...args: unknown[]) => {
    if (typeof args[0] === 'number') status = args[0];
    calls.push({ method: 'writeHead', args });
    return res;
  };
  patched.write = (...args: unknown[]) => {
    calls.push({ method: 'write', args: args.filter((a) => typeof a !== 'function') });
    return true;
  };
  patched.end = (...args: unknown[]) => {
    calls.push({ method: 'end', args: args.filter((a) => typeof a !== 'function') });
    ended = true;
    return res;
  };
  return {
    get ended() {
      return ended;
    },
    get status() {
      return status;
    },
    replay() {
      for (const key of ['writeHead', 'write', 'end'] as const) Reflect.deleteProperty(res, key);
      for (const call of calls) Reflect.apply(res[call.method] as (...a: unknown[]) => unknown, res, call.args);
      if (!ended) res.end();
    },
  };
}
