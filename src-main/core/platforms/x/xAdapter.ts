// X (docs.x.com, authorization-code): the user brings their own developer app (a public
// "Native App", or a confidential client with a secret), Localpost signs in through the OAuth
// engine (code + PKCE S256 in the system browser) with the fixed loopback redirect X needs,
// because X matches redirect URIs exactly and an ephemeral port never would. It reads the account
// from `GET /2/users/me` and publishes with the v2 API: media upload (a video in chunks,
// xVideoUpload.ts), alt text, then the post. Every
// API call after connect goes through OAuthAccounts.authorizedFetch, so the 2-hour access token
// is refreshed ahead of time and a revoked grant turns the account `needs_reauth` in one place.
import type { Account } from '../../../../src-preload/contract';
import { AppError } from '../../errors';
import { endpointsWithOverrides, type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';
import { multipartRequest } from '../../http/multipartStream';
import { failureActions } from '../../http/platformFailure';
import { quotaExhaustedUntil } from '../../http/rateLimit';
import { acceptingJson, type RequestInitSource } from '../../oauth/oauthAccounts';
import { checkWith, unidentifiable, type ConnectionCheck, type OutgoingPost, type OutgoingVideo, type PlatformAdapter, type PublishedPost } from '../adapter';
import { developerAppSpecs } from '../../../../src-shared/developerApps';
import { xProblem } from './xErrors';
import type { DeveloperAppAdapterDeps, DeveloperAppSignIn } from '../developerAppSignIn';
import { beforeThePost } from '../beforeThePost';
import { uploadXVideo } from './xVideoUpload';

const xDeveloperAppSpec = developerAppSpecs.x;

// docs.x.com, fundamentals/authentication/oauth-2-0: authorization-code and user-access-token.
const xDefaults = {
  authorizeUrl: 'https://x.com/i/oauth2/authorize',
  tokenUrl: 'https://api.x.com/2/oauth2/token',
  revokeUrl: 'https://api.x.com/2/oauth2/revoke',
  apiBase: 'https://api.x.com',
};

/** X's endpoints, with any LOCALPOST_X_* overrides applied. */
export function xEndpoints(env: EnvRecord): OAuthEndpoints {
  return endpointsWithOverrides('x', xDefaults, env);
}

/** X's access tokens last 2 hours (docs.x.com, authorization-code): refresh 5 minutes before they end. */
export const xTokenPolicy = { refreshLeadMs: 5 * 60_000 };

export interface XAdapterDeps extends DeveloperAppAdapterDeps {
  /** How long a video may take X to process before the outbox tries again later (5 minutes). */
  videoProcessingTimeoutMs?: number;
}

/** `GET /2/users/me` (openapi.json `Get2UsersMeResponse`): id, name and username by default. */
interface XUser {
  id: string;
  name?: string;
  username: string;
  profile_image_url?: string;
}

export class XAdapter implements PlatformAdapter {
  readonly platform = 'x' as const;

  constructor(private readonly deps: XAdapterDeps) {}

  /** How X signs in with the user's own app: for connect and for the credentials test. */
  developerAppSignIn(): DeveloperAppSignIn {
    const endpoints = xEndpoints(this.deps.env);
    return {
      platform: 'x',
      spec: xDeveloperAppSpec,
      service: 'x.com',
      endpoints: () => endpoints,
      // A "Native App" is a public client: PKCE alone, client_id in the body. A confidential client
      // authenticates with HTTP Basic, as X's token docs show (authorization-code.mdx).
      clientAuthMethod: 'client_secret_basic',
      scopes: xDeveloperAppSpec.scopes,
      identify: async (tokens) => {
        const response = await this.deps.fetch(`${endpoints.apiBase}/2/users/me?user.fields=name,username,profile_image_url`, {
          headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
        });
        if (!response.ok) throw await xProblem(response, this.deps.clock.now());
        const me = ((await response.json()) as { data?: XUser }).data;
        if (!me?.id || !me.username) {
          throw new AppError('platform_rejected', 'X did not say which account signed in.', { action: 'Connect again.' });
        }
        // Stored without the @; targetLabel shows it as @username.
        return {
          remoteId: me.id,
          handle: me.username,
          displayName: me.name?.trim() || null,
          avatarUrl: me.profile_image_url ?? null,
          extra: { apiBase: endpoints.apiBase, userId: me.id, username: me.username },
        };
      },
      // X answers a code it never issued with 400 invalid_request ("Value passed for the
      // authorization code was invalid"; docs.x.com, response-codes-and-errors), and a confidential
      // client without valid HTTP Basic credentials with 401 unauthorized_client, as developers
      // report it ("Missing valid authorization header").
      credentialCheck: { codeRefused: ['invalid_grant', 'invalid_request'], clientRefused: ['unauthorized_client'] },
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await (await this.#api(account, '/2/users/me', { method: 'GET' })).body?.cancel();
    }, 'needs_reauth');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    // Uploads and processing come before the post: nothing is posted if they fail. A post carries
    // images or one video, never both (media best practices; preflight's video.mix).
    const mediaIds = await beforeThePost(async () => {
      const ids: string[] = [];
      for (const [index, image] of post.images.entries()) ids.push(await this.#uploadImage(account, image, index));
      if (post.video) ids.push(await this.#uploadVideo(account, post.video, post));
      return ids;
    });

    // No link card: X builds its own from the first URL in the text. X takes no idempotency key:
    // after a lost answer the outbox asks findPublished instead of sending again.
    const response = await this.#api(account, '/2/tweets', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        // `text` may be left out of a post that has media (openapi.json `TweetCreateRequest`).
        ...(post.text || mediaIds.length === 0 ? { text: post.text } : {}),
        ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds } } : {}),
        // A reply chain's next part answers the one before (openapi.json `CreatePostsReply`).
        ...(post.replyTo ? { reply: { in_reply_to_tweet_id: post.replyTo.parent.uri } } : {}),
      }),
    });
    const created = ((await response.json()) as { data?: { id?: string } }).data;
    if (!created?.id) {
      throw new AppError('platform_rejected', 'X answered without the new post’s id.', { action: 'Check your X profile before publishing again.' });
    }
    const username = this.deps.oauthAccounts.extra(account).username ?? account.handle;
    const quotaResetAt = quotaExhaustedUntil(response.headers, this.deps.clock.now());
    return {
      uri: created.id,
      cid: null,
      url: `https://x.com/${encodeURIComponent(username)}/status/${created.id}`,
      ...(quotaResetAt ? { quotaResetAt } : {}),
    };
  }

  /**
   * Whether a post whose answer was lost exists: the account's posts since just before it was
   * sent (`GET /2/users/:id/tweets`, newest first), compared by text. X shows every URL as a t.co
   * link and escapes &, < and >, so both sides are compared with URLs blanked and entities
   * decoded. A post of images only cannot be told apart by text: the user decides.
   */
  async findPublished(account: Account, post: OutgoingPost, sentAfter: number): Promise<PublishedPost | null | typeof unidentifiable> {
    if (!post.text.trim()) return unidentifiable;
    const userId = this.deps.oauthAccounts.extra(account).userId ?? account.remoteId;
    // A reply of a chain is in the chain's conversation, whose id is its first post's
    // (`conversation_id`, openapi.json `Post`), and is not the post it answers: the same words
    // elsewhere are another post.
    const query = new URLSearchParams({ max_results: '20', start_time: new Date(sentAfter).toISOString(), 'post.fields': 'conversation_id' });
    const response = await this.#api(account, `/2/users/${encodeURIComponent(userId)}/tweets?${query}`, { method: 'GET' });
    const timeline = (await response.json()) as { data?: Array<{ id: string; text: string; conversation_id?: string }> };
    const wanted = comparableText(post.text);
    const reply = post.replyTo;
    const match = (timeline.data ?? []).find(
      (candidate) =>
        comparableText(candidate.text) === wanted &&
        (reply === null || (candidate.conversation_id === reply.root.uri && candidate.id !== reply.parent.uri)),
    );
    if (!match) return null;
    const username = this.deps.oauthAccounts.extra(account).username ?? account.handle;
    return { uri: match.id, cid: null, url: `https://x.com/${encodeURIComponent(username)}/status/${match.id}` };
  }

  async disconnect(account: Account): Promise<void> {
    // Revokes at X's /2/oauth2/revoke with the app's credentials (user-access-token.mdx), then
    // forgets the tokens. The developer app stays: it holds no access to any account.
    await this.deps.oauthAccounts.disconnect(account);
  }

  /**
   * `POST /2/media/upload` as multipart with `media` and `media_category=tweet_image`, then the
   * alt text with `POST /2/media/metadata` (docs.x.com, openapi.json). Images are processed
   * synchronously, so the id is usable at once; only video and GIFs report `processing_info`.
   */
  async #uploadImage(account: Account, image: OutgoingPost['images'][number], index: number): Promise<string> {
    const form = multipartRequest(() => [
      { name: 'media', filename: `image-${index + 1}.${image.mime.split('/')[1] ?? 'jpg'}`, contentType: image.mime, streamed: image.body() },
      { name: 'media_category', value: 'tweet_image' },
    ]);
    const response = await this.#api(account, '/2/media/upload', form);
    const id = ((await response.json()) as { data?: { id?: string } }).data?.id;
    if (!id) throw new AppError('platform_rejected', 'X answered an image upload without its id.', { action: 'Publish again; nothing was posted.' });
    if (image.alt.trim()) {
      const metadata = await this.#api(account, '/2/media/metadata', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, metadata: { alt_text: { text: image.alt } } }),
      });
      await metadata.body?.cancel();
    }
    return id;
  }

  /** The chunked upload of xVideoUpload.ts, continuing from the target's saved upload handle. */
  #uploadVideo(account: Account, video: OutgoingVideo, post: OutgoingPost): Promise<string> {
    return uploadXVideo(
      {
        send: (path, init) => this.#send(account, path, init),
        clock: this.deps.clock,
        ...(this.deps.videoProcessingTimeoutMs !== undefined ? { processingTimeoutMs: this.deps.videoProcessingTimeoutMs } : {}),
      },
      video,
      post,
    );
  }

  /** `init` as authorizedFetch takes it: a function for a streamed body, made afresh for each sending. */
  async #api(account: Account, path: string, init: RequestInitSource): Promise<Response> {
    const response = await this.#send(account, path, init);
    if (!response.ok) throw await xProblem(response, this.deps.clock.now());
    return response;
  }

  /** An authorized request to the account's X API; the answer as it came. */
  async #send(account: Account, path: string, init: RequestInitSource): Promise<Response> {
    const apiBase = this.deps.oauthAccounts.extra(account).apiBase;
    if (!apiBase) throw new AppError('platform_auth_failed', `@${account.handle} has no saved X address.`, { action: failureActions.reconnect });
    return this.deps.oauthAccounts.authorizedFetch(account, `${apiBase}${path}`, acceptingJson(init));
  }
}

/** A post's text as X's timeline and our draft can both be compared: URLs blanked, entities decoded. */
function comparableText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/https?:\/\/\S+/g, '<url>')
    .trim();
}
