/**
 * The benchmark's figures: small statistics, the printed table and the JSON file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile (p95 of 20 values is the 19th smallest). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (value: number, digits = 1) => (Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : value);

export interface Row {
  id: string;
  measure: string;
  /** The figure(s); several when the measure has parts (with / without, badge / server…). */
  values: Record<string, number | string | null>;
  unit: string;
  /** As printed, e.g. "0/1000". */
  figure: string;
  goal: string;
  /** null: informational, no goal. */
  pass: boolean | null;
  /** Which page and data the figure comes from, and anything needed to read it. */
  page?: string;
  detail?: Record<string, unknown>;
}

function pad(text: string, width: number): string {
  const length = [...text].length;
  return length >= width ? text : text + ' '.repeat(width - length);
}

export function table(rows: Row[]): string {
  const head = ['id', 'measure', 'figure', 'goal', ''];
  const cells = rows.map((row) => [row.id, row.measure, row.figure, row.goal, row.pass === null ? 'info' : row.pass ? '✓' : '✗']);
  const widths = head.map((title, i) => Math.max([...title].length, ...cells.map((cell) => [...cell[i]!].length)));
  const line = (cell: string[]) => cell.map((text, i) => pad(text, widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.map(line)].join('\n');
}

export async function writeJson(path: string, data: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(data, null, 2)}\n`);
}
