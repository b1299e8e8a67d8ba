// Threads (Meta's Threads API) through the user's own Meta app with the Threads use case.
//
// Sign-in (developers.facebook.com/documentation/threads/get-started/get-access-tokens-and-permissions
// and /long-lived-tokens): the code flow on threads.com with the Threads app id and secret, no
// PKCE, an https redirect registered exactly (the engine's https loopback listener, or the pasted
// address). The code buys a short-lived token (1 hour), answered without `token_type`; it is
// exchanged at once for a long-lived one (60 days, `th_exchange_token`), which is what the vault
// keeps. There is no refresh token: the long-lived token renews itself (`th_refresh_token`) once it
// is at least 24 hours old and before it ends, so OAuthAccounts renews it a week ahead.
//
// Publishing (developers.facebook.com/documentation/threads/posts): a container (`POST
// /{user-id}/threads`), its status polled until FINISHED (publishing earlier fails with "Media Not
// Found", 24/4279009), then `POST /{user-id}/threads_publish?creation_id=`, and the permalink read
// for History.
//
// An image or a video goes the way Threads takes media: from a public address it fetches itself (posts,
// "image_url … must be on a public server"). So it is put in the user's media storage under a
// random key, handed over as a presigned address that lapses within the hour, and deleted once the
// container is no longer IN_PROGRESS (Threads has fetched it, or never will).
//
// Exactly once without an idempotency key: a container is not a post, and it never becomes one
// unless `threads_publish` names it; one whose creation answer was lost lapses unused after 24
// hours. So the container id is saved as the target's upload handle before anything can appear, and
// every later attempt settles from it: the container's `status` is PUBLISHED once the post exists
// (a lost publish answer), FINISHED while it does not (publish it now), EXPIRED or ERROR when it
// never will. Nothing is created on Threads before the handle is saved, and no attempt publishes
// a second container once one is saved: `dedupesRetries`.
import type { Account } from '../../../../src-preload/contract';
import { developerAppSpecs } from '../../../../src-shared/developerApps';
import { AppError } from '../../errors';
import { failureActions } from '../../http/platformFailure';
import { endpointsWithOverrides, type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';
import type { OAuthClientCredentials } from '../../oauth/oauthClient';
import type { TokenSet } from '../../oauth/tokenSet';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost } from '../adapter';
import type { DeveloperAppAdapterDeps, DeveloperAppSignIn } from '../developerAppSignIn';
import type { PlatformMediaStorage } from '../platformModule';
import { exchangeForLongLived, metaTokenRenewal } from '../meta/longLivedToken';
import { awaitContainer, ContainerMediaStorage, containerStatuses, publishContainer, settleContainer, type ContainerHandle, type ContainerStatus, type ContainerTarget } from '../meta/mediaContainer';
import { metaSignIn } from '../meta/metaSignIn';
import { graphCall, readGraphAnswer } from '../meta/graphApi';

const threadsDeveloperAppSpec = developerAppSpecs.threads;
const platformName = 'Threads';

// get-access-tokens-and-permissions; the API's host and version (overview: graph.threads.net).
const threadsDefaults = {
  authorizeUrl: 'https://threads.com/oauth/authorize',
  tokenUrl: 'https://graph.threads.net/oauth/access_token',
  apiBase: 'https://graph.threads.net/v1.0',
};

/** Threads' endpoints, with any LOCALPOST_THREADS_* overrides applied. */
export function threadsEndpoints(env: EnvRecord): OAuthEndpoints {
  return endpointsWithOverrides('threads', threadsDefaults, env);
}

const hour = 60 * 60_000;
const day = 24 * hour;

/** long-lived-tokens: the long-lived token's exchange and renewal live beside the code exchange,
 *  at the host's root (`/access_token`, `/refresh_access_token`). */
function tokenHostUrl(tokenUrl: string, path: string): URL {
  return new URL(path, tokenUrl);
}

/**
 * long-lived-tokens, "Refresh a long-lived token": `GET /refresh_access_token?grant_type=th_refresh_token`
 * with the token itself, only once it is at least 24 hours old (meta/longLivedToken.ts).
 */
export const renewThreadsToken = metaTokenRenewal(platformName, 'th_refresh_token', (tokenUrl) => tokenHostUrl(tokenUrl, '/refresh_access_token'));

/** Renewed a week ahead of the 60 days; the scheduler caps the lead at a quarter of the lifetime. */
export const threadsTokenPolicy = { refreshLeadMs: 7 * day, renew: renewThreadsToken };

export interface ThreadsAdapterDeps extends DeveloperAppAdapterDeps {
  mediaStorage: PlatformMediaStorage;
  /** The first wait between container status reads (default 1 s); each later one half again as long, up to 10 s. */
  statusPollDelayMs?: number;
  /** How long a container may stay IN_PROGRESS before the attempt ends (default 5 minutes; Meta
   *  suggests waiting about 30 seconds for media, posts#step-2). */
  processingWaitMs?: number;
}

/** What a target keeps between attempts: the container, and the post once published. */
interface ThreadsUploadHandle extends ContainerHandle {
  /** The image's key in the user's bucket, until it is deleted. */
  storageKey?: string;
}

export class ThreadsAdapter implements PlatformAdapter {
  readonly platform = 'threads' as const;
  // See the file's comment: nothing appears on Threads before the container id is saved, and every
  // later attempt settles from that container's status.
  readonly dedupesRetries = true;

  readonly #media: ContainerMediaStorage;

  constructor(private readonly deps: ThreadsAdapterDeps) {
    this.#media = new ContainerMediaStorage({ mediaStorage: deps.mediaStorage, log: deps.log, platformName });
  }

  developerAppSignIn(): DeveloperAppSignIn {
    return {
      platform: 'threads',
      spec: threadsDeveloperAppSpec,
      service: 'threads.com',
      endpoints: () => threadsEndpoints(this.deps.env),
      ...metaSignIn,
      scopes: threadsDeveloperAppSpec.scopes,
      upgradeTokens: (tokens, endpoints, client) => this.#longLived(tokens, endpoints, client),
      identify: (tokens, endpoints) => this.#identify(tokens, endpoints),
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await this.#call(account, 'GET', '/me?fields=id');
    }, 'needs_reauth');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    if (post.video && post.images.length > 0) {
      throw new AppError('media_unsupported', 'Localpost posts images or one video to Threads, not both.', { action: 'Keep the images or the video for Threads, then publish again.', delivery: 'not_sent' });
    }
    const saved = readHandle(post.uploadHandle.saved);
    if (saved) {
      const settled = await settleContainer(this.#container(account, post), saved);
      if (settled) return settled;
    }
    await this.#checkPublishingLimit(account, post.replyTo !== null);
    if (post.images.length > 1) {
      const carouselId = await this.#createCarousel(account, post);
      const handle: ThreadsUploadHandle = { containerId: carouselId };
      await post.uploadHandle.save(handle);
      this.deps.log.info('Threads carousel container created', { account: account.id, items: post.images.length });
      return publishContainer(this.#container(account, post), handle);
    }
    const image = post.images[0];
    const video = post.video;
    // The video is a file already: it goes to the bucket as it is, streamed from disk.
    const stored = video
      ? await this.#media.putFile({ path: video.path, size: video.bytes, mime: video.mime })
      : image
        ? await this.#store(image)
        : undefined;
    let containerId: string;
    try {
      containerId = await this.#createContainer(account, post, stored?.url);
    } catch (error) {
      if (stored) await this.#forget(stored.key);
      throw error;
    }
    const handle: ThreadsUploadHandle = { containerId, ...(stored ? { storageKey: stored.key } : {}) };
    await post.uploadHandle.save(handle);
    this.deps.log.info('Threads container created', { account: account.id });
    return publishContainer(this.#container(account, post), handle);
  }

  async disconnect(account: Account): Promise<void> {
    // Threads has no token revocation endpoint: the user removes the app under Settings →
    // Account → Website permissions in Threads.
    await this.deps.oauthAccounts.disconnect(account);
  }

  /** The image in the user's bucket, streamed from its file. */
  #store(image: OutgoingPost['images'][number]): Promise<{ key: string; url: string }> {
    return this.#media.putFile({ path: image.path, size: image.size, mime: image.mime });
  }

  /**
   * posts, "Carousel posts": each image its own item container (`is_carousel_item=true`), then one
   * CAROUSEL container naming them as `children`, with the text. The items are waited for until
   * FINISHED (Threads has fetched every image: they leave the bucket then), and none of them is a
   * post: only the carousel container is ever published.
   */
  async #createCarousel(account: Account, post: OutgoingPost): Promise<string> {
    const userId = this.#userId(account);
    const keys: string[] = [];
    try {
      const children: string[] = [];
      for (const image of post.images) {
        const stored = await this.#store(image);
        keys.push(stored.key);
        const form = new URLSearchParams({ media_type: 'IMAGE', is_carousel_item: 'true', image_url: stored.url, ...(image.alt.trim() ? { alt_text: image.alt.trim() } : {}) });
        const answer = (await this.#call(account, 'POST', `/${encodeURIComponent(userId)}/threads`, form)) as { id?: unknown };
        if (typeof answer.id !== 'string' || answer.id === '') {
          throw new AppError('platform_rejected', 'Threads answered without a carousel item’s container id.', { action: failureActions.tryLater, transient: true, delivery: 'not_sent' });
        }
        children.push(answer.id);
      }
      for (const child of children) await this.#awaitFinished(account, child);
      for (const key of keys.splice(0)) await this.#forget(key);
      const form = new URLSearchParams({ media_type: 'CAROUSEL', children: children.join(','), text: post.text, ...replyField(post) });
      const answer = (await this.#call(account, 'POST', `/${encodeURIComponent(userId)}/threads`, form)) as { id?: unknown };
      if (typeof answer.id !== 'string' || answer.id === '') {
        throw new AppError('platform_rejected', 'Threads answered without the carousel’s container id.', { action: failureActions.tryLater, transient: true, delivery: 'not_sent' });
      }
      return answer.id;
    } finally {
      for (const key of keys) await this.#forget(key);
    }
  }

  /**
   * Threads takes 250 posts and 1,000 replies a profile in 24 hours through the API (overview,
   * "Rate limits"; `GET /{user-id}/threads_publishing_limit`, `quota_usage`/`config` for posts,
   * `reply_quota_usage`/`reply_config` for replies): a reply chain's parts after the first count
   * as replies. At the cap the post waits instead of being refused after its media went up; Meta
   * does not say when the window frees a post, so it asks again in an hour. A failed look-up does
   * not hold the post: Threads' own refusal would still tell.
   */
  async #checkPublishingLimit(account: Account, isReply: boolean): Promise<void> {
    let usage: number | undefined;
    let total: number | undefined;
    const [usageField, configField] = isReply ? (['reply_quota_usage', 'reply_config'] as const) : (['quota_usage', 'config'] as const);
    try {
      const answer = (await this.#call(account, 'GET', `/${encodeURIComponent(this.#userId(account))}/threads_publishing_limit?fields=${usageField},${configField}`)) as {
        data?: Array<Record<string, unknown>>;
      };
      const entry = answer.data?.[0];
      const config = entry?.[configField] as { quota_total?: unknown } | undefined;
      usage = typeof entry?.[usageField] === 'number' ? (entry[usageField] as number) : undefined;
      total = typeof config?.quota_total === 'number' ? config.quota_total : undefined;
    } catch (error) {
      if (error instanceof AppError && error.code === 'platform_auth_failed') throw error;
      this.deps.log.warn('Threads publishing limit unavailable', { account: account.id, error });
      return;
    }
    if (usage !== undefined && total !== undefined && usage >= total) {
      throw new AppError('rate_limited', `${account.handle} has published the ${total} ${isReply ? 'replies' : 'posts'} Threads allows through apps in 24 hours.`, {
        action: 'Localpost tries again in an hour; nothing was posted.',
        retryAt: this.deps.clock.now() + hour,
        delivery: 'not_sent',
      });
    }
  }

  #forget(key: string): Promise<void> {
    return this.#media.remove(key);
  }

  async #createContainer(account: Account, post: OutgoingPost, mediaUrl?: string): Promise<string> {
    const userId = this.#userId(account);
    const image = post.images[0];
    const video = post.video;
    // posts: IMAGE takes `image_url`, VIDEO `video_url`, both an `alt_text`.
    const alt = (video?.alt ?? image?.alt ?? '').trim();
    const form = new URLSearchParams(
      mediaUrl && video
        ? { media_type: 'VIDEO', video_url: mediaUrl, text: post.text, ...(alt ? { alt_text: alt } : {}), ...replyField(post) }
        : mediaUrl && image
          ? { media_type: 'IMAGE', image_url: mediaUrl, text: post.text, ...(alt ? { alt_text: alt } : {}), ...replyField(post) }
          : { media_type: 'TEXT', text: post.text, ...replyField(post) },
    );
    const answer = (await this.#call(account, 'POST', `/${encodeURIComponent(userId)}/threads`, form)) as { id?: unknown };
    if (typeof answer.id !== 'string' || answer.id === '') {
      throw new AppError('platform_rejected', 'Threads answered without the post’s container id.', { action: failureActions.tryLater, transient: true, delivery: 'not_sent' });
    }
    return answer.id;
  }

  /** This target's container, for the steps Meta's platforms share (meta/mediaContainer.ts). */
  #container(account: Account, post: OutgoingPost): ContainerTarget<ThreadsUploadHandle> {
    return {
      platformName,
      log: this.deps.log,
      accountId: account.id,
      call: (method, path, form) => this.#call(account, method, path, form),
      userId: () => this.#userId(account),
      publishEdge: 'threads_publish',
      status: async (containerId) => (await this.#containerStatus(account, containerId)).status,
      awaitFinished: (containerId) => this.#awaitFinished(account, containerId),
      holdsStored: (handle) => Boolean(handle.storageKey),
      dropStored: (handle) => this.#dropStored(post, handle),
      saveHandle: (handle) => post.uploadHandle.save(handle),
      findPublished: (containerId) => this.#findPublished(account, post, containerId),
      onError: 'fail',
    };
  }

  async #dropStored(post: OutgoingPost, handle: ThreadsUploadHandle): Promise<ThreadsUploadHandle> {
    await this.#forget(handle.storageKey!);
    const { storageKey: _deleted, ...rest } = handle;
    await post.uploadHandle.save(rest);
    return rest;
  }

  /** The container's status until it is no longer IN_PROGRESS; ERROR and EXPIRED end the target. */
  #awaitFinished(account: Account, containerId: string): Promise<'FINISHED' | 'PUBLISHED'> {
    return awaitContainer(
      platformName,
      () => this.#containerStatus(account, containerId),
      ({ errorMessage }) =>
        new AppError('platform_rejected', `Threads could not prepare the post: ${errorMessage ?? 'it gave no reason'}.`, {
          action: failureActions.changeAndRetry,
          delivery: 'not_sent',
        }),
      { clock: this.deps.clock, ...(this.deps.statusPollDelayMs !== undefined ? { firstDelayMs: this.deps.statusPollDelayMs } : {}), ...(this.deps.processingWaitMs !== undefined ? { maxWaitMs: this.deps.processingWaitMs } : {}) },
    );
  }

  async #containerStatus(account: Account, containerId: string): Promise<{ status: ContainerStatus; errorMessage: string | null }> {
    const answer = (await this.#call(account, 'GET', `/${encodeURIComponent(containerId)}?fields=status,error_message`)) as { status?: unknown; error_message?: unknown };
    if (typeof answer.status !== 'string' || !containerStatuses.includes(answer.status)) {
      throw new AppError('platform_rejected', 'Threads answered a container’s status with one Localpost does not know.', { action: failureActions.tryLater, transient: true });
    }
    return { status: answer.status as ContainerStatus, errorMessage: typeof answer.error_message === 'string' ? answer.error_message : null };
  }

  /**
   * A container PUBLISHED by an attempt whose answer was lost: the post is among the account's
   * latest (`GET /{user-id}/threads`, posts#retrieve; a reply among its replies, `GET
   * /{user-id}/replies`, reply-management), found by its text; without it, the post still counts
   * as published once, with no link.
   */
  async #findPublished(account: Account, post: OutgoingPost, containerId: string): Promise<PublishedPost> {
    const edge = post.replyTo ? 'replies' : 'threads';
    try {
      const answer = (await this.#call(account, 'GET', `/${encodeURIComponent(this.#userId(account))}/${edge}?fields=id,permalink,text&limit=10`)) as {
        data?: Array<{ id?: unknown; permalink?: unknown; text?: unknown }>;
      };
      const match = answer.data?.find((item) => item.text === post.text && typeof item.id === 'string');
      if (match) return { uri: match.id as string, cid: null, url: typeof match.permalink === 'string' ? match.permalink : null };
    } catch (error) {
      this.deps.log.warn('Threads post lookup failed', { account: account.id, error });
    }
    return { uri: containerId, cid: null, url: null };
  }

  /** `th_exchange_token`: the short-lived token traded for the 60-day one the account keeps. */
  #longLived(tokens: TokenSet, endpoints: OAuthEndpoints, client: OAuthClientCredentials): Promise<TokenSet> {
    return exchangeForLongLived(platformName, {
      fetch: this.deps.fetch,
      now: this.deps.clock.now(),
      url: tokenHostUrl(endpoints.tokenUrl, '/access_token'),
      grantType: 'th_exchange_token',
      clientSecret: client.clientSecret,
      tokens,
      settingsPath: 'Threads',
    });
  }

  async #identify(tokens: TokenSet, endpoints: OAuthEndpoints) {
    const response = await this.deps.fetch(`${endpoints.apiBase}/me?fields=id,username,name,threads_profile_picture_url`, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
    });
    const me = (await this.#read(response)) as { id?: unknown; username?: unknown; name?: unknown; threads_profile_picture_url?: unknown };
    if (typeof me.id !== 'string' || typeof me.username !== 'string') {
      throw new AppError('platform_rejected', 'Threads did not say which account signed in.', { action: 'Connect again.' });
    }
    return {
      remoteId: me.id,
      handle: me.username,
      displayName: typeof me.name === 'string' && me.name.trim() ? me.name.trim() : null,
      avatarUrl: typeof me.threads_profile_picture_url === 'string' ? me.threads_profile_picture_url : null,
      extra: { apiBase: endpoints.apiBase, userId: me.id },
    };
  }

  #userId(account: Account): string {
    return this.deps.oauthAccounts.extra(account).userId ?? account.remoteId;
  }

  #apiBase(account: Account): string {
    return this.deps.oauthAccounts.extra(account).apiBase ?? threadsEndpoints(this.deps.env).apiBase;
  }

  /** A Graph API call with the account's token (Meta takes it as `Authorization: Bearer`). */
  #call(account: Account, method: 'GET' | 'POST', path: string, form?: URLSearchParams): Promise<unknown> {
    return graphCall(this.deps, account, { method, url: `${this.#apiBase(account)}${path}`, ...(form ? { form } : {}) }, (response) => this.#read(response));
  }

  #read(response: Response): Promise<object> {
    return readGraphAnswer(platformName, response, this.deps.clock.now());
  }
}

/** A reply chain's next part answers the one before: `reply_to_id` on its container (replies). */
function replyField(post: OutgoingPost): { reply_to_id?: string } {
  return post.replyTo ? { reply_to_id: post.replyTo.parent.uri } : {};
}

function readHandle(saved: unknown): ThreadsUploadHandle | null {
  if (!saved || typeof saved !== 'object') return null;
  const handle = saved as Partial<ThreadsUploadHandle>;
  if (typeof handle.containerId !== 'string' || handle.containerId === '') return null;
  return {
    containerId: handle.containerId,
    ...(typeof handle.mediaId === 'string' ? { mediaId: handle.mediaId } : {}),
    ...(typeof handle.storageKey === 'string' ? { storageKey: handle.storageKey } : {}),
  };
}

