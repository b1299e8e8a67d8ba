// LinkedIn, a member's own posts (learn.microsoft.com, linkedin/shared/authentication/
// authorization-code-flow and linkedin/marketing/community-management/shares/posts-api): the user
// brings their own developer app with "Share on LinkedIn" and "Sign In with LinkedIn using OpenID
// Connect". Sign-in is the standard 3-legged flow: the client secret in the token form and no PKCE
// (the standard flow refuses a code_verifier), to one exact redirect URL, so a fixed loopback port.
// The member is read from the OpenID userinfo (`sub` names the author). Access tokens last 60 days
// and a "Share on LinkedIn" app gets no refresh token: the user is told a week ahead to reconnect.
import type { Account } from '../../../../src-preload/contract';
import { developerAppSpecs } from '../../../../src-shared/developerApps';
import { AppError } from '../../errors';
import { streamedRequest } from '../../http/fileRangeBody';
import { failureActions } from '../../http/platformFailure';
import { endpointsWithOverrides, type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost } from '../adapter';
import type { UploadRetry } from '../../http/uploadSession';
import { linkedinProblem } from './linkedinErrors';
import { escapeLittleText } from './littleText';
import { cutOffBeforeThePost, linkedinVideoProcessingWait, uploadLinkedInVideo, type VideoProcessingWait } from './linkedinVideo';
import { beforeThePost } from '../beforeThePost';
import type { DeveloperAppAdapterDeps, DeveloperAppSignIn } from '../developerAppSignIn';

const linkedinDeveloperAppSpec = developerAppSpecs.linkedin;

// learn.microsoft.com, linkedin/shared/authentication/authorization-code-flow: no revocation
// endpoint; a member removes the app in LinkedIn's settings.
const linkedinDefaults = {
  authorizeUrl: 'https://www.linkedin.com/oauth/v2/authorization',
  tokenUrl: 'https://www.linkedin.com/oauth/v2/accessToken',
  apiBase: 'https://api.linkedin.com',
};

/** LinkedIn's endpoints, with any LOCALPOST_LINKEDIN_* overrides applied. */
export function linkedinEndpoints(env: EnvRecord): OAuthEndpoints {
  return endpointsWithOverrides('linkedin', linkedinDefaults, env);
}

/**
 * The API version every /rest/ call names (linkedin/marketing/versioning: each is served for at
 * least a year after its release, then sunset); the one place to move it forward.
 */
export const linkedinApiVersion = '202610';

/** 60-day access tokens and no refresh token: a `token.expiring` notice 7 days before the end. */
export const linkedinTokenPolicy = { expiringNoticeMs: 7 * 24 * 3_600_000 };

/**
 * Waiting for an uploaded image (images-api): after the upload its `status` is PROCESSING until
 * it is AVAILABLE, and only then may a post use it; PROCESSING_FAILED is final. Looked up at
 * growing intervals (quick for the usual small image) up to a total that a person waiting on
 * Publish can bear; past it the attempt fails before any post is sent.
 */
export interface ImageProcessingWait {
  firstCheckAfterMs: number;
  maxIntervalMs: number;
  timeoutMs: number;
  /** When the status cannot be read (403: the app may not read images), the pause before posting anyway. */
  unreadableGraceMs: number;
}

export const linkedinImageProcessingWait: ImageProcessingWait = {
  firstCheckAfterMs: 250,
  maxIntervalMs: 2_000,
  timeoutMs: 30_000,
  unreadableGraceMs: 3_000,
};

export interface LinkedInAdapterDeps extends DeveloperAppAdapterDeps {
  /** linkedinImageProcessingWait unless a test says otherwise. */
  imageProcessingWait?: ImageProcessingWait;
  /** linkedinVideoProcessingWait unless a test says otherwise. */
  videoProcessingWait?: VideoProcessingWait;
  /** The retries of a video part inside one attempt; the upload's defaults unless a test says otherwise. */
  uploadRetry?: UploadRetry;
}

/** OpenID Connect userinfo (sign-in-with-linkedin-v2): `sub` is the member's id. */
interface LinkedInUserinfo {
  sub?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  /** The member's profile picture (OpenID Connect's standard claim). */
  picture?: string;
}

export class LinkedInAdapter implements PlatformAdapter {
  readonly platform = 'linkedin' as const;

  // No dedupesRetries and no findPublished: LinkedIn takes no idempotency key, and a member app
  // cannot read posts back (w_member_social is write-only), so a post whose answer was lost stays
  // `unknown` for the user to settle rather than risk posting it twice. Only a video post cut off
  // during its upload, before the post request, is sent on by itself.
  readonly resendIsSafe = cutOffBeforeThePost;

  constructor(private readonly deps: LinkedInAdapterDeps) {}

  /** How LinkedIn signs in with the user's own app: for connect and for the credentials test. */
  developerAppSignIn(): DeveloperAppSignIn {
    const endpoints = linkedinEndpoints(this.deps.env);
    return {
      platform: 'linkedin',
      spec: linkedinDeveloperAppSpec,
      service: 'linkedin.com',
      endpoints: () => endpoints,
      // The secret goes in the form body (authorization-code-flow, "Step 3"); LinkedIn does not take HTTP Basic.
      clientAuthMethod: 'client_secret_post',
      scopes: linkedinDeveloperAppSpec.scopes,
      // LinkedIn's standard flow refuses a code_verifier (authorization-code-flow).
      authorization: { pkce: false },
      identify: async (tokens) => {
        const response = await this.deps.fetch(`${endpoints.apiBase}/v2/userinfo`, {
          headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
        });
        if (!response.ok) throw await linkedinProblem(response, this.deps.clock.now());
        const me = (await response.json()) as LinkedInUserinfo;
        const name = me.name?.trim() || [me.given_name, me.family_name].filter(Boolean).join(' ').trim();
        if (!me.sub || !name) {
          throw new AppError('platform_rejected', 'LinkedIn did not say which member signed in.', {
            action: 'Check that your app has the product "Sign In with LinkedIn using OpenID Connect", then connect again.',
          });
        }
        // The name is the handle: as displayName too, every screen would say it twice.
        return { remoteId: me.sub, handle: name, displayName: null, avatarUrl: me.picture ?? null, extra: { apiBase: endpoints.apiBase, sub: me.sub } };
      },
      // A wrong id or secret is 401 invalid_client, "Client authentication failed"; a code LinkedIn
      // never issued is 400 invalid_request, "Unable to retrieve access token: appid/redirect
      // uri/code verifier does not match authorization code", as developers report both
      // (authorization-code-flow documents neither); RFC 6749's invalid_grant means the same.
      credentialCheck: { codeRefused: ['invalid_grant', 'invalid_request'] },
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await (await this.#api(account, '/v2/userinfo', { method: 'GET' })).body?.cancel();
    }, 'needs_reauth');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const author = this.#author(account);
    const media = await beforeThePost(async (): Promise<{ id: string; altText?: string; title?: string } | null> => {
      if (post.video) {
        const id = await uploadLinkedInVideo(this.#videoDeps(account), author, post, post.video);
        const title = videoTitle(post.text);
        return { id, ...(title ? { title } : {}) };
      }
      const uploaded: Array<{ id: string; altText?: string }> = [];
      for (const image of post.images) {
        const id = await this.#uploadImage(account, author, image);
        await this.#waitUntilAvailable(account, id);
        uploaded.push({ id, ...(image.alt.trim() ? { altText: image.alt } : {}) });
      }
      return uploaded[0] ?? null;
    });

    // posts-api, "Create a text-only post", "Create a single-image post" and "Create a video post".
    const response = await this.#api(account, '/rest/posts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        author,
        commentary: escapeLittleText(post.text),
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        ...(media ? { content: { media } } : {}),
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
      }),
    });
    await response.body?.cancel();
    const urn = response.headers.get('x-restli-id');
    if (!urn) {
      throw new AppError('platform_rejected', 'LinkedIn answered without the new post’s id.', { action: 'Check your LinkedIn profile before publishing again.' });
    }
    return { uri: urn, cid: null, url: `https://www.linkedin.com/feed/update/${encodeURIComponent(urn)}/` };
  }

  async disconnect(account: Account): Promise<void> {
    // LinkedIn has no revocation endpoint (the member removes the app in their settings): the
    // sign-in is forgotten here.
    await this.deps.oauthAccounts.disconnect(account);
  }

  /**
   * images-api: `initializeUpload` for the member, then one PUT of the whole file to the upload
   * URL it returned; the image URN then goes in the post's `content.media`.
   */
  async #uploadImage(account: Account, owner: string, image: OutgoingPost['images'][number]): Promise<string> {
    const initialized = await this.#api(account, '/rest/images?action=initializeUpload', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ initializeUploadRequest: { owner } }),
    });
    const value = ((await initialized.json()) as { value?: { uploadUrl?: string; image?: string } }).value;
    if (!value?.uploadUrl || !value.image) {
      throw new AppError('platform_rejected', 'LinkedIn answered an image upload without where to send it.', { action: 'Publish again; nothing was posted.' });
    }
    const uploaded = await this.deps.oauthAccounts.authorizedFetch(account, value.uploadUrl, () => ({
      method: 'PUT',
      ...streamedRequest(image.body(), { 'content-type': image.mime }),
    }));
    if (!uploaded.ok) throw await linkedinProblem(uploaded, this.deps.clock.now());
    await uploaded.body?.cancel();
    return value.image;
  }

  /**
   * images-api, "Get a Single Image": `GET /rest/images/{urn}` until its `status` is AVAILABLE.
   * A post naming an image still PROCESSING is refused, so the post waits for it here.
   */
  async #waitUntilAvailable(account: Account, image: string): Promise<void> {
    const wait = this.deps.imageProcessingWait ?? linkedinImageProcessingWait;
    const deadline = this.deps.clock.now() + wait.timeoutMs;
    for (let interval = wait.firstCheckAfterMs; ; interval = Math.min(interval * 2, wait.maxIntervalMs)) {
      await sleep(interval);
      const response = await this.#request(account, `/rest/images/${encodeURIComponent(image)}`, { method: 'GET' });
      if (response.status === 403) {
        // The Images API does not say whether an app with only w_member_social may read an image
        // back; where LinkedIn refuses it, a pause gives the image LinkedIn's usual processing
        // time instead of failing a post that would most likely go through.
        await response.body?.cancel();
        this.deps.log.info('LinkedIn image status unreadable; posting after a pause', { account: account.id });
        await sleep(wait.unreadableGraceMs);
        return;
      }
      if (!response.ok) throw await linkedinProblem(response, this.deps.clock.now());
      const status = ((await response.json().catch(() => ({}))) as { status?: unknown }).status;
      if (status === 'AVAILABLE') return;
      if (status === 'PROCESSING_FAILED') {
        throw new AppError('media_unsupported', 'LinkedIn could not process the image (PROCESSING_FAILED).', {
          action: 'Try another image (JPEG, PNG or GIF); nothing was posted.',
        });
      }
      if (this.deps.clock.now() >= deadline) {
        throw new AppError('platform_rejected', `LinkedIn was still processing the image after ${Math.round(wait.timeoutMs / 1000)} seconds.`, {
          action: 'Localpost tries again by itself in a while; nothing was posted.',
          transient: true,
        });
      }
    }
  }

  #videoDeps(account: Account) {
    return {
      fetch: this.deps.fetch,
      clock: this.deps.clock,
      log: this.deps.log,
      request: (path: string, init: RequestInit) => this.#request(account, path, init),
      apiBase: this.#apiBase(account),
      wait: this.deps.videoProcessingWait ?? linkedinVideoProcessingWait,
      ...(this.deps.uploadRetry ? { retry: this.deps.uploadRetry } : {}),
    };
  }

  #author(account: Account): string {
    return `urn:li:person:${this.deps.oauthAccounts.extra(account).sub ?? account.remoteId}`;
  }

  async #api(account: Account, path: string, init: RequestInit): Promise<Response> {
    const response = await this.#request(account, path, init);
    if (!response.ok) throw await linkedinProblem(response, this.deps.clock.now());
    return response;
  }

  /** The API address the account was connected with (saved with its sign-in). */
  #apiBase(account: Account): string {
    const apiBase = this.deps.oauthAccounts.extra(account).apiBase;
    if (!apiBase) throw new AppError('platform_auth_failed', `${account.handle} has no saved LinkedIn address.`, { action: failureActions.reconnect });
    return apiBase;
  }

  /** A versioned API call with its headers, its answer whatever the status. */
  async #request(account: Account, path: string, init: RequestInit): Promise<Response> {
    const apiBase = this.#apiBase(account);
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    headers.set('linkedin-version', linkedinApiVersion);
    headers.set('x-restli-protocol-version', '2.0.0');
    return this.deps.oauthAccounts.authorizedFetch(account, `${apiBase}${path}`, { ...init, headers });
  }
}

/**
 * posts-api's video post names the video's `title`; the composer asks for none, so the post's
 * first line serves, cut to 200 characters (LinkedIn's own limit for it is not documented).
 */
function videoTitle(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim())?.trim() ?? '';
  const characters = [...line];
  return characters.length > 200 ? `${characters.slice(0, 199).join('')}…` : line;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
