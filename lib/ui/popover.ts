/**
 * What hangs below the action bar (its menu, its notices) is shown in the browser's top layer
 * (the Popover API), under its anchor: nothing of the host page clips it or covers it (the
 * bar may sit in a header line with `overflow: hidden`, the message list may stack above the
 * header), and it never moves the page's layout. Positioned when shown, from the anchor's box
 * (an event or effect, never an observer callback); closed or re-placed on window resize.
 */
import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

const GAP = 6;
const MARGIN = 8;

type PopoverElement = HTMLElement & { showPopover?(): void; hidePopover?(): void };

/** Places `popover` under `anchor`, aligned to its end edge, kept inside the window. */
export function placeUnder(popover: HTMLElement, anchor: Element): void {
  const box = anchor.getBoundingClientRect();
  const rtl = getComputedStyle(anchor).direction === 'rtl';
  const width = popover.getBoundingClientRect().width;
  const viewport = popover.ownerDocument.documentElement.clientWidth || innerWidth;
  const left = rtl ? box.left : box.right - width;
  popover.style.top = `${Math.round(box.bottom + GAP)}px`;
  popover.style.left = `${Math.round(Math.min(Math.max(left, MARGIN), Math.max(MARGIN, viewport - width - MARGIN)))}px`;
}

/**
 * Shows `popover` (a `popover="manual"` element, placed under `anchor`) while `open`. Where
 * the Popover API is missing (unit tests' DOM) it stays where it is in the shadow tree.
 */
export function usePopover(popover: RefObject<HTMLElement>, anchor: RefObject<Element>, open: boolean): void {
  useEffect(() => {
    const element = popover.current as PopoverElement | null;
    const target = anchor.current;
    if (!open || !element || !target || typeof element.showPopover !== 'function') return;
    try {
      element.showPopover();
    } catch {
      // The element left the document: nothing to show.
      return;
    }
    placeUnder(element, target);
    const replace = () => placeUnder(element, target);
    const view = element.ownerDocument.defaultView;
    view?.addEventListener('resize', replace);
    return () => {
      view?.removeEventListener('resize', replace);
      try {
        element.hidePopover?.();
      } catch {
        // Already gone with its tree.
      }
    };
  }, [open]);
}
