/**
 * DOM helpers shared by features: wait for an element, mount a Preact tree in a shadow root.
 * Both stop when their AbortSignal aborts, and neither reads layout.
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
