// A real creator's archive for the history benchmark: posts across accounts on several platforms
// in the default profile's database, as years of use leave them. Nearly every post went out
// (published, a few failed for good); some wait in the queue for a time ahead; some drafts are
// still being written. Written through PostStore and DraftStore, so the rows, the search index
// and every key are what the app itself writes.
import { openDatabase } from '../src-main/core/db/openDatabase';
import { DraftStore } from '../src-main/core/compose/draftStore';
import { PostStore } from '../src-main/core/outbox/postStore';
import { defaultProfileId } from '../src-main/core/profiles/profileStore';

export interface Archive {
  posts: number;
  accounts: number;
  /** Posts scheduled for a time ahead (the Queue). */
  scheduled: number;
  drafts: number;
}

const words = ['launch', 'release', 'weekly', 'digest', 'coffee', 'garden', 'meetup', 'photo', 'travel', 'podcast', 'update', 'thanks'];
const platforms = ['mastodon', 'bluesky', 'discord', 'x', 'threads', 'linkedin', 'telegram'];

/**
 * Seeds `archive` into a data folder; `now` is when the newest post was sent. Its accounts are
 * made up (ids a0, a1, ...), or, given `accountIds`, those accounts of the default profile, already
 * connected: the archive is then theirs (`archive.accounts` is their number).
 */
export function seedArchive(dataDir: string, archive: Archive, now: number, accountIds?: string[]): void {
  const db = openDatabase(dataDir);
  const profileId = defaultProfileId;
  const ids = accountIds ?? Array.from({ length: archive.accounts }, (_, a) => `a${a}`);
  if (!accountIds) {
    for (let a = 0; a < archive.accounts; a++) {
      db.prepare(
        `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'https://example.test', 'connected', 0, 0)`,
      ).run(ids[a], profileId, platforms[a % platforms.length], `r${a}`, `@bench${a}`);
    }
  }
  const store = new PostStore(db);
  let draftTime = now - archive.drafts * 60_000;
  const drafts = new DraftStore(db, { now: () => draftTime });
  const sent = archive.posts - archive.scheduled;
  // One outer transaction: each enqueue is then a savepoint, not an fsync.
  db.transaction(() => {
    for (let i = 0; i < archive.posts; i++) {
      const text = `Post ${i} about ${words[i % words.length]} and ${words[(i * 7) % words.length]} #localpost https://example.com/${i}`;
      const targets = [...new Set([0, 1, 2].map((k) => ids[(i + k * 5) % ids.length]!))];
      const scheduled = i >= sent;
      // A post every ten minutes or so up to now; the scheduled ones were written over the last day.
      const createdAt = scheduled ? now - 86_400_000 + (i - sent) * 1_000 : now - (sent - i) * 600_000;
      store.enqueue({
        profileId,
        draftId: `d${i}`,
        content: { text, langs: ['en'], contentWarning: '', visibility: 'public', images: [], linkCard: null },
        targets: targets.map((accountId) => ({ accountId, idempotencyKey: `k${i}-${accountId}` })),
        schedule: scheduled ? { at: now + (i - sent + 1) * 3_600_000, zone: 'UTC', local: '2030-01-01T00:00' } : null,
        createdAt,
      });
    }
    // What went out: published, one target in fifty failed for good.
    db.prepare(
      `UPDATE post_targets SET status = CASE WHEN (rowid % 50) = 0 THEN 'failed_permanent' ELSE 'published' END,
         attempts = 1, uri = 'at://bench/' || post_id, url = 'https://example.test/' || post_id
       WHERE post_id IN (SELECT id FROM posts WHERE scheduled_at IS NULL)`,
    ).run();
    const draftTargets = ids.slice(0, 2);
    for (let i = 0; i < archive.drafts; i++, draftTime += 60_000) {
      const id = drafts.create(profileId, { targetAccountIds: draftTargets, langs: ['en'] });
      drafts.save(profileId, { id, text: `Draft ${i}: notes about ${words[i % words.length]}`, targetAccountIds: draftTargets, langs: ['en'] });
    }
  })();
  db.pragma('optimize');
  db.close();
}
