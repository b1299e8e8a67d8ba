// Pinterest API v5 (api-description v5/openapi.json): the user brings their own developer app,
// Localpost signs in through the OAuth engine with the code flow and the one loopback redirect the
// app registered (Pinterest matches it exactly, port included: pinterest/api-quickstart), reads the
// account from `GET /v5/user_account` and pins with `POST /v5/pins`. Pinterest's token request has
// no `code_verifier` and authenticates the app with HTTP Basic, so the flow runs without PKCE and
// the secret is required. Every API call after connect goes through OAuthAccounts.authorizedFetch,
// which refreshes ahead of time and stores a rotated refresh token before using the new access token.
import type { Account, Board } from '../../../../src-preload/contract';
import { developerAppSpecs, pinterestSandboxSwitch } from '../../../../src-shared/developerApps';
import type { MediaTools } from '../../media/mediaTools';
import { AppError } from '../../errors';
import { failureActions } from '../../http/platformFailure';
import { endpointsWithOverrides, type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';
import { checkWith, unidentifiable, type BoardSource, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost } from '../adapter';
import type { UploadRetry } from '../../http/uploadSession';
import { beforeThePost } from '../beforeThePost';
import { pinterestProblem } from './pinterestErrors';
import { pinterestVideoProcessingWait, uploadPinterestVideo, type VideoProcessingWait } from './pinterestVideo';
import type { DeveloperAppAdapterDeps, DeveloperAppSignIn } from '../developerAppSignIn';

const pinterestDeveloperAppSpec = developerAppSpecs.pinterest;

// developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/ and
// api-description v5/openapi.json (`/oauth/token`, servers): no revocation endpoint is documented.
const pinterestDefaults = {
  authorizeUrl: 'https://www.pinterest.com/oauth/',
  tokenUrl: 'https://api.pinterest.com/v5/oauth/token',
  apiBase: 'https://api.pinterest.com/v5',
};

// developers.pinterest.com/docs/developer-tools/sandbox/: the sandbox has its own API host and
// token endpoint (its tokens work nowhere else); the consent page stays www.pinterest.com/oauth/.
const pinterestSandboxDefaults = {
  tokenUrl: 'https://api-sandbox.pinterest.com/v5/oauth/token',
  apiBase: 'https://api-sandbox.pinterest.com/v5',
};

/** Pinterest's endpoints, with any LOCALPOST_PINTEREST_* overrides applied. */
export function pinterestEndpoints(env: EnvRecord): OAuthEndpoints {
  return endpointsWithOverrides('pinterest', pinterestDefaults, env);
}

/**
 * Pinterest's API sandbox: production's consent page and issuer, the sandbox's token endpoint and
 * API, moved by LOCALPOST_PINTEREST_SANDBOX_TOKEN_URL and _SANDBOX_API_BASE.
 */
export function pinterestSandboxEndpoints(env: EnvRecord): OAuthEndpoints {
  const production = pinterestEndpoints(env);
  const sandbox = endpointsWithOverrides('pinterest_sandbox', { authorizeUrl: production.authorizeUrl, ...pinterestSandboxDefaults }, env);
  return { authorizeUrl: production.authorizeUrl, tokenUrl: sandbox.tokenUrl, apiBase: sandbox.apiBase, issuer: production.issuer };
}
const day = 24 * 60 * 60_000;

/** Access tokens last 30 days (`expires_in` of OauthAccessTokenResponseCode): refresh a day before
 *  they end, and tell the user a week ahead when the grant itself is ending. */
export const pinterestTokenPolicy = { refreshLeadMs: day, expiringNoticeMs: 7 * day };

export interface PinterestAdapterDeps extends DeveloperAppAdapterDeps {
  /** A WebP image made PNG for a pin (in the media worker, in the app). */
  media: Pick<MediaTools, 'asPng'>;
  /** pinterestVideoProcessingWait unless a test says otherwise. */
  videoProcessingWait?: VideoProcessingWait;
  /** The retries of a video upload inside one attempt; the upload's defaults unless a test says otherwise. */
  uploadRetry?: UploadRetry;
}

/** `GET /v5/user_account` (openapi.json `Account`): the fields Localpost reads. */
interface PinterestUserAccount {
  id?: string;
  username?: string;
  business_name?: string | null;
  profile_image?: string | null;
}

/** A pin as `GET /v5/boards/{board_id}/pins` lists it (openapi.json `Pin`). */
interface PinterestPinSummary {
  id: string;
  title?: string | null;
  description?: string | null;
  created_at?: string;
}

/** A board as `GET /v5/boards` lists it (openapi.json `Board`, `BoardPrivacy`). */
interface PinterestBoard {
  id: string;
  name: string;
  privacy?: 'PUBLIC' | 'PROTECTED' | 'SECRET';
}

/** `page_size` at its maximum (openapi.json), and a bound on the pages followed, so a server
 *  whose bookmarks never end cannot keep Localpost listing. */
const boardPageSize = 250;
const maxBoardPages = 20;

export class PinterestAdapter implements PlatformAdapter {
  readonly platform = 'pinterest' as const;

  constructor(private readonly deps: PinterestAdapterDeps) {}

  /**
   * How Pinterest signs in with the user's own app: for connect and for the credentials test.
   * With the app's sandbox switch on, the code is exchanged at the sandbox's token endpoint and the
   * account is read there: the account keeps that API base and token URL (its refresh goes to the
   * sandbox too) until it is connected again with the switch off.
   */
  developerAppSignIn(): DeveloperAppSignIn {
    return {
      platform: 'pinterest',
      spec: pinterestDeveloperAppSpec,
      service: 'pinterest.com',
      endpoints: (app) => (app.switches?.[pinterestSandboxSwitch] ? pinterestSandboxEndpoints(this.deps.env) : pinterestEndpoints(this.deps.env)),
      // The description's only security scheme for /oauth/token is `basic` (v5/openapi.json).
      clientAuthMethod: 'client_secret_basic',
      scopes: pinterestDeveloperAppSpec.scopes,
      // No PKCE in the v5 token request (api-description v5/openapi.json); `scope=boards:read,pins:write`,
      // as Pinterest's authorize page documents and its quickstart sends.
      authorization: { pkce: false, scopeSeparator: ',' },
      identify: async (tokens, endpoints) => {
        const response = await this.deps.fetch(`${endpoints.apiBase}/user_account`, {
          headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
        });
        if (!response.ok) throw await pinterestProblem(response, this.deps.clock.now());
        const me = (await response.json()) as PinterestUserAccount;
        if (!me.id || !me.username) {
          throw new AppError('platform_rejected', 'Pinterest did not say which account signed in.', { action: 'Connect again.' });
        }
        const sandbox = endpoints.apiBase === pinterestSandboxEndpoints(this.deps.env).apiBase;
        return {
          remoteId: me.id,
          handle: me.username,
          displayName: me.business_name?.trim() || null,
          avatarUrl: me.profile_image ?? null,
          extra: { apiBase: endpoints.apiBase, username: me.username, ...(sandbox ? { sandbox: 'true' } : {}) },
        };
      },
      // Wrong HTTP Basic credentials are 401 (`{"code":2,"message":"Authentication failed."}`), and
      // a code Pinterest never issued is invalid_grant, as developers report both (the description
      // lists no error bodies for /oauth/token).
      credentialCheck: { codeRefused: ['invalid_grant'] },
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await (await this.#api(account, '/user_account', { method: 'GET' })).body?.cancel();
    }, 'needs_reauth');
  }

  /**
   * One pin on the board chosen for this account, the post's text as its description, the pin's
   * title and link: an image sent as `image_base64`, or a video uploaded first and named by its
   * media id, its cover a key frame; the pin's alt text is its media's.
   */
  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const image = post.images[0];
    if (!image && !post.video) {
      throw new AppError('invalid_input', 'A pin needs an image or a video, and this post has neither.', { action: 'Add an image or a video to the post, then publish again.' });
    }
    const boardId = chosenBoard(account, post);
    const pin = post.platformOptions.pinterest;
    const video = post.video;
    const altText = video ? video.alt : image!.alt;
    const mediaSource = video
      ? {
          source_type: 'video_id',
          media_id: await beforeThePost(() => uploadPinterestVideo(this.#videoDeps(account), post, video)),
          // The cover is the video's first frame, the one the composer shows as its poster
          // (PinMediaSourceVideoID.cover_image_key_frame_time, in seconds).
          cover_image_key_frame_time: 0,
        }
      : await imageSource(image!, this.deps.media);
    const response = await this.#api(account, '/pins', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        board_id: boardId,
        ...(pin?.title.trim() ? { title: pin.title.trim() } : {}),
        ...(post.text.trim() ? { description: post.text } : {}),
        ...(pin?.link.trim() ? { link: pin.link.trim() } : {}),
        ...(altText.trim() ? { alt_text: altText } : {}),
        media_source: mediaSource,
      }),
    });
    const created = (await response.json()) as { id?: string };
    if (!created.id) {
      throw new AppError('platform_rejected', 'Pinterest answered without the new pin’s id.', { action: 'Check your Pinterest board before publishing again.' });
    }
    return this.#published(account, created.id);
  }

  /**
   * Whether a pin whose answer was lost exists: Pinterest takes no idempotency key, so the board's
   * newest pins (`GET /v5/boards/{board_id}/pins`, newest first) are compared by description,
   * title and creation time. A pin with neither text nor title cannot be told apart from the
   * board's others: the user decides.
   */
  async findPublished(account: Account, post: OutgoingPost, sentAfter: number): Promise<PublishedPost | null | typeof unidentifiable> {
    const title = post.platformOptions.pinterest?.title.trim() ?? '';
    if (!post.text.trim() && !title) return unidentifiable;
    const boardId = chosenBoard(account, post);
    const response = await this.#api(account, `/boards/${encodeURIComponent(boardId)}/pins?page_size=25`, { method: 'GET' });
    const listed = ((await response.json()) as { items?: PinterestPinSummary[] }).items ?? [];
    const same = (sent: string, listedValue: string | null | undefined) => (sent ? listedValue === sent : !listedValue);
    // A minute of slack for a clock that differs from Pinterest's.
    const match = listed.find(
      (pin) =>
        same(post.text.trim() ? post.text : '', pin.description) &&
        same(title, pin.title) &&
        (!pin.created_at || Date.parse(pin.created_at) >= sentAfter - 60_000),
    );
    return match ? this.#published(account, match.id) : null;
  }

  /**
   * The account's boards (`GET /v5/boards`, every page: those the granted scopes can read, so
   * public and protected ones, not secret ones, which need boards:read_secret), and a new public
   * one (`POST /v5/boards`).
   */
  readonly boards: BoardSource = {
    list: async (account) => {
      const boards: Board[] = [];
      let bookmark: string | null = null;
      for (let page = 0; page < maxBoardPages; page++) {
        const query = new URLSearchParams({ page_size: String(boardPageSize), ...(bookmark ? { bookmark } : {}) });
        const response = await this.#api(account, `/boards?${query}`, { method: 'GET' });
        const listed = (await response.json()) as { items?: PinterestBoard[]; bookmark?: string | null };
        boards.push(...(listed.items ?? []).map(asBoard));
        bookmark = listed.bookmark ?? null;
        if (!bookmark) break;
      }
      return boards;
    },
    create: async (account, { name }) => {
      const response = await this.#api(account, '/boards', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, privacy: 'PUBLIC' }),
      });
      return asBoard((await response.json()) as PinterestBoard);
    },
  };

  async disconnect(account: Account): Promise<void> {
    // Pinterest documents no revocation endpoint: Localpost forgets the tokens; the user removes
    // the app's access in Pinterest's settings.
    await this.deps.oauthAccounts.disconnect(account);
  }

  #published(account: Account, pinId: string): PublishedPost {
    return pinPublished(pinId, this.deps.oauthAccounts.extra(account).sandbox === 'true');
  }

  #videoDeps(account: Account) {
    return {
      fetch: this.deps.fetch,
      clock: this.deps.clock,
      log: this.deps.log,
      request: (path: string, init: RequestInit) => this.#request(account, path, init),
      apiBase: this.#apiBase(account),
      problem: (response: Response) => pinterestProblem(response, this.deps.clock.now()),
      wait: this.deps.videoProcessingWait ?? pinterestVideoProcessingWait,
      ...(this.deps.uploadRetry ? { retry: this.deps.uploadRetry } : {}),
    };
  }

  async #api(account: Account, path: string, init: RequestInit): Promise<Response> {
    const response = await this.#request(account, path, init);
    if (!response.ok) throw await pinterestProblem(response, this.deps.clock.now());
    return response;
  }

  /** The API address the account was connected with (saved with its sign-in). */
  #apiBase(account: Account): string {
    const apiBase = this.deps.oauthAccounts.extra(account).apiBase;
    if (!apiBase) throw new AppError('platform_auth_failed', `@${account.handle} has no saved Pinterest address.`, { action: failureActions.reconnect });
    return apiBase;
  }

  /** An API call for the account, its answer whatever the status. */
  async #request(account: Account, path: string, init: RequestInit): Promise<Response> {
    const apiBase = this.#apiBase(account);
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    return this.deps.oauthAccounts.authorizedFetch(account, `${apiBase}${path}`, { ...init, headers });
  }
}

/** The image as a pin's `image_base64`: Pinterest takes JPEG and PNG only (openapi.json
 *  `PinMediaSourceImageBase64.content_type`); Localpost keeps a large transparent image as WebP,
 *  which goes as PNG here. */
async function imageSource(image: OutgoingPost['images'][number], tools: Pick<MediaTools, 'asPng'>) {
  const bytes = await image.read();
  const media = image.mime === 'image/jpeg' || image.mime === 'image/png' ? { mime: image.mime, bytes } : { mime: 'image/png', bytes: await tools.asPng(bytes) };
  return { source_type: 'image_base64', content_type: media.mime, data: media.bytes.toString('base64') };
}

/** The board the composer chose for this account; preflight makes sure there is one. */
function chosenBoard(account: Account, post: OutgoingPost): string {
  const boardId = post.platformOptions.pinterest?.boards[account.id];
  if (!boardId) {
    throw new AppError('invalid_input', `No board was chosen for ${account.handle}, and every pin belongs to one.`, {
      action: 'Choose a board for this account in the composer, then publish again.',
    });
  }
  return boardId;
}

function asBoard(board: PinterestBoard): Board {
  return { id: board.id, name: board.name, secret: board.privacy === 'SECRET' || board.privacy === 'PROTECTED' };
}

function pinPublished(id: string, inSandbox: boolean): PublishedPost {
  // A sandbox pin is not on pinterest.com (developers.pinterest.com/docs/developer-tools/sandbox/):
  // its id, and no link that would lead nowhere.
  return { uri: id, cid: null, url: inSandbox ? null : `https://www.pinterest.com/pin/${encodeURIComponent(id)}/` };
}
