/**
 * Client-side rate limit, so steady work never meets the platform's 429: a sliding-window log
 * per window (Helena: 200 requests per 5 s and 1,000 per 5 min, per account). `acquire()`
 * resolves when a request may go out, and records it. The log can be saved and restored so a
 * restarted service worker does not burst into a window the platform still counts.
 *
 * The platform counts a request when it arrives, a few milliseconds after it was granted here,
 * and not all equally late: a window is kept ARRIVAL_MARGIN_MS longer than the platform's, so
 * a request that arrived late still counts here until the platform has let it go too.
 */
const ARRIVAL_MARGIN_MS = 50;

export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  acquire(): Promise<void>;
  /** Timestamps (ms) still inside the longest window, for saving. */
  snapshot(): number[];
}

export interface RateLimiterDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Requests already made (from a saved snapshot). */
  initial?: number[];
}

export function createRateLimiter(windows: RateWindow[], deps: RateLimiterDeps = {}): RateLimiter {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const longest = Math.max(0, ...windows.map((window) => window.windowMs)) + ARRIVAL_MARGIN_MS;
  let log: number[] = [...(deps.initial ?? [])].sort((a, b) => a - b);
  let queue: Promise<void> = Promise.resolve();

  /** How long until one more request fits every window (0 = now). */
  const wait = (at: number): number => {
    log = log.filter((time) => time > at - longest);
    let delay = 0;
    for (const { limit, windowMs: platformWindowMs } of windows) {
      const windowMs = platformWindowMs + ARRIVAL_MARGIN_MS;
      const inWindow = log.filter((time) => time > at - windowMs);
      if (inWindow.length >= limit) {
        const oldest = inWindow[inWindow.length - limit] ?? at;
        delay = Math.max(delay, oldest + windowMs - at + 1);
      }
    }
    return delay;
  };

  return {
    acquire() {
      // One after the other: each caller waits for the ones before it.
      const turn = queue.then(async () => {
        for (let delay = wait(now()); delay > 0; delay = wait(now())) await sleep(delay);
        log.push(now());
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
    snapshot: () => {
      const at = now();
      return log.filter((time) => time > at - longest);
    },
  };
}

/** Helena's documented limits (FACTS.md §7). */
export const HELENA_LIMITS: RateWindow[] = [
  { limit: 200, windowMs: 5_000 },
  { limit: 1_000, windowMs: 5 * 60_000 },
];

/** Chatwoot documents none for the application API; a courteous ceiling for self-hosted servers. */
export const CHATWOOT_LIMITS: RateWindow[] = [{ limit: 60, windowMs: 1_000 }];
