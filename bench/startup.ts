// Start-up: how soon Localpost is usable after it is launched, with a realistic profile (10,000
// posts in history across 13 accounts, one on each platform with its sign-in in the vault, 200
// drafts, 400 posts waiting in the Queue), each figure beside its floor measured in the same run.
// Every start is a fresh Node process (bench/startupCoreChild.ts, bench/startupAppChild.ts, bundled
// as the app's main process is); the kinds of start are interleaved, round after round, and the
// table gives medians.
//
//   - The core's own start (createCore over the profile: the database opened and its migrations
//     checked, the vault unlocked through the key wrapper, the OAuth accounts' sign-ins read from
//     it to schedule their refresh, every service built, the outbox started). Goal < 150 ms.
//     Beside it, the same over a blank profile; the database and vault steps timed alone, and the
//     migrations check alone; the loading of the core's modules, shown apart (it comes before the
//     start; the next figure includes it).
//   - Process start to composer interactive, timed by this process from spawning the child to
//     its report: Chromium started (Electron's "ready"), the core started, the built renderer
//     (out/renderer) shown with the bridge bound to that core, as test/harness/app.ts does.
//     "Interactive": the text box labelled "Post text" is enabled and focused (the composer
//     focuses it when it opens) and a key pressed then shows in it.
//     The floor: the same process, Chromium started the same way, showing a page that fetches the
//     renderer's same initial files (entry script, its static imports, stylesheet) and runs
//     none of them, with one focused text box, tested the same way. It is what any page of this
//     size costs in this Chromium: starting the browser and bringing the bytes. What the app adds
//     is its own work: loading the core, the core's start, compiling and running the renderer's
//     script, the bridge calls of the first screen, React's first render. Goal ≤ 2× the floor.
//   - The renderer's initial JavaScript, gzip: what index.html loads before the first screen (the
//     entry chunk and the chunks it imports statically, which vite names in modulepreload links),
//     not the chunks loaded when a screen or dialog opens. Goal < 150 KB. Each lazy chunk is
//     listed for the record.
//
//   npm run bench -- startup       (or: npx tsx bench/startup.ts; BENCH_STARTUP_ROUNDS=9 is the default)
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { pageBridgeScript } from '../test/harness/app';
import { rendererDir } from '../test/harness/rendererServer';
import { testKeyWrapper } from '../test/harness/testPorts';
import { median, met, ms, reportBench, times, type BenchRow } from './benchTable';
import { seedAccountCredentials, seedArchive, type Archive } from './historyArchive';
import { bundleForNode } from './nodeBundle';
import type { StartupChildInput } from './startupAppChild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const profile: Archive = { posts: 10_000, accounts: 13, scheduled: 400, drafts: 200 };
const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 9);
const warmUpRounds = 2;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(file)).length;

/** The scripts and stylesheets index.html loads before anything runs: the entry, its modulepreloads, its stylesheets. */
function initialFiles(indexHtml: string): { scripts: string[]; styles: string[] } {
  const attribute = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]+)"`))?.[1];
  const tags = indexHtml.match(/<(script|link)\b[^>]*>/g) ?? [];
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const tag of tags) {
    if (tag.startsWith('<script') && attribute(tag, 'type') === 'module' && attribute(tag, 'src')) scripts.push(attribute(tag, 'src')!);
    else if (attribute(tag, 'rel') === 'modulepreload') scripts.push(attribute(tag, 'href')!);
    else if (attribute(tag, 'rel') === 'stylesheet') styles.push(attribute(tag, 'href')!);
  }
  return { scripts, styles };
}

/**
 * The floor's page: fetches each initial file as index.html would (fetch-preloads, so the bytes
 * come and nothing is compiled or run), shows one text box with the composer's label, focused.
 */
function floorPage(files: { scripts: string[]; styles: string[] }): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8" />',
    '<title>Localpost</title>',
    ...files.scripts.map((file) => `<link rel="preload" as="fetch" crossorigin href="${file}" />`),
    ...files.styles.map((file) => `<link rel="stylesheet" crossorigin href="${file}" />`),
    '</head>',
    '<body>',
    '<label for="post-text" class="visually-hidden">Post text</label>',
    '<textarea id="post-text" rows="7" autofocus></textarea>',
    '</body>',
    '</html>',
  ].join('\n');
}

interface CoreRun {
  nodeMs: number;
  modulesMs: number;
  coreMs?: number;
  databaseMs?: number;
  migrationsCheckMs?: number;
  vaultMs?: number;
}

function runCoreChild(bundle: string, mode: 'whole' | 'steps', dataDir: string): CoreRun {
  const output = execFileSync(process.execPath, [bundle, mode, dataDir], { cwd: repoRoot, encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').pop()!) as CoreRun;
}

interface AppRun {
  /** From spawning the process to its "interactive". */
  totalMs: number;
  marks: { node: number; modules: number; chromium: number; core: number; shown: number; page: number };
  calls: Array<{ method: string; ms: number }>;
}

function runAppChild(bundle: string, input: StartupChildInput): Promise<AppRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let totalMs: number | undefined;
    let output = '';
    const child = spawn(process.execPath, [bundle, JSON.stringify(input)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      totalMs ??= output.includes('interactive\n') || chunk.includes('interactive\n') ? performance.now() - started : undefined;
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0 || totalMs === undefined) return reject(new Error(`${input.mode} start failed (exit ${code}):\n${output}`));
      resolve({ totalMs, ...(JSON.parse(output.trim().split('\n').pop()!) as Omit<AppRun, 'totalMs'>) });
    });
  });
}

console.log('Building the app (electron-vite build)…');
execFileSync(path.join(repoRoot, 'node_modules/.bin/electron-vite'), ['build'], { cwd: repoRoot, stdio: 'ignore' });
const outdir = path.join(repoRoot, 'out/bench-startup');
const [coreChild, appChild] = (await bundleForNode(['bench/startupCoreChild.ts', 'bench/startupAppChild.ts'], outdir)) as [string, string];
const bridgeScriptFile = path.join(outdir, 'pageBridge.js');
fs.writeFileSync(bridgeScriptFile, await pageBridgeScript());

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-bench-startup-'));
try {
  // The renderer as built, with the floor's page beside its index.html (same server, same origin).
  const servedDir = path.join(work, 'renderer');
  fs.cpSync(rendererDir, servedDir, { recursive: true });
  const files = initialFiles(fs.readFileSync(path.join(servedDir, 'index.html'), 'utf8'));
  fs.writeFileSync(path.join(servedDir, 'floor.html'), floorPage(files));
  const initial = [...files.scripts, ...files.styles];

  console.log(`Seeding the profile (${profile.posts} posts, ${profile.accounts} accounts, ${profile.drafts} drafts)…`);
  const profileDir = path.join(work, 'profile');
  const blankDir = path.join(work, 'blank');
  fs.mkdirSync(blankDir);
  seedArchive(profileDir, profile, Date.now());
  await seedAccountCredentials(profileDir, profile, testKeyWrapper(profileDir), Date.now());

  const appInput = (mode: 'app' | 'floor', dataDir: string): StartupChildInput => ({
    mode,
    servedDir,
    page: mode === 'app' ? 'index.html' : 'floor.html',
    initialFiles: initial,
    dataDir,
    bridgeScriptFile,
  });
  // Each round starts every kind once, in an order that turns, so none always follows another.
  const kinds = ['core', 'coreBlank', 'steps', 'stepsBlank', 'app', 'appBlank', 'floor'] as const;
  type Kind = (typeof kinds)[number];
  const runs: { [K in Kind]: Array<K extends 'app' | 'appBlank' | 'floor' ? AppRun : CoreRun> } = { core: [], coreBlank: [], steps: [], stepsBlank: [], app: [], appBlank: [], floor: [] };
  for (let round = 0; round < warmUpRounds + rounds; round++) {
    process.stdout.write(`\rRound ${round + 1} of ${warmUpRounds + rounds}${round < warmUpRounds ? ' (warm-up)' : ''}…`);
    for (let k = 0; k < kinds.length; k++) {
      const kind = kinds[(k + round) % kinds.length]!;
      const measured = round >= warmUpRounds;
      switch (kind) {
        case 'core':
        case 'coreBlank':
        case 'steps':
        case 'stepsBlank': {
          const run = runCoreChild(coreChild, kind.startsWith('core') ? 'whole' : 'steps', kind.endsWith('Blank') ? blankDir : profileDir);
          if (measured) runs[kind].push(run);
          break;
        }
        case 'app':
        case 'appBlank':
        case 'floor': {
          const run = await runAppChild(appChild, appInput(kind === 'floor' ? 'floor' : 'app', kind === 'appBlank' ? blankDir : profileDir));
          if (measured) runs[kind].push(run);
          break;
        }
      }
    }
  }
  console.log('');

  const of = <T>(list: T[], pick: (run: T) => number | undefined) => median(list.map((run) => pick(run) ?? NaN));
  const core = of(runs.core, (r) => r.coreMs);
  const coreBlank = of(runs.coreBlank, (r) => r.coreMs);
  const database = of(runs.steps, (r) => r.databaseMs);
  const databaseBlank = of(runs.stepsBlank, (r) => r.databaseMs);
  const migrationsCheck = of(runs.steps, (r) => r.migrationsCheckMs);
  const vault = of(runs.steps, (r) => r.vaultMs);
  const vaultBlank = of(runs.stepsBlank, (r) => r.vaultMs);
  const modules = of([...runs.core, ...runs.steps], (r) => r.modulesMs);
  const nodeStart = of([...runs.core, ...runs.steps], (r) => r.nodeMs);
  const app = of(runs.app, (r) => r.totalMs);
  const appBlank = of(runs.appBlank, (r) => r.totalMs);
  const floor = of(runs.floor, (r) => r.totalMs);
  const parts = (list: AppRun[]) =>
    (['modules', 'chromium', 'core', 'page'] as const).map((mark) => `${mark} ${ms(of(list, (r) => r.marks[mark]))}`).join(', ');
  const firstCalls = runs.app[0]!.calls;
  const callsMs = of(runs.app, (r) => r.calls.reduce((sum, call) => sum + call.ms, 0));

  const assets = path.join(rendererDir, 'assets');
  const initialScripts = files.scripts.map((file) => path.basename(file));
  const initialGzip = initialScripts.reduce((sum, file) => sum + gzipSize(path.join(assets, file)), 0);
  const lazy = fs
    .readdirSync(assets)
    .filter((file) => file.endsWith('.js') && !initialScripts.includes(file))
    .map((file) => ({ file, gzip: gzipSize(path.join(assets, file)), bytes: fs.statSync(path.join(assets, file)).size }))
    .sort((a, b) => b.gzip - a.gzip);
  const lazyGzip = lazy.reduce((sum, chunk) => sum + chunk.gzip, 0);

  const rows: BenchRow[] = [
    { name: 'Core start: createCore over the profile', value: ms(core), baseline: `${ms(coreBlank)} blank profile`, ratio: times(core, coreBlank), goal: '< 150 ms', met: met(core < 150) },
    { name: '  database open + migrations check', value: ms(database), baseline: `${ms(databaseBlank)} blank profile`, ratio: times(database, databaseBlank), goal: '', met: '' },
    { name: '    of which the migrations check (up to date)', value: ms(migrationsCheck), baseline: '', ratio: '', goal: '', met: '' },
    { name: `  vault unlock: the key wrapper unwraps the data key`, value: ms(vault), baseline: `${ms(vaultBlank)} blank profile`, ratio: times(vault, vaultBlank), goal: '', met: '' },
    { name: '  core modules loaded (before the start)', value: ms(modules), baseline: `${ms(nodeStart)} Node's own start`, ratio: '', goal: '', met: '' },
    { name: 'Process start → composer interactive', value: ms(app), baseline: `${ms(floor)} blank page`, ratio: times(app, floor), goal: '≤ 2× blank page', met: met(app <= 2 * floor) },
    { name: '  same, blank profile', value: ms(appBlank), baseline: `${ms(floor)} blank page`, ratio: times(appBlank, floor), goal: '', met: '' },
    { name: '  where the time went: app', value: parts(runs.app), baseline: `node ${ms(of(runs.app, (r) => r.marks.node))}`, ratio: '', goal: '', met: '' },
    { name: '  where the time went: blank page', value: parts(runs.floor), baseline: `node ${ms(of(runs.floor, (r) => r.marks.node))}`, ratio: '', goal: '', met: '' },
    { name: '  bridge calls until the composer showed', value: `${firstCalls.length} calls, ${ms(callsMs)} in the core`, baseline: '', ratio: '', goal: '', met: '' },
    { name: 'Renderer initial JavaScript, gzip', value: kb(initialGzip), baseline: `${kb(initialGzip + lazyGzip)} all chunks`, ratio: '', goal: '< 150 KB', met: met(initialGzip < 150 * 1024) },
    ...lazy.map((chunk): BenchRow => ({ name: `  lazy: ${chunk.file.replace(/-[\w-]{8}\.js$/, '')}`, value: kb(chunk.gzip), baseline: `${kb(chunk.bytes)} minified`, ratio: '', goal: '', met: '' })),
  ];
  reportBench(
    `Start-up with ${profile.posts} posts, ${profile.accounts} accounts on every platform with their sign-ins in the vault, ${profile.drafts} drafts, ${profile.scheduled} queued; medians of ${rounds} fresh starts of each kind, interleaved`,
    rows,
  );
  console.log(`\nBridge calls until the composer showed (first measured start): ${firstCalls.map((call) => `${call.method} ${ms(call.ms)}`).join(', ')}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
