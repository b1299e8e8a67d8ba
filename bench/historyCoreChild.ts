// The core alone, as the app runs it, over a seeded archive: started by bench/history.ts in a
// process of its own, so the RSS it reports is the core's and nothing else's. It answers what the
// renderer asks at start (settings, vault, profiles, accounts, drafts, the first History page,
// the Queue, approvals), then sits idle, collects garbage and reports its RSS as one JSON line.
//
//   tsx --expose-gc bench/historyCoreChild.ts <dataDir>
import './asMainProcess';
import { startCore } from '../test/harness/coreClient';

const dataDir = process.argv[2]!;
const app = await startCore({ dataDir });
const startedAt = performance.now();
await Promise.all([app.call('settings.get', {}), app.call('vault.status', {})]);
await app.call('profiles.list', {});
await Promise.all([
  app.call('app.info', {}),
  app.call('accounts.list', {}),
  app.call('drafts.page', { limit: 50 }),
  app.call('history.page', { limit: 50 }),
  app.call('outbox.page', { limit: 50 }),
  app.call('approvals.list', {}),
]);
const startupMs = performance.now() - startedAt;
// Idle: whatever start-up set going has settled.
await new Promise((resolve) => setTimeout(resolve, 2_000));
for (let i = 0; i < 3; i++) {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const memory = process.memoryUsage();
console.log(JSON.stringify({ rssMb: memory.rss / 2 ** 20, heapUsedMb: memory.heapUsed / 2 ** 20, externalMb: memory.external / 2 ** 20, startupMs }));
app.close();
process.exit(0);
