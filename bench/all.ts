// `npm run bench`: every benchmark, one after the other (each in a process of its own, so none
// inherits another's heap, JIT or open handles), then every figure in one table. A benchmark
// that fails is named and the others still run.
//
//   npm run bench                    (all)
//   npm run bench -- history typing  (those whose file name contains a word given)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, type BenchRow } from './benchTable';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Each benchmark and the Node flags it needs (--expose-gc where memory is measured). */
const benchmarks: Array<{ file: string; nodeFlags?: string[] }> = [
  { file: 'publish-bluesky.ts' },
  { file: 'fanout.ts' },
  { file: 'drain.ts' },
  { file: 'video-attach-memory.ts', nodeFlags: ['--expose-gc'] },
  { file: 'video-upload-memory.ts', nodeFlags: ['--expose-gc'] },
  { file: 'upload.ts' },
  { file: 'history.ts' },
  { file: 'startup.ts' },
  { file: 'typing.ts' },
  { file: 'memory.ts' },
];

const wanted = process.argv.slice(2);
const chosen = benchmarks.filter(({ file }) => wanted.length === 0 || wanted.some((word) => file.includes(word)));
const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-bench-')), 'results.jsonl');
const failed: string[] = [];

for (const { file, nodeFlags = [] } of chosen) {
  console.log(`\n=== bench/${file}`);
  const run = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(here, file)], {
    stdio: 'inherit',
    env: { ...process.env, LOCALPOST_BENCH_RESULTS: resultsFile },
  });
  if (run.status !== 0) failed.push(`bench/${file} (${run.signal ?? `exit ${run.status}`})`);
}

const tables = fs.existsSync(resultsFile)
  ? fs
      .readFileSync(resultsFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { title: string; rows: BenchRow[] })
  : [];
console.log(`\n=== Every figure, in one table (${new Date().toISOString()}, ${os.cpus().length} cores)`);
for (const { title, rows } of tables) {
  console.log(`\n${title}`);
  for (const line of formatTable(rows)) console.log(line);
}
const rows = tables.flatMap((table) => table.rows);
const goals = rows.filter((row) => row.met !== '');
console.log(`\n${goals.filter((row) => row.met === 'yes').length} of ${goals.length} goals met${failed.length ? `; failed to run: ${failed.join(', ')}` : ''}`);
process.exitCode = failed.length > 0 ? 1 : 0;
