// The one test command (`npm test`, also what .ci/run calls). npm puts node_modules/.bin first on
// PATH, so everything here runs on the project's own Node 22 (devDependency `node@22`).
//   1. make sure Chromium is there for the browser tests (Debian's package; never a download)
//   2. type-check main and renderer separately, then build the app as users get it
//   3. run every test file with node:test, ending with "N passed, N failed, N skipped"
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests('test');
const result = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./test/reporters/summary.mjs', '--test-reporter-destination=stdout',
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, LOCALPOST_CHROMIUM: process.env.LOCALPOST_CHROMIUM ?? '/usr/bin/chromium' } },
);
process.exit(result.status ?? 1);

function step(title, run) {
  console.log(`\n== ${title}`);
  try {
    run();
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
