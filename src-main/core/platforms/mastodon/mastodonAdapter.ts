// Mastodon (docs.joinmastodon.org/methods/apps and methods/oauth): the user names an instance;
// Localpost registers itself there, signs in through the OAuth engine (code + PKCE S256 in the
// system browser, ephemeral loopback redirect), reads the account and the instance's limits, and
// publishes through the instance's REST API. Every API call after connect goes through
// OAuthAccounts.authorizedFetch, so a revoked token turns the account `needs_reauth` and emits
// `token.revoked` in one place.
import type { Account } from '../../../../src-preload/contract';
import type { AccountStore } from '../../accounts/accountStore';
import type { AccountAvatars } from '../../accounts/accountAvatars';
import { AppError } from '../../errors';
import { findAppError } from '../../http/httpClient';
import type { Logger } from '../../log/logger';
import type { EnvRecord } from '../../oauth/endpoints';
import { acceptingJson, type OAuthAccounts, type RequestInitSource } from '../../oauth/oauthAccounts';
import type { OAuthEngine } from '../../oauth/oauthFlow';
import { multipartRequest } from '../../http/multipartStream';
import { failureActions } from '../../http/platformFailure';
import { quotaExhaustedUntil } from '../../http/rateLimit';
import type { Clock, HttpFetch } from '../../ports';
import { checkWith, type ConnectionCheck, type OutgoingPost, type OutgoingVideo, type PlatformAdapter, type PublishedPost } from '../adapter';
import { beforeThePost } from '../beforeThePost';
import { mastodonScopes, registeredLoopbackRedirectUri, type MastodonAppRegistry } from './appRegistration';
import { mastodonEndpoints, parseMastodonInstance } from './instanceEndpoints';
import { limitsFromInstance } from './instanceLimits';
import { mastodonProblem } from './mastodonErrors';

export interface MastodonAdapterDeps {
  oauth: OAuthEngine;
  oauthAccounts: OAuthAccounts;
  accounts: AccountStore;
  avatars: AccountAvatars;
  apps: MastodonAppRegistry;
  fetch: HttpFetch;
  clock: Clock;
  env: EnvRecord;
  log: Logger;
  /** The first wait before polling a media attachment still processing (default 500 ms); each
   *  later wait is half as long again, up to `mediaPollMaxDelayMs` (default 5 s). */
  mediaPollDelayMs?: number;
  mediaPollMaxDelayMs?: number;
  /** How long to wait in all for an attachment to be processed (default 5 minutes: an instance
   *  transcodes a large video before it can be posted). */
  mediaProcessingTimeoutMs?: number;
}

interface MastodonAccountEntity {
  id: string;
  username: string;
  display_name?: string;
  /** The picture, and its still version where the picture moves (entities/Account). */
  avatar?: string;
  avatar_static?: string;
}

export class MastodonAdapter implements PlatformAdapter {
  readonly platform = 'mastodon' as const;
  // "Idempotency keys are stored for up to 1 hour" (methods/statuses): a re-send with the same key
  // returns the first status instead of posting twice.
  readonly dedupesRetries = true;

  constructor(private readonly deps: MastodonAdapterDeps) {}

  /**
   * Registers (or reuses) the app on the instance, runs the sign-in in the system browser, then
   * reads the account and the instance's limits and saves both. Lasts until the user answers the
   * consent page, or the loopback listener times out.
   */
  async connect(instanceInput: string, profileId: string): Promise<{ account: Account; updatedExisting: boolean }> {
    const instance = parseMastodonInstance(instanceInput);
    const endpoints = mastodonEndpoints(instance.href, this.deps.env);
    const host = instance.host;
    const { app, registered } = await this.deps.apps.appFor(endpoints.apiBase, registeredLoopbackRedirectUri);
    this.deps.log.info('Mastodon app ready', { instance: host, registered });

    const started = await this.deps.oauth.startAuthorization({
      platform: 'mastodon',
      platformName: host,
      profileId,
      endpoints,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      // Mastodon's documented token and revoke requests carry the secret in the body
      // (docs.joinmastodon.org/methods/oauth).
      clientAuthMethod: 'client_secret_post',
      scopes: mastodonScopes,
      redirect: 'loopback',
    });
    const tokens = await started.result;

    // The account behind the token, and the limits its instance enforces. These two calls use the
    // new token directly: there is no saved account for authorizedFetch to act on yet, and a
    // refusal here is a failed connect, not a revoked account.
    const bearer = { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' };
    const me = (await this.#json(await this.deps.fetch(`${endpoints.apiBase}/api/v1/accounts/verify_credentials`, { headers: bearer }), host)) as MastodonAccountEntity;
    const limits = limitsFromInstance(await this.#json(await this.deps.fetch(`${endpoints.apiBase}/api/v2/instance`, { headers: bearer }), host));

    const { account, updatedExisting } = this.deps.accounts.upsertConnected({
      profileId,
      platform: 'mastodon',
      remoteId: me.id,
      // Stored as user@instance; targetLabel shows it as @user@instance.
      handle: `${me.username}@${host}`,
      service: host,
      displayName: me.display_name?.trim() || null,
      limits,
      // An account id is assigned by each instance and unique only there: the same id from another
      // instance is another account (and any instance can answer with any id).
      remoteIdScope: 'server',
    });
    this.deps.oauthAccounts.save(account, {
      platformName: host,
      endpoints: { tokenUrl: endpoints.tokenUrl, ...(endpoints.revokeUrl ? { revokeUrl: endpoints.revokeUrl } : {}), issuer: endpoints.issuer },
      client: { clientId: app.clientId, clientSecret: app.clientSecret, clientAuthMethod: 'client_secret_post' },
      tokens,
      extra: { instance: instance.origin, apiBase: endpoints.apiBase },
    });
    this.deps.log.info('Mastodon account connected', { account: account.id, instance: host, updatedExisting });
    await this.deps.avatars.keep(account.id, me.avatar_static ?? me.avatar);
    return { account: this.deps.accounts.findAny(account.id) ?? account, updatedExisting };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await this.#api(account, '/api/v1/accounts/verify_credentials', { method: 'GET' });
    }, 'needs_reauth');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    // Uploads and processing come before the status: nothing is posted if they fail.
    const mediaIds = await beforeThePost(async () => {
      const ids: string[] = [];
      for (const [index, image] of post.images.entries()) ids.push(await this.#uploadImage(account, image, index));
      if (post.video) ids.push(await this.#uploadVideo(account, post.video, post.reportProgress));
      return ids;
    });

    const headers: Record<string, string> = { 'content-type': 'application/json' };
    // "Idempotency keys are stored for up to 1 hour" (methods/statuses): a retry of the same
    // target within that hour returns the first status instead of posting twice.
    if (post.idempotencyKey) headers['idempotency-key'] = post.idempotencyKey;
    const response = await this.#api(account, '/api/v1/statuses', {
      method: 'POST',
      headers,
      body: JSON.stringify({
        status: post.text,
        visibility: post.visibility,
        ...(post.contentWarning.trim() ? { spoiler_text: post.contentWarning } : {}),
        ...(post.langs[0] ? { language: post.langs[0] } : {}),
        ...(mediaIds.length > 0 ? { media_ids: mediaIds } : {}),
        // A reply chain's next part answers the one before (methods/statuses, `in_reply_to_id`),
        // with the same visibility and content warning, as Mastodon's own composer carries them
        // into a reply to oneself.
        ...(post.replyTo ? { in_reply_to_id: post.replyTo.parent.uri } : {}),
      }),
    });
    const status = (await response.json()) as { id: string; url?: string | null; uri?: string };
    const quotaResetAt = quotaExhaustedUntil(response.headers, this.deps.clock.now());
    return { uri: status.id, cid: null, url: status.url ?? status.uri ?? null, ...(quotaResetAt ? { quotaResetAt } : {}) };
  }

  async disconnect(account: Account): Promise<void> {
    // Revokes at /oauth/revoke with the app's credentials (methods/oauth), then forgets the tokens.
    // The app registration stays cached: it holds no access to any account.
    await this.deps.oauthAccounts.disconnect(account);
  }

  /** `POST /api/v2/media` with the alt text as `description` (methods/media); returns the id. */
  async #uploadImage(account: Account, image: OutgoingPost['images'][number], index: number): Promise<string> {
    const form = multipartRequest(() => [
      { name: 'file', filename: `image-${index + 1}.${image.mime.split('/')[1] ?? 'jpg'}`, contentType: image.mime, streamed: image.body() },
      ...(image.alt.trim() ? [{ name: 'description', value: image.alt }] : []),
    ]);
    const response = await this.#api(account, '/api/v2/media', form);
    return this.#processed(account, response, 'an image');
  }

  /**
   * `POST /api/v2/media` with the video as the multipart `file`, streamed from disk with the
   * bytes sent reported as they go, and its alt text as `description` (a field before the file);
   * returns the id once the instance has processed it.
   */
  async #uploadVideo(account: Account, video: OutgoingVideo, onProgress: OutgoingPost['reportProgress']): Promise<string> {
    const extension = video.mime === 'video/quicktime' ? 'mov' : video.mime === 'video/webm' ? 'webm' : 'mp4';
    const form = multipartRequest(
      () => [
        ...(video.alt.trim() ? [{ name: 'description', value: video.alt }] : []),
        { name: 'file', filename: `video.${extension}`, contentType: video.mime, path: video.path, size: video.bytes },
      ],
      onProgress,
    );
    const response = await this.#api(account, '/api/v2/media', form);
    return this.#processed(account, response, 'the video');
  }

  /**
   * 200: processed. 202: accepted, still processing (always for a video); `url` stays null until
   * it is done and a status referring to it would be refused, so `GET /api/v1/media/:id` is polled
   * until it answers 200 with a url (206 while processing; methods/media), waiting a little longer
   * each time, for at most `mediaProcessingTimeoutMs`. A failed processing answers an error there.
   */
  async #processed(account: Account, response: Response, what: string): Promise<string> {
    const media = (await response.json()) as { id: string; url?: string | null };
    if (response.status !== 202 && media.url) return media.id;
    const timeoutMs = this.deps.mediaProcessingTimeoutMs ?? 5 * 60 * 1000;
    const maxDelayMs = this.deps.mediaPollMaxDelayMs ?? 5000;
    const deadline = this.deps.clock.now() + timeoutMs;
    for (let delayMs = this.deps.mediaPollDelayMs ?? 500; ; delayMs = Math.min(delayMs * 1.5, maxDelayMs)) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const polled = await this.#api(account, `/api/v1/media/${encodeURIComponent(media.id)}`, { method: 'GET' }).catch((error: unknown) => {
        // A processing that failed answers 422 "Error processing thumbnail for uploaded media"
        // (Api::V1::MediaController#check_processing): the file is the problem, not the moment.
        const found = findAppError(error);
        if (found?.code !== 'platform_rejected' || found.transient) throw error;
        throw new AppError('media_unsupported', `${account.service} could not process ${what}: ${found.message}`, {
          action: 'Try another file (MP4 with H.264 video is the safest); nothing was posted.',
          delivery: 'not_sent',
          cause: found,
        });
      });
      const current = (await polled.json()) as { url?: string | null };
      if (polled.status === 200 && current.url) return media.id;
      if (this.deps.clock.now() >= deadline) {
        // The instance may only be busy: the outbox tries again later (and the status, keyed by
        // its Idempotency-Key, can only be created once).
        throw new AppError('platform_rejected', `${account.service} was still processing ${what} after ${Math.round(timeoutMs / 60_000)} minutes.`, {
          action: 'Localpost tries again by itself in a while; nothing was posted.',
          transient: true,
          delivery: 'not_sent',
        });
      }
    }
  }

  /** `init` as authorizedFetch takes it: a function for a streamed body, made afresh for each sending. */
  async #api(account: Account, path: string, init: RequestInitSource): Promise<Response> {
    const apiBase = this.deps.oauthAccounts.extra(account).apiBase;
    if (!apiBase) throw new AppError('platform_auth_failed', `${account.handle} has no saved instance address.`, { action: failureActions.reconnect });
    const response = await this.deps.oauthAccounts.authorizedFetch(account, `${apiBase}${path}`, acceptingJson(init));
    if (!response.ok) throw await mastodonProblem(response, account.service, this.deps.clock.now());
    return response;
  }

  async #json(response: Response, host: string): Promise<unknown> {
    if (!response.ok) throw await mastodonProblem(response, host, this.deps.clock.now());
    return response.json();
  }
}
