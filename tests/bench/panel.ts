/**
 * The benchmark's panel row (bench.ts calls it; `--only L1`): the popup's Blocked list with
 * 10,000 contacts, in real Chromium with the e2e build, on its own Chatwoot-style inbox.
 *
 *   L1  the server holds 10,000 blocked contacts and the extension's store the same (written
 *       straight into its IndexedDB, as a finished sync leaves it; the worker is then stopped so
 *       its in-memory list index is built from the store). popup.html in a 400 × 600 tab: time
 *       from navigation to the first rows; then a fling, 600 frames scrolling the list by 4
 *       rows a frame (about 2,400 rows, 135,000 px), then a jump to the end: frame intervals
 *       (p95, frames over 50 ms), the long tasks, rows still "loading" after the scroll stopped,
 *       and the rows in the DOM (virtualization). Syncs are held meanwhile (a 10,000-contact
 *       sync would run under the measure). Informational: the issue asks "smooth with 10,000
 *       contacts" without a number; the figure read against one 60 Hz frame is the p95 interval.
 */
import type { ChromiumSession } from '../e2e/harness/chromium';
import { launchChromium } from '../e2e/harness/chromium';
import { connection, startInbox } from '../e2e/harness/inbox';
import { openPopup, panelTestId } from '../e2e/harness/panel';
import { connectExtension } from '../e2e/harness/steps';
import { inPage } from './page';
import { percentile, round, type Row } from './report';
import { fillStore, storeFillFor } from './setup';

const CONTACTS = 10_000;
const FRAMES = 600;
const ROWS_PER_FRAME = 4;

type Progress = (line: string) => void;

export async function measureL1(progress: Progress): Promise<Row> {
  const inbox = await startInbox('chatwoot');
  let session: ChromiumSession | undefined;
  try {
    inbox.control.seedBlocked(CONTACTS);
    session = await launchChromium();
    const options = await connectExtension(session, connection(inbox, 'admin'));
    if ((await options.getByTestId('ig-options-outcome').getAttribute('data-kind')) !== 'connected') throw new Error('the extension did not connect');
    await options.close();
    inbox.control.faults({ hold: { phase: 'before', count: 1_000 }, match: '/contacts/filter' });
    const filled = await fillStore(await session.worker(), storeFillFor(inbox, new Set()));
    await session.stopWorker();
    progress(`L1: ${filled.blocked.toLocaleString('en-US')} blocked contacts in the extension's store (${filled.ms} ms); opening the panel…`);

    const started = Date.now();
    const page = await openPopup(session);
    const list = page.getByTestId(panelTestId('list-row'));
    await list.first().waitFor({ timeout: 30_000 });
    const openMs = Date.now() - started;
    const setSize = Number(await list.first().getAttribute('aria-setsize'));

    const result = await inPage(
      page,
      async ({ frames, step }: { frames: number; step: number }) => {
        const scroller = document.querySelector<HTMLElement>('.ig-list__scroller');
        if (!scroller) return { error: 'no list scroller' };
        const rowHeight = (document.querySelector<HTMLElement>('[data-testid="ig-panel-list-row"]')?.offsetHeight ?? 56) || 56;
        const longTasks: number[] = [];
        const observer = new PerformanceObserver((entries) => {
          for (const entry of entries.getEntries()) longTasks.push(entry.duration);
        });
        observer.observe({ type: 'longtask', buffered: false });
        const intervals: number[] = [];
        let domRows = 0;
        await new Promise<void>((resolve) => {
          let count = 0;
          let last = performance.now();
          const tick = (now: number) => {
            intervals.push(now - last);
            last = now;
            domRows = Math.max(domRows, document.querySelectorAll('.ig-list__items > *').length);
            if (count === frames) {
              scroller.scrollTop = scroller.scrollHeight; // jump to the end
            } else if (count < frames) {
              scroller.scrollTop += step * rowHeight;
            }
            count += 1;
            if (count > frames + 1) resolve();
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        // Rows still loading a moment after the scroll stopped (the windows asked as you scroll).
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const loading = document.querySelectorAll('.ig-row--loading').length;
        const lastIndex = Math.max(...[...document.querySelectorAll<HTMLElement>('[data-testid="ig-panel-list-row"]')].map((row) => Number(row.dataset.index)));
        observer.disconnect();
        return { intervals: intervals.slice(1), longTasks, domRows, loading, lastIndex, scrolledPx: frames * step * rowHeight };
      },
      { frames: FRAMES, step: ROWS_PER_FRAME },
    );
    if ('error' in result) throw new Error(result.error);
    const p95 = percentile(result.intervals, 95);
    const over50 = result.intervals.filter((interval) => interval > 50).length;
    const reachedEnd = result.lastIndex === setSize - 1;
    progress(
      `L1: first rows ${openMs} ms after opening; ${FRAMES} frames of scrolling: p95 ${round(p95)} ms, median ${round(percentile(result.intervals, 50))} ms, ${over50} over 50 ms, ${result.longTasks.length} long tasks; at most ${result.domRows} rows in the DOM; ${result.loading} still loading 1 s after; the end reached: ${reachedEnd}`,
    );
    return {
      id: 'L1',
      measure: `panel, Blocked list of ${CONTACTS.toLocaleString('en-US')}: first rows, ms / scrolling frame interval p95, ms (rows in the DOM)`,
      values: {
        openMs,
        frameP95Ms: round(p95),
        frameMedianMs: round(percentile(result.intervals, 50)),
        framesOver50: over50,
        longTasks: result.longTasks.length,
        domRows: result.domRows,
        loadingAfter1s: result.loading,
        setSize,
        reachedEnd: String(reachedEnd),
      },
      unit: 'ms',
      figure: `${openMs} / ${round(p95)} ms (${result.domRows} rows in the DOM, ${over50} frames > 50 ms)`,
      goal: 'smooth (≈ 16.7)',
      pass: null,
      page: 'popup.html in a 400 × 600 tab, the e2e build; store filled directly, worker restarted; syncs held',
    };
  } finally {
    await session?.close();
    await inbox.close();
  }
}
