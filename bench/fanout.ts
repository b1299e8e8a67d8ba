// Fan-out: one post to 10 accounts against one post to 1 account, side by side in one run. The
// outbox sends the targets of different accounts concurrently, so ten should take about as long as
// one. Goal: 10 accounts ≤ 1.25× one account, on the local PDS.
//
// The PDS runs in a process of its own (test/harness/pdsProcess.ts), as a real one runs on another
// machine. Even so it is one Node thread that writes one record after another, about 10 ms of CPU
// each on these machines, so ten writes cost it ten times one whoever sends them. Raw @atproto/api
// posting the same ten concurrently measures that floor in the same run. Three legs:
//   - Bluesky, loopback: no network latency, so nearly all of the time is the PDS's CPU.
//   - Bluesky, 100 ms round trip: each request waits 50 ms before and after (an emulated network,
//     as `tc netem` would add; the same fetch for Localpost and for raw @atproto/api).
//   - Discord webhooks, 100 ms round trip, on the contract mock, which answers in microseconds:
//     a server that does not serialise the work, so what is left is the outbox's own concurrency.
//
//   npm run bench            (or: npx tsx bench/fanout.ts; BENCH_POSTS=40 for more rounds)
import './asMainProcess';
import { AtpAgent, RichText } from '@atproto/api';
import { startCore, type CoreClient } from '../test/harness/coreClient';
import { startPdsProcess, type PdsProcess } from '../test/harness/pdsProcess';
import { startWebhookPlatformMocks, type WebhookPlatformMocks } from '../test/harness/webhookPlatformMocks';
import { met, reportBench } from './benchTable';

const posts = Number(process.env.BENCH_POSTS ?? 20);

function withLatency(roundTripMs: number): typeof globalThis.fetch {
  if (roundTripMs === 0) return globalThis.fetch;
  const wait = () => new Promise((resolve) => setTimeout(resolve, roundTripMs / 2));
  return async (input, init) => {
    await wait();
    const response = await globalThis.fetch(input, init);
    const body = await response.arrayBuffer();
    await wait();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

type Sender = (count: number, i: number) => Promise<number>;

/** Posts through the core's outbox to the first `count` accounts; the time publish.now takes. */
function outboxSender(app: CoreClient, accountIds: string[]): Sender {
  return async (count, i) => {
    const draft = await app.call('drafts.create', {});
    const text = `Fan-out ${i} to ${count} https://example.com/${i} #localpost`;
    await app.call('drafts.save', { id: draft.id, text, targetAccountIds: accountIds.slice(0, count), langs: ['en'] });
    const start = performance.now();
    const post = await app.call('publish.now', { draftId: draft.id });
    const elapsed = performance.now() - start;
    if (post.targets.some((t) => t.status !== 'published')) throw new Error(JSON.stringify(post.targets));
    return elapsed;
  };
}

/** Raw @atproto/api, all at once, with the same text and facets as the outbox sends. */
function rawSender(agents: AtpAgent[]): Sender {
  return async (count, i) => {
    const start = performance.now();
    await Promise.all(
      agents.slice(0, count).map(async (agent) => {
        const richText = new RichText({ text: `Raw fan-out ${i} to ${count} https://example.com/${i} #localpost` });
        await richText.detectFacets(agent);
        await agent.post({ text: richText.text, facets: richText.facets, langs: ['en'] });
      }),
    );
    return performance.now() - start;
  };
}

/** Warms every shape up, then runs them interleaved (drift on a noisy machine hits all alike). */
async function compare(label: string, senders: Record<string, Sender>): Promise<Record<string, number>> {
  for (let i = 0; i < 3; i++) for (const send of Object.values(senders)) for (const count of [1, 10]) await send(count, -1 - i * 10 - count);
  const totals = new Map<string, number>();
  for (let i = 0; i < posts; i++) {
    for (const [name, send] of Object.entries(senders)) {
      for (const count of [1, 10]) totals.set(`${name} ${count}`, (totals.get(`${name} ${count}`) ?? 0) + (await send(count, count * 1000 + i)));
    }
  }
  console.log(`${label}, ${posts} posts each, interleaved`);
  const ratios: Record<string, number> = {};
  for (const name of Object.keys(senders)) {
    const [one, ten] = [totals.get(`${name} 1`)! / posts, totals.get(`${name} 10`)! / posts];
    ratios[name] = ten / one;
    console.log(`  ${name.padEnd(7)} 1 account ${one.toFixed(1).padStart(7)} ms   10 accounts ${ten.toFixed(1).padStart(7)} ms   ${(ten / one).toFixed(2)}×`);
  }
  return ratios;
}

async function bluesky(pds: PdsProcess, roundTripMs: number, label: string) {
  const fetch = withLatency(roundTripMs);
  const app = await startCore({ fetch });
  const accountIds: string[] = [];
  const agents: AtpAgent[] = [];
  for (let i = 0; i < 10; i++) {
    const account = await pds.createAccount(`fan${roundTripMs}x${i}`);
    const { account: connected } = await app.call('accounts.connect', { platform: 'bluesky', handle: account.handle, appPassword: account.appPassword, service: pds.url, confirm: ['private_address'] });
    accountIds.push(connected.id);
    const agent = new AtpAgent({ service: pds.url, fetch });
    await agent.login({ identifier: account.handle, password: account.appPassword });
    agents.push(agent);
  }
  const ratios = await compare(label, { outbox: outboxSender(app, accountIds), raw: rawSender(agents) });
  app.close();
  return ratios;
}

async function discord(mocks: WebhookPlatformMocks, roundTripMs: number) {
  const app = await startCore({ fetch: withLatency(roundTripMs), env: mocks.env });
  const accountIds: string[] = [];
  for (let i = 0; i < 10; i++) accountIds.push((await app.call('accounts.connect', { platform: 'discord', webhookUrl: mocks.addDiscordWebhook() })).account.id);
  const ratios = await compare(`Discord webhooks (contract mock), emulated ${roundTripMs} ms round trip`, { outbox: outboxSender(app, accountIds) });
  app.close();
  return ratios;
}

const pds = await startPdsProcess();
await bluesky(pds, 0, 'Bluesky, loopback, no latency (the PDS CPU is nearly all of it)');
const bsky = await bluesky(pds, 100, 'Bluesky, emulated 100 ms round trip');
await pds.close();
const mocks = await startWebhookPlatformMocks();
const hooks = await discord(mocks, 100);
await mocks.close();

reportBench('Fan-out: one post to 10 accounts against one, at an emulated 100 ms round trip', [
  { name: 'Bluesky, 10 accounts ÷ 1', value: `${bsky.outbox!.toFixed(2)}×`, baseline: `${bsky.raw!.toFixed(2)}× raw @atproto/api (the PDS's floor)`, ratio: '', goal: '≤ 1.25×', met: met(bsky.outbox! <= 1.25) },
  { name: 'Discord webhooks, 10 accounts ÷ 1', value: `${hooks.outbox!.toFixed(2)}×`, baseline: 'a server that does not serialise', ratio: '', goal: '', met: '' },
]);
