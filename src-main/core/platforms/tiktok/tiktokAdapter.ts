// TikTok (Login Kit for Desktop + Content Posting API, Direct Post): the user brings their own
// developer app. Sign-in is the code flow to a loopback redirect with PKCE as TikTok's desktop kit
// wants it: the S256 challenge written in hex, and the client id sent as `client_key` with the
// secret in the body (developers.tiktok.com, login-kit-desktop and oauth-user-access-token-management).
// Refresh tokens rotate ("the previous refresh token stops working once a new one is issued"):
// OAuthAccounts stores the new one before the new access token is used.
//
// A video goes out as TikTok documents it: creator_info first, `video/init` with FILE_UPLOAD, the
// file PUT in chunks to the `upload_url`, then `status/fetch` until TikTok says how it ended
// (content-posting-api-reference-direct-post, -media-transfer-guide, -get-video-status).
//
// Exactly once without an idempotency key: the `publish_id` (with the upload address and how far
// the upload got) is saved as the target's upload handle before the first byte goes, and every
// later attempt continues from it or asks TikTok how it ended; it never starts a second init once
// one is saved. Before the handle exists nothing can appear on TikTok: an init whose answer was lost
// opened an upload that never receives a byte, which TikTok never posts (its upload_url lapses
// after an hour). So a retry is always safe: `dedupesRetries`.
import type { Account, TikTokCreatorInfo } from '../../../../src-preload/contract';
import { developerAppSpecs, tiktokAuditedSwitch } from '../../../../src-shared/developerApps';
import { tiktokPrivacyLevels, tiktokPrivacyLabels, type TikTokPrivacyLevel } from '../../../../src-shared/tiktok';
import { AppError } from '../../errors';
import { isTrustedUploadAddress } from '../../http/uploadAddress';
import { findAppError } from '../../http/httpClient';
import { chunkedUpload, chunkSpans } from '../../http/chunkedUpload';
import { streamedRequest } from '../../http/fileRangeBody';
import { failureActions } from '../../http/platformFailure';
import { isPassingTrouble, type UploadRetry } from '../../http/uploadSession';
import { registerSecret } from '../../log/redact';
import { endpointsWithOverrides, type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';
import type { TokenSet } from '../../oauth/tokenSet';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost } from '../adapter';
import type { DeveloperAppAdapterDeps, DeveloperAppSignIn } from '../developerAppSignIn';
import { knownTikTokError, tiktokErrorOf, tiktokProblem, tiktokRefusal } from './tiktokErrors';

const tiktokDeveloperAppSpec = developerAppSpecs.tiktok;

// oauth-user-access-token-management and oauth-revoke-a-user-access-token; the API host of every v2 call.
const tiktokDefaults = {
  authorizeUrl: 'https://www.tiktok.com/v2/auth/authorize/',
  tokenUrl: 'https://open.tiktokapis.com/v2/oauth/token/',
  revokeUrl: 'https://open.tiktokapis.com/v2/oauth/revoke/',
  apiBase: 'https://open.tiktokapis.com/v2',
};

/** TikTok's endpoints, with any LOCALPOST_TIKTOK_* overrides applied. */
export function tiktokEndpoints(env: EnvRecord): OAuthEndpoints {
  return endpointsWithOverrides('tiktok', tiktokDefaults, env);
}

const minute = 60_000;
/** Access tokens last 2 hours (24 in older apps; `expires_in` says which): refresh 10 minutes
 *  ahead. Refresh tokens last 180 days and each refresh brings a new one, so no notice is needed. */
export const tiktokTokenPolicy = { refreshLeadMs: 10 * minute };

const mb = 1024 * 1024;
/** Chunks of 10 MB: within TikTok's 5 to 64 MB, the last one then at most 20 MB (≤ 128 MB), and a
 *  4 GB video 409 chunks (≤ 1000) (content-posting-api-media-transfer-guide). */
const defaultChunkBytes = 10 * mb;

export interface TikTokAdapterDeps extends DeveloperAppAdapterDeps {
  /** The first wait between status fetches (default 2 s); each later one half again as long, up to 15 s. */
  statusPollDelayMs?: number;
  /** How long TikTok may keep an uploaded video processing before the target ends (default 3 minutes). */
  moderationWaitMs?: number;
  uploadRetry?: UploadRetry;
}

/** What a target keeps between attempts (OutgoingPost.uploadHandle). */
interface TikTokUploadHandle {
  publishId: string;
  uploadUrl: string;
  videoBytes: number;
  chunkBytes: number;
  /** Bytes TikTok acknowledged, from the start of the file. */
  uploadedBytes: number;
}

/** `creator_info/query`'s data. */
interface CreatorInfoData {
  creator_avatar_url?: string;
  creator_username?: string;
  creator_nickname?: string;
  privacy_level_options?: string[];
  comment_disabled?: boolean;
  duet_disabled?: boolean;
  stitch_disabled?: boolean;
  max_video_post_duration_sec?: number;
}

/** `status/fetch`'s data (content-posting-api-reference-get-video-status; `publicaly` is TikTok's spelling). */
interface StatusData {
  status?: 'PROCESSING_UPLOAD' | 'PROCESSING_DOWNLOAD' | 'SEND_TO_USER_INBOX' | 'PUBLISH_COMPLETE' | 'FAILED';
  fail_reason?: string;
  publicaly_available_post_id?: Array<string | number>;
  uploaded_bytes?: number;
}

export class TikTokAdapter implements PlatformAdapter {
  readonly platform = 'tiktok' as const;
  // See the file's comment: nothing appears on TikTok before the publish_id is saved, and every
  // later attempt goes on from it.
  readonly dedupesRetries = true;

  constructor(private readonly deps: TikTokAdapterDeps) {}

  developerAppSignIn(): DeveloperAppSignIn {
    return {
      platform: 'tiktok',
      spec: tiktokDeveloperAppSpec,
      service: 'tiktok.com',
      endpoints: () => tiktokEndpoints(this.deps.env),
      // client_key and client_secret go in the form body of every token request.
      clientAuthMethod: 'client_secret_post',
      scopes: tiktokDeveloperAppSpec.scopes,
      // `scope=user.info.basic,video.publish`, comma-separated as the authorize page documents; PKCE
      // with the hex challenge of Login Kit for Desktop; the client id named `client_key`.
      authorization: { scopeSeparator: ',', pkceChallengeEncoding: 'hex', clientIdParameter: 'client_key' },
      identify: (tokens, endpoints) => this.#identify(tokens, endpoints),
      // TikTok's token endpoint answers a wrong client_key or secret with invalid_client and a code
      // it never issued with invalid_grant (oauth-user-access-token-management, error responses).
      credentialCheck: { codeRefused: ['invalid_grant'] },
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await this.#call(account, 'GET', '/user/info/?fields=open_id');
    }, 'needs_reauth');
  }

  /** What the creator may post now, for the composer; only SELF_ONLY for an app TikTok has not audited. */
  readonly creatorInfo = {
    get: (account: Account): Promise<TikTokCreatorInfo> => this.#creatorInfo(account),
  };

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const video = post.video;
    if (!video) {
      throw new AppError('invalid_input', 'TikTok posts a video, and this post has none.', { action: 'Add a video to the post, then publish again.' });
    }
    const saved = readHandle(post.uploadHandle.saved);
    if (saved && saved.videoBytes === video.bytes) return this.#continue(account, post, saved);

    // TikTok asks that creator_info be read before every post (content-sharing-guidelines): the
    // audience chosen must be one it offers now, the video no longer than the creator may post.
    const options = post.platformOptions.tiktok;
    const privacy = options?.privacy[account.id];
    const creator = await this.#creatorInfo(account);
    if (!privacy || !creator.privacyLevels.includes(privacy)) {
      throw new AppError('invalid_input', privacy ? `${account.handle} cannot post to “${tiktokPrivacyLabels[privacy]}” on TikTok now.` : `No audience was chosen for the video on ${account.handle}.`, {
        action: 'Open the post in the composer, choose who can see the video among the levels shown, then publish again.',
        delivery: 'not_sent',
      });
    }
    if (video.durationSeconds > creator.maxVideoSeconds) {
      throw new AppError('media_unsupported', `The video lasts ${Math.ceil(video.durationSeconds)} seconds, and ${account.handle} may post videos of at most ${creator.maxVideoSeconds} seconds on TikTok.`, {
        action: 'Shorten the video, then publish again.',
        delivery: 'not_sent',
      });
    }
    const chunkBytes = video.bytes <= defaultChunkBytes ? video.bytes : defaultChunkBytes;
    const chunks = chunkSpans(video.bytes, chunkBytes, { remainderJoinsLast: true });
    const disclose = options?.disclose ?? false;
    const response = await this.#call(account, 'POST', '/post/publish/video/init/', {
      post_info: {
        title: post.text,
        privacy_level: privacy,
        // Off unless the user turned them on, and always off where the creator turned them off.
        disable_comment: !(options?.allowComment ?? false) || creator.commentDisabled,
        disable_duet: !(options?.allowDuet ?? false) || creator.duetDisabled,
        disable_stitch: !(options?.allowStitch ?? false) || creator.stitchDisabled,
        brand_content_toggle: disclose && (options?.brandedContent ?? false),
        brand_organic_toggle: disclose && (options?.yourBrand ?? false),
      },
      source_info: { source: 'FILE_UPLOAD', video_size: video.bytes, chunk_size: chunkBytes, total_chunk_count: chunks.length },
    });
    const data = (response as { data?: { publish_id?: unknown; upload_url?: unknown } }).data;
    if (typeof data?.publish_id !== 'string' || !isTrustedUploadAddress(data.upload_url, this.#apiBase(account))) {
      throw new AppError('platform_rejected', 'TikTok answered the upload’s start without its publish id or a safe upload address.', {
        action: failureActions.tryLater,
        transient: true,
        delivery: 'not_sent',
      });
    }
    // The upload_url carries TikTok's upload token: a capability for an hour, kept out of every log.
    registerSecret(data.upload_url);
    const handle: TikTokUploadHandle = { publishId: data.publish_id, uploadUrl: data.upload_url, videoBytes: video.bytes, chunkBytes, uploadedBytes: 0 };
    await post.uploadHandle.save(handle);
    this.deps.log.info('TikTok upload started', { account: account.id, chunks: chunks.length });
    return this.#continue(account, post, handle, { fresh: true });
  }

  async disconnect(account: Account): Promise<void> {
    // POST /v2/oauth/revoke/ with client_key, client_secret and the token (oauth-revoke-a-user-access-token).
    await this.deps.oauthAccounts.disconnect(account);
  }

  /**
   * Goes on from a saved publish_id: asks TikTok where the upload stands (a lost answer to the
   * last chunk may have completed it), sends what it lacks, then waits for TikTok to say how the
   * post ended.
   */
  async #continue(account: Account, post: OutgoingPost, handle: TikTokUploadHandle, { fresh = false } = {}): Promise<PublishedPost> {
    const video = post.video!;
    registerSecret(handle.uploadUrl);
    let current = handle;
    // A publish_id from an earlier attempt: TikTok may hold more than it acknowledged to us.
    if (!fresh && current.uploadedBytes < current.videoBytes) {
      const status = await this.#status(account, current).catch(async (error: unknown) => {
        const found = findAppError(error);
        if (found?.code !== 'platform_rejected' || found.transient) throw error;
        // TikTok no longer knows this publish_id (it lapsed), and it never had all the bytes: it
        // cannot be posted, so a new upload is safe.
        await post.uploadHandle.save(null);
        throw new AppError('platform_rejected', `TikTok no longer knows this upload: ${found.message}. Nothing was posted.`, {
          action: 'Localpost starts the upload over by itself.',
          transient: true,
          delivery: 'not_sent',
          cause: found,
        });
      });
      if (status.status === 'FAILED') return this.#failed(post, status);
      // TikTok's count is the truth where it gives one on a chunk's edge; else what it acknowledged to us.
      const acknowledged = status.status === 'PROCESSING_UPLOAD' ? status.uploaded_bytes : current.videoBytes;
      if (acknowledged !== undefined && acknowledged > current.uploadedBytes) {
        current = { ...current, uploadedBytes: acknowledged };
        await post.uploadHandle.save(current);
      }
    }
    if (current.uploadedBytes < current.videoBytes) {
      const chunks = chunkSpans(current.videoBytes, current.chunkBytes, { remainderJoinsLast: true });
      const resumeAt = chunks.some((chunk) => chunk.start === current.uploadedBytes) || current.uploadedBytes === current.videoBytes ? current.uploadedBytes : 0;
      await chunkedUpload({
        file: { path: video.path, size: current.videoBytes },
        chunks,
        resumeFrom: { uploadedBytes: resumeAt },
        sendChunk: async (chunk, signal) => {
          const response = await this.deps.fetch(current.uploadUrl, {
            ...streamedRequest(chunk.body(), { 'content-type': video.mime, 'content-range': chunk.contentRange }),
            method: 'PUT',
            ...(signal ? { signal } : {}),
          });
          // 206 for a chunk TikTok keeps, 201 once the file is complete (media-transfer-guide).
          if (response.status === 201 || response.status === 206 || response.ok) {
            await response.body?.cancel();
            return;
          }
          if (response.status === 403 || response.status === 404 || response.status === 410) {
            // The upload address lapsed (it lasts an hour): this publish can never complete, so a
            // new one is safe; the next attempt starts over.
            await response.body?.cancel();
            await post.uploadHandle.save(null);
            throw new AppError('platform_rejected', 'TikTok no longer takes this upload (its address lapsed). Nothing was posted.', {
              action: 'Localpost starts the upload over by itself.',
              transient: true,
              delivery: 'not_sent',
            });
          }
          throw await tiktokProblem(response, this.deps.clock.now());
        },
        saveState: async (state) => {
          current = { ...current, uploadedBytes: state.uploadedBytes ?? current.uploadedBytes };
          await post.uploadHandle.save(current);
        },
        onProgress: ({ sentBytes, totalBytes }) => post.reportProgress(sentBytes, totalBytes),
        ...(this.deps.uploadRetry ? { retry: this.deps.uploadRetry } : {}),
      });
    }
    return this.#awaitOutcome(account, post, current);
  }

  /**
   * Polls `status/fetch` until TikTok says PUBLISH_COMPLETE or FAILED. A video TikTok still
   * processes (moderation can take minutes to hours, and the post id comes only after it) once the
   * wait is over ends the target as published without a link: the upload is complete and TikTok
   * has it, nothing Localpost could send would change how moderation ends, and holding the target
   * would keep the outbox retrying a post that is no longer its to make.
   */
  async #awaitOutcome(account: Account, post: OutgoingPost, handle: TikTokUploadHandle): Promise<PublishedPost> {
    const deadline = this.deps.clock.now() + (this.deps.moderationWaitMs ?? 3 * minute);
    for (let delayMs = this.deps.statusPollDelayMs ?? 2000; ; delayMs = Math.min(delayMs * 1.5, 15_000)) {
      let status: StatusData;
      try {
        status = await this.#status(account, handle);
      } catch (error) {
        // A status fetch that failed in passing changes nothing: the upload is done; ask again.
        if (!isPassingTrouble(error) || this.deps.clock.now() >= deadline) throw error;
        status = { status: 'PROCESSING_UPLOAD' };
      }
      if (status.status === 'PUBLISH_COMPLETE') {
        const postId = status.publicaly_available_post_id?.map(String).find((id) => id.trim());
        const username = this.deps.oauthAccounts.extra(account).username;
        return {
          uri: postId ?? handle.publishId,
          cid: null,
          // A private (SELF_ONLY) video has no public id: no link that would lead nowhere.
          url: postId && username ? `https://www.tiktok.com/@${encodeURIComponent(username)}/video/${encodeURIComponent(postId)}` : null,
        };
      }
      if (status.status === 'FAILED') return this.#failed(post, status);
      if (this.deps.clock.now() >= deadline) {
        this.deps.log.info('TikTok still processing the video: published without a link', { account: account.id });
        return { uri: handle.publishId, cid: null, url: null };
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  /** TikTok ended the publish: nothing was posted, so the handle goes and a retry starts afresh. */
  async #failed(post: OutgoingPost, status: StatusData): Promise<never> {
    await post.uploadHandle.save(null);
    const reason = status.fail_reason || 'no reason given';
    // A fail_reason that is one of TikTok's error codes (duration_check_failed, spam_risk_too_many_posts…)
    // reads as that error; "internal" is TikTok's own trouble and worth another try.
    const known = knownTikTokError({ code: reason, message: 'TikTok did not publish the video', logId: null }, undefined, this.deps.clock.now());
    if (known) throw known;
    throw new AppError('platform_rejected', `TikTok did not publish the video: ${reason}. Nothing was posted.`, {
      action: reason === 'internal' ? failureActions.tryLater : failureActions.changeAndRetry,
      transient: reason === 'internal',
      delivery: 'not_sent',
    });
  }

  async #status(account: Account, handle: TikTokUploadHandle): Promise<StatusData> {
    const answer = await this.#call(account, 'POST', '/post/publish/status/fetch/', { publish_id: handle.publishId });
    return ((answer as { data?: StatusData }).data ?? {}) as StatusData;
  }

  async #creatorInfo(account: Account): Promise<TikTokCreatorInfo> {
    const answer = await this.#call(account, 'POST', '/post/publish/creator_info/query/', {});
    return this.#asCreator((answer as { data?: CreatorInfoData }).data ?? {});
  }

  #asCreator(data: CreatorInfoData): TikTokCreatorInfo {
    const offered = (data.privacy_level_options ?? []).filter((level): level is TikTokPrivacyLevel => (tiktokPrivacyLevels as readonly string[]).includes(level));
    const onlyPrivate = this.deps.developerApp.read().switches?.[tiktokAuditedSwitch] !== true;
    return {
      nickname: data.creator_nickname ?? '',
      username: data.creator_username ?? '',
      avatarUrl: data.creator_avatar_url || null,
      privacyLevels: onlyPrivate ? offered.filter((level) => level === 'SELF_ONLY') : offered,
      commentDisabled: data.comment_disabled === true,
      duetDisabled: data.duet_disabled === true,
      stitchDisabled: data.stitch_disabled === true,
      maxVideoSeconds: Math.max(0, Math.floor(data.max_video_post_duration_sec ?? 0)),
      onlyPrivate,
      fetchedAt: this.deps.clock.now(),
    };
  }

  /**
   * The account as user.info.basic shows it (`GET /v2/user/info/`): open_id names it, the display
   * name and avatar describe it. The creator's username, which user.info.basic does not include,
   * comes from creator_info where TikTok answers it (video.publish is granted by then).
   */
  async #identify(tokens: TokenSet, endpoints: OAuthEndpoints) {
    const direct = (method: 'GET' | 'POST', path: string, body?: unknown) =>
      this.deps.fetch(`${endpoints.apiBase}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json; charset=UTF-8' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const response = await direct('GET', '/user/info/?fields=open_id,union_id,avatar_url,display_name');
    const answer = await this.#read(response);
    const user = (answer as { data?: { user?: { open_id?: string; union_id?: string; avatar_url?: string; display_name?: string } } }).data?.user;
    if (!user?.open_id) {
      throw new AppError('platform_rejected', 'TikTok did not say which account signed in.', { action: 'Connect again.' });
    }
    let username = '';
    try {
      const creator = (await this.#read(await direct('POST', '/post/publish/creator_info/query/', {}))) as { data?: CreatorInfoData };
      username = creator.data?.creator_username?.trim() ?? '';
    } catch (error) {
      // The account connects without it; its handle is then the display name.
      this.deps.log.warn('TikTok creator_info unavailable at connect', { error });
    }
    const displayName = user.display_name?.trim() || null;
    return {
      remoteId: user.open_id,
      handle: username || displayName || user.open_id,
      displayName,
      avatarUrl: user.avatar_url ?? null,
      extra: {
        apiBase: endpoints.apiBase,
        openId: user.open_id,
        ...(user.union_id ? { unionId: user.union_id } : {}),
        ...(username ? { username } : {}),
      },
    };
  }

  /** The API address the account was connected with (saved with its sign-in). */
  #apiBase(account: Account): string {
    const apiBase = this.deps.oauthAccounts.extra(account).apiBase;
    if (!apiBase) throw new AppError('platform_auth_failed', `${account.handle} has no saved TikTok address.`, { action: failureActions.reconnect });
    return apiBase;
  }

  async #call(account: Account, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const apiBase = this.#apiBase(account);
    const response = await this.deps.oauthAccounts.authorizedFetch(account, `${apiBase}${path}`, {
      method,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return this.#read(response);
  }

  /** The envelope's data, or its error as an AppError (an error can come with HTTP 200). */
  async #read(response: Response): Promise<unknown> {
    if (!response.ok) throw await tiktokProblem(response, this.deps.clock.now());
    const answer: unknown = await response.json().catch(() => null);
    const error = tiktokErrorOf(answer);
    if (error) throw tiktokRefusal(error, response.status, response.headers, this.deps.clock.now());
    return answer;
  }
}

function readHandle(saved: unknown): TikTokUploadHandle | null {
  if (!saved || typeof saved !== 'object') return null;
  const handle = saved as Partial<TikTokUploadHandle>;
  const count = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  return typeof handle.publishId === 'string' && typeof handle.uploadUrl === 'string' && count(handle.videoBytes) && count(handle.chunkBytes) && count(handle.uploadedBytes)
    ? (handle as TikTokUploadHandle)
    : null;
}
