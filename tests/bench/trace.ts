/**
 * P3's attribution: a DevTools-protocol trace (the Performance panel's categories) of one page
 * load + burst, read the way the panel reads it.
 *
 * The page's main thread is the thread that runs the inbox page's own script
 * (`/assets/app.js`). Its tasks are the top-level `RunTask` events there; a long task is one
 * over 50 ms. The extension's time on that thread is the union of
 * - `FunctionCall`, `EvaluateScript`, `v8.compile`… events whose `data.url` is the extension's
 *   (`chrome-extension://<id>/content-scripts/inbox.js`): its MutationObserver callbacks, its
 *   message listeners, its timers, the content script's own evaluation;
 * - `v8.callFunction` events in the content script's isolated world (`data.worldName`, the
 *   extension's name): its event listeners *with the microtasks that follow them* (Preact's
 *   renders run there, and so does a dialog's showModal()/close()),
 * with the style and layout work the browser does synchronously inside them (a forced
 * recalculation).
 *
 * A long task (over 50 ms) is attributed to the extension when the extension's script in it
 * is what makes it long (50 ms or less without it) or is itself a long task's worth (over
 * 50 ms). `extensionBlockingMs` is the extension's share of the total blocking time: for each
 * task, the part over 50 ms that would go without the extension's script. What the
 * extension's attribute writes cost later in the page's own style recalculation is not in its
 * script time; the with/without comparison covers that.
 */
import type { CDPSession } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: { url?: string; functionName?: string; stackTrace?: { url?: string }[] } & Record<string, unknown> } & Record<string, unknown>;
}

export interface TaskAttribution {
  /** Long tasks on the page's main thread (> 50 ms). */
  longTasks: number;
  /** …attributed to the extension: long only because of its script, or over 50 ms of it. */
  attributable: number;
  /** …of which the extension's own script makes long (> 50 ms with it, ≤ 50 ms without). */
  longBecauseOfExtension: number;
  /** …in which the extension's own script runs over 50 ms. */
  extensionOver50: number;
  /** The extension's share of the total blocking time (ms). */
  extensionBlockingMs: number;
  /** Total blocking time of the page's main thread over the trace (ms). */
  totalBlockingMs: number;
  /** …in which the extension's script runs at all. */
  longWithExtensionScript: number;
  /** The extension's script time on the page's main thread over the whole trace (ms). */
  extensionScriptMs: number;
  /** The longest stretch of extension script within one task (ms). */
  extensionMaxInTaskMs: number;
  /** The page's main-thread task time over the trace (ms), for scale. */
  mainThreadBusyMs: number;
  /**
   * Where the extension's time goes (inclusive, so nested entries overlap): script calls by
   * position in the bundle (1-based line and column, as DevTools gives them), and event
   * listeners in its isolated world with the microtasks after them.
   */
  topFunctions: { where: string; line?: number; column?: number; calls: number; ms: number }[];
  /** The longest tasks with their extension share, for the report. */
  worst: { durationMs: number; extensionMs: number }[];
  events: number;
}

const CATEGORIES = [
  '-*',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'toplevel',
  'v8',
  'v8.execute',
  '__metadata',
];

export async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordAsMuchAsPossible' },
  });
}

export async function stopTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<string>((resolve) => {
    cdp.once('Tracing.tracingComplete', (event) => resolve(event.stream ?? ''));
  });
  await cdp.send('Tracing.end');
  const stream = await complete;
  const chunks: string[] = [];
  for (;;) {
    const part = await cdp.send('IO.read', { handle: stream, size: 8 * 1024 * 1024 });
    chunks.push(part.base64Encoded ? Buffer.from(part.data, 'base64').toString('utf8') : part.data);
    if (part.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const text = chunks.join('');
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

/** Events that carry the script's URL: calls into a script (callbacks, listeners, timers) and its evaluation. */
const SCRIPT_EVENTS = new Set(['FunctionCall', 'EvaluateScript', 'v8.compile', 'v8.compileModule']);

/** Complete events ('X') and begin/end pairs ('B'/'E') as intervals, per thread. */
function intervals(events: TraceEvent[], keep: (event: TraceEvent) => boolean): { start: number; end: number; event: TraceEvent }[] {
  const out: { start: number; end: number; event: TraceEvent }[] = [];
  const open = new Map<string, TraceEvent[]>();
  for (const event of events) {
    if (event.ph === 'X') {
      if (keep(event)) out.push({ start: event.ts, end: event.ts + (event.dur ?? 0), event });
    } else if (event.ph === 'B') {
      const key = `${event.pid}:${event.tid}:${event.name}`;
      const stack = open.get(key) ?? [];
      stack.push(event);
      open.set(key, stack);
    } else if (event.ph === 'E') {
      const key = `${event.pid}:${event.tid}:${event.name}`;
      const begin = open.get(key)?.pop();
      if (begin && keep(begin)) out.push({ start: begin.ts, end: event.ts, event: begin });
    }
  }
  return out;
}

function union(spans: { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

export function attribute(events: TraceEvent[], extension: { origin: string; worldName: string }, pageScript: string): TaskAttribution {
  const extensionOrigin = extension.origin;
  const main = events.find(
    (event) => (event.name === 'EvaluateScript' || event.name === 'FunctionCall') && event.args?.data?.url?.includes(pageScript),
  );
  if (!main) throw new Error(`no event of ${pageScript} in the trace`);
  const onMain = events.filter((event) => event.pid === main.pid && event.tid === main.tid).sort((a, b) => a.ts - b.ts);
  const tasks = intervals(onMain, (event) => event.name === 'RunTask' || event.name === 'ThreadControllerImpl::RunTask');
  // Nested RunTask (a nested run loop) counts once, as its outermost task.
  const topTasks = union(tasks);
  const isExtension = (event: TraceEvent) => {
    const data = event.args?.data;
    if (event.name === 'v8.callFunction') return data?.worldName === extension.worldName;
    return SCRIPT_EVENTS.has(event.name) && Boolean(data?.url?.startsWith(extensionOrigin));
  };
  const extensionEvents = intervals(onMain, isExtension);
  const spans = union(extensionEvents);
  const byFunction = new Map<string, { where: string; line?: number; column?: number; calls: number; ms: number }>();
  for (const { start, end, event } of extensionEvents) {
    const data = event.args?.data ?? {};
    const line = typeof data.lineNumber === 'number' ? data.lineNumber : undefined;
    const column = typeof data.columnNumber === 'number' ? data.columnNumber : undefined;
    const where =
      event.name === 'v8.callFunction'
        ? 'event listener + following microtasks (isolated world)'
        : `${event.name} ${data.functionName || '(anonymous)'} ${String(data.url ?? '').replace(extensionOrigin, '')}:${line ?? '?'}:${column ?? '?'}`;
    const entry = byFunction.get(where) ?? { where, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}), calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += (end - start) / 1000;
    byFunction.set(where, entry);
  }
  const topFunctions = [...byFunction.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8)
    .map((entry) => ({ ...entry, ms: Math.round(entry.ms * 10) / 10 }));

  let longTasks = 0;
  let longBecause = 0;
  let over50 = 0;
  let attributable = 0;
  let blocking = 0;
  let extensionBlocking = 0;
  let longWith = 0;
  let busy = 0;
  let maxInTask = 0;
  const worst: { durationMs: number; extensionMs: number }[] = [];
  let cursor = 0;
  for (const task of topTasks) {
    const duration = (task.end - task.start) / 1000;
    busy += duration;
    while (cursor < spans.length && spans[cursor]!.end <= task.start) cursor += 1;
    let inside = 0;
    for (let i = cursor; i < spans.length && spans[i]!.start < task.end; i += 1) {
      inside += Math.min(task.end, spans[i]!.end) - Math.max(task.start, spans[i]!.start);
    }
    const extensionMs = inside / 1000;
    maxInTask = Math.max(maxInTask, extensionMs);
    blocking += Math.max(0, duration - 50);
    extensionBlocking += Math.max(0, duration - 50) - Math.max(0, duration - extensionMs - 50);
    if (duration > 50) {
      longTasks += 1;
      if (extensionMs > 0) longWith += 1;
      if (duration - extensionMs <= 50) longBecause += 1;
      if (extensionMs > 50) over50 += 1;
      if (duration - extensionMs <= 50 || extensionMs > 50) attributable += 1;
      worst.push({ durationMs: Math.round(duration), extensionMs: Math.round(extensionMs * 10) / 10 });
    }
  }
  worst.sort((a, b) => b.durationMs - a.durationMs);
  const extensionScriptMs = spans.reduce((sum, span) => sum + (span.end - span.start), 0) / 1000;
  return {
    longTasks,
    attributable,
    longBecauseOfExtension: longBecause,
    extensionOver50: over50,
    extensionBlockingMs: Math.round(extensionBlocking),
    totalBlockingMs: Math.round(blocking),
    longWithExtensionScript: longWith,
    extensionScriptMs: Math.round(extensionScriptMs * 10) / 10,
    extensionMaxInTaskMs: Math.round(maxInTask * 10) / 10,
    mainThreadBusyMs: Math.round(busy),
    topFunctions,
    worst: worst.slice(0, 5),
    events: events.length,
  };
}
