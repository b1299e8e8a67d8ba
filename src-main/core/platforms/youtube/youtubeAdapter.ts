// YouTube Data API v3 (the discovery document youtube/v3): the user brings their own Google Cloud
// OAuth client of type "Desktop app", Localpost signs in with Google's installed-app flow
// (developers.google.com/identity/protocols/oauth2/native-app: a loopback redirect on any port,
// PKCE S256, the client secret sent with the code), reads the channel from
// `channels.list?part=snippet&mine=true` and uploads each video with `videos.insert` through
// Google's resumable protocol (googleResumableUpload.ts).
//
// Exactly once: YouTube creates the video only when the last byte of a resumable session arrives
// (developers.google.com/youtube/v3/guides/using_resumable_upload_protocol), and the session's
// address is saved with the target before the first byte. A later attempt asks that session
// where it stands (`Content-Range: bytes */total`) and either sends the rest or reads the video it
// already made, so a retry never uploads a second video: `dedupesRetries`.
import type { Account } from '../../../../src-preload/contract';
import { developerAppSpecs, youTubeTestingSwitch } from '../../../../src-shared/developerApps';
import { emptyYouTubeFields } from '../../../../src-shared/youtube';
import { AppError } from '../../errors';
import { googleResumableUpload } from '../../http/googleResumableUpload';
import { isUploadFailure, type UploadState } from '../../http/uploadSession';
import { endpointsWithOverrides, type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost } from '../adapter';
import type { DeveloperAppAdapterDeps, DeveloperAppSignIn } from '../developerAppSignIn';
import { readGoogleError, youTubeFailureRules, youTubeProblem } from './youtubeErrors';
import { isSameOrigin } from '../../http/uploadAddress';

const youTubeDeveloperAppSpec = developerAppSpecs.youtube;

// developers.google.com/identity/protocols/oauth2/native-app (steps 2, 5 and "Revoking a token");
// the discovery document's rootUrl serves the API, and its `mediaUpload` path the uploads, on
// www.googleapis.com.
const youTubeDefaults = {
  authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
  apiBase: 'https://www.googleapis.com',
};

/** YouTube's endpoints, with any LOCALPOST_YOUTUBE_* overrides applied. */
export function youTubeEndpoints(env: EnvRecord): OAuthEndpoints {
  return endpointsWithOverrides('youtube', youTubeDefaults, env);
}

const day = 24 * 60 * 60_000;

/** Google's access tokens last an hour (`expires_in` 3599): refreshed five minutes ahead. */
export const youTubeTokenPolicy = { refreshLeadMs: 5 * 60_000 };

/** How long Google lets a sign-in of an app whose consent screen is in Testing live (oauth2#expiration). */
export const testingGrantMs = 7 * day;

/** The part of a channel resource (channels.list, part=snippet) Localpost reads. */
interface YouTubeChannel {
  id?: string;
  snippet?: { title?: string; customUrl?: string; thumbnails?: { default?: { url?: string } } };
}

/** What the target keeps between attempts: the session, and how far it got. */
interface SavedUpload extends UploadState {
  sessionUri: string;
}

export class YouTubeAdapter implements PlatformAdapter {
  readonly platform = 'youtube' as const;
  // Nothing is created before the session's address is saved; see the header.
  readonly dedupesRetries = true;

  constructor(private readonly deps: DeveloperAppAdapterDeps) {}

  /** How YouTube signs in with the user's own OAuth client: for connect and for the credentials test. */
  developerAppSignIn(): DeveloperAppSignIn {
    return {
      platform: 'youtube',
      spec: youTubeDeveloperAppSpec,
      service: 'youtube.com',
      endpoints: () => youTubeEndpoints(this.deps.env),
      // native-app, step 5: client_id and client_secret go in the token request's body.
      clientAuthMethod: 'client_secret_post',
      scopes: youTubeDeveloperAppSpec.scopes,
      authorization: {
        pkce: true,
        // native-app, step 2: `access_type=offline` is what brings a refresh token; `prompt=consent`
        // brings a new one on a reconnect, when Google would otherwise give only an access token.
        extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
      },
      identify: async (tokens, endpoints) => {
        const response = await this.deps.fetch(`${endpoints.apiBase}/youtube/v3/channels?part=snippet&mine=true`, {
          headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
        });
        if (!response.ok) throw await youTubeProblem(response, this.deps.clock.now());
        const channel = ((await response.json()) as { items?: YouTubeChannel[] }).items?.[0];
        if (!channel?.id) {
          throw new AppError('platform_rejected', 'This Google account has no YouTube channel, so there is nothing to upload to.', {
            action: 'Create a channel at youtube.com with this Google account, then connect again.',
          });
        }
        const title = channel.snippet?.title?.trim() || null;
        const avatarUrl = channel.snippet?.thumbnails?.default?.url;
        return {
          remoteId: channel.id,
          // The channel's handle (`customUrl`, "@name") where it has one, its title otherwise.
          handle: channel.snippet?.customUrl?.trim() || title || channel.id,
          displayName: title,
          avatarUrl: avatarUrl ?? null,
          extra: {
            apiBase: endpoints.apiBase,
            channelId: channel.id,
            ...(this.deps.developerApp.read().switches?.[youTubeTestingSwitch] ? { grantEndsAt: String(this.deps.clock.now() + testingGrantMs) } : {}),
          },
        };
      },
      // Google answers a code it never issued with invalid_grant after it checked the client, and a
      // wrong id or secret with invalid_client (RFC 6749 §5.2).
      credentialCheck: { codeRefused: ['invalid_grant'] },
    };
  }

  /**
   * After a connect: a consent screen in Testing makes Google end the sign-in 7 days after it was
   * given, which no refresh can stretch. The account's card then says the day and keeps a Reconnect.
   */
  afterConnect(account: Account): void {
    const endsAt = Number(this.deps.oauthAccounts.extra(account).grantEndsAt);
    if (!endsAt) return;
    const dayText = new Date(endsAt).toLocaleDateString(undefined, { dateStyle: 'medium' });
    this.deps.accounts.markSignInEnding(
      account.id,
      `Your Google project's consent screen is in Testing, so Google ends this sign-in on ${dayText} (7 days after it was given): reconnect before then, or publish the app in Google Cloud.`,
    );
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await (await this.#api(account, '/youtube/v3/channels?part=id&mine=true', { method: 'GET' })).body?.cancel();
    }, 'needs_reauth');
  }

  /**
   * The post's video as a YouTube video: its title, privacy, made-for-kids answer, category and
   * tags from the composer's fields, the post's text as its description, and `status.publishAt`
   * when the user chose to let YouTube publish it at a set time.
   */
  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const video = post.video;
    if (!video) {
      throw new AppError('invalid_input', 'YouTube takes nothing but video, and this post has none.', { action: 'Attach a video to the post, then publish again.' });
    }
    const fields = { ...emptyYouTubeFields, ...post.platformOptions.youtube };
    if (fields.madeForKids === null) {
      throw new AppError('invalid_input', 'YouTube requires an answer to "made for kids" for every video, and this post has none.', {
        action: 'Answer it in the composer, then publish again.',
      });
    }
    // videos resource, status.publishAt: a time YouTube can still publish at. Said before anything
    // is sent, rather than as YouTube's refusal after the whole file went up.
    if (fields.publishAt && Date.parse(fields.publishAt) <= this.deps.clock.now()) {
      throw new AppError('invalid_input', `The time you chose for YouTube to make the video public (${new Date(fields.publishAt).toLocaleString()}) has passed. Nothing was uploaded.`, {
        action: 'Choose a later time in the composer, or untick it to publish the video as it is, then publish again.',
      });
    }
    const apiBase = this.#apiBase(account);
    // The video resource (the discovery document's `Video`): only fields videos.insert takes.
    const resource = {
      snippet: {
        title: fields.title.trim(),
        description: post.text,
        categoryId: fields.categoryId,
        ...(fields.tags.length > 0 ? { tags: fields.tags } : {}),
        ...(post.langs[0] ? { defaultLanguage: post.langs[0] } : {}),
      },
      status: {
        privacyStatus: fields.publishAt ? 'private' : fields.privacy,
        selfDeclaredMadeForKids: fields.madeForKids,
        ...(fields.publishAt ? { publishAt: new Date(fields.publishAt).toISOString() } : {}),
      },
    };
    const saved = savedUpload(post.uploadHandle.saved);
    const upload = (resumeFrom: SavedUpload | null) =>
      googleResumableUpload({
        fetch: (url, init) => this.deps.oauthAccounts.authorizedFetch(account, String(url), init),
        file: { path: video.path, size: video.bytes },
        contentType: video.mime,
        // Every request into the session carries the channel's token: only Google's own API may
        // have it (the session address is on the upload host, www.googleapis.com).
        trustsSession: (uri) => isSameOrigin(uri, apiBase),
        startSession: async () => {
          const response = await this.deps.oauthAccounts.authorizedFetch(
            account,
            `${apiBase}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`,
            {
              method: 'POST',
              headers: {
                accept: 'application/json',
                'content-type': 'application/json; charset=UTF-8',
                'x-upload-content-length': String(video.bytes),
                'x-upload-content-type': video.mime,
              },
              body: JSON.stringify(resource),
            },
            // youtubeSignupRequired is a 401 (docs/errors) about the account having no channel,
            // not about the token: no refresh, and the sign-in is not marked dead.
            { notSignInFailure: async (answer) => (await readGoogleError(answer)).reasons.includes('youtubeSignupRequired') },
          );
          if (!response.ok) throw await youTubeProblem(response, this.deps.clock.now());
          return response;
        },
        ...(resumeFrom ? { resumeFrom } : {}),
        saveState: (state) => post.uploadHandle.save(state),
        onProgress: (progress) => post.reportProgress(progress.sentBytes, progress.totalBytes),
        failureRules: youTubeFailureRules,
        // A 5xx is passing trouble the upload retries by itself; anything else is YouTube's own
        // refusal, read for its reason (a quota, a title) rather than its status alone.
        readFailure: async (response) => {
          if (response.status < 500) throw await youTubeProblem(response, this.deps.clock.now());
          const { said } = await readGoogleError(response);
          return { status: response.status, headers: response.headers, ...(said ? { said } : {}) };
        },
        now: () => this.deps.clock.now(),
      });
    let completed;
    try {
      completed = await upload(saved);
    } catch (error) {
      // The guide, "Resume an interrupted upload": 404 or 410 means the session expired and the
      // upload must start over. An expired session never made a video, so a new one is safe.
      if (!isUploadFailure(error, 'session_expired')) throw error;
      this.deps.log.info('YouTube upload session expired: starting a new one', { account: account.id });
      completed = await upload(null);
    }
    const created = completed.resource as { id?: unknown };
    if (typeof created?.id !== 'string' || !created.id) {
      throw new AppError('platform_rejected', 'YouTube finished the upload without saying the new video’s id.', { action: 'Check your channel in YouTube Studio before publishing again.' });
    }
    return videoPublished(created.id);
  }

  async disconnect(account: Account): Promise<void> {
    // Revokes the grant at Google's revocation endpoint (native-app, "Revoking a token"), then
    // forgets it. The OAuth client stays: it holds no access to any channel.
    await this.deps.oauthAccounts.disconnect(account);
  }

  #apiBase(account: Account): string {
    const apiBase = this.deps.oauthAccounts.extra(account).apiBase;
    if (!apiBase) throw new AppError('platform_auth_failed', `${account.handle} has no saved YouTube address.`, { action: 'Reconnect the account.' });
    return apiBase;
  }

  async #api(account: Account, path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    const response = await this.deps.oauthAccounts.authorizedFetch(account, `${this.#apiBase(account)}${path}`, { ...init, headers });
    if (!response.ok) throw await youTubeProblem(response, this.deps.clock.now());
    return response;
  }
}

/** What an earlier attempt saved, when it is a session this adapter made; anything else starts over. */
function savedUpload(saved: unknown): SavedUpload | null {
  if (!saved || typeof saved !== 'object') return null;
  const { sessionUri, uploadedBytes } = saved as { sessionUri?: unknown; uploadedBytes?: unknown };
  if (typeof sessionUri !== 'string' || !sessionUri) return null;
  return { sessionUri, ...(typeof uploadedBytes === 'number' && uploadedBytes >= 0 ? { uploadedBytes } : {}) };
}

function videoPublished(id: string): PublishedPost {
  return { uri: id, cid: null, url: `https://www.youtube.com/watch?v=${encodeURIComponent(id)}` };
}
