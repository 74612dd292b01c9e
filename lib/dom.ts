/**
 * DOM helpers shared by features: wait for an element, watch for added nodes, mount a Preact
 * tree in a shadow root. All of them stop when their AbortSignal aborts, and none of them
 * reads layout.
 */

/** Resolves with `find()` once it returns an element (checking on each DOM change). */
export function waitForElement<E extends Element>(
  root: Node,
  find: () => E | null,
  signal: AbortSignal,
): Promise<E> {
  return new Promise((resolve, reject) => {
    const found = find();
    if (found) return resolve(found);
    const observer = new MutationObserver(() => {
      const element = find();
      if (element) {
        observer.disconnect();
        resolve(element);
      }
    });
    observer.observe(root, { childList: true, subtree: true });
    signal.addEventListener(
      'abort',
      () => {
        observer.disconnect();
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Calls `onAdded` for every element added under `root` (and its descendants matching). */
export function watchAddedElements(
  root: Node,
  accept: (element: Element) => boolean,
  onAdded: (element: Element) => void,
  signal: AbortSignal,
): void {
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const element = node as Element;
        if (accept(element)) onAdded(element);
        else if (element.firstElementChild) {
          for (const inner of element.querySelectorAll('*')) if (accept(inner)) onAdded(inner);
        }
      }
    }
  });
  observer.observe(root, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

/** Injects one stylesheet into the page once (hiding is one rule keyed on an attribute). */
export function ensurePageStyle(doc: Document, id: string, css: string): void {
  if (doc.getElementById(id)) return;
  const style = doc.createElement('style');
  style.id = id;
  style.textContent = css;
  (doc.head ?? doc.documentElement).append(style);
}

/**
 * A Preact mount point in a fresh shadow root, placed by `place`, removed on abort. Every
 * host carries `data-inbox-guard`, and an older host with the same tag (left by an earlier run
 * or an older copy of the extension) is removed first: nothing is ever injected twice.
 */
export function mountShadow(
  doc: Document,
  tag: string,
  css: string,
  place: (host: HTMLElement) => void,
  signal: AbortSignal,
): { host: HTMLElement; container: HTMLElement } {
  for (const old of doc.querySelectorAll(tag)) old.remove();
  const host = doc.createElement(tag);
  host.setAttribute('data-inbox-guard', '');
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = css;
  const container = doc.createElement('div');
  shadow.append(style, container);
  place(host);
  signal.addEventListener('abort', () => host.remove(), { once: true });
  return { host, container };
}
