// The history at 50,000 posts across 13 accounts, in a real database on disk: the first page,
// a page deep in the history, and a typical search, each against a trivial query on the same
// database (one post by its primary key) as the floor; then the process's RSS. Ratios, not
// assertions: the goal is that a page costs a small, constant multiple of the floor however
// long the history.
//
//   npx tsx bench/history.ts        (BENCH_HISTORY_POSTS=50000 is the default)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src-main/core/db/openDatabase';
import { PostStore } from '../src-main/core/outbox/postStore';
import { rssMb } from './measureMemory';

const postCount = Number(process.env.BENCH_HISTORY_POSTS ?? 50_000);
const accountCount = 13;
const words = ['launch', 'release', 'weekly', 'digest', 'coffee', 'garden', 'meetup', 'photo', 'travel', 'podcast', 'update', 'thanks'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-bench-history-'));
const db = openDatabase(dir);
const store = new PostStore(db);
const platforms = ['mastodon', 'bluesky', 'discord', 'x', 'threads', 'linkedin', 'telegram'];

db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'Bench', 0)").run();
for (let a = 0; a < accountCount; a++) {
  db.prepare(
    `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
     VALUES (?, 'p', ?, ?, ?, 'https://example.test', 'connected', 0, 0)`,
  ).run(`a${a}`, platforms[a % platforms.length], `r${a}`, `@bench${a}`);
}
const seedStart = performance.now();
// One outer transaction: each enqueue is then a savepoint, not an fsync.
db.transaction(() => {
  for (let i = 0; i < postCount; i++) {
    const text = `Post ${i} about ${words[i % words.length]} and ${words[(i * 7) % words.length]} #localpost https://example.com/${i}`;
    const targets = [0, 1, 2].map((k) => `a${(i + k * 5) % accountCount}`);
    store.enqueue({
      profileId: 'p',
      draftId: `d${i}`,
      content: { text, langs: ['en'], contentWarning: '', visibility: 'public', images: [], linkCard: null },
      targets: [...new Set(targets)].map((accountId) => ({ accountId, idempotencyKey: `k${i}-${accountId}` })),
      schedule: null,
      createdAt: 1_700_000_000_000 + i * 60_000,
    });
  }
})();
db.pragma('optimize');
const seedSeconds = (performance.now() - seedStart) / 1000;

/** Median milliseconds of `rounds` runs after a warm-up. */
function median(work: () => unknown, rounds = 51): number {
  for (let i = 0; i < 5; i++) work();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
}

const byId = db.prepare('SELECT * FROM posts WHERE id = ?');
const someId = (db.prepare('SELECT id FROM posts LIMIT 1').get() as { id: string }).id;
const floor = median(() => byId.get(someId));
const first = median(() => store.page('p', { limit: 50 }));
let deepCursor: string | null = null;
for (let i = 0; i < 400 && (i === 0 || deepCursor); i++) deepCursor = store.page('p', { cursor: deepCursor, limit: 50 }).nextCursor;
const deep = median(() => store.page('p', { cursor: deepCursor, limit: 50 }));
const search = median(() => store.page('p', { limit: 50, query: 'garden than' }));
const filtered = median(() => store.page('p', { limit: 50, platforms: ['bluesky'], statuses: ['queued'] }));
const everything = median(() => store.list('p', { limit: -1 }), 3);
const rss = rssMb();

const row = (name: string, ms: number) => console.log(`  ${name.padEnd(40)} ${ms.toFixed(3).padStart(9)} ms   ${(ms / floor).toFixed(0).padStart(7)}× floor`);
console.log(`History of ${postCount} posts across ${accountCount} accounts (seeded in ${seedSeconds.toFixed(1)} s), medians, in one run`);
row('floor: one post by primary key', floor);
row('first page (50 posts)', first);
row('page 400 deep (keyset cursor)', deep);
row('search "garden than" (FTS5, 50 posts)', search);
row('platform + status filter (50 posts)', filtered);
row('every post at once (history.list, all)', everything);
console.log(`  first page is ${(everything / first).toFixed(0)}× faster than loading everything`);
console.log(`  RSS after: ${rss.toFixed(0)} MB`);
db.close();
fs.rmSync(dir, { recursive: true, force: true });
