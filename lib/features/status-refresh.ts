/**
 * Feature: re-read the open conversation's contact from the platform (ctx.refresh(), through the
 * background) when the page shows that their status may have changed there:
 *
 * - an activity line arrives in the thread, whatever the contact's status: someone blocked or
 *   unblocked them the platform's own way (Chatwoot's ⋮ → "Block Contact" adds "Ana Admin has
 *   muted the conversation", and blocks the contact), in this tab or another. Lines of a history
 *   the page renders at once (more than LIVE_ROWS rows into one parent in one batch) are old
 *   news and ask nothing; a burst of live ones asks once (ACTIVITY_DELAY_MS);
 * - while the contact is archived, a message of theirs arrives: the seeds say an archived
 *   contact is reactivated when they write; Helena does it itself, and the Chatwoot adapter
 *   when it reads the contact (see its header), so the badge turns Active without a reload.
 *
 * It reads the DOM changes the manager's one page-wide observer already sees (onDomChange), in
 * its callback: matching only, no layout.
 */
import { safeMatches, safeQueryAll } from '../platforms/page';
import type { Feature } from './types';

/** More rows than this added to one parent at once are a history being rendered, not news. */
export const LIVE_ROWS = 3;
/** Activity lines come in bursts (muted, then resolved): one read, this long after the first. */
export const ACTIVITY_DELAY_MS = 300;

const within = (element: Element, selector: string) =>
  safeMatches(element, selector) ? [element] : element.firstElementChild ? safeQueryAll(element, selector) : [];

export const statusRefresh: Feature = {
  id: 'status-refresh',
  scope: 'conversation',
  init(ctx, signal) {
    const { selectors } = ctx.profile;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let due = Number.POSITIVE_INFINITY;
    const schedule = (delay: number) => {
      const at = Date.now() + delay;
      if (timer !== undefined && due <= at) return;
      clearTimeout(timer);
      due = at;
      timer = setTimeout(() => {
        timer = undefined;
        due = Number.POSITIVE_INFINITY;
        if (!signal.aborted) void ctx.refresh();
      }, delay);
    };
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

    const onChange = (records: MutationRecord[]) => {
      const archived = ctx.store.get().contact?.status === 'archived';
      const addedTo = new Map<Node, number>();
      const lines: [parent: Node, count: number][] = [];
      let incoming = false;
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== Node.ELEMENT_NODE) continue;
          const element = node as Element;
          addedTo.set(record.target, (addedTo.get(record.target) ?? 0) + 1);
          const activity = within(element, selectors.activity).length;
          if (activity > 0) lines.push([record.target, activity]);
          if (archived && !incoming) incoming = within(element, selectors.message).some((message) => ctx.profile.readMessage(message)?.direction === 'incoming');
        }
      }
      if (incoming) schedule(0);
      else if (lines.some(([parent, count]) => count <= LIVE_ROWS && (addedTo.get(parent) ?? 0) <= LIVE_ROWS)) schedule(ACTIVITY_DELAY_MS);
    };

    if (ctx.onDomChange) {
      ctx.onDomChange(onChange, signal);
    } else {
      const observer = new MutationObserver(onChange);
      observer.observe(ctx.document, { childList: true, subtree: true });
      signal.addEventListener('abort', () => observer.disconnect(), { once: true });
    }
  },
};
