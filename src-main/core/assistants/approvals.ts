// The approval gate: an AI assistant may draft, but what it asks to publish or schedule waits for
// the user. A request returns at once; the app shows the draft as it is now, with the hash of
// exactly that, and an approval must name that hash: if the draft changed in between (the user
// edited it, or the assistant did), the approval is refused and the new content is shown instead.
// Nothing an assistant sends can approve: approving is a bridge call from the app's own window
// only, which the local endpoint never offers.
// Why some bound values are written `+?`: cacheStatements in db/openDatabase.ts.
import { createHash, randomUUID } from 'node:crypto';
import { partsFor } from '../../../src-shared/compose/postParts';
import type { Approval, ApprovalStatus, Draft, Post } from '../../../src-preload/contract';
import type { ComposeService } from '../compose/composeService';
import type { Db } from '../db/openDatabase';
import { AppError } from '../errors';
import type { Logger } from '../log/logger';
import type { Clock, Notifier } from '../ports';

type Schedule = NonNullable<Approval['schedule']>;

export interface ApprovalsDeps {
  db: Db;
  clock: Clock;
  notifier: Notifier;
  log: Logger;
  compose: Pick<ComposeService, 'get' | 'targetAccounts' | 'preflight'>;
  publish: {
    now(profileId: string, draftId: string): Promise<Post> | Post;
    schedule(profileId: string, draftId: string, schedule: Schedule): Promise<Post> | Post;
  };
  findPost(profileId: string, postId: string): Post | null;
  onChanged(profileId: string, waiting: number): void;
}

interface ApprovalRow {
  id: string;
  profile_id: string;
  client_name: string;
  kind: 'publish' | 'schedule';
  status: ApprovalStatus;
  draft_id: string | null;
  schedule_local: string | null;
  schedule_zone: string | null;
  requested_hash: string;
  shown: string;
  post_id: string | null;
  requested_at: number;
  decided_at: number | null;
}

/** What the user is shown of a request: everything that would go out, and nothing else. */
type Shown = Pick<Approval, 'text' | 'replies' | 'images' | 'video' | 'targets' | 'contentHash'>;

export class Approvals {
  constructor(private readonly deps: ApprovalsDeps) {}

  /** An assistant asks: checked by preflight first (so the user is never asked to approve what cannot go out), then kept, announced and notified. */
  async request(profileId: string, input: { draftId: string; schedule?: Schedule; clientName: string }): Promise<Approval> {
    const draft = await this.deps.compose.get(profileId, input.draftId);
    const issues = this.deps.compose.preflight(profileId, draft.id);
    if (issues.length > 0) {
      throw new AppError('preflight_failed', `Not asked: ${issues.map((issue) => `${issue.message} (${issue.ruleId})`).join(' ')}`, {
        action: 'Fix the draft, then ask again.',
      });
    }
    const shown = this.#shown(profileId, draft, input.schedule ?? null);
    const id = randomUUID();
    this.deps.db
      .prepare(
        `INSERT INTO approvals (id, profile_id, client_name, kind, status, draft_id, schedule_local, schedule_zone, requested_hash, shown, requested_at)
         VALUES (?, ?, ?, ?, 'awaiting_approval', ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, profileId, input.clientName, input.schedule ? 'schedule' : 'publish', draft.id, input.schedule?.local ?? null, input.schedule?.zone ?? null, shown.contentHash, JSON.stringify(shown), this.deps.clock.now());
    this.deps.log.info('An assistant asked to publish', { approval: id, client: input.clientName, targets: shown.targets.length });
    const where = shown.targets.map((target) => target.handle).join(', ');
    this.deps.notifier.notify(`${input.clientName} asks to ${input.schedule ? 'schedule' : 'publish'} a post`, `To ${where}. Open Localpost to read it, then approve or reject.`);
    this.#announce(profileId);
    return this.#approval(this.#row(profileId, id));
  }

  /** Waiting requests first (as they are now), then the decided ones (as they were), newest first. */
  async list(profileId: string): Promise<Approval[]> {
    const rows = this.deps.db
      .prepare(`SELECT * FROM approvals WHERE profile_id = +? ORDER BY status = 'awaiting_approval' DESC, requested_at DESC LIMIT 200`)
      .all(profileId) as ApprovalRow[];
    return Promise.all(rows.map((row) => this.#approval(row)));
  }

  async get(profileId: string, id: string): Promise<{ approval: Approval; post: Post | null }> {
    const approval = await this.#approval(this.#row(profileId, id));
    return { approval, post: approval.postId ? this.deps.findPost(profileId, approval.postId) : null };
  }

  /** The user approves what they were shown (its hash); anything else is refused as stale. */
  async approve(profileId: string, id: string, contentHash: string): Promise<Approval> {
    const row = this.#waiting(profileId, id);
    const current = await this.#approval(row);
    if (current.contentHash !== contentHash) {
      throw new AppError('approval_stale', 'The post changed since it was shown: nothing was sent.', { action: 'Read it again as it is now, then approve or reject.' });
    }
    const schedule = row.schedule_local && row.schedule_zone ? { local: row.schedule_local, zone: row.schedule_zone } : null;
    // Decided first, in one statement that only a waiting request passes: two clicks send once.
    const decidedAt = this.deps.clock.now();
    const claimed = this.deps.db
      .prepare(`UPDATE approvals SET status = 'approved', decided_at = ?, shown = ? WHERE id = ? AND status = 'awaiting_approval'`)
      .run(decidedAt, JSON.stringify(shownPart(current)), id);
    if (claimed.changes === 0) throw new AppError('approval_stale', 'This request was decided already.');
    try {
      const post = schedule ? await this.deps.publish.schedule(profileId, row.draft_id!, schedule) : await this.deps.publish.now(profileId, row.draft_id!);
      this.deps.db.prepare(`UPDATE approvals SET post_id = ? WHERE id = ?`).run(post.id, id);
    } catch (error) {
      // Not sent (preflight, a locked vault): it waits again, for the user to fix and approve.
      this.deps.db.prepare(`UPDATE approvals SET status = 'awaiting_approval', decided_at = NULL WHERE id = ?`).run(id);
      throw error;
    } finally {
      this.#announce(profileId);
    }
    this.deps.log.info('The user approved an assistant’s post', { approval: id, client: row.client_name });
    return this.#approval(this.#row(profileId, id));
  }

  async reject(profileId: string, id: string): Promise<Approval> {
    const row = this.#waiting(profileId, id);
    const shown = await this.#approval(row);
    this.deps.db
      .prepare(`UPDATE approvals SET status = 'rejected', decided_at = ?, shown = ? WHERE id = ? AND status = 'awaiting_approval'`)
      .run(this.deps.clock.now(), JSON.stringify(shownPart(shown)), id);
    this.deps.log.info('The user rejected an assistant’s post', { approval: id, client: row.client_name });
    this.#announce(profileId);
    return this.#approval(this.#row(profileId, id));
  }

  waitingCount(profileId: string): number {
    return (this.deps.db.prepare(`SELECT COUNT(*) AS n FROM approvals WHERE profile_id = ? AND status = 'awaiting_approval'`).get(profileId) as { n: number }).n;
  }

  #announce(profileId: string): void {
    this.deps.onChanged(profileId, this.waitingCount(profileId));
  }

  #row(profileId: string, id: string): ApprovalRow {
    const row = this.deps.db.prepare(`SELECT * FROM approvals WHERE id = ? AND profile_id = ?`).get(id, profileId) as ApprovalRow | undefined;
    if (!row) throw new AppError('not_found', 'No such request.');
    return row;
  }

  #waiting(profileId: string, id: string): ApprovalRow {
    const row = this.#row(profileId, id);
    if (row.status !== 'awaiting_approval') throw new AppError('approval_stale', 'This request was decided already.');
    return row;
  }

  /** A request as the user sees it: a waiting one from its draft as it is now, a decided one as it was shown. */
  async #approval(row: ApprovalRow): Promise<Approval> {
    const schedule = row.schedule_local && row.schedule_zone ? { local: row.schedule_local, zone: row.schedule_zone } : null;
    let shown = shownPart(JSON.parse(row.shown) as Shown);
    if (row.status === 'awaiting_approval' && row.draft_id) {
      const draft = await this.deps.compose.get(row.profile_id, row.draft_id).catch(() => null);
      if (draft) shown = this.#shown(row.profile_id, draft, schedule);
    }
    return {
      id: row.id,
      profileId: row.profile_id,
      clientName: row.client_name,
      kind: row.kind,
      status: row.status,
      draftId: row.draft_id,
      ...shown,
      schedule,
      changedSinceRequest: shown.contentHash !== row.requested_hash,
      postId: row.post_id,
      requestedAt: row.requested_at,
      decidedAt: row.decided_at,
    };
  }

  #shown(profileId: string, draft: Draft, schedule: Schedule | null): Shown {
    const hasMedia = draft.images.length > 0 || draft.video !== null;
    // What each account would post, its own text or the main one, cut as the outbox will cut it.
    const targets = this.deps.compose.targetAccounts(profileId, draft.id).map((account) => ({
      accountId: account.id,
      platform: account.platform,
      handle: account.handle,
      posts: partsFor(draft, { accountId: account.id, platform: account.platform, limits: account.limits }, hasMedia),
    }));
    const images = draft.images.map((image) => ({ id: image.id, alt: image.alt, previewDataUrl: image.previewDataUrl }));
    const video = draft.video ? { id: draft.video.id, alt: draft.video.alt, durationSeconds: draft.video.durationSeconds } : null;
    return { text: draft.text, replies: draft.replies, images, video, targets, contentHash: contentHashOf(draft, targets, schedule) };
  }
}

/** Only what was shown, from a request (kept as the audit of a decided one). A request from
 *  before reply chains and texts of their own showed the main text for every account. */
function shownPart({ text, replies, images, video, targets, contentHash }: Shown): Shown {
  return { text, replies: replies ?? [], images, video, targets: targets.map((target) => ({ ...target, posts: target.posts ?? [text] })), contentHash };
}

/**
 * The hash an approval names: everything that decides what goes out and where (the text, its
 * replies and each platform's or account's own text, each image and video by id with its alt
 * text, the link card, the targets, each platform's options, the time), so that no change to any
 * of it can ride on an earlier approval.
 */
export function contentHashOf(draft: Draft, targets: Array<{ accountId: string }>, schedule: Schedule | null): string {
  const content = {
    text: draft.text,
    replies: draft.replies,
    variants: draft.variants,
    splitLongPosts: draft.splitLongPosts,
    langs: draft.langs,
    images: draft.images.map((image) => [image.id, image.alt]),
    video: draft.video ? [draft.video.id, draft.video.alt] : null,
    linkCard: draft.linkCard?.url ?? null,
    contentWarning: draft.contentWarning,
    visibility: draft.visibility,
    platformOptions: draft.platformOptions,
    targets: targets.map((target) => target.accountId),
    schedule,
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url');
}
