// The harness needs Node 22 (better-sqlite3 13 segfaults on Node 20; @atproto/pds crashes at
// import). A script outside the repository that imports the harness with the project's tsx runs
// on whatever `node` is first on PATH, often the machine's Node 20: in that case, run the same
// command again on the project's own Node 22 (devDependency `node@22`) and exit with its status.
// Imported first by every harness entry point, so nothing else has loaded yet.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const node22 = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/node/bin/node');
  if (!fs.existsSync(node22)) {
    console.error(`Localpost's test harness needs Node 22; this is Node ${process.versions.node}. Run "npm ci" in the repository first.`);
    process.exit(1);
  }
  const result = spawnSync(node22, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
