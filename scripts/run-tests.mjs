// The one test command (`npm test`, also what .ci/run calls). npm puts node_modules/.bin first on
// PATH, so everything here runs on the project's own Node 22 (devDependency `node@22`).
//   1. make sure Chromium is there for the browser tests (Debian's package; never a download)
//   2. type-check main and renderer separately, then build the app as users get it
//   3. run every test file with node:test (through tsx), ending with "N passed, N failed, N skipped"
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const bin = (name) => path.join(root, 'node_modules/.bin', name);

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Node ${process.versions.node} is running the tests; they need Node 22. Run them with "npm test", which uses the project's own Node 22.`);
  process.exit(1);
}

ensureChromium();

step('Type-checking (main and renderer, separately)', () => {
  execFileSync(bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json'], { stdio: 'inherit' });
  execFileSync(bin('tsc'), ['--noEmit', '-p', 'tsconfig.web.json'], { stdio: 'inherit' });
});
step('Building the app (electron-vite build)', () => {
  execFileSync(bin('electron-vite'), ['build'], { stdio: 'inherit' });
});

const runLimitMinutes = 16;
const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test');
process.env.LOCALPOST_CHROMIUM ??= '/usr/bin/chromium';
let passed = 0;
let failed = 0;
let skipped = 0;
const count = (outcome) => (data) => {
  if (data.details?.type === 'suite') return;
  if (data.skip || data.todo) skipped++;
  else if (outcome === 'pass') passed++;
  else failed++;
};
// Two lanes side by side, so the run fits CI's time on two cores. The browser lane runs the files
// that start a Chromium one at a time; the Node lane runs the rest, mostly waiting on local
// servers, child processes and timers, two at a time. The browser lane reports as it goes; the
// Node lane's report is printed after it, whole.
const inBrowserLane = (file) => /(^|[\\/])e2e[\\/]/.test(file);
const lanes = [
  { name: 'browser', files: files.filter(inBrowserLane), concurrency: 1, live: true },
  { name: 'Node', files: files.filter((file) => !inBrowserLane(file)), concurrency: 2, live: false },
].filter((lane) => lane.files.length > 0);
/** Each held lane's report so far, by lane name. */
const held = new Map();
// If a file's process is kept alive by something a failed test left open, the run still ends,
// as a failure, with the closing line CI reads.
const watchdog = setTimeout(() => {
  for (const text of held.values()) process.stdout.write(text);
  console.log(`\nThe test run did not finish within ${runLimitMinutes} minutes; a test left something running.`);
  console.log(`${passed} passed, ${failed + 1} failed, ${skipped} skipped`);
  process.exit(1);
}, runLimitMinutes * 60_000);
watchdog.unref();
await Promise.all(lanes.map(runLane));
// The one plain closing line CI reads, after the spec reporter's own summaries.
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;

function runLane(lane) {
  const tests = run({
    files: lane.files,
    concurrency: lane.concurrency,
    execArgv: ['--import', 'tsx'],
    // A hung test fails after two minutes. (Not forceExit: it can end a file's process before its
    // last suites report, and a test that never reports is a test that silently did not run.)
    timeout: 120_000,
  });
  tests.on('test:pass', count('pass'));
  tests.on('test:fail', count('fail'));
  const report = tests.compose(spec);
  if (!lane.live) held.set(lane.name, '');
  return new Promise((resolve) => {
    report.on('data', (chunk) => {
      if (lane.live) process.stdout.write(chunk);
      else held.set(lane.name, held.get(lane.name) + chunk);
    });
    report.once('end', () => {
      if (!lane.live) {
        process.stdout.write(`\n== The ${lane.name} lane (${lane.files.length} files, ${lane.concurrency} at a time)\n`);
        process.stdout.write(held.get(lane.name));
        held.delete(lane.name);
      }
      resolve();
    });
  });
}

function step(title, action) {
  console.log(`\n== ${title}`);
  try {
    action();
  } catch {
    console.error(`\n${title} failed.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

function findTests(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.join(dir, file))
    .sort();
}

function ensureChromium() {
  const chromium = process.env.LOCALPOST_CHROMIUM ?? '/usr/bin/chromium';
  if (fs.existsSync(chromium)) return;
  if (process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    console.log("Chromium is missing: installing Debian's chromium package for the browser tests.");
    execFileSync('/bin/sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { stdio: 'inherit' });
    if (fs.existsSync(chromium)) return;
  }
  console.error(
    `The browser tests need Chromium at ${chromium}. On Debian or Ubuntu: sudo apt-get install chromium ` +
      '(or set LOCALPOST_CHROMIUM to a Chromium binary). Nothing was run.',
  );
  console.log('0 passed, 1 failed');
  process.exit(1);
}
