// Instagram (the Instagram API with Instagram Login) through the user's own Meta app.
//
// Sign-in (developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/
// business-login): the code flow on www.instagram.com with the Instagram app id and secret, no
// PKCE, an https redirect registered exactly (the engine's https loopback listener, or the pasted
// address, whose trailing `#_` the engine drops). The code buys a short-lived token at
// api.instagram.com (1 hour); it is exchanged at once for a long-lived one on graph.instagram.com
// (60 days, `ig_exchange_token`, reference/access_token), which is what the vault keeps. There is
// no refresh token: the long-lived token renews itself (`ig_refresh_token`,
// reference/refresh_access_token) once it is at least 24 hours old and before it ends.
//
// A second kind of account: an Instagram professional account linked to a Facebook Page, signed in
// through Facebook Login (the Facebook Pages platform saves it, `extra.login` 'facebook'). Its
// token is the Page's, which does not expire and is never renewed here, and its calls go to
// graph.facebook.com; the publishing API is the same on both hosts (content-publishing).
//
// Publishing (content-publishing; reference ig-user/media, ig-container, ig-user/media_publish):
// a container (`POST /{ig-user-id}/media`), its `status_code` polled until FINISHED, then
// `POST /{ig-user-id}/media_publish?creation_id=`, and the permalink read for History. A photo is
// `image_url` (JPEG only: others are converted first) with its `alt_text`; a Reel is
// `media_type=REELS` with `video_url`; a carousel is one item container each
// (`is_carousel_item=true`), all FINISHED, then the CAROUSEL container naming them.
//
// Instagram takes no upload: it fetches each file from a public address. So it is put in the user's
// media storage under a random key, handed over as a presigned address, and deleted once its
// container is no longer IN_PROGRESS (Instagram has fetched it, or never will).
//
// Exactly once without an idempotency key: a container is not a post, and never becomes one unless
// `media_publish` names it; an unpublished one expires after 24 hours. So the container id is saved
// as the target's upload handle before anything can appear, and every later attempt settles from
// it: PUBLISHED (a lost publish answer) is done, FINISHED is published now, EXPIRED or ERROR never
// will be. No attempt publishes a second container once one is saved: `dedupesRetries`.
import type { Account, Settings } from '../../../../src-preload/contract';
import { developerAppSpecs } from '../../../../src-shared/developerApps';
import type { MediaTools } from '../../media/mediaTools';
import { AppError } from '../../errors';
import { failureActions } from '../../http/platformFailure';
import { endpointsWithOverrides, type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';
import type { OAuthClientCredentials } from '../../oauth/oauthClient';
import type { TokenRenewal } from '../../oauth/tokenRefresher';
import type { TokenSet } from '../../oauth/tokenSet';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost } from '../adapter';
import type { DeveloperAppAdapterDeps, DeveloperAppSignIn } from '../developerAppSignIn';
import type { PlatformMediaStorage } from '../platformModule';
import { metaSignIn } from '../meta/metaSignIn';
import { facebookHosts, graphApiBase, graphCall, readGraphAnswer } from '../meta/graphApi';
import { instagramService, type InstagramAccountExtra } from '../meta/linkedInstagram';
import { exchangeForLongLived, metaTokenRenewal } from '../meta/longLivedToken';
import { awaitContainer, ContainerMediaStorage, containerStatuses, publishContainer, settleContainer, type ContainerHandle, type ContainerStatus, type ContainerTarget } from '../meta/mediaContainer';
import { metaGraphRefusal, metaSaid, type MetaGraphError } from '../meta/metaGraphErrors';

const instagramDeveloperAppSpec = developerAppSpecs.instagram;
const platformName = 'Instagram';

// business-login: authorize on www.instagram.com, the code exchanged at api.instagram.com; the API
// (and the long-lived token's exchange and renewal) on graph.instagram.com. The version is the
// user's setting, added at each call.
const instagramDefaults = {
  authorizeUrl: 'https://www.instagram.com/oauth/authorize',
  tokenUrl: 'https://api.instagram.com/oauth/access_token',
  apiBase: 'https://graph.instagram.com',
};

/** Instagram's endpoints, with any LOCALPOST_INSTAGRAM_* overrides applied (apiBase without a version). */
export function instagramEndpoints(env: EnvRecord): OAuthEndpoints {
  return endpointsWithOverrides('instagram', instagramDefaults, env);
}

const hour = 60 * 60_000;
const day = 24 * hour;

/**
 * Where the long-lived token is exchanged and renewed: graph.instagram.com's root
 * (reference/access_token, reference/refresh_access_token), beside the code exchange on
 * api.instagram.com; a test's one server serves both.
 */
function tokenHostUrl(tokenUrl: string, pathname: string): URL {
  const url = new URL(pathname, tokenUrl);
  if (url.hostname === 'api.instagram.com') url.hostname = 'graph.instagram.com';
  return url;
}

const renewLongLived = metaTokenRenewal(platformName, 'ig_refresh_token', (tokenUrl) => tokenHostUrl(tokenUrl, '/refresh_access_token'));

/**
 * reference/refresh_access_token: `GET /refresh_access_token?grant_type=ig_refresh_token` with the
 * token itself, which Meta renews only "at least 24 hours old but has not expired": a younger one is
 * not sent, and the refusal says when it may be. A token without an end is a Facebook Page's
 * (an account signed in through Facebook): nothing renews it, and when Meta refuses it (190) the
 * Facebook account is reconnected.
 */
export const renewInstagramToken: TokenRenewal = async (tokens, context) => {
  if (tokens.expiresAt === undefined) {
    throw new AppError('platform_rejected', 'This Instagram account signed in through Facebook, whose sign-in does not expire and is not renewed.', {
      action: 'If Instagram refuses it, reconnect the Facebook account it came with.',
    });
  }
  return renewLongLived(tokens, context);
};

/** Renewed a week ahead of the 60 days; the scheduler caps the lead at a quarter of the lifetime. */
export const instagramTokenPolicy = { refreshLeadMs: 7 * day, renew: renewInstagramToken };

/**
 * Meta's error subcodes for content publishing (content-publishing, "Troubleshooting"; the
 * Instagram Platform's error codes page) in Localpost's words: what went wrong and what to do.
 */
const mediaProblems: Record<number, { code: 'platform_rejected' | 'media_unsupported' | 'rate_limited'; message: string; action: string; transient?: true }> = {
  2207052: { code: 'platform_rejected', message: 'Instagram could not fetch the media from your media storage', action: 'Check that your bucket answers presigned addresses from the internet, then publish again.', transient: true },
  2207003: { code: 'platform_rejected', message: 'Instagram took too long to fetch the media', action: failureActions.tryLater, transient: true },
  2207020: { code: 'platform_rejected', message: 'The media expired before Instagram fetched it', action: 'Publish it again: Localpost uploads it anew.' },
  2207009: { code: 'media_unsupported', message: 'Instagram refused the media’s aspect ratio (photos between 4:5 and 1.91:1)', action: 'Crop the image, then publish again.' },
  2207010: { code: 'platform_rejected', message: 'Instagram refused the caption (at most 2,200 characters, 5 hashtags and 20 @mentions)', action: failureActions.changeAndRetry },
  2207042: { code: 'rate_limited', message: 'The account has reached Instagram’s daily limit of posts published through apps', action: 'Localpost tries again later; nothing was posted.' },
  2207004: { code: 'media_unsupported', message: 'The image is too large for Instagram (8 MB at most)', action: 'Use a smaller image.' },
  2207005: { code: 'media_unsupported', message: 'Instagram does not take this media format', action: 'Use a JPEG photo, or an MP4 or MOV video.' },
  2207026: { code: 'media_unsupported', message: 'Instagram does not take this video’s format', action: 'Use an MP4 or MOV video in H.264 or HEVC.' },
  2207082: { code: 'platform_rejected', message: 'Instagram could not process the media', action: failureActions.tryLater, transient: true },
  2207085: { code: 'platform_rejected', message: 'Instagram could not process the media', action: failureActions.tryLater, transient: true },
};
/** "Media ID is not available": publishing a container that is not FINISHED yet. */
const notReadySubcodes = new Set([2207027, 9007]);

/** A container's status words (`status`, e.g. "Error: … 2207052") or an error object as an AppError. */
function mediaProblem(subcode: number | null, said: string, now: number): AppError | null {
  if (subcode === null) return null;
  if (notReadySubcodes.has(subcode)) {
    return new AppError('platform_rejected', `Instagram was not ready to publish the post yet: ${said}`, { action: failureActions.tryLater, transient: true });
  }
  const known = mediaProblems[subcode];
  if (!known) return null;
  return new AppError(known.code, `${known.message}: ${said}`, {
    action: known.action,
    delivery: 'not_sent',
    ...(known.transient ? { transient: true } : {}),
    ...(known.code === 'rate_limited' ? { retryAt: now + hour } : {}),
  });
}

export interface InstagramAdapterDeps extends DeveloperAppAdapterDeps {
  mediaStorage: PlatformMediaStorage;
  /** A photo made JPEG, the only format Instagram takes (in the media worker, in the app). */
  media: Pick<MediaTools, 'asJpeg'>;
  /** The user's settings, read at each call (the Graph API version). */
  settings(): Settings;
  /** The first wait between container status reads (default 1 s); each later one half again as long, up to 10 s. */
  statusPollDelayMs?: number;
  /** How long a container may stay IN_PROGRESS before the attempt ends (default 5 minutes: a Reel
   *  can take minutes, content-publishing suggests polling once a minute for up to five). */
  processingWaitMs?: number;
}

/** What a target keeps between attempts: the container, its media in the bucket, and the post once published. */
interface InstagramUploadHandle extends ContainerHandle {
  /** The media's keys in the user's bucket, until they are deleted. */
  storageKeys?: string[];
}

type Item = { kind: 'image'; image: OutgoingPost['images'][number] } | { kind: 'video'; video: NonNullable<OutgoingPost['video']> };

export class InstagramAdapter implements PlatformAdapter {
  readonly platform = 'instagram' as const;
  // See the file's comment: nothing appears on Instagram before the container id is saved, and
  // every later attempt settles from that container's status.
  readonly dedupesRetries = true;

  readonly #media: ContainerMediaStorage;

  constructor(private readonly deps: InstagramAdapterDeps) {
    this.#media = new ContainerMediaStorage({ mediaStorage: deps.mediaStorage, log: deps.log, platformName });
  }

  developerAppSignIn(): DeveloperAppSignIn {
    return {
      platform: 'instagram',
      spec: instagramDeveloperAppSpec,
      service: instagramService,
      endpoints: () => instagramEndpoints(this.deps.env),
      ...metaSignIn,
      scopes: instagramDeveloperAppSpec.scopes,
      upgradeTokens: (tokens, endpoints, client) => this.#longLived(tokens, endpoints, client),
      identify: (tokens, endpoints) => this.#identify(tokens, endpoints),
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await this.#call(account, 'GET', `/${encodeURIComponent(this.#userId(account))}?fields=username`);
    }, 'needs_reauth');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const saved = readHandle(post.uploadHandle.saved);
    if (saved) {
      const settled = await settleContainer(this.#container(account, post), saved);
      if (settled) return settled;
    }
    const items: Item[] = [...post.images.map((image) => ({ kind: 'image' as const, image })), ...(post.video ? [{ kind: 'video' as const, video: post.video }] : [])];
    if (items.length === 0) {
      throw new AppError('media_unsupported', 'Instagram posts are photos or videos: this post has neither.', { action: 'Add an image or a video for Instagram, then publish again.', delivery: 'not_sent' });
    }
    if (items.length > 10) {
      throw new AppError('media_unsupported', 'An Instagram carousel takes at most 10 photos and videos.', { action: 'Remove some, then publish again.', delivery: 'not_sent' });
    }
    await this.#checkPublishingLimit(account);
    if (items.length > 1) {
      const containerId = await this.#createCarousel(account, post, items);
      const handle: InstagramUploadHandle = { containerId };
      await post.uploadHandle.save(handle);
      this.deps.log.info('Instagram carousel container created', { account: account.id, items: items.length });
      return publishContainer(this.#container(account, post), handle);
    }
    const stored = await this.#storeItem(items[0]!);
    let containerId: string;
    try {
      containerId = await this.#createContainer(account, items[0]!, stored.url, { caption: post.text });
    } catch (error) {
      await this.#forget(stored.key);
      throw error;
    }
    const handle: InstagramUploadHandle = { containerId, storageKeys: [stored.key] };
    await post.uploadHandle.save(handle);
    this.deps.log.info('Instagram container created', { account: account.id, kind: items[0]!.kind });
    return publishContainer(this.#container(account, post), handle);
  }

  async disconnect(account: Account): Promise<void> {
    // Instagram documents no token revocation: the user removes the app under Settings → Website
    // permissions → Apps and websites in Instagram.
    await this.deps.oauthAccounts.disconnect(account);
  }

  /** The item's file in the user's bucket: a photo as JPEG (the only format Instagram takes), a video as it is. */
  async #storeItem(item: Item): Promise<{ key: string; url: string }> {
    if (item.kind === 'video') return this.#media.putFile({ path: item.video.path, size: item.video.bytes, mime: item.video.mime });
    if (item.image.mime === 'image/jpeg') return this.#media.putFile({ path: item.image.path, size: item.image.size, mime: 'image/jpeg' });
    return this.#media.putBytes(await this.deps.media.asJpeg(await item.image.read()), 'image/jpeg', 'image.jpg');
  }

  /**
   * content-publishing, "Carousel posts": each photo or video its own item container
   * (`is_carousel_item=true`, no caption), each waited for until FINISHED (its file then leaves the
   * bucket), then one CAROUSEL container naming them as `children`, with the caption. Only the
   * carousel container is ever published.
   */
  async #createCarousel(account: Account, post: OutgoingPost, items: Item[]): Promise<string> {
    const keys: string[] = [];
    try {
      const children: string[] = [];
      for (const item of items) {
        const stored = await this.#storeItem(item);
        keys.push(stored.key);
        children.push(await this.#createContainer(account, item, stored.url, { carouselItem: true }));
      }
      for (const child of children) await this.#awaitFinished(account, child);
      for (const key of keys.splice(0)) await this.#forget(key);
      const form = new URLSearchParams({ media_type: 'CAROUSEL', children: children.join(','), caption: post.text });
      return await this.#containerFrom(account, form);
    } finally {
      for (const key of keys) await this.#forget(key);
    }
  }

  /** ig-user/media: a photo (`image_url`, `alt_text`) or a video (a Reel, or VIDEO in a carousel). */
  async #createContainer(account: Account, item: Item, mediaUrl: string, as: { caption: string } | { carouselItem: true }): Promise<string> {
    const fields: Record<string, string> = {};
    if (item.kind === 'image') {
      fields.image_url = mediaUrl;
      // alt_text: photos only (ig-user/media, added in March 2025; not Reels or stories).
      if (item.image.alt.trim()) fields.alt_text = item.image.alt.trim();
    } else if ('carouselItem' in as) {
      fields.media_type = 'VIDEO';
      fields.video_url = mediaUrl;
    } else {
      // A single video is a Reel, shown in the feed as well as under Reels.
      fields.media_type = 'REELS';
      fields.video_url = mediaUrl;
      fields.share_to_feed = 'true';
    }
    if ('carouselItem' in as) fields.is_carousel_item = 'true';
    else fields.caption = as.caption;
    return this.#containerFrom(account, new URLSearchParams(fields));
  }

  async #containerFrom(account: Account, form: URLSearchParams): Promise<string> {
    const answer = (await this.#call(account, 'POST', `/${encodeURIComponent(this.#userId(account))}/media`, form)) as { id?: unknown };
    if (typeof answer.id !== 'string' || answer.id === '') {
      throw new AppError('platform_rejected', 'Instagram answered without the post’s container id.', { action: failureActions.tryLater, transient: true, delivery: 'not_sent' });
    }
    return answer.id;
  }

  /**
   * ig-user/media_publish: "An Instagram professional account can only publish 50 posts within a
   * 24 hour moving period" (`GET /{ig-user-id}/content_publishing_limit`, whose `config` says the
   * total and the window). At the cap the post waits instead of creating anything: until the
   * oldest of the account's posts in the window leaves it, when Instagram says when that was, or an
   * hour. A failed look-up does not hold the post: Instagram's own refusal would still tell.
   */
  async #checkPublishingLimit(account: Account): Promise<void> {
    const userId = encodeURIComponent(this.#userId(account));
    let usage: number | undefined;
    let total: number | undefined;
    let windowSeconds = 86_400;
    try {
      const answer = (await this.#call(account, 'GET', `/${userId}/content_publishing_limit?fields=quota_usage,config`)) as {
        data?: Array<{ quota_usage?: unknown; config?: { quota_total?: unknown; quota_duration?: unknown } }>;
      };
      const entry = answer.data?.[0];
      usage = typeof entry?.quota_usage === 'number' ? entry.quota_usage : undefined;
      total = typeof entry?.config?.quota_total === 'number' ? entry.config.quota_total : undefined;
      if (typeof entry?.config?.quota_duration === 'number' && entry.config.quota_duration > 0) windowSeconds = entry.config.quota_duration;
    } catch (error) {
      // A dead sign-in or Meta's own rate limit holds the post before anything is created.
      if (error instanceof AppError && (error.code === 'platform_auth_failed' || error.code === 'rate_limited')) throw error;
      this.deps.log.warn('Instagram publishing limit unavailable', { account: account.id, error });
      return;
    }
    if (usage === undefined || total === undefined || usage < total) return;
    const now = this.deps.clock.now();
    const window = windowSeconds * 1000;
    let retryAt = now + hour;
    try {
      const recent = (await this.#call(account, 'GET', `/${userId}/media?fields=timestamp&limit=${Math.min(total, 100)}`)) as { data?: Array<{ timestamp?: unknown }> };
      const inWindow = (recent.data ?? [])
        .map((item) => (typeof item.timestamp === 'string' ? Date.parse(item.timestamp) : NaN))
        .filter((at) => Number.isFinite(at) && at > now - window);
      if (inWindow.length > 0) retryAt = Math.min(...inWindow) + window + 60_000;
    } catch (error) {
      this.deps.log.warn('Instagram recent posts unavailable', { account: account.id, error });
    }
    throw new AppError('rate_limited', `${account.handle} has published the ${total} posts Instagram allows through apps in ${Math.round(windowSeconds / 3600)} hours.`, {
      action: 'Localpost tries again once the window frees a post; nothing was posted.',
      retryAt,
      delivery: 'not_sent',
    });
  }

  #forget(key: string): Promise<void> {
    return this.#media.remove(key);
  }

  /** This target's container, for the steps Meta's platforms share (meta/mediaContainer.ts). */
  #container(account: Account, post: OutgoingPost): ContainerTarget<InstagramUploadHandle> {
    return {
      platformName,
      log: this.deps.log,
      accountId: account.id,
      call: (method, path, form) => this.#call(account, method, path, form),
      userId: () => this.#userId(account),
      publishEdge: 'media_publish',
      status: async (containerId) => (await this.#containerStatus(account, containerId)).status,
      awaitFinished: (containerId) => this.#awaitFinished(account, containerId),
      holdsStored: (handle) => handle.storageKeys !== undefined,
      dropStored: (handle) => this.#dropStored(post, handle),
      saveHandle: (handle) => post.uploadHandle.save(handle),
      findPublished: (containerId) => this.#findPublished(account, post, containerId),
      onError: 'start afresh',
    };
  }

  async #dropStored(post: OutgoingPost, handle: InstagramUploadHandle): Promise<InstagramUploadHandle> {
    for (const key of handle.storageKeys ?? []) await this.#forget(key);
    const { storageKeys: _deleted, ...rest } = handle;
    await post.uploadHandle.save(rest);
    return rest;
  }

  /** The container's status until it is no longer IN_PROGRESS; ERROR (with Meta's subcode in its words) and EXPIRED end the target. */
  #awaitFinished(account: Account, containerId: string): Promise<'FINISHED' | 'PUBLISHED'> {
    return awaitContainer(
      platformName,
      () => this.#containerStatus(account, containerId),
      ({ words }) => {
        const subcode = /\b(2207\d{3}|900\d)\b/.exec(words ?? '')?.[1];
        const said = words ?? 'it gave no reason';
        return (
          mediaProblem(subcode ? Number(subcode) : null, said, this.deps.clock.now()) ??
          new AppError('platform_rejected', `Instagram could not prepare the post: ${said}.`, { action: failureActions.changeAndRetry, delivery: 'not_sent' })
        );
      },
      { clock: this.deps.clock, ...(this.deps.statusPollDelayMs !== undefined ? { firstDelayMs: this.deps.statusPollDelayMs } : {}), ...(this.deps.processingWaitMs !== undefined ? { maxWaitMs: this.deps.processingWaitMs } : {}) },
    );
  }

  /** ig-container: `status_code` (IN_PROGRESS, FINISHED, PUBLISHED, ERROR, EXPIRED) and `status`, Meta's words with any error subcode. */
  async #containerStatus(account: Account, containerId: string): Promise<{ status: ContainerStatus; words: string | null }> {
    const answer = (await this.#call(account, 'GET', `/${encodeURIComponent(containerId)}?fields=status_code,status`)) as { status_code?: unknown; status?: unknown };
    if (typeof answer.status_code !== 'string' || !containerStatuses.includes(answer.status_code)) {
      throw new AppError('platform_rejected', 'Instagram answered a container’s status with one Localpost does not know.', { action: failureActions.tryLater, transient: true });
    }
    return { status: answer.status_code as ContainerStatus, words: typeof answer.status === 'string' && answer.status.trim() ? answer.status.trim() : null };
  }

  /**
   * A container PUBLISHED by an attempt whose answer was lost: the post is among the account's
   * latest (`GET /{ig-user-id}/media`), found by its caption; without it, the post still counts as
   * published once, with no link.
   */
  async #findPublished(account: Account, post: OutgoingPost, containerId: string): Promise<PublishedPost> {
    try {
      const answer = (await this.#call(account, 'GET', `/${encodeURIComponent(this.#userId(account))}/media?fields=id,caption,permalink&limit=10`)) as {
        data?: Array<{ id?: unknown; permalink?: unknown; caption?: unknown }>;
      };
      const match = answer.data?.find((item) => (item.caption ?? '') === post.text && typeof item.id === 'string');
      if (match) return { uri: match.id as string, cid: null, url: typeof match.permalink === 'string' ? match.permalink : null };
    } catch (error) {
      this.deps.log.warn('Instagram post lookup failed', { account: account.id, error });
    }
    return { uri: containerId, cid: null, url: null };
  }

  /** `ig_exchange_token`: the short-lived token traded for the 60-day one the account keeps, on graph.instagram.com. */
  #longLived(tokens: TokenSet, endpoints: OAuthEndpoints, client: OAuthClientCredentials): Promise<TokenSet> {
    return exchangeForLongLived(platformName, {
      fetch: this.deps.fetch,
      now: this.deps.clock.now(),
      url: new URL('/access_token', endpoints.apiBase),
      grantType: 'ig_exchange_token',
      clientSecret: client.clientSecret,
      tokens,
      settingsPath: 'Instagram',
    });
  }

  /** business-login: `GET /me?fields=user_id,username,…`; `user_id` is the professional account the publishing API names. */
  async #identify(tokens: TokenSet, endpoints: OAuthEndpoints) {
    const base = graphApiBase(endpoints.apiBase, this.deps.settings().metaGraphApiVersion);
    const response = await this.deps.fetch(`${base}/me?fields=user_id,username,name,profile_picture_url,account_type`, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
    });
    const me = (await this.#read(response, null)) as { user_id?: unknown; username?: unknown; name?: unknown; profile_picture_url?: unknown };
    const userId = typeof me.user_id === 'number' ? String(me.user_id) : me.user_id;
    if (typeof userId !== 'string' || !/^\d+$/.test(userId) || typeof me.username !== 'string') {
      throw new AppError('platform_rejected', 'Instagram did not say which account signed in.', { action: 'Connect again.' });
    }
    const extra: InstagramAccountExtra = { login: 'instagram', userId };
    return {
      remoteId: userId,
      handle: me.username,
      displayName: typeof me.name === 'string' && me.name.trim() ? me.name.trim() : null,
      avatarUrl: typeof me.profile_picture_url === 'string' ? me.profile_picture_url : null,
      extra,
    };
  }

  #extra(account: Account): InstagramAccountExtra {
    const extra = this.deps.oauthAccounts.extra(account);
    return { login: extra.login === 'facebook' ? 'facebook' : 'instagram', userId: extra.userId ?? account.remoteId };
  }

  #userId(account: Account): string {
    return this.#extra(account).userId;
  }

  /** The versioned Graph API base for this account: graph.instagram.com, or graph.facebook.com for one reached through a Page. */
  #apiBase(account: Account): string {
    const host =
      this.#extra(account).login === 'facebook'
        ? facebookHosts(this.deps.env).graph
        : instagramEndpoints(this.deps.env).apiBase;
    return graphApiBase(host, this.deps.settings().metaGraphApiVersion);
  }

  /** A Graph API call with the account's token (Meta takes it as `Authorization: Bearer`). */
  #call(account: Account, method: 'GET' | 'POST', pathAndQuery: string, form?: URLSearchParams): Promise<unknown> {
    return graphCall(this.deps, account, { method, url: `${this.#apiBase(account)}${pathAndQuery}`, ...(form ? { form } : {}) }, (response) => this.#read(response, account));
  }

  #read(response: Response, account: Account | null): Promise<object> {
    const now = this.deps.clock.now();
    return readGraphAnswer(platformName, response, now, (error) => this.#refusal(error, response, now, account));
  }

  #refusal(error: MetaGraphError | null, response: Response, now: number, account: Account | null): AppError {
    const media = error ? mediaProblem(error.subcode, metaSaid(error), now) : null;
    if (media) return media;
    const refusal = metaGraphRefusal(platformName, error, response.status, response.headers, now);
    // A Page's token is renewed by signing in to Facebook again, not here.
    if (refusal.code === 'platform_auth_failed' && account && this.#extra(account).login === 'facebook') {
      return new AppError('platform_auth_failed', refusal.message, { action: 'Reconnect the Facebook account this Instagram account came with (Accounts → Facebook).' });
    }
    return refusal;
  }
}

function readHandle(saved: unknown): InstagramUploadHandle | null {
  if (!saved || typeof saved !== 'object') return null;
  const handle = saved as Partial<InstagramUploadHandle>;
  if (typeof handle.containerId !== 'string' || handle.containerId === '') return null;
  const keys = Array.isArray(handle.storageKeys) ? handle.storageKeys.filter((key): key is string => typeof key === 'string') : [];
  return {
    containerId: handle.containerId,
    ...(typeof handle.mediaId === 'string' ? { mediaId: handle.mediaId } : {}),
    ...(keys.length > 0 ? { storageKeys: keys } : {}),
  };
}
