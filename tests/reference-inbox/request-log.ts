/**
 * The log of platform-API requests (not /__control, the page or the app API) that tests read
 * through `GET /__control/state` or `/__control/requests` to count calls. server.ts records
 * each request when its response finishes; only the last 10,000 are kept.
 */
export interface LoggedRequest {
  method: string;
  /** Pathname only; the query string is in `query`. */
  path: string;
  query: string;
  status: number;
  /** Epoch ms when the request arrived. */
  at: number;
  /** True when an injected fault (faults.ts) answered. */
  fault?: boolean;
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
