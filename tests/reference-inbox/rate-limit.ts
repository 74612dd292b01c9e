/**
 * Helena's documented rate limit (FACTS §7): per account, 200 requests per 5 s and 1,000 per
 * 5 min, 429 beyond either, no rate-limit headers. helena-api.ts asks `tryAcquire` after auth.
 * Tests may replace the windows (`POST /__control/rate-limit`, controls.ts) with `setWindows`.
 *
 * A sliding window over *accepted* requests: a refused (429) request does not count, so a
 * client that backs off recovers as soon as old requests leave the window. The real limiter's
 * algorithm is not documented; this is the forgiving reading.
 */
export interface RateWindow {
  ms: number;
  max: number;
}

export const HELENA_WINDOWS: RateWindow[] = [
  { ms: 5_000, max: 200 },
  { ms: 300_000, max: 1_000 },
];

export class SlidingWindowLimiter {
  private stamps: number[] = [];
  private current: RateWindow[] = [];
  private longest = 0;
  private readonly defaults: RateWindow[];

  constructor(windows: RateWindow[]) {
    this.defaults = windows.map((w) => ({ ...w }));
    this.setWindows(windows);
  }

  /** True while the windows are the ones given to the constructor. */
  get isDefault(): boolean {
    return JSON.stringify(this.current) === JSON.stringify(this.defaults);
  }

  /** Back to the constructor's windows, with nothing counted. */
  restoreDefaults(): void {
    this.setWindows(this.defaults);
  }

  /** The windows in force (copies). */
  get windows(): RateWindow[] {
    return this.current.map((w) => ({ ...w }));
  }

  /** Replaces the windows and forgets the counted requests. No windows = no limit. */
  setWindows(windows: RateWindow[]): void {
    this.current = windows.map((w) => ({ ...w }));
    this.longest = this.current.reduce((max, w) => Math.max(max, w.ms), 0);
    this.stamps = [];
  }

  tryAcquire(now = Date.now()): boolean {
    let drop = 0;
    while (drop < this.stamps.length && (this.stamps[drop] ?? 0) <= now - this.longest) drop++;
    if (drop > 0) this.stamps.splice(0, drop);
    for (const window of this.current) {
      if (this.countSince(now - window.ms) >= window.max) return false;
    }
    this.stamps.push(now);
    return true;
  }

  clear(): void {
    this.stamps = [];
  }

  /** Accepted requests with a timestamp after `since` (stamps are ascending: binary search). */
  private countSince(since: number): number {
    let lo = 0;
    let hi = this.stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.stamps[mid] ?? 0) > since) hi = mid;
      else lo = mid + 1;
    }
    return this.stamps.length - lo;
  }
}
