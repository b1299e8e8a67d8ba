/**
 * YouTube for tests: the real OAuth server of `oauthServer.ts` (oidc-provider on 127.0.0.1)
 * configured like Google's for an installed app, plus a contract mock of the two YouTube Data API
 * v3 methods Localpost calls, `channels.list` and `videos.insert` with Google's resumable upload
 * protocol (googleResumableServer.ts, mounted here).
 *
 * Every API request is checked against Google's own discovery document for the API
 * (`youtube-v3.discovery.json`, read by readSharedSpec; see discoveryContract.ts): method, path,
 * query parameters and the Video body. A request the document does not allow answers 400 in
 * Google's error shape and is recorded in `violations`, which a test asserts is empty. YouTube's
 * rules that the document leaves out are enforced on top and recorded the same way, marked
 * "(YouTube rule beyond its discovery document)": the `part` parameter naming every part the body
 * sets (videos.insert, "part"), and the snippet limits of the videos resource (title 1-100
 * characters, description 5,000 bytes, tags 500 characters, no < or > in any). The mock's own
 * answers are checked against the document's response schemas too.
 *
 * OAuth, as Google documents it for installed apps (developers.google.com/identity/protocols/oauth2/native-app):
 * - authorize at `/o/oauth2/v2/auth` (accounts.google.com), with PKCE S256 required;
 * - the token endpoint at `/token` (oauth2.googleapis.com) takes `client_id` and `client_secret`
 *   in the body (the client is a "Desktop app": a confidential client whose redirect URI is any
 *   loopback port, RFC 8252 §7.3);
 * - a refresh token with the grant (Google gives one for `access_type=offline`, which the tests
 *   check on the authorize URL), access tokens for an hour; revocation at `/revoke`.
 *
 * Errors, as developers.google.com/youtube/v3/docs/errors lists them, in Google's body
 * `{ error: { code, message, errors: [{ domain, reason, message }] } }`: a test queues one for the
 * next initiating request with `refuseNextInsert` (quotaExceeded, uploadLimitExceeded,
 * invalidTitle, invalidDescription, forbidden, youtubeSignupRequired, or a 5xx). A channel-less
 * Google account (`setChannel(null)`) lists no channel and is refused uploads with
 * youtubeSignupRequired.
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { compileDiscoveryContract, type DiscoveryDocument } from './discoveryContract';
import { createResumableUploads, googleError, uploadPath, type Refusal, type ResumableUploads } from './googleResumableServer';
import { startOAuthServer, type TestOAuthServer } from './oauthServer';
import { readSharedSpec } from './openApiContract';
import { answerProfilePicture } from './profilePictures';

const avatarPath = '/avatars/alice.png';
import { parseJson, readBody } from './requestBody';

export const youTubeScopes = { upload: 'https://www.googleapis.com/auth/youtube.upload', readonly: 'https://www.googleapis.com/auth/youtube.readonly' };

/** The refusals a test can queue for the next initiating request, as the error reference lists them. */
export const youTubeRefusals = {
  quotaExceeded: { status: 403, domain: 'youtube.quota', message: 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.' },
  uploadLimitExceeded: { status: 400, domain: 'youtube.video', message: 'The user has exceeded the number of videos they may upload.' },
  invalidTitle: { status: 400, domain: 'youtube.video', message: 'The request metadata specifies an invalid or empty video title.' },
  invalidDescription: { status: 400, domain: 'youtube.video', message: 'The request metadata specifies an invalid video description.' },
  forbidden: { status: 403, domain: 'youtube.video', message: 'Access forbidden. The request may not be properly authorized.' },
  youtubeSignupRequired: { status: 401, domain: 'youtube.header', message: 'The user has an unlinked Google Account.' },
  backendError: { status: 503, domain: 'global', message: 'Backend Error' },
} as const;
export type YouTubeRefusal = keyof typeof youTubeRefusals;

export interface YouTubeChannel {
  id: string;
  title: string;
  customUrl: string;
  avatarUrl: string;
}

export interface YouTubeVideo {
  id: string;
  resource: Record<string, unknown>;
}

export interface YouTubeRequestRecord {
  method: string;
  path: string;
  query: string;
  body: unknown;
}

export interface YouTubeServerOptions {
  accessTokenTtlSeconds?: number;
}

export interface YouTubeServer {
  oauth: TestOAuthServer;
  origin: string;
  /** LOCALPOST_YOUTUBE_AUTHORIZE_URL, _TOKEN_URL, _REVOKE_URL, _API_BASE, _ISSUER → this server. */
  env: Record<string, string>;
  /** The Desktop app client: any loopback port, PKCE, its secret in the token request's body. */
  client: { clientId: string; clientSecret: string };
  channel: YouTubeChannel | null;
  setChannel(channel: YouTubeChannel | null): void;
  /** Every video made, in order. */
  videos: YouTubeVideo[];
  /** The resumable protocol's records: requests per session, bytes received, faults. */
  uploads: ResumableUploads;
  /** Every API request (not the token endpoint), in order. */
  requests: YouTubeRequestRecord[];
  violations: string[];
  refuseNextInsert(reason: YouTubeRefusal, times?: number): void;
  close(): Promise<void>;
}

const discovery = readSharedSpec('youtube-v3.discovery.json') as unknown as DiscoveryDocument;
const contract = compileDiscoveryContract(discovery, ['youtube.videos.insert', 'youtube.channels.list']);
const beyond = '(YouTube rule beyond its discovery document)';

/** YouTube's snippet rules (videos resource: snippet.title, .description, .tags), as violations. */
function snippetProblems(snippet: { title?: unknown; description?: unknown; tags?: unknown } | undefined): Array<{ reason: YouTubeRefusal | 'invalidTags'; problem: string }> {
  const problems: Array<{ reason: YouTubeRefusal | 'invalidTags'; problem: string }> = [];
  const title = typeof snippet?.title === 'string' ? snippet.title : '';
  if (title.trim() === '' || title.length > 100 || /[<>]/.test(title)) problems.push({ reason: 'invalidTitle', problem: `snippet.title must be 1-100 characters without < or > ${beyond}` });
  const description = typeof snippet?.description === 'string' ? snippet.description : '';
  if (Buffer.byteLength(description) > 5000 || /[<>]/.test(description)) problems.push({ reason: 'invalidDescription', problem: `snippet.description must be at most 5000 bytes without < or > ${beyond}` });
  const tags = Array.isArray(snippet?.tags) ? (snippet.tags as string[]) : [];
  const tagsLength = tags.reduce((sum, tag) => sum + tag.length + (/\s/.test(tag) ? 2 : 0), 0) + Math.max(0, tags.length - 1);
  if (tagsLength > 500) problems.push({ reason: 'invalidTags', problem: `snippet.tags come to ${tagsLength} characters, over 500 ${beyond}` });
  return problems;
}

export async function startYouTubeServer(options: YouTubeServerOptions = {}): Promise<YouTubeServer> {
  const requests: YouTubeRequestRecord[] = [];
  const violations: string[] = [];
  const videos: YouTubeVideo[] = [];
  const refusals: YouTubeRefusal[] = [];
  let channel: YouTubeChannel | null = { id: 'UCx1Alice000000000000000', title: 'Alice Makes Things', customUrl: '@alicemakes', avatarUrl: 'https://yt3.ggpht.example/alice=s88' };
  let origin = '';
  // Set once the OAuth server exists: the upload handler asks it about tokens.
  let oauthRef: TestOAuthServer | undefined;

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
  };
  const refusal = (reason: YouTubeRefusal): Refusal => {
    const { status, domain, message } = youTubeRefusals[reason];
    return { status, body: googleError(status, reason, message, domain) };
  };

  /** The bearer token's grant, or Google's 401 (`authError`). */
  const grantOf = async (request: IncomingMessage) => {
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ? await oauthRef!.findAccessToken(bearer) : undefined;
    return token ?? null;
  };
  const unauthorized: Refusal = { status: 401, body: googleError(401, 'authError', 'Invalid Credentials', 'global') };

  const uploads = createResumableUploads({
    origin: () => origin,
    authorize: async (request) => {
      const grant = await grantOf(request);
      if (!grant) return unauthorized;
      if (!(grant.scope ?? '').split(' ').includes(youTubeScopes.upload)) {
        return { status: 403, body: googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', 'global') };
      }
      return undefined;
    },
    acceptStart: (address, metadata) => {
      const checked = contract.check({ method: 'POST', url: address, body: metadata });
      const problems = [...checked.problems];
      const body = (metadata ?? {}) as Record<string, unknown>;
      const parts = (address.searchParams.get('part') ?? '').split(',');
      for (const key of Object.keys(body)) if (!parts.includes(key)) problems.push(`the body sets ${key} but part=${parts.join(',')} does not name it ${beyond}`);
      const snippet = snippetProblems(body.snippet as Parameters<typeof snippetProblems>[0]);
      problems.push(...snippet.map((found) => found.problem));
      if (problems.length > 0) {
        violations.push(...problems.map((problem) => `POST ${uploadPath}: ${problem}`));
        const reason = snippet[0]?.reason ?? 'badRequest';
        return { status: 400, body: googleError(400, reason, problems.join('; '), 'youtube.video') };
      }
      const queued = refusals.shift();
      if (queued) return refusal(queued);
      if (!channel) return refusal('youtubeSignupRequired');
      return undefined;
    },
    resourceFor: (id, metadata) => {
      const sent = metadata as { snippet?: Record<string, unknown>; status?: Record<string, unknown> };
      const status = { ...sent.status };
      const resource = {
        kind: 'youtube#video',
        etag: crypto.randomBytes(8).toString('hex'),
        id,
        snippet: { ...sent.snippet, channelId: channel?.id, channelTitle: channel?.title, publishedAt: new Date().toISOString() },
        status: { ...status, uploadStatus: 'uploaded', madeForKids: status.selfDeclaredMadeForKids },
      };
      const problems = contract.checkResponse('youtube.videos.insert', resource);
      violations.push(...problems.map((problem) => `the mock's own video resource: ${problem}`));
      return resource;
    },
    onCreated: (resource) => videos.push({ id: String(resource.id), resource }),
  });

  const apiRoutes = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
    if (await answerProfilePicture(url, response, avatarPath)) return true;
    if (url.pathname === uploadPath) {
      requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.search, body: request.method === 'POST' ? '(initiating request)' : '(session)' });
      return uploads.handle(request, response);
    }
    if (!url.pathname.startsWith('/youtube/v3/')) return false;
    const raw = await readBody(request);
    const body = raw.length > 0 ? parseJson(raw) : undefined;
    requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.search, body });
    const checked = contract.check({ method: request.method ?? 'GET', url, ...(body !== undefined ? { body } : {}) });
    if (checked.problems.length > 0) {
      violations.push(...checked.problems.map((problem) => `${request.method} ${url.pathname}: ${problem}`));
      json(response, 400, googleError(400, 'badRequest', checked.problems.join('; '), 'global'));
      return true;
    }
    const grant = await grantOf(request);
    if (!grant) {
      json(response, 401, unauthorized.body);
      return true;
    }
    if (!checked.scopes.some((scope) => (grant.scope ?? '').split(' ').includes(scope))) {
      json(response, 403, googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', 'global'));
      return true;
    }
    if (checked.methodId === 'youtube.channels.list') {
      const parts = (url.searchParams.get('part') ?? '').split(',');
      const mine = url.searchParams.get('mine') === 'true';
      const items =
        mine && channel
          ? [
              {
                kind: 'youtube#channel',
                etag: 'etag-channel',
                id: channel.id,
                ...(parts.includes('snippet')
                  ? {
                      snippet: {
                        title: channel.title,
                        description: '',
                        customUrl: channel.customUrl,
                        publishedAt: '2019-04-01T10:00:00Z',
                        thumbnails: { default: { url: channel.avatarUrl, width: 88, height: 88 } },
                      },
                    }
                  : {}),
              },
            ]
          : [];
      const answer = { kind: 'youtube#channelListResponse', etag: 'etag-list', pageInfo: { totalResults: items.length, resultsPerPage: 5 }, items };
      violations.push(...contract.checkResponse('youtube.channels.list', answer).map((problem) => `the mock's own channel list: ${problem}`));
      json(response, 200, answer);
      return true;
    }
    json(response, 404, googleError(404, 'notFound', 'Not served by the mock.', 'global'));
    return true;
  };

  const oauth = await startOAuthServer({
    routes: { authorization: '/o/oauth2/v2/auth', token: '/token', revocation: '/revoke' },
    extraScopes: [youTubeScopes.upload, youTubeScopes.readonly],
    refreshTokenAlways: true,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    apiRoutes,
  });
  oauthRef = oauth;
  origin = oauth.issuer;
  if (channel) channel.avatarUrl = `${origin}${avatarPath}`;

  return {
    oauth,
    origin,
    env: {
      LOCALPOST_YOUTUBE_AUTHORIZE_URL: oauth.endpoints.authorizeUrl,
      LOCALPOST_YOUTUBE_TOKEN_URL: oauth.endpoints.tokenUrl,
      LOCALPOST_YOUTUBE_REVOKE_URL: oauth.endpoints.revokeUrl,
      LOCALPOST_YOUTUBE_API_BASE: origin,
      LOCALPOST_YOUTUBE_ISSUER: oauth.issuer,
    },
    client: oauth.clients.nativeConfidential,
    get channel() {
      return channel;
    },
    setChannel: (next) => void (channel = next),
    videos,
    uploads,
    requests,
    violations,
    refuseNextInsert: (reason, times = 1) => {
      for (let i = 0; i < times; i++) refusals.push(reason);
    },
    close: () => oauth.close(),
  };
}
