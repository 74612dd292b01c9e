/**
 * Feature: the overlay follows the page's light or dark theme. Every injected surface draws
 * with `--ig-*` colours whose light values are their defaults; `html[data-ig-theme="dark"]`
 * (one page-stylesheet rule, lib/features/page-style.ts) gives the dark ones, which reach our
 * shadow roots because custom properties inherit through them (`all: initial` leaves them be).
 *
 * Dark means the page's own background behind the conversation header (else the body) is
 * dark, whatever the platform calls its theme (Chatwoot: `body.dark`, set by its appearance
 * setting or by the system's). It is read again when the page changes the classes or style of
 * `html` or `body`, or the system switches: a style read, never layout.
 */
import { safeQuery } from '../platforms/page';
import type { Feature } from './types';

export const THEME_ATTRIBUTE = 'data-ig-theme';

/** `rgb(…)` / `rgba(…)` as [r, g, b, alpha]; anything else as transparent. */
function channels(color: string): [number, number, number, number] {
  const parts = /rgba?\(([^)]+)\)/.exec(color)?.[1]?.split(/[\s,/]+/).filter(Boolean).map(Number);
  if (!parts || parts.length < 3 || parts.some((part) => Number.isNaN(part))) return [0, 0, 0, 0];
  return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
}

/** Relative luminance (WCAG) of an sRGB colour, 0 (black) to 1 (white). */
function luminance([r, g, b]: [number, number, number, number]): number {
  const linear = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Whether the first opaque background from `start` up is dark. */
export function isDarkBehind(start: Element | null): boolean {
  for (let element = start; element; element = element.parentElement) {
    const color = channels(getComputedStyle(element).backgroundColor);
    if (color[3] >= 0.5) return luminance(color) < 0.2;
  }
  return false;
}

export const theme: Feature = {
  id: 'theme',
  scope: 'page',
  init(ctx, signal) {
    const doc = ctx.document;
    const root = doc.documentElement;
    const apply = () => {
      const dark = isDarkBehind(safeQuery(doc, ctx.profile.selectors.header) ?? doc.body);
      if (!dark) root.removeAttribute(THEME_ATTRIBUTE);
      else if (root.getAttribute(THEME_ATTRIBUTE) !== 'dark') root.setAttribute(THEME_ATTRIBUTE, 'dark');
    };
    const observer = new MutationObserver(apply);
    const watch = () => {
      for (const element of [root, doc.body]) {
        if (element) observer.observe(element, { attributes: true, attributeFilter: ['class', 'style', 'data-theme', 'data-color-scheme'] });
      }
    };
    watch();
    // The body and the header come after document start: looked at once when the body exists,
    // once more when the first header does (a DOM batch costs a query until then, no style read).
    let seen: 'nothing' | 'body' | 'header' = 'nothing';
    ctx.onDomChange?.(() => {
      if (seen === 'header' || !doc.body) return;
      const header = safeQuery(doc, ctx.profile.selectors.header);
      if (seen === 'body' && !header) return;
      if (seen === 'nothing') watch();
      seen = header ? 'header' : 'body';
      apply();
    }, signal);
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', apply, { signal });
    signal.addEventListener(
      'abort',
      () => {
        observer.disconnect();
        root.removeAttribute(THEME_ATTRIBUTE);
      },
      { once: true },
    );
    apply();
  },
};
