/**
 * Fitting an injected bar into a header the host page owns, without taking the page's text
 * away: the bar takes the widest form (`full`, then `compact`, then `icon`) with which every
 * piece of the header's own text shows at least as much of itself as it does without the bar,
 * and the bar stays inside the header's box (nothing of it pushed under the next element).
 *
 * It runs in a ResizeObserver callback (after layout, before paint: the user never sees a
 * wrong form), observing the header, the header's text elements (a longer contact name after
 * navigation) and the bar itself (a status that makes it wider). Each run measures the header
 * without the bar (`data-fit="none"`, one stylesheet rule in the bar's shadow root), then with
 * each form in turn: a few synchronous layouts, only when a size changed — never per DOM
 * mutation. The form is one attribute on the host; its shadow stylesheet does the rest.
 */

export const FIT_ATTRIBUTE = 'data-fit';
export type Fit = 'full' | 'compact' | 'icon';
const FORMS: Fit[] = ['full', 'compact', 'icon'];
/** Layouts round sub-pixel widths differently from one run to the next. */
const SLACK = 1;
const MAX_TEXTS = 40;

/** Where the bar can go: the header's row (after the anchor), or its small slot. */
export interface Places {
  row(): boolean;
  slot(): boolean;
}

interface Measure {
  element: Element;
  /** How much of its text shows without the bar, at most all of it. */
  shown: number;
}

/** The header's own text: elements holding a text node of their own, not ours. */
function textsOf(header: Element): Element[] {
  const texts: Element[] = [];
  for (const element of header.querySelectorAll('*')) {
    if (element.closest('[data-inbox-guard]')) continue;
    for (const node of element.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && node.textContent?.trim()) {
        texts.push(element);
        break;
      }
    }
    if (texts.length >= MAX_TEXTS) break;
  }
  return texts;
}

function inside(inner: DOMRect, outer: DOMRect): boolean {
  return (
    inner.width > 0 &&
    inner.left >= outer.left - SLACK &&
    inner.right <= outer.right + SLACK &&
    inner.top >= outer.top - SLACK &&
    inner.bottom <= outer.bottom + SLACK
  );
}

/**
 * How much of a text shows, at most its own width: its box within the header's (a row that
 * overflows the header is cut off by it), and within its own width when it truncates
 * (`text-overflow: ellipsis`). A box wider than its text (a stretched heading) may shrink.
 */
function shownWidth(element: Element, header: DOMRect): number {
  const range = element.ownerDocument.createRange();
  range.selectNodeContents(element);
  const text = range.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  const visible = Math.max(0, Math.min(box.right, header.right, text.right) - Math.max(box.left, header.left, text.left));
  return element.clientWidth > 0 ? Math.min(visible, element.clientWidth) : visible;
}

/**
 * Chooses where the bar goes and in which form, and sets both: the widest form in the row
 * that keeps the page's text whole, else the narrowest in the slot, else the narrowest in the
 * row (the page left no room anywhere; its text loses the least there).
 */
export function fitNow(host: HTMLElement, header: Element, places: Places): { fit: Fit; place: 'row' | 'slot' } {
  const texts = textsOf(header);
  host.setAttribute(FIT_ATTRIBUTE, 'none');
  const box = header.getBoundingClientRect();
  const without: Measure[] = texts.map((element) => ({ element, shown: shownWidth(element, box) }));
  const fits = () =>
    inside(host.getBoundingClientRect(), header.getBoundingClientRect()) &&
    without.every(({ element, shown }) => shownWidth(element, header.getBoundingClientRect()) >= shown - SLACK);

  const attempts: ['row' | 'slot', Fit][] = [...FORMS.map((form): ['row', Fit] => ['row', form]), ['slot', 'icon']];
  for (const [place, form] of attempts) {
    if (!places[place]()) continue;
    host.setAttribute(FIT_ATTRIBUTE, form);
    if (fits()) return { fit: form, place };
  }
  places.row();
  host.setAttribute(FIT_ATTRIBUTE, 'icon');
  return { fit: 'icon', place: 'row' };
}

/** Marks the controls that take the focus when the one that had it is gone with its form. */
export const FIT_FOCUS = 'data-fit-focus';

/**
 * The control that had the focus gets it back; if its form is the one that went (a wider bar
 * after a block), the first control of the form now shown (`data-fit-focus`) gets it.
 */
function refocus(shadow: ShadowRoot, focused: HTMLElement) {
  const shown = (element: Element) => element.getClientRects().length > 0;
  const target = shown(focused) ? focused : [...shadow.querySelectorAll<HTMLElement>(`[${FIT_FOCUS}]`)].find(shown);
  target?.focus({ preventScroll: true });
}

/**
 * Keeps `host` fitted in the header `header()` finds, until `signal` aborts. The caller calls
 * `changed()` after each DOM batch of the page: while the observed header is still in the page
 * that costs one check (a burst of messages elsewhere costs nothing more); a new header is
 * observed. New text in the header (a renamed contact, a new element) is seen by an observer
 * of the header alone. A control of ours that had the focus keeps it when the bar moves.
 */
export function keepFitted(
  host: HTMLElement,
  shadow: ShadowRoot,
  header: () => Element | null,
  places: Places,
  signal: AbortSignal,
): { changed(): void } {
  let observed: Element | null = null;
  const watched = new WeakSet<Element>();
  const observeTexts = (box: Element) => {
    // Observing an element delivers its size once: a new text element is fitted at once.
    for (const text of textsOf(box)) {
      if (watched.has(text)) continue;
      watched.add(text);
      observer.observe(text);
    }
  };
  const inHeader = new MutationObserver(() => {
    if (observed) observeTexts(observed);
  });
  const observer = new ResizeObserver(() => {
    const box = header();
    if (!box || !host.isConnected) return;
    const focused = shadow.activeElement as HTMLElement | null;
    fitNow(host, box, places);
    if (focused && shadow.activeElement !== focused) refocus(shadow, focused);
  });
  const watch = () => {
    if (observed?.isConnected) return;
    const box = header();
    if (!box || box === observed) return;
    if (observed) observer.unobserve(observed);
    observed = box;
    observer.observe(box);
    observer.observe(host);
    inHeader.disconnect();
    inHeader.observe(box, { childList: true, subtree: true, characterData: true });
    observeTexts(box);
  };
  watch();
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      inHeader.disconnect();
    },
    { once: true },
  );
  return { changed: watch };
}
