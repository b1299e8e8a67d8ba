// How every benchmark reports: a table of figures, each beside its floor or baseline measured in
// the same run and its goal. Printed for whoever runs one benchmark alone; when `npm run bench`
// runs them all (bench/all.ts), each table is also appended, one JSON line per benchmark, to the
// file LOCALPOST_BENCH_RESULTS names, and the runner prints every row in one table at the end.
import fs from 'node:fs';

export interface BenchRow {
  /** What was measured. */
  name: string;
  /** The figure, with its unit. */
  value: string;
  /** The floor or baseline it is compared with, measured in the same run ('' when none). */
  baseline: string;
  /** value ÷ baseline, when that means something ('' otherwise). */
  ratio: string;
  /** The goal ('' for a figure given for the record). */
  goal: string;
  /** 'yes', 'NO', or '' when there is no goal. */
  met: '' | 'yes' | 'NO';
}

export const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const mb = (value: number): string => `${value.toFixed(0)} MB`;
export const times = (value: number, baseline: number): string => `${(value / baseline).toFixed(2)}×`;
export const met = (ok: boolean): 'yes' | 'NO' => (ok ? 'yes' : 'NO');

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function formatTable(rows: BenchRow[]): string[] {
  const columns = ['name', 'value', 'baseline', 'ratio', 'goal', 'met'] as const;
  const headings = ['measure', 'value', 'floor or baseline (same run)', 'ratio', 'goal', 'met'];
  const widths = columns.map((column, i) => Math.max(headings[i]!.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `  ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return [line(headings), ...rows.map((row) => line(columns.map((column) => row[column])))];
}

/** Prints the benchmark's table under its title, and hands it to bench/all.ts when that runs it. */
export function reportBench(title: string, rows: BenchRow[]): void {
  console.log(`\n${title}`);
  for (const line of formatTable(rows)) console.log(line);
  const results = process.env.LOCALPOST_BENCH_RESULTS;
  if (results) fs.appendFileSync(results, `${JSON.stringify({ title, rows })}\n`);
}
