/**
 * The log of platform-API requests (not /__control, the page or the app API) that tests read
 * through `GET /__control/state` or `/__control/requests` to count calls. server.ts records
 * each request when its response finishes, or when it ends without one (offline, a held
 * request discarded or its response dropped); only the last 10,000 are kept, in the order
 * they ended.
 */
import type { HoldPhase } from './held.ts';

export interface LoggedRequest {
  method: string;
  /** Pathname only; the query string is in `query`. */
  path: string;
  query: string;
  /** The status answered; 0 = no answer (offline, or held 'before' and discarded). */
  status: number;
  /** Epoch ms when the request arrived. */
  at: number;
  /** True when an injected fault (faults.ts) answered, or destroyed the socket (offline). */
  fault?: boolean;
  /** True when `offline` destroyed the socket (status 0). */
  offline?: boolean;
  /**
   * Set when a `hold` fault held the request. `released`: answered after a release.
   * `discarded` (phase 'before', status 0): never applied, its client went away or a reset
   * threw it away. `dropped` (phase 'after'): applied, but the answer (`status`) never left.
   */
  held?: 'released' | 'discarded' | 'dropped';
  /** The hold's phase and its id in `GET /__control/held`, when `held` is set. */
  holdPhase?: HoldPhase;
  holdId?: number;
}

const LIMIT = 10_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];

  push(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > LIMIT) this.entries.splice(0, this.entries.length - LIMIT);
  }

  list(since?: number): LoggedRequest[] {
    return since === undefined ? [...this.entries] : this.entries.filter((e) => e.at >= since);
  }

  clear(): void {
    this.entries = [];
  }
}
