// Fan-out: one post to 10 accounts against one post to 1 account, on the local PDS, side by side
// in one run. The outbox sends the targets of different accounts concurrently, so ten should take
// about as long as one. Goal: 10 accounts ≤ 1.25× one account.
//
//   npm run bench            (or: npx tsx bench/fanout.ts; BENCH_POSTS=40 for more rounds)
import { startCore } from '../test/harness/coreClient';
import { startPds } from '../test/harness/pds';

const posts = Number(process.env.BENCH_POSTS ?? 20);
const pds = await startPds();
const app = await startCore();
const accountIds: string[] = [];
for (let i = 0; i < 10; i++) {
  const account = await pds.createAccount(`fan${i}`);
  const { account: connected } = await app.call('accounts.connectBluesky', { handle: account.handle, appPassword: account.appPassword, service: pds.url });
  accountIds.push(connected.id);
}

async function publishTo(targets: string[], i: number): Promise<number> {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text: `Fan-out ${i} to ${targets.length} https://example.com/${i} #localpost`, targetAccountIds: targets, langs: ['en'] });
  const start = performance.now();
  const post = await app.call('publish.now', { draftId: draft.id });
  const elapsed = performance.now() - start;
  if (post.targets.some((t) => t.status !== 'published')) throw new Error(JSON.stringify(post.targets));
  return elapsed;
}

// Warm up both shapes (connections, JIT, SQLite pages) before measuring.
for (let i = 0; i < 3; i++) {
  await publishTo(accountIds.slice(0, 1), -1 - i);
  await publishTo(accountIds, -10 - i);
}
const totals = { one: 0, ten: 0 };
for (let i = 0; i < posts; i++) {
  // Interleaved, so drift on a noisy machine hits both alike.
  totals.one += await publishTo(accountIds.slice(0, 1), i);
  totals.ten += await publishTo(accountIds, 1000 + i);
}
const one = totals.one / posts;
const ten = totals.ten / posts;
console.log(`One post to N Bluesky accounts on a local PDS, ${posts} posts each, interleaved`);
console.log(`  1 account   ${one.toFixed(1).padStart(7)} ms/post`);
console.log(`  10 accounts ${ten.toFixed(1).padStart(7)} ms/post   ${(ten / one).toFixed(2)}× one account (goal ≤ 1.25)`);
app.close();
await pds.close();
