// The shape every platform adapter fills in, so that adding a platform is filling in a known
// form: check an account's connection, publish one post to it, disconnect it.
import type { Account, Board, MastodonVisibility, PlatformPostOptions, TikTokCreatorInfo } from '../../../src-preload/contract';
import { AppError } from '../errors';
import type { StreamedBody } from '../http/fileRangeBody';
import { findAppError } from '../http/httpClient';

/** What a post carries to one target, after the composer's preflight passed. */
export interface OutgoingPost {
  text: string;
  langs: string[];
  /** Mastodon only: the content warning (empty for none) and who sees the post. */
  contentWarning: string;
  visibility: MastodonVisibility;
  /** The fields only some platforms have (a pin's board, title and link). */
  platformOptions: PlatformPostOptions;
  images: OutgoingImage[];
  linkCard: { url: string; title: string; description: string; image: { bytes: Buffer; mime: string } | null } | null;
  /** The post's one video, as a file on disk and the facts the platforms ask for: never its bytes
   *  in memory (a video may be gigabytes); an adapter streams it from `path`. */
  video: OutgoingVideo | null;
  /** An adapter uploading a file says how far it got (bytes handed to the connection, of the
   *  request's whole body), as often as it likes: the outbox throttles what the user sees. */
  reportProgress(sentBytes: number, totalBytes: number): void;
  /**
   * Where an upload by a platform's resumable session stands, kept with the target across
   * attempts and restarts: `saved` is what the adapter saved on an earlier attempt (null on the
   * first), JSON it parses itself. `save` is durable once it resolves; an adapter saves the
   * platform's handle (Google's session address, TikTok's publish_id) before the first byte, and
   * again as the upload moves on, so a later attempt continues it or asks the platform how it
   * ended instead of making a second video.
   */
  uploadHandle: { saved: unknown; save(handle: unknown): Promise<void> };
  createdAt: number;
  /**
   * For a reply in a reply chain: the chain's first post and the post this one answers, as the
   * platform identified them when they were published (`uri`, and `cid` where the platform has
   * one). Null for a single post and for a chain's first post. Only a platform whose rules say
   * `replyChains` is ever given one; the media go with the first post alone.
   */
  replyTo: { root: PostReference; parent: PostReference } | null;
  /** Chosen when the target entered the outbox and the same for every attempt at it, so a
   *  platform that honours idempotency keys (Mastodon's `Idempotency-Key`) or takes our own record
   *  key (Bluesky's rkey) never posts a retry twice. */
  idempotencyKey: string;
}

/**
 * One of a post's images: its file in the post's own folder and what the composer recorded of it.
 * Read only when and where a request sends it: streamed from disk as the request's body or a
 * multipart part (`body`, `path`) or to the user's bucket, or read whole for the one request that
 * needs its bytes (`read`), so a post to ten platforms does not hold its image ten times in memory
 * while its targets wait their turn.
 */
export interface OutgoingImage {
  path: string;
  /** Bytes on disk. */
  size: number;
  mime: string;
  alt: string;
  width: number;
  height: number;
  read(): Promise<Buffer>;
  /** The file as a request body, read from disk in small pieces as the connection takes them;
   *  a new one for each request (a streamed body is sent once). */
  body(): StreamedBody;
}

export interface OutgoingVideo {
  path: string;
  mime: string;
  bytes: number;
  durationSeconds: number;
  width: number;
  height: number;
  /** Alt text (empty for none), for the platforms that show it with a video. */
  alt: string;
}

/** A published post as a reply names it: the platform's id (an at:// URI, a status id) and, on
 *  Bluesky, the record's CID. */
export interface PostReference {
  uri: string;
  cid: string | null;
}

export interface PublishedPost {
  /** The platform's id for the post (an at:// URI on Bluesky, a message id), when it gives one
   *  (Slack's incoming webhooks answer only "ok"). */
  uri: string | null;
  cid: string | null;
  /** A web link a person can open, when the platform has one. */
  url: string | null;
  /** The platform said this account has no requests left until then (quotaExhaustedUntil). */
  quotaResetAt?: number;
}

export type ConnectionCheck =
  | { status: 'connected' }
  | { status: 'needs_reauth' | 'revoked' | 'expired' | 'error'; reason: string };

/** What a credential-shaped connect (webhook URL, bot token) yields before it is saved. */
export interface VerifiedConnection<Credential> {
  /** The platform's non-secret id for the target: the same id again means the same account. */
  remoteId: string;
  handle: string;
  service: string;
  credential: Credential;
}

export interface PlatformAdapter {
  readonly platform: Account['platform'];
  checkConnection(account: Account): Promise<ConnectionCheck>;
  publish(account: Account, post: OutgoingPost): Promise<PublishedPost>;
  /** Ends the session at the platform where it can; never throws for a platform-side failure. */
  disconnect(account: Account): Promise<void>;

  // Exactly once: how a target whose last attempt may have reached the platform
  // (a timeout, a reset, a crash mid-request) is settled without posting twice. An adapter with
  // neither of the two below leaves such a target `unknown` for the user to settle.

  /**
   * Re-sending is safe: the platform drops a repeated request carrying the same idempotency key
   * (Mastodon), or the adapter continues from its saved upload handle and nothing is created
   * before it saves one (YouTube's resumable session, TikTok's publish_id).
   */
  readonly dedupesRetries?: boolean;
  /**
   * Re-sending this one target is safe, judged from what its last attempt left: an adapter whose
   * post request comes only after an upload that creates no post (LinkedIn's video) knows that an
   * attempt cut off before it saved "posting" in its upload handle made no post. Asked where
   * `dedupesRetries` is not set.
   */
  resendIsSafe?(attempt: { hasVideo: boolean; uploadHandle: unknown }): boolean;
  /**
   * Looks for the post an uncertain attempt may have made: it, `null` when it surely is not
   * there (send again), `undefined` when the platform cannot tell now (ask again later, then the
   * user), or `unidentifiable` when nothing the platform shows could tell this post from another
   * (a pin or tweet without text): asking again would not help, so the user decides at once.
   */
  findPublished?(account: Account, post: OutgoingPost, sentAfter: number): Promise<PublishedPost | null | undefined | typeof unidentifiable>;
  /** Platforms whose posts go to one of the account's boards (Pinterest). */
  readonly boards?: BoardSource;
  /** Platforms that must show what the creator may post before each post (TikTok's creator_info). */
  readonly creatorInfo?: CreatorInfoSource;
  /** A new target's idempotency key, when the platform needs a particular shape (Bluesky: a TID
   *  record key). A random UUID otherwise. */
  newIdempotencyKey?(): string;
}

/** An account's boards at the platform: every one it can post to, and a new one. */
export interface BoardSource {
  list(account: Account): Promise<Board[]>;
  create(account: Account, board: { name: string }): Promise<Board>;
}

/** What the creator may post now, read from the platform each time it is asked. */
export interface CreatorInfoSource {
  get(account: Account): Promise<TikTokCreatorInfo>;
}

/** What findPublished answers for a post no lookup can identify (see PlatformAdapter.findPublished). */
export const unidentifiable = 'unidentifiable';

/**
 * Runs a harmless authenticated call and reads its outcome as a status: a refused credential is
 * `refusedAs` (revoked for a deleted webhook, needs_reauth for an OAuth grant), anything else an
 * `error` whose next action is to check again.
 */
export async function checkWith(probe: () => Promise<unknown>, refusedAs: 'revoked' | 'needs_reauth'): Promise<ConnectionCheck> {
  try {
    await probe();
    return { status: 'connected' };
  } catch (error) {
    const mapped = findAppError(error) ?? new AppError('internal', 'The check failed unexpectedly.');
    if (mapped.code === 'platform_auth_failed') return { status: refusedAs, reason: mapped.message };
    return { status: 'error', reason: mapped.message };
  }
}
