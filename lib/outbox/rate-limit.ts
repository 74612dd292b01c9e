/**
 * Client-side rate limit, so steady work never meets the platform's 429: a sliding-window log
 * kept against every configured window at once (Helena: 200 requests per 5 s AND 1,000 per
 * 5 min, per account). `acquire()` resolves when a request may go out and hands back `answered`,
 * which the HTTP client calls when the platform's answer (or a network error) comes back.
 *
 * When the platform counts a request is not known here: somewhere between our grant and its
 * answer (requests reached the reference inbox up to ~90 ms after their grant, unevenly). So a
 * request counts against a window from its grant until its answer plus the window, plus a small
 * margin per window (MARGIN_MS + MARGIN_RATIO of its length: clocks that tick differently, a
 * limiter that stamps a little after its gateway). Whenever the platform counted it, it has let
 * it go by then; a request still unanswered counts until it is answered. Under that rule no
 * window of the platform's ever holds more than its limit, whatever the latency and its jitter
 * (tests/unit/outbox/rate-limit.test.ts simulates it). The price: a window frees up one
 * round trip later than the platform's would.
 *
 * `hold(until)`: the platform said when to come back (`Retry-After` on a 429 or a 503): nothing
 * at all goes out before then, whoever asks (the outbox, a job's lookups, a sync). One limiter
 * serves one connection (lib/background/platform.ts), so a hold pauses that platform only.
 *
 * `pace()` says when the next request may go, what holds it back, and how long `count` more
 * requests take at the fastest pace the windows allow (a job's time left). The log and the hold
 * can be saved and restored (`snapshot`, `initial`) so a restarted service worker neither
 * bursts into a window the platform still counts nor forgets a Retry-After.
 */
const MARGIN_MS = 25;
const MARGIN_RATIO = 0.001;
/** A request unanswered for this long is counted as answered then (a hung fetch must not hold a slot forever). */
const IN_FLIGHT_MAX_MS = 60_000;
/** `pace().finishIn` simulates at most this many requests; beyond, it goes on at the long-run rate. */
const SIMULATED_MAX = 20_000;

export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** What the platform's answer says about coming back (a Retry-After, as ms from the answer). */
export interface Answer {
  retryAfterMs?: number;
}

/** Called once when the request's answer (or its failure) arrives. */
export type Answered = (answer?: Answer) => void;

export interface Pace {
  /** When one more request may go out (ms since the epoch; now or later). */
  nextAt: number;
  /** Why `nextAt` is later than now: a full window, or the platform's Retry-After. */
  reason?: 'rate_limit' | 'retry_after';
  /** ms from now until `count` more requests have gone out, at the pace the windows allow. */
  finishIn(count: number): number;
}

export interface RateLimiter {
  acquire(): Promise<Answered>;
  /** Nothing goes out before `until` (ms since the epoch). Never shortens a hold. */
  hold(until: number): void;
  pace(): Pace;
  /** The log (grant, answer or null) still inside the longest window, and the hold, for saving. */
  snapshot(): LimiterSnapshot;
}

export interface LimiterSnapshot {
  log: [number, number | null][];
  holdUntil?: number;
}

export interface RateLimiterDeps {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * What a previous worker saved (`snapshot()`; a bare list of grant times from older versions).
   * Requests it left unanswered are counted as answered at the restore: that worker is gone.
   */
  initial?: LimiterSnapshot | number[];
  /** Called after every change of the log or the hold (the caller saves `snapshot()`). */
  onChange?: () => void;
}

interface Entry {
  at: number;
  answered?: number;
}

export const marginOf = (windowMs: number) => MARGIN_MS + Math.ceil(windowMs * MARGIN_RATIO);

export function createRateLimiter(windows: RateWindow[], deps: RateLimiterDeps = {}): RateLimiter {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const spans = windows.map((window) => window.windowMs + marginOf(window.windowMs));
  const longest = Math.max(0, ...spans);
  /** The fastest pace any window allows on average (ms between requests): a job's best case. */
  const burstSpacing = windows.length > 0 ? Math.min(...windows.map((window) => window.windowMs / window.limit)) : 0;
  /** The long-run pace (the tightest window's average). */
  const sustainedSpacing = windows.length > 0 ? Math.max(...windows.map((window) => window.windowMs / window.limit)) : 0;

  const restoredAt = now();
  let log: Entry[] = [];
  let holdUntil = 0;
  const initial = deps.initial;
  if (Array.isArray(initial)) {
    log = initial.filter((at) => Number.isFinite(at)).map((at) => ({ at, answered: at }));
  } else if (initial && Array.isArray(initial.log)) {
    log = initial.log
      .filter((pair) => Array.isArray(pair) && Number.isFinite(pair[0]))
      .map(([at, answered]) => ({ at, answered: typeof answered === 'number' && Number.isFinite(answered) ? answered : Math.max(at, restoredAt) }));
    if (typeof initial.holdUntil === 'number' && Number.isFinite(initial.holdUntil)) holdUntil = initial.holdUntil;
  }
  log.sort((a, b) => a.at - b.at);

  let queue: Promise<unknown> = Promise.resolve();
  /** Resolved at the next answer: a request in flight stops counting sooner once answered. */
  let answerSignal: { promise: Promise<void>; resolve: () => void } | undefined;
  const nextAnswer = () => {
    if (!answerSignal) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      answerSignal = { promise, resolve };
    }
    return answerSignal.promise;
  };

  /**
   * When the platform surely no longer counts `entry` in window `index`. A request in flight
   * counts until its answer: at the latest IN_FLIGHT_MAX_MS after its grant ('in-flight'), or,
   * for an estimate, as if answered now ('answered-now').
   */
  const releasedAt = (entry: Entry, index: number, at: number, inFlight: 'in-flight' | 'answered-now'): number => {
    const answered = entry.answered ?? (inFlight === 'answered-now' ? Math.min(at, entry.at + IN_FLIGHT_MAX_MS) : entry.at + IN_FLIGHT_MAX_MS);
    return answered + spans[index]!;
  };

  const prune = (at: number) => {
    log = log.filter((entry) => (entry.answered ?? entry.at + IN_FLIGHT_MAX_MS) + longest > at);
  };

  /** For each window, the times at which the requests it counts now stop counting, ascending. */
  const releases = (at: number, inFlight: 'in-flight' | 'answered-now'): number[][] =>
    windows.map((_, index) =>
      log
        .map((entry) => releasedAt(entry, index, at, inFlight))
        .filter((time) => time > at)
        .sort((a, b) => a - b),
    );

  /** How long until one more request fits every window and the hold (0 = now); an answer may make it sooner. */
  const wait = (at: number): number => {
    prune(at);
    let delay = Math.max(0, holdUntil - at);
    releases(at, 'in-flight').forEach((times, index) => {
      const { limit } = windows[index]!;
      // `limit` already count: the (count − limit + 1)-th to stop counting makes room.
      if (times.length >= limit) delay = Math.max(delay, times[times.length - limit]! - at);
    });
    return delay;
  };

  const changed = () => deps.onChange?.();

  return {
    acquire() {
      // One after the other: each caller waits for the ones before it.
      const turn = queue.then(async (): Promise<Answered> => {
        // An answer arriving meanwhile may make room sooner (a window full of requests in flight).
        for (let delay = wait(now()); delay > 0; delay = wait(now())) await Promise.race([sleep(delay), nextAnswer()]);
        const entry: Entry = { at: now() };
        log.push(entry);
        changed();
        let once = false;
        return (answer) => {
          if (once) return;
          once = true;
          entry.answered = Math.max(entry.at, now());
          if (answer?.retryAfterMs !== undefined && answer.retryAfterMs > 0) holdUntil = Math.max(holdUntil, entry.answered + answer.retryAfterMs);
          const signal = answerSignal;
          answerSignal = undefined;
          signal?.resolve();
          changed();
        };
      });
      queue = turn.catch(() => undefined);
      return turn;
    },

    hold(until) {
      if (!(until > holdUntil)) return;
      holdUntil = until;
      changed();
    },

    pace() {
      const at = now();
      prune(at);
      const existing = releases(at, 'answered-now');
      // grants[k]: when the (k+1)-th request from now may go, each answered at once.
      const grants: number[] = [];
      const grantAt = (k: number): number => {
        let time = Math.max(at, holdUntil, k > 0 ? grants[k - 1]! + burstSpacing : at);
        existing.forEach((times, index) => {
          const { limit } = windows[index]!;
          // Counting the existing ones, then the new ones before this one, in order of release.
          const i = times.length + k - limit;
          if (i < 0) return;
          const release = i < times.length ? times[i]! : grants[i - times.length]! + spans[index]!;
          time = Math.max(time, release);
        });
        return time;
      };
      const first = grantAt(0);
      grants.push(first);
      const reason = first > at ? (holdUntil >= first ? 'retry_after' : 'rate_limit') : undefined;
      return {
        nextAt: first,
        ...(reason ? { reason } : {}),
        finishIn(count) {
          if (count <= 0) return 0;
          const simulated = Math.min(count, SIMULATED_MAX);
          for (let k = grants.length; k < simulated; k += 1) grants.push(grantAt(k));
          return grants[simulated - 1]! + burstSpacing - at + (count - simulated) * sustainedSpacing;
        },
      };
    },

    snapshot: () => {
      prune(now());
      return {
        log: log.map((entry): [number, number | null] => [entry.at, entry.answered ?? null]),
        ...(holdUntil > now() ? { holdUntil } : {}),
      };
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
