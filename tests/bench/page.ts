/**
 * What the benchmark runs inside the inbox page, in the page's own (main) world. Each function
 * is serialized by Playwright, so it refers to nothing outside itself.
 *
 * - `recordLongTasks` (an init script, before the page's own code): every long task of the
 *   document, buffered from the navigation on.
 * - `waitUntilSettled`: resolves once the main thread has produced `frames` frames in a row
 *   without a gap over 34 ms (nothing, page or extension, is still busy).
 * - `timedBurst`: asks the reference inbox for a burst from the page itself (one clock), and
 *   times it until the frame that rendered the last bubble has finished.
 * - `watchPaint` / `paintVerdict`: which new messages reached the screen (P1).
 * - `watchBadge` / `badgeVerdict`: click on the confirmation's button → the badge's new status (P6).
 */

export interface LongTask {
  start: number;
  duration: number;
}

export interface BenchWindow {
  __igBench: { longTasks: LongTask[] };
  __igPaint?: PaintProbe;
  __igBadge?: BadgeProbe;
}

export interface PaintProbe {
  /** New `li.ri-msg` seen by the page-world MutationObserver. */
  recorded: number;
  /** Judged at the first animation frame after insertion (before that frame's paint). */
  judged: number;
  /** Visible (`checkVisibility()`) at that frame. */
  visibleAtFrame: number;
  /** Reported by a ResizeObserver with a non-zero box: laid out in a frame, just before its paint. */
  laidOut: number;
  /** Distinct messages either judgement found on screen: the figure P1 reports. */
  painted: number;
  /** Recorded messages still in the document with `data-ig-hidden` (read at the verdict). */
  markedHidden: number;
  frames: number;
  /** Text of the first few messages that reached the screen. */
  samples: string[];
}

export interface BadgeProbe {
  target: string;
  /** performance.now() of the click on the action bar's button, and of the first frame showing the confirmation. */
  barClickAt?: number;
  dialogAt?: number;
  clickAt?: number;
  clickEpoch?: number;
  /** performance.now() of the first frame whose badge says the new status (pending mark or not). */
  wordAt?: number;
  /** …and of the first frame without the "not sent yet" mark. */
  settledAt?: number;
  /** First frame after the click where the badge read anything but the old settled status. */
  firstChangeText?: string;
  frames: number;
  done: boolean;
}

/** Init script: long tasks of this document, from its navigation on. */
export function recordLongTasks(): void {
  const bench = { longTasks: [] as LongTask[] };
  (window as unknown as BenchWindow).__igBench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task API: the count stays empty (reported as such).
  }
}

export function longTasks(): LongTask[] {
  return (window as unknown as BenchWindow).__igBench?.longTasks ?? [];
}

/** Resolves with the time waited once `frames` consecutive frames came within 34 ms of each other. */
export function waitUntilSettled({ frames, timeoutMs }: { frames: number; timeoutMs: number }): Promise<{ waitedMs: number; settled: boolean }> {
  return new Promise((resolve) => {
    const start = performance.now();
    let last = start;
    let calm = 0;
    const tick = (now: number) => {
      calm = now - last <= 34 ? calm + 1 : 0;
      last = now;
      if (calm >= frames) return resolve({ waitedMs: now - start, settled: true });
      if (now - start > timeoutMs) return resolve({ waitedMs: now - start, settled: false });
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * POST /__control/burst from the page, then counts the bubbles the page appends to the thread.
 * `inDomMs`: the last bubble is in the DOM (MutationObserver). `renderedMs`: a message posted
 * from that moment runs once the current task, which is the frame that appended the bubbles
 * (rAF callbacks, style, layout, paint), has finished.
 */
export function timedBurst({ conversationId, count }: { conversationId: string; count: number }): Promise<{ inDomMs: number; renderedMs: number; seen: number }> {
  return new Promise((resolve, reject) => {
    const thread = document.querySelector('.ri-thread');
    if (!thread) return reject(new Error('no open thread'));
    let seen = 0;
    const start = performance.now();
    const timer = setTimeout(() => reject(new Error(`only ${seen} of ${count} bubbles after 60 s`)), 60_000);
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE && (node as Element).matches('li.ri-msg')) seen += 1;
        }
      }
      if (seen < count) return;
      observer.disconnect();
      clearTimeout(timer);
      const inDomMs = performance.now() - start;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve({ inDomMs, renderedMs: performance.now() - start, seen });
      channel.port2.postMessage(0);
    });
    observer.observe(thread, { childList: true });
    fetch('/__control/burst', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, count, spacingMs: 0 }),
    }).catch((error: unknown) => reject(error instanceof Error ? error : new Error(String(error))));
  });
}

/**
 * P1's probe. Every `li.ri-msg` the page adds is recorded by a page-world MutationObserver
 * (it runs after the extension's, which was created first, in the same microtask checkpoint),
 * then judged two ways:
 * - at the next animation frame (rAF callbacks run before the frame's style, layout and paint):
 *   `checkVisibility()` false means it is not painted in that frame;
 * - a ResizeObserver on it: the browser reports an observed element after layout and before
 *   paint, in the very frame it is first laid out with a box (a hidden one has none), so a
 *   message that was painted for even one frame, hidden later or not, is caught.
 */
export function watchPaint(): void {
  (window as unknown as { __igPaintStop?: () => void }).__igPaintStop?.();
  const probe: PaintProbe = { recorded: 0, judged: 0, visibleAtFrame: 0, laidOut: 0, painted: 0, markedHidden: 0, frames: 0, samples: [] };
  const painted = new Set<Element>();
  const fresh = new Set<Element>();
  const all: Element[] = [];
  const laidOut = new Set<Element>();
  const note = (element: Element) => {
    if (painted.has(element)) return;
    painted.add(element);
    probe.painted = painted.size;
    if (probe.samples.length < 5) probe.samples.push(element.textContent?.trim().slice(0, 60) ?? '');
  };
  const resize = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const box = entry.contentRect;
      if ((box.width > 0 || box.height > 0) && !laidOut.has(entry.target)) {
        laidOut.add(entry.target);
        probe.laidOut += 1;
        note(entry.target);
      }
    }
  });
  const take = (element: Element) => {
    probe.recorded += 1;
    fresh.add(element);
    all.push(element);
    resize.observe(element);
  };
  const mutations = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const element = node as Element;
        if (element.matches('li.ri-msg')) take(element);
        else for (const inner of element.querySelectorAll('li.ri-msg')) take(inner);
      }
    }
  });
  mutations.observe(document, { childList: true, subtree: true });
  let frame = 0;
  (window as unknown as { __igPaintStop?: () => void }).__igPaintStop = () => {
    mutations.disconnect();
    resize.disconnect();
    cancelAnimationFrame(frame);
  };
  const tick = () => {
    probe.frames += 1;
    for (const element of fresh) {
      probe.judged += 1;
      if (element.isConnected && element.checkVisibility()) {
        probe.visibleAtFrame += 1;
        note(element);
      }
    }
    fresh.clear();
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  const w = window as unknown as BenchWindow & { __igPaintAll: Element[] };
  w.__igPaint = probe;
  w.__igPaintAll = all;
}

export function paintVerdict(): PaintProbe {
  const w = window as unknown as BenchWindow & { __igPaintAll: Element[] };
  const probe = w.__igPaint!;
  probe.markedHidden = w.__igPaintAll.filter((element) => element.isConnected && element.hasAttribute('data-ig-hidden')).length;
  return { ...probe };
}

/**
 * P6's probe, armed before the clicks. Clicks are taken at the window's capture phase (the
 * first listener to see them): the one on the action bar's button starts a frame loop until the
 * confirmation shows; the one on the confirmation's confirm button starts a frame loop that
 * reads the badge in the action bar's shadow root until it shows `target` without the pending
 * mark (or 15 s pass).
 */
export function watchBadge(target: string): void {
  const probe: BadgeProbe = { target, frames: 0, done: false };
  (window as unknown as BenchWindow).__igBadge = probe;
  const read = () => {
    const badge = document.querySelector('inbox-guard-bar')?.shadowRoot?.querySelector('[data-testid="ig-status-badge"]');
    return badge ? { status: badge.getAttribute('data-status'), pending: badge.hasAttribute('data-pending'), text: badge.textContent ?? '' } : null;
  };
  const before = read();
  const tick = () => {
    const now = performance.now();
    probe.frames += 1;
    const badge = read();
    if (badge && probe.firstChangeText === undefined && (badge.status !== before?.status || badge.pending !== before?.pending)) {
      probe.firstChangeText = badge.text;
    }
    if (badge?.status === target) {
      probe.wordAt ??= now;
      if (!badge.pending) {
        probe.settledAt = now;
        probe.done = true;
        return;
      }
    }
    if (now - (probe.clickAt ?? now) > 15_000) {
      probe.done = true;
      return;
    }
    requestAnimationFrame(tick);
  };
  // Times are taken with performance.now() inside the callbacks, not from rAF's timestamp (the
  // frame's start, which a long task can put before the click that delayed the frame).
  const dialogTick = () => {
    const now = performance.now();
    if (document.querySelector('inbox-guard-dialog')?.shadowRoot?.querySelector('dialog[open]')) probe.dialogAt = now;
    else if (now - (probe.barClickAt ?? now) < 15_000) requestAnimationFrame(dialogTick);
  };
  const onClick = (event: Event) => {
    const origin = event.composedPath()[0] as Partial<Element> | undefined;
    const closest = (selector: string) => (typeof origin?.closest === 'function' ? origin.closest(selector) : null);
    if (probe.barClickAt === undefined && closest('[data-testid^="ig-action-bar-"]')) {
      probe.barClickAt = performance.now();
      requestAnimationFrame(dialogTick);
      return;
    }
    if (!closest('[data-testid="ig-confirm-confirm"]') || probe.clickAt !== undefined) return;
    probe.clickAt = performance.now();
    probe.clickEpoch = Date.now();
    window.removeEventListener('click', onClick, true);
    requestAnimationFrame(tick);
  };
  window.addEventListener('click', onClick, true);
}

export function badgeVerdict(): BadgeProbe {
  return { ...(window as unknown as BenchWindow).__igBadge! };
}

/**
 * Runs `fn(arg)` in a page or worker from its source text. tsx (esbuild's keepNames) wraps
 * named inner functions in a `__name` helper that exists only in Node; this defines it where
 * the function runs.
 */
export function inPage<A, R>(target: { evaluate(expression: string): Promise<unknown> }, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  return target.evaluate(`(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg) ?? 'undefined'}); })()`) as Promise<R>;
}

/** The same, as an init script's source. */
export function initScript(fn: () => void): { content: string } {
  return { content: `(() => { const __name = (f) => f; (${fn.toString()})(); })();` };
}
