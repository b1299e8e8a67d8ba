// Published posts and the result for each target, as history shows them. A target's remote id
// and link are written in the same transaction as its status.
import crypto from 'node:crypto';
import type { BridgeError, Post } from '../../../src-preload/contract';
import type { Db } from '../db/openDatabase';

export interface TargetResult {
  accountId: string;
  status: 'published' | 'failed';
  uri: string | null;
  cid: string | null;
  url: string | null;
  error: BridgeError | null;
  attemptedAt: number;
}

interface PostRow {
  id: string;
  draft_id: string | null;
  text: string;
  created_at: number;
}

export class HistoryStore {
  constructor(private readonly db: Db) {}

  /** Records a post and its results; `alsoInTransaction` runs in the same commit. */
  record(
    input: { profileId: string; draftId: string; text: string; createdAt: number; results: TargetResult[] },
    alsoInTransaction: () => void = () => {},
  ): string {
    const postId = crypto.randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO posts (id, profile_id, draft_id, text, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(postId, input.profileId, input.draftId, input.text, input.createdAt);
      const insert = this.db.prepare(
        `INSERT INTO post_targets (post_id, account_id, status, uri, cid, url, error_code, error_message, error_action,
           error_retry_at, attempted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const r of input.results) {
        const e = r.error;
        insert.run(postId, r.accountId, r.status, r.uri, r.cid, r.url, e?.code ?? null, e?.message ?? null, e?.action ?? null, e?.retryAt ?? null, r.attemptedAt);
      }
      alsoInTransaction();
    })();
    return postId;
  }

  list(profileId: string, limit = 200): Post[] {
    const posts = this.db
      .prepare('SELECT id, draft_id, text, created_at FROM posts WHERE profile_id = ? ORDER BY created_at DESC LIMIT ?')
      .all(profileId, limit) as PostRow[];
    return this.#withTargets(posts);
  }

  get(profileId: string, postId: string): Post | undefined {
    const post = this.db.prepare('SELECT id, draft_id, text, created_at FROM posts WHERE id = ? AND profile_id = ?').get(postId, profileId) as
      | PostRow
      | undefined;
    return post && this.#withTargets([post])[0];
  }

  #withTargets(posts: PostRow[]): Post[] {
    const targets = this.db.prepare(
      `SELECT t.*, a.handle, a.platform FROM post_targets t JOIN accounts a ON a.id = t.account_id
       WHERE t.post_id = ? ORDER BY a.handle`,
    );
    return posts.map((post) => ({
      id: post.id,
      draftId: post.draft_id,
      text: post.text,
      createdAt: post.created_at,
      targets: (targets.all(post.id) as Array<Record<string, unknown>>).map((t) => ({
        accountId: t.account_id as string,
        handle: t.handle as string,
        platform: t.platform as Post['targets'][number]['platform'],
        status: t.status as 'published' | 'failed',
        uri: (t.uri as string | null) ?? null,
        url: (t.url as string | null) ?? null,
        error: t.error_code ? targetError(t) : null,
        attemptedAt: t.attempted_at as number,
      })),
    }));
  }

}

function targetError(row: Record<string, unknown>): BridgeError {
  const error: BridgeError = { code: row.error_code as BridgeError['code'], message: (row.error_message as string | null) ?? '' };
  if (row.error_action) error.action = row.error_action as string;
  if (row.error_retry_at !== null && row.error_retry_at !== undefined) error.retryAt = row.error_retry_at as number;
  return error;
}
