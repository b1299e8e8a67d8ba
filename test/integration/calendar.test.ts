// The calendar and posting slots through the real core: the range query (bounds, order, profile,
// targets and phases, one index seek at 50,000 posts), the bridge refusing bad input with stable
// codes, slots kept per account, and "Add to queue" filling the next free slot, then the next.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CalendarQuery } from '../../src-main/core/calendar/calendarQuery';
import { openDatabase, type Db } from '../../src-main/core/db/openDatabase';
import { PostStore } from '../../src-main/core/outbox/postStore';
import { scheduleAt } from '../../src-main/core/outbox/schedule';
import type { Clock } from '../../src-main/core/ports';
import { startCore, type CoreClient } from '../harness/coreClient';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

let hooks: WebhookPlatformMocks;
before(async () => {
  hooks = await startWebhookPlatformMocks();
});
after(() => hooks.close());

const day = 86_400_000;
const content = (text: string) => ({ text, langs: [], contentWarning: '', visibility: 'public' as const, images: [], linkCard: null });

function freshDb(): Db {
  const db = openDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-calendar-')));
  db.prepare("INSERT INTO profiles (id, name, created_at) VALUES ('p', 'P', 0), ('other', 'O', 0)").run();
  for (const [id, profile, platform] of [['masto', 'p', 'mastodon'], ['sky', 'p', 'bluesky'], ['elsewhere', 'other', 'discord']] as const) {
    db.prepare(
      `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'https://example.test', 'connected', 0, 0)`,
    ).run(id, profile, platform, `remote-${id}`, `@${id}`);
  }
  return db;
}

let seq = 0;
function add(store: PostStore, text: string, options: { createdAt: number; at?: number; accounts?: string[]; profileId?: string }): string {
  seq++;
  return store.enqueue({
    profileId: options.profileId ?? 'p',
    draftId: `d${seq}`,
    content: content(text),
    targets: (options.accounts ?? ['masto']).map((accountId) => ({ accountId, idempotencyKey: `k${seq}-${accountId}` })),
    schedule: options.at === undefined ? null : { at: options.at, zone: 'Europe/Berlin', local: 'unused' },
    createdAt: options.createdAt,
  });
}

describe('the calendar range', () => {
  it('places a post at its scheduled time, or its creation when sent at once, in [from, to), earliest first, for the profile only', () => {
    const db = freshDb();
    const store = new PostStore(db);
    const calendar = new CalendarQuery(db);
    const from = Date.UTC(2030, 5, 1);
    const to = from + 7 * day;
    const sentInRange = add(store, 'sent on day 2', { createdAt: from + 2 * day, accounts: ['masto', 'sky'] });
    // Created before the range, scheduled inside it: it belongs where it is due.
    const dueInRange = add(store, 'due on day 1', { createdAt: from - 30 * day, at: from + day });
    // Created inside the range, scheduled after it: not here.
    add(store, 'due next week', { createdAt: from + 3 * day, at: to + day });
    const atFrom = add(store, 'exactly at from', { createdAt: from });
    add(store, 'exactly at to', { createdAt: to });
    add(store, 'another profile', { createdAt: from + day, accounts: ['elsewhere'], profileId: 'other' });
    store.claim(sentInRange, 'masto', from + 2 * day);
    store.markPublished(sentInRange, 'masto', { uri: 'u', cid: null, url: 'https://masto.example/1' }, from + 2 * day);
    store.claim(sentInRange, 'sky', from + 2 * day);
    store.setState(sentInRange, 'sky', { from: ['publishing'], to: 'failed_permanent' });

    const { posts, more } = calendar.range('p', from, to, 100);
    assert.equal(more, false);
    assert.deepEqual(
      posts.map((post) => post.id),
      [atFrom, dueInRange, sentInRange],
    );
    const sent = posts[2]!;
    assert.equal(sent.phase, 'done');
    assert.deepEqual(
      sent.targets.map((t) => [t.handle, t.status, t.url]),
      [
        ['@masto', 'published', 'https://masto.example/1'],
        ['@sky', 'failed_permanent', null],
      ],
    );
    assert.equal(posts[1]!.phase, 'scheduled');
    assert.equal(posts[1]!.scheduledAt, from + day);

    const firstTwo = calendar.range('p', from, to, 2);
    assert.equal(firstTwo.more, true);
    assert.deepEqual(
      firstTwo.posts.map((post) => post.id),
      [atFrom, dueInRange],
    );
    assert.throws(() => calendar.range('p', to, from, 10), /ends before it starts/);
    assert.throws(() => calendar.range('p', from, from + 46 * day, 10), /45 days/);
  });

  it('loads a month of a 50,000-post archive in milliseconds, down the calendar index', () => {
    const db = freshDb();
    const start = Date.UTC(2028, 0, 1);
    const insertPost = db.prepare("INSERT INTO posts (id, profile_id, text, created_at, scheduled_at, started_at) VALUES (?, 'p', ?, ?, ?, ?)");
    const insertTarget = db.prepare("INSERT INTO post_targets (post_id, account_id, status, attempted_at, due_at) VALUES (?, 'masto', ?, ?, ?)");
    db.transaction(() => {
      // Two years, a post every ~21 minutes; every fifth one scheduled a day after it was written.
      for (let i = 0; i < 50_000; i++) {
        const createdAt = start + i * 1_261_000;
        const scheduledAt = i % 5 === 0 ? createdAt + day : null;
        insertPost.run(`post-${i}`, `Post number ${i}`, createdAt, scheduledAt, scheduledAt === null ? createdAt : null);
        insertTarget.run(`post-${i}`, scheduledAt === null ? 'published' : 'queued', createdAt, scheduledAt ?? createdAt);
      }
    })();
    db.pragma('optimize');
    const calendar = new CalendarQuery(db);
    const from = Date.UTC(2029, 2, 1);
    const to = Date.UTC(2029, 3, 1);

    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM posts WHERE profile_id = 'p' AND COALESCE(scheduled_at, created_at) >= 1 AND COALESCE(scheduled_at, created_at) < 2
         ORDER BY COALESCE(scheduled_at, created_at), id`,
      )
      .all() as Array<{ detail: string }>;
    assert.ok(
      plan.some((step) => step.detail.includes('posts_by_calendar_time')),
      plan.map((step) => step.detail).join('; '),
    );

    calendar.range('p', from, to, 5000);
    const began = performance.now();
    const { posts, more } = calendar.range('p', from, to, 5000);
    const took = performance.now() - began;
    assert.equal(more, false);
    assert.ok(posts.length > 1900 && posts.length < 2300, `${posts.length} posts in March 2029`);
    for (const post of posts) {
      const at = post.scheduledAt ?? post.createdAt;
      assert.ok(at >= from && at < to);
    }
    assert.ok(took < 150, `a month took ${took.toFixed(1)} ms`);
  });
});

/** A clock the test moves; real time otherwise does not pass for the core. */
function manualClock(start: number): Clock & { set(at: number): void } {
  let now = start;
  return { now: () => now, set: (at) => void (now = at) };
}

describe('posting slots and Add to queue through the bridge', () => {
  let app: CoreClient;
  // Wednesday 5 June 2030, 12:00 in Berlin.
  const clock = manualClock(Date.UTC(2030, 5, 5, 10, 0));
  const zone = 'Europe/Berlin';
  const at = (local: string) => scheduleAt(local, zone).at;

  before(async () => {
    app = await startCore({ env: hooks.env, clock });
  });
  after(() => app.close());

  async function draftFor(text: string, accountIds: string[]): Promise<string> {
    const created = await app.call('drafts.create', {});
    await app.call('drafts.save', { id: created.id, text, targetAccountIds: accountIds, langs: ['en'] });
    return created.id;
  }

  const code = (expected: string) => (error: { code: string }) => error.code === expected;

  it('refuses bad ranges and bad slots with stable codes', async () => {
    await assert.rejects(app.call('calendar.range', { from: 10, to: 5, zone }), code('invalid_input'));
    await assert.rejects(app.call('calendar.range', { from: 0, to: 46 * day, zone }), code('invalid_input'));
    await assert.rejects(app.call('calendar.range', { from: 0.5, to: day, zone }), code('invalid_input'));
    const announcements = (await app.call('accounts.connect', { platform: 'discord', webhookUrl: discordWebhookUrl })).account;
    await assert.rejects(app.call('calendar.range', { from: 0, to: day, zone: 'Nowhere/Atlantis' }), code('invalid_input'));
    await app.call('postingSlots.set', { accountId: announcements.id, slots: [{ weekday: 1, time: '09:00' }] });
    await assert.rejects(app.call('calendar.range', { from: clock.now(), to: clock.now() + 7 * day, zone: 'Nowhere/Atlantis' }), code('invalid_input'));
    await assert.rejects(app.call('postingSlots.set', { accountId: announcements.id, slots: [{ weekday: 9, time: '09:00' }] }), code('posting_slots.invalid'));
    await assert.rejects(app.call('postingSlots.set', { accountId: announcements.id, slots: [{ weekday: 1, time: '25:00' }] }), code('posting_slots.invalid'));
    await assert.rejects(
      app.call('postingSlots.set', { accountId: announcements.id, slots: [{ weekday: 1, time: '09:00' }, { weekday: 1, time: '09:00' }] }),
      code('posting_slots.invalid'),
    );
    // The shape is the contract's: a weekday that is no number never reaches the core.
    await assert.rejects(app.call('postingSlots.set', { accountId: announcements.id, slots: [{ weekday: 'monday' as unknown as number, time: '09:00' }] }), code('invalid_input'));
    await assert.rejects(app.call('postingSlots.set', { accountId: 'no-such-account', slots: [] }), code('not_found'));
    await assert.rejects(
      app.call('postingSlots.set', { accountId: announcements.id, slots: Array.from({ length: 101 }, (_, i) => ({ weekday: 1, time: `00:${String(i % 60).padStart(2, '0')}` })) }),
      code('invalid_input'),
    );
    await assert.rejects(app.call('calendar.range', { from: 0, to: day, zone, limit: 5001 }), code('invalid_input'));
    await assert.rejects(app.call('postingSlots.addToQueue', { draftId: 'no-such-draft', zone }), code('not_found'));
    // Nothing refused was kept.
    assert.deepEqual(await app.call('postingSlots.list', {}), [{ accountId: announcements.id, slots: [{ weekday: 1, time: '09:00' }] }]);
    await app.call('postingSlots.set', { accountId: announcements.id, slots: [] });
    assert.deepEqual(await app.call('postingSlots.list', {}), []);
  });

  it('schedules a draft at the next free slot of its accounts, then the next, and says when there is none', async () => {
    const accounts = await app.call('accounts.list', {});
    const announcements = accounts[0]!;
    const second = (await app.call('accounts.connect', { platform: 'discord', webhookUrl: hooks.addDiscordWebhook() })).account;

    const withoutSlots = await draftFor('No slots yet', [announcements.id]);
    await assert.rejects(app.call('postingSlots.addToQueue', { draftId: withoutSlots, zone }), code('posting_slots.none'));
    assert.equal((await app.call('drafts.get', { id: withoutSlots })).text, 'No slots yet', 'the draft stays');

    // Weekdays 09:00 and 17:00 for the first account; Thursdays 08:00 for the second.
    const weekdays = [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, time: '17:00' },
      { weekday, time: '09:00' },
    ]);
    const saved = await app.call('postingSlots.set', { accountId: announcements.id, slots: weekdays });
    assert.deepEqual(saved.slots.slice(0, 3), [
      { weekday: 1, time: '09:00' },
      { weekday: 1, time: '17:00' },
      { weekday: 2, time: '09:00' },
    ]);
    await app.call('postingSlots.set', { accountId: second.id, slots: [{ weekday: 4, time: '08:00' }] });

    const first = await app.call('postingSlots.addToQueue', { draftId: withoutSlots, zone });
    assert.equal(first.phase, 'scheduled');
    assert.equal(first.scheduleLocal, '2030-06-05T17:00');
    assert.equal(first.scheduleZone, zone);
    assert.equal(first.scheduledAt, at('2030-06-05T17:00'));

    // Wednesday 17:00 is taken for that account: Thursday 08:00 is the second account's, and the
    // post goes to both; then Thursday 09:00.
    const both = await app.call('postingSlots.addToQueue', { draftId: await draftFor('To both', [announcements.id, second.id]), zone });
    assert.equal(both.scheduleLocal, '2030-06-06T08:00');
    assert.equal(both.targets.length, 2);
    const third = await app.call('postingSlots.addToQueue', { draftId: await draftFor('Third', [announcements.id]), zone });
    assert.equal(third.scheduleLocal, '2030-06-06T09:00');

    // A cancelled post frees its slot.
    await app.call('outbox.cancel', { postId: first.id });
    const refill = await app.call('postingSlots.addToQueue', { draftId: await draftFor('Refill', [announcements.id]), zone });
    assert.equal(refill.scheduleLocal, '2030-06-05T17:00');

    // The week in the calendar: the posts where they are due, open slots only where none is.
    const from = at('2030-06-03T00:00');
    const week = await app.call('calendar.range', { from, to: from + 7 * day, zone });
    // (Two posts at one instant come in id order.)
    assert.deepEqual(
      week.posts.map((post) => [post.scheduleLocal, post.text, post.phase]).sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`)),
      [
        ['2030-06-05T17:00', 'No slots yet', 'done'],
        ['2030-06-05T17:00', 'Refill', 'scheduled'],
        ['2030-06-06T08:00', 'To both', 'scheduled'],
        ['2030-06-06T09:00', 'Third', 'scheduled'],
      ],
    );
    assert.deepEqual(
      week.posts.map((post) => post.scheduledAt),
      week.posts.map((post) => post.scheduledAt).sort(),
    );
    const open = week.openSlots.map((slot) => `${slot.accountId === second.id ? 'second' : 'first'} ${slot.local}`);
    // Before now (Monday, Tuesday, Wednesday 09:00) no markers; taken slots none either.
    assert.deepEqual(open, ['first 2030-06-06T17:00', 'first 2030-06-07T09:00', 'first 2030-06-07T17:00']);

    // The draft's accounts' slots are all that count: the second account's only, here.
    const secondOnly = await app.call('postingSlots.addToQueue', { draftId: await draftFor('Second only', [second.id]), zone });
    assert.equal(secondOnly.scheduleLocal, '2030-06-13T08:00');

    // Export my data carries each account's slots.
    const exportRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-calendar-export-'));
    app.answerFolderDialog(exportRoot);
    const exported = await app.call('data.export', {});
    assert.equal(exported.outcome, 'saved');
    const document = JSON.parse(fs.readFileSync(path.join(exportRoot, exported.outcome === 'saved' ? exported.folderName : '', 'localpost-export.json'), 'utf8')) as {
      profiles: Array<{ accounts: Array<{ id: string; postingSlots: unknown }> }>;
    };
    const exportedAccounts = document.profiles.flatMap((profile) => profile.accounts);
    assert.deepEqual(exportedAccounts.find((a) => a.id === second.id)?.postingSlots, [{ weekday: 4, time: '08:00' }]);
    assert.equal((exportedAccounts.find((a) => a.id === announcements.id)?.postingSlots as unknown[]).length, 10);

    // Rescheduling moves a post out of a slot and frees it.
    await app.call('outbox.reschedule', { postId: third.id, schedule: { local: '2030-06-20T12:00', zone } });
    const after = await app.call('calendar.range', { from, to: from + 7 * day, zone });
    assert.ok(after.openSlots.some((slot) => slot.local === '2030-06-06T09:00' && slot.accountId === announcements.id));
  });
});
