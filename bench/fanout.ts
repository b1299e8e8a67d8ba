// Fan-out: one post to 10 accounts against one post to 1 account, on the local PDS, side by side
// in one run. The outbox sends the targets of different accounts concurrently, so ten should take
// about as long as one. Goal: 10 accounts ≤ 1.25× one account.
//
// Two networks, because what concurrency can win depends on where the time goes:
//   - loopback: no network latency at all; every write costs only PDS CPU, and the PDS (one
//     Node thread, in this process, on 2 cores) does the ten writes one after another whoever
//     sends them. Raw @atproto/api posting concurrently shows that ceiling.
//   - 100 ms round trip: each request waits 50 ms before and after (an emulated network, as
//     `tc netem` would add; the same fetch for Localpost and for raw @atproto/api). Here waiting
//     dominates, as it does against real platforms, and concurrency is what the goal measures.
//
//   npm run bench            (or: npx tsx bench/fanout.ts; BENCH_POSTS=40 for more rounds)
import { AtpAgent, RichText } from '@atproto/api';
import { startCore, type CoreClient } from '../test/harness/coreClient';
import { startPds, type TestPds } from '../test/harness/pds';

const posts = Number(process.env.BENCH_POSTS ?? 20);

function withLatency(roundTripMs: number): typeof globalThis.fetch {
  const wait = () => new Promise((resolve) => setTimeout(resolve, roundTripMs / 2));
  return async (input, init) => {
    await wait();
    const response = await globalThis.fetch(input, init);
    const body = await response.arrayBuffer();
    await wait();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

async function measure(pds: TestPds, label: string, roundTripMs: number) {
  const fetch = roundTripMs > 0 ? withLatency(roundTripMs) : globalThis.fetch;
  const app: CoreClient = await startCore({ fetch });
  const accountIds: string[] = [];
  const rawAgents: AtpAgent[] = [];
  for (let i = 0; i < 10; i++) {
    const account = await pds.createAccount(`fan${roundTripMs}x${i}`);
    const { account: connected } = await app.call('accounts.connectBluesky', { handle: account.handle, appPassword: account.appPassword, service: pds.url });
    accountIds.push(connected.id);
    const agent = new AtpAgent({ service: pds.url, fetch });
    await agent.login({ identifier: account.handle, password: account.appPassword });
    rawAgents.push(agent);
  }

  const outboxTo = async (count: number, i: number) => {
    const draft = await app.call('drafts.create', {});
    const text = `Fan-out ${i} to ${count} https://example.com/${i} #localpost`;
    await app.call('drafts.save', { id: draft.id, text, targetAccountIds: accountIds.slice(0, count), langs: ['en'] });
    const start = performance.now();
    const post = await app.call('publish.now', { draftId: draft.id });
    const elapsed = performance.now() - start;
    if (post.targets.some((t) => t.status !== 'published')) throw new Error(JSON.stringify(post.targets));
    return elapsed;
  };
  // The same text and facets as the outbox sends.
  const rawTo = async (count: number, i: number) => {
    const start = performance.now();
    await Promise.all(
      rawAgents.slice(0, count).map(async (agent) => {
        const richText = new RichText({ text: `Raw fan-out ${i} to ${count} https://example.com/${i} #localpost` });
        await richText.detectFacets(agent);
        await agent.post({ text: richText.text, facets: richText.facets, langs: ['en'] });
      }),
    );
    return performance.now() - start;
  };

  // Warm up every shape (connections, JIT, SQLite pages) before measuring.
  for (let i = 0; i < 3; i++) for (const run of [outboxTo, rawTo]) for (const count of [1, 10]) await run(count, -1 - i * 10 - count);
  const totals = { one: 0, ten: 0, rawOne: 0, rawTen: 0 };
  for (let i = 0; i < posts; i++) {
    // Interleaved, so drift on a noisy machine hits all alike.
    totals.one += await outboxTo(1, i);
    totals.ten += await outboxTo(10, 1000 + i);
    totals.rawOne += await rawTo(1, i);
    totals.rawTen += await rawTo(10, 1000 + i);
  }
  app.close();
  const [one, ten, rawOne, rawTen] = [totals.one, totals.ten, totals.rawOne, totals.rawTen].map((t) => t / posts) as [number, number, number, number];
  console.log(`${label}, ${posts} posts each, interleaved`);
  console.log(`  outbox, 1 account     ${one.toFixed(1).padStart(7)} ms`);
  console.log(`  outbox, 10 accounts   ${ten.toFixed(1).padStart(7)} ms   ${(ten / one).toFixed(2)}× one account`);
  console.log(`  raw, 1 account        ${rawOne.toFixed(1).padStart(7)} ms`);
  console.log(`  raw, 10 concurrently  ${rawTen.toFixed(1).padStart(7)} ms   ${(rawTen / rawOne).toFixed(2)}× one account`);
  return ten / one;
}

const pds = await startPds();
await measure(pds, 'Loopback, no latency (the PDS CPU is the ceiling; compare with raw)', 0);
const ratio = await measure(pds, 'Emulated 100 ms round trip', 100);
console.log(`Fan-out goal (100 ms round trip): 10 accounts ${ratio.toFixed(2)}× one account (goal ≤ 1.25)`);
await pds.close();
