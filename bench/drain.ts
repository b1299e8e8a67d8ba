// Draining the outbox: N posts queued while offline (each a committed SQLite transaction), then
// the network comes back and the outbox sends them all to the local PDS; compared with raw
// @atproto/api posting the same texts one after another with one login, in the same run.
// Goal: the outbox's throughput ≥ 80% of raw.
//
//   npm run bench            (or: npx tsx bench/drain.ts; BENCH_POSTS=1000 is the default)
import './asMainProcess';
import { AtpAgent, RichText } from '@atproto/api';
import { startCore } from '../test/harness/coreClient';
import { startPds } from '../test/harness/pds';
import { met, reportBench } from './benchTable';

const posts = Number(process.env.BENCH_POSTS ?? 1000);
const textFor = (i: number) => `Drain ${i} https://example.com/${i} #localpost`;
const pds = await startPds();

async function outboxRun(offset: number): Promise<number> {
  const account = await pds.createAccount(`drain${offset}`);
  const app = await startCore();
  const { account: connected } = await app.call('accounts.connect', { platform: 'bluesky', handle: account.handle, appPassword: account.appPassword, service: pds.url, confirm: ['private_address'] });
  app.setOnline(false);
  for (let i = 0; i < posts; i++) {
    const draft = await app.call('drafts.create', {});
    await app.call('drafts.save', { id: draft.id, text: textFor(offset + i), targetAccountIds: [connected.id], langs: ['en'] });
    await app.call('publish.now', { draftId: draft.id });
  }
  if ((await app.call('outbox.list', {})).length !== posts) throw new Error('not every post was queued');
  const start = performance.now();
  app.setOnline(true);
  for (;;) {
    await app.core.outbox.idle();
    const open = await app.call('outbox.list', {});
    if (open.length === 0) break;
    if (open.some((post) => post.targets.some((t) => t.status.startsWith('failed') || t.status === 'unknown'))) throw new Error(JSON.stringify(open[0]));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const elapsed = performance.now() - start;
  app.close();
  return elapsed;
}

async function rawRun(offset: number, count = posts): Promise<number> {
  const account = await pds.createAccount(`raw${offset}`);
  const agent = new AtpAgent({ service: pds.url });
  await agent.login({ identifier: account.handle, password: account.appPassword });
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const richText = new RichText({ text: textFor(offset + i) });
    await richText.detectFacets(agent);
    await agent.post({ text: richText.text, facets: richText.facets, langs: ['en'] });
  }
  return performance.now() - start;
}

// A short warm-up of both, then the measured runs, raw first and last to bracket drift.
await rawRun(900_000, 50);
const rawBefore = await rawRun(0);
const outbox = await outboxRun(100_000);
const rawAfter = await rawRun(200_000);
const raw = (rawBefore + rawAfter) / 2;
reportBench(`Draining ${posts} queued posts to a local PDS (one account), against raw @atproto/api in the same run`, [
  { name: 'outbox drain', value: `${((posts / outbox) * 1000).toFixed(1)} posts/s`, baseline: `${((posts / raw) * 1000).toFixed(1)} posts/s raw @atproto/api`, ratio: `${((raw / outbox) * 100).toFixed(0)}%`, goal: '≥ 80% of raw', met: met(raw / outbox >= 0.8) },
]);
await pds.close();
