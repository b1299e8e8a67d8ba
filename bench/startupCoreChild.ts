// One start of the core in a fresh Node process, for bench/startup.ts (which bundles it as the
// app's main process is bundled). Prints one JSON line:
//   - nodeMs: from the process's start to this module running (Node's own start-up);
//   - modulesMs: loading the core's modules (one dynamic import of bench/startupCore.ts);
//   - `whole`: coreMs, createCore over the data folder (database opened and migrations checked,
//     vault unlocked through the key wrapper, every service built, the outbox started);
//   - `steps`: databaseMs and vaultMs, those two steps alone, in a process of their own (the
//     second start of a database in one process would find it warm), then migrationsCheckMs, the
//     migrations check alone on the database now up to date.
//
//   node out/bench-startup/startupCoreChild.js whole|steps <dataDir>
import './asMainProcess';

const nodeMs = performance.now();
const [mode, dataDir] = process.argv.slice(2) as ['whole' | 'steps', string];
const modulesStarted = performance.now();
const core = await import('./startupCore');
const modulesMs = performance.now() - modulesStarted;

if (mode === 'whole') {
  const started = performance.now();
  const app = await core.startBenchCore(dataDir, 'http://127.0.0.1:1');
  const coreMs = performance.now() - started;
  app.close();
  console.log(JSON.stringify({ nodeMs, modulesMs, coreMs }));
} else {
  console.log(JSON.stringify({ nodeMs, modulesMs, ...(await core.timeCoreStartSteps(dataDir)) }));
}
// Whatever the core started (timers, the outbox) must not hold the measured process open.
process.exit(0);
