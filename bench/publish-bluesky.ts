// Publishing N posts to a real local PDS, side by side in one run:
//   core     — Localpost's core publishing a saved draft through the outbox: preflight, a copy
//              of the post, the draft's removal and the target's claim in one fsynced SQLite
//              commit before the request leaves (exactly once needs it on disk first; on these
//              machines that fsync is about 2–3 ms), then facets, the post, and its result
//   core+compose — the same plus creating and saving the draft, as typing does beforehand
//   raw      — @atproto/api alone: one login, then RichText.detectFacets + agent.post per post
//   relogin  — a new login before every post (what several cross-posters do)
// Prints the time per post and the ratios to raw. Goal: core ≤ 1.15× raw.
//
//   npm run bench            (N defaults to 60; BENCH_POSTS=200 npm run bench for more)
import { AtpAgent, RichText } from '@atproto/api';
import { startCore } from '../test/harness/coreClient';
import { startPds } from '../test/harness/pds';

const posts = Number(process.env.BENCH_POSTS ?? 60);
const rounds = 3;
const textFor = (i: number) => `Bench post ${i} with a link https://example.com/${i} and #localpost`;

const pds = await startPds();
const account = await pds.createAccount('bench');

const app = await startCore();
const { account: connected } = await app.call('accounts.connect', { platform: 'bluesky', handle: account.handle, appPassword: account.appPassword, service: pds.url, confirm: ['private_address'] });
const rawAgent = new AtpAgent({ service: pds.url });
await rawAgent.login({ identifier: account.handle, password: account.appPassword });

async function saveDraft(i: number): Promise<string> {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text: textFor(i), targetAccountIds: [connected.id], langs: ['en'] });
  return draft.id;
}

async function publish(draftId: string): Promise<void> {
  const post = await app.call('publish.now', { draftId });
  if (post.targets[0]!.status !== 'published') throw new Error(JSON.stringify(post.targets[0]!.error));
}

// The core's drafts are saved before the clock starts: composing happens while the user types.
const prepared = new Map<number, string>();
const prepare = async (ids: number[]) => {
  for (const i of ids) prepared.set(i, await saveDraft(i));
};

const runners: Record<string, (i: number) => Promise<void>> = {
  core: (i) => publish(prepared.get(i)!),
  'core+compose': async (i) => publish(await saveDraft(i)),
  async raw(i) {
    const richText = new RichText({ text: textFor(i) });
    await richText.detectFacets(rawAgent);
    await rawAgent.post({ text: richText.text, facets: richText.facets, langs: ['en'] });
  },
  async relogin(i) {
    const agent = new AtpAgent({ service: pds.url });
    await agent.login({ identifier: account.handle, password: account.appPassword });
    const richText = new RichText({ text: textFor(i) });
    await richText.detectFacets(agent);
    await agent.post({ text: richText.text, facets: richText.facets, langs: ['en'] });
  },
};

// Every draft the core will publish is saved first, so no burst of draft writes lands just
// before a timed loop. Then every path is warmed up (JIT, connection pools, SQLite pages).
const countFor = (name: string) => (name === 'relogin' ? Math.max(5, Math.round(posts / 6)) : posts);
await prepare([0, 1, 2, 3, 4]);
for (let round = 0; round < rounds; round++) await prepare(Array.from({ length: posts }, (_, i) => (round + 1) * 10_000 + i));
for (const run of Object.values(runners)) for (let i = 0; i < 5; i++) await run(i);

// Interleave the variants round by round, in a different order each round, so drift on a noisy
// machine hits them all alike.
const totals: Record<string, number> = Object.fromEntries(Object.keys(runners).map((name) => [name, 0]));
for (let round = 0; round < rounds; round++) {
  const order = Object.entries(runners);
  for (let i = 0; i < round; i++) order.push(order.shift()!);
  for (const [name, run] of order) {
    const count = countFor(name);
    const start = performance.now();
    for (let i = 0; i < count; i++) await run((round + 1) * 10_000 + i);
    totals[name]! += (performance.now() - start) / count;
  }
}

const perPost = Object.fromEntries(Object.entries(totals).map(([name, total]) => [name, total / rounds]));
console.log(`Publishing to a local PDS, ${posts} posts × ${rounds} rounds (relogin: fewer posts, it is slow)`);
for (const [name, ms] of Object.entries(perPost)) {
  console.log(`  ${name.padEnd(13)} ${ms.toFixed(1).padStart(7)} ms/post   ${(ms / perPost.raw!).toFixed(2)}× raw`);
}
console.log(`core / raw = ${(perPost.core! / perPost.raw!).toFixed(2)} (goal ≤ 1.15)`);
console.log(`relogin / core = ${(perPost.relogin! / perPost.core!).toFixed(1)}× slower than reusing the session`);

app.close();
await pds.close();
