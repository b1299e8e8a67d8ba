// The core alone, as the app runs it, for bench/memory.ts: started in a process of its own over a
// data folder, so the RSS it reports is the core's and nothing else's (the platforms' servers run
// in the parent; images and videos are read in the media worker, a process of its own as in the
// app). It answers what the renderer asks at start, idles, and reports; then, when the plan says
// so, it publishes rounds of posts as the composer makes them (a draft, its text, its photo and alt
// text or its video, publish now) to every account of the profile, idling after each round before
// it reports again. One JSON line per report on stdout.
//
//   node --expose-gc out/bench-memory/memoryCoreEntry.js <dataDir>     (bundled by bench/memory.ts,
//   which starts it through memoryCoreEntry.ts, as the app's entry starts its composition root)
//
// The plan comes in LOCALPOST_MEMORY_PLAN (JSON, see MemoryPlan); with no rounds the child only
// starts, idles and reports once. BENCH_MEMORY_SNAPSHOTS=<folder> also writes a V8 heap snapshot
// at each report (<phase>-<pid>.heapsnapshot, for DevTools' Memory panel to compare).
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import type { Account, MethodInput, MethodName, MethodOutput } from '../src-preload/contract';
import { platformRules } from '../src-shared/platforms';
import { emptyTikTokFields } from '../src-shared/tiktok';
import { createCore } from '../src-main/core/createCore';
import { forkedMediaWorker } from '../test/harness/forkedMediaWorker';
import { createTestPorts } from '../test/harness/testPorts';

export interface MemoryRound {
  name: string;
  posts: number;
  /** The photo attached to each post of the round. */
  photo: string;
  /** Platforms left out of the round (none by default). */
  skip?: string[];
}

export interface MemoryPlan {
  /** Endpoint overrides: where each platform's server is (LOCALPOST_*). */
  env: Record<string, string>;
  /** The servers on loopback the core may reach (a self-hoster's "Connect anyway"). */
  privateOrigins: string[];
  /** A short video, for the platforms that take nothing else (YouTube, TikTok). */
  video: string;
  /** Posts being composed and published at once (a user sending several in a row). */
  inFlight: number;
  rounds: MemoryRound[];
  /** After each round's report, the child prints `paused` and waits for SIGUSR2 (the parent
   *  meanwhile has glibc give its free memory back), then reports the same round again, as
   *  `<round>, returned`, without collecting first. */
  pauseAfterRounds?: boolean;
}

export interface MemoryReport {
  phase: string;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** Linux's split of the RSS (/proc/self/status): memory the process allocated, and pages of
   *  mapped files (the program, its libraries, native modules); null elsewhere. */
  rssAnonMb: number | null;
  rssFileMb: number | null;
  /** The media worker's RSS now (null when none runs), and the most any reached so far (VmHWM). */
  workerRssMb: number | null;
  workerPeakMb: number;
  posts: number;
  targets: number;
  /** Targets that did not end `published`, and the first error seen. */
  failed: number;
  firstError: string | null;
  seconds: number;
}

const dataDir = process.argv[2]!;
const plan = JSON.parse(process.env.LOCALPOST_MEMORY_PLAN!) as MemoryPlan;
const env = { ...process.env, ...plan.env };
const { ports } = createTestPorts(dataDir, env);
// The shell shows a notification, or the open dialog, and keeps nothing of it; the test ports
// would record every one (growth that would be the harness's, not the core's).
ports.notifier = { notify: () => {} };
ports.filePicker = { chooseFile: async () => plan.video };
// The media worker bundled beside this file, as out/main/mediaWorker.js is beside the app's main.
const mediaWorker = forkedMediaWorker(path.join(path.dirname(fileURLToPath(import.meta.url)), 'mediaWorker.js'));
ports.mediaWorker = mediaWorker;
const core = await createCore({ dataDir, ports, appOrigin: 'http://127.0.0.1:1', version: 'bench', env, allowPrivateAddressesFor: plan.privateOrigins });
// The shell forwards every event to the window; here they go nowhere, as to a closed one.
core.onEvent(() => {});

async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.dispatch(method, input, 'http://127.0.0.1:1/index.html');
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value as MethodOutput<M>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The media worker ends 10 s after its last job, so the most RSS it reached (VmHWM) is read while
// it runs, every half second, across every worker started.
let workerPeakMb = 0;
setInterval(() => {
  for (const pid of mediaWorker.pids) workerPeakMb = Math.max(workerPeakMb, statusMb(pid, 'VmHWM') ?? 0);
}, 500).unref();
const gc = (globalThis as { gc?: (options: object) => void }).gc;

/** A field of /proc/<pid>/status in MB (Linux), or null. */
function statusMb(pid: number | 'self', field: string): number | null {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

/**
 * Idle: nothing in flight, 2 s for what the work set going to settle, then garbage collected as
 * V8's memory reducer collects an idle isolate about 20 s after its last allocation (a "last
 * resort" collection: it also gives back the young generation's semispaces, which an ordinary
 * forced collection keeps at their high-water mark, up to 32 MB).
 */
async function idleReport(phase: string, work: Pick<MemoryReport, 'posts' | 'targets' | 'failed' | 'firstError' | 'seconds'>): Promise<void> {
  await core.outbox.idle();
  await sleep(2_000);
  for (let i = 0; i < 3; i++) {
    gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    await sleep(100);
  }
  console.log(JSON.stringify(memoryReport(phase, work)));
  const snapshots = process.env.BENCH_MEMORY_SNAPSHOTS;
  if (snapshots) v8.writeHeapSnapshot(path.join(snapshots, `${phase.replace(/\W+/g, '-')}-${process.pid}.heapsnapshot`));
}

function memoryReport(phase: string, work: Pick<MemoryReport, 'posts' | 'targets' | 'failed' | 'firstError' | 'seconds'>): MemoryReport {
  const memory = process.memoryUsage();
  const mb = (bytes: number) => bytes / 2 ** 20;
  const worker = mediaWorker.pids.at(-1);
  return {
    phase,
    rssMb: mb(memory.rss),
    heapUsedMb: mb(memory.heapUsed),
    heapTotalMb: mb(memory.heapTotal),
    externalMb: mb(memory.external),
    arrayBuffersMb: mb(memory.arrayBuffers),
    rssAnonMb: statusMb('self', 'RssAnon'),
    rssFileMb: statusMb('self', 'RssFile'),
    workerRssMb: worker ? statusMb(worker, 'VmRSS') : null,
    workerPeakMb,
    ...work,
  };
}

// What the renderer asks at start (as bench/historyCoreChild.ts): settings and the vault, the
// profiles, then the first page of each list.
const startedAt = performance.now();
await Promise.all([call('settings.get', {}), call('vault.status', {})]);
await call('profiles.list', {});
await Promise.all([
  call('app.info', {}),
  call('accounts.list', {}),
  call('drafts.page', { limit: 50 }),
  call('history.page', { limit: 50 }),
  call('outbox.page', { limit: 50 }),
  call('approvals.list', {}),
]);
await idleReport('idle', { posts: 0, targets: 0, failed: 0, firstError: null, seconds: (performance.now() - startedAt) / 1000 });

if (plan.rounds.length > 0) {
  const accounts = await call('accounts.list', {});
  // What the composer fills in once per account: the Pinterest board (the first, as it
  // preselects), TikTok's audience among those creator_info offers.
  const boards: Record<string, string> = {};
  for (const account of accounts.filter((a) => a.platform === 'pinterest')) {
    boards[account.id] = (await call('boards.list', { accountId: account.id, refresh: false })).boards[0]!.id;
  }
  const tiktok = { ...emptyTikTokFields };
  for (const account of accounts.filter((a) => a.platform === 'tiktok')) {
    tiktok.creators = { ...tiktok.creators, [account.id]: await call('creatorInfo.get', { accountId: account.id }) };
    tiktok.privacy = { ...tiktok.privacy, [account.id]: 'SELF_ONLY' };
  }
  // What each account is sent: the photo where the platform takes images; the video where it
  // takes nothing else (YouTube, TikTok); the text alone where it takes no files (Slack's
  // incoming webhooks).
  const kindOf = (account: Account) => {
    const rules = platformRules[account.platform];
    return rules.maxImages > 0 ? 'photo' : rules.video?.publishable ? 'video' : 'text';
  };

  let published = 0;
  for (const round of plan.rounds) {
    const photo = new Uint8Array(fs.readFileSync(round.photo));
    const taking = accounts.filter((account) => !round.skip?.includes(account.platform));
    const of = (kind: string) => taking.filter((account) => kindOf(account) === kind).map((account) => account.id);
    const [photoAccounts, videoAccounts, textAccounts] = [of('photo'), of('video'), of('text')];

    /** One post as the composer sends it to every account: up to three drafts, published at once. */
    const post = async (n: number) => {
      // Each text its own: X and LinkedIn refuse a repeated one (the round's name tells apart two
      // children publishing to the same servers).
      const text = `Memory bench ${round.name} ${n}: a photo from today's walk https://example.com/walk/${n} #localpost`;
      const youtube = { title: `Memory bench ${n}`, privacy: 'private' as const, madeForKids: false, categoryId: '22', tags: [], publishAt: '' };
      const drafts: Array<{ accounts: string[]; fill(draftId: string): Promise<void>; options?: MethodInput<'drafts.save'>['platformOptions'] }> = [
        {
          accounts: photoAccounts,
          options: { pinterest: { boards, title: '', link: '' } },
          async fill(draftId) {
            const image = await call('drafts.addImage', { draftId, fileName: 'walk.jpg', bytes: photo });
            await call('drafts.setImageAlt', { draftId, imageId: image.id, alt: 'A path through a beech wood in autumn' });
          },
        },
        {
          accounts: videoAccounts,
          options: { youtube, tiktok },
          async fill(draftId) {
            const added = await call('drafts.addVideo', { draftId });
            if (added.outcome !== 'added') throw new Error(`the video was not added: ${JSON.stringify(added)}`);
          },
        },
        { accounts: textAccounts, fill: async () => {} },
      ];
      await Promise.all(
        drafts
          .filter((draft) => draft.accounts.length > 0)
          .map(async (draft) => {
            const { id } = await call('drafts.create', {});
            await call('drafts.save', { id, text, targetAccountIds: draft.accounts, langs: ['en'], ...(draft.options ? { platformOptions: draft.options } : {}) });
            await draft.fill(id);
            await call('publish.now', { draftId: id });
          }),
      );
    };

    const roundStart = Date.now();
    const start = performance.now();
    let next = 0;
    const first = published;
    published += round.posts;
    await Promise.all(
      Array.from({ length: plan.inFlight }, async () => {
        while (next < round.posts) await post(first + next++);
      }),
    );
    await core.outbox.idle();
    const seconds = (performance.now() - start) / 1000;

    // How every target of the round ended, from History.
    let targets = 0;
    let failed = 0;
    let firstError: string | null = null;
    let cursor: string | null = null;
    do {
      const page: MethodOutput<'history.page'> = await call('history.page', { limit: 200, from: roundStart, ...(cursor ? { cursor } : {}) });
      for (const target of page.posts.flatMap((p) => p.targets)) {
        targets++;
        if (target.status === 'published') continue;
        failed++;
        firstError ??= `${target.platform} ${target.status}: ${target.error?.message ?? ''}`;
      }
      cursor = page.nextCursor;
    } while (cursor);
    const work = { posts: round.posts, targets, failed, firstError, seconds };
    await idleReport(round.name, work);
    if (plan.pauseAfterRounds) {
      // A signal handler alone does not keep the event loop alive: the timer does.
      const awake = setInterval(() => {}, 1_000);
      const resumed = new Promise((resolve) => process.once('SIGUSR2', resolve));
      console.log('paused');
      await resumed;
      clearInterval(awake);
      console.log(JSON.stringify(memoryReport(`${round.name}, returned`, work)));
    }
  }
}

core.close();
process.exit(0);
