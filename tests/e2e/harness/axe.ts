/**
 * axe-core in a real page: node_modules/axe-core/axe.min.js evaluated in the page's main world
 * (through the driver, not a <script>, so an extension page's CSP does not stop it), then `axe.run`
 * on the whole page or on our nodes only. Our overlay lives in open shadow roots under hosts
 * marked `data-inbox-guard` (lib/dom.ts mountShadow); axe follows open shadow roots, so scoping
 * to those hosts checks everything we inject and nothing of the inbox page's own markup.
 *
 * Works on any Playwright page (an extension page, the popup, the inbox) and on a Puppeteer page
 * in Firefox; `axeProblems` is what a test asserts on: the serious and critical violations, one
 * readable line per node.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';

/** A Playwright page or frame (Chromium), or a Puppeteer page (Firefox over BiDi). */
export type AxeTarget = Page | Frame | PuppeteerPage;

/** What both drivers share: evaluate a function with one argument, or a script's source. */
interface Evaluator {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<Awaited<R>>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<Awaited<R>>;
  evaluate(source: string): Promise<unknown>;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Everything Inbox Guard injects into a page: the shadow hosts lib/dom.ts marks. */
export const OUR_NODES = '[data-inbox-guard]';

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: unknown[]; summary: string }[];
}

export interface AxeOptions {
  /** CSS selector of the elements to check (their shadow trees included); the whole page when absent. */
  scope?: string;
  /** The impacts that count; serious and critical unless told. */
  impacts?: AxeViolation['impact'][];
}

/** Runs axe in `page` and returns the violations of the impacts asked for. */
export async function axeViolations(target: AxeTarget, options: AxeOptions = {}): Promise<AxeViolation[]> {
  const page = target as unknown as Evaluator;
  const impacts = options.impacts ?? ['serious', 'critical'];
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async (scope) => {
    type Axe = {
      run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }>;
    };
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    let context: unknown = document;
    if (scope) {
      const elements = [...document.querySelectorAll(scope)];
      if (elements.length === 0) return { error: `nothing matches ${scope}` };
      context = { include: elements };
    }
    const { violations } = await axe.run(context, { resultTypes: ['violations'] });
    return {
      violations: violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({
          target: node.target,
          summary: (node as unknown as { failureSummary?: string }).failureSummary ?? '',
        })),
      })),
    };
  }, options.scope ?? null);
  if ('error' in result) throw new Error(`axe: ${result.error}`);
  return result.violations.filter((violation) => impacts.includes(violation.impact));
}

/** The serious and critical violations as readable lines (empty: accessible by axe's rules). */
export async function axeProblems(page: AxeTarget, options: AxeOptions = {}): Promise<string[]> {
  const violations = await axeViolations(page, options);
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${violation.impact} ${violation.id} (${violation.help}) at ${JSON.stringify(node.target)}: ${node.summary.replace(/\s+/g, ' ')}`,
    ),
  );
}
