/**
 * Instagram for tests: a contract mock of Meta's Instagram API with Instagram Login (sign-in and
 * content publishing), built from Meta's documentation, on one server at 127.0.0.1 standing for
 * www.instagram.com, api.instagram.com and graph.instagram.com at once. Started with
 * `host: 'facebook'`, it stands for graph.facebook.com instead: the same publishing API, reached
 * with a Facebook Page's token (an Instagram account linked to a Page), and no Instagram sign-in.
 * Meta publishes no machine-readable description of this API, so the documents' rules are checked
 * here and recorded in `violations` (a test asserts it empty) when a request breaks one.
 *
 * - Authorize `GET /oauth/authorize` (instagram-api-with-instagram-login/business-login,
 *   reference/oauth-authorize): client_id, redirect_uri equal to the registered https address,
 *   scope comma-separated with instagram_business_basic, response_type=code, state. The user
 *   allows at once; the redirect carries `code`, `state` and Meta's `#_`.
 * - `POST /oauth/access_token` (form: client_id, client_secret, grant_type=authorization_code,
 *   redirect_uri, code): the code single use, 10 minutes; a 1-hour token, answered as
 *   `{ access_token, user_id, permissions }` without `token_type` (the shape Meta's servers send;
 *   business-login's sample wraps it in `data`, which its API does not).
 * - `GET /access_token?grant_type=ig_exchange_token&client_secret&access_token` (reference/
 *   access_token): a short-lived token for a long-lived one (60 days, or `longLivedTtlSeconds`).
 * - `GET /refresh_access_token?grant_type=ig_refresh_token&access_token` (reference/
 *   refresh_access_token): a long-lived token at least 24 hours old and unexpired (on the mock's
 *   clock, the test's) for a new one.
 * - `/{version}/…` (the Graph API version, recorded in `versions`): `GET me?fields=user_id,…`;
 *   `POST {ig-user-id}/media` (ig-user/media: `image_url` JPEG only, `alt_text` photos only,
 *   `media_type` REELS with `video_url`, VIDEO or IMAGE items with `is_carousel_item`, CAROUSEL with
 *   2 to 10 FINISHED `children`; the mock FETCHES the media URL at once as Instagram's crawler
 *   does, so an expired or wrong presigned address fails as 9004/2207052; caption up to 2,200
 *   characters, else 2207010); `GET {container-id}?fields=status_code,status` (ig-container:
 *   IN_PROGRESS for `processingMs`, then FINISHED, or ERROR with Meta's subcode in `status`);
 *   `POST {ig-user-id}/media_publish` (creation_id; a container not FINISHED is 9007/2207027
 *   "Media ID is not available"; a PUBLISHED one is refused and recorded as a violation);
 *   `GET {ig-user-id}/content_publishing_limit` (50 posts in a moving 24 hours; media_publish past
 *   it is 2207042); `GET {ig-user-id}/media` (newest first, with caption, permalink, timestamp);
 *   `GET {media-id}?fields=permalink`; `GET {ig-user-id}?fields=username`.
 * - The token goes as `Authorization: Bearer` or `access_token`; a dead one is 190 (OAuthException,
 *   subcode 460), a missing permission 10. Every API answer carries Meta's
 *   `X-Business-Use-Case-Usage` header, as the Instagram Platform's rate limiting describes.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerProfilePicture } from './profilePictures';
import { readBody } from './requestBody';

const avatarPath = '/avatars/instagram.png';
const hour = 3_600_000;
const day = 24 * hour;

type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';

export interface InstagramFetchedMedia {
  url: string;
  contentType: string;
  bytes: Buffer;
  altText: string | null;
}

export interface InstagramContainer {
  id: string;
  mediaType: 'IMAGE' | 'VIDEO' | 'REELS' | 'CAROUSEL';
  caption: string;
  status: ContainerStatus;
  isCarouselItem: boolean;
  shareToFeed: boolean;
  children?: string[];
  media?: InstagramFetchedMedia;
  readyAt: number;
  errorSubcode?: number;
  mediaId?: string;
}

export interface InstagramMedia {
  id: string;
  caption: string;
  permalink: string;
  containerId: string;
  timestamp: number;
}

export interface InstagramRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  authorization: string | undefined;
}

interface TokenRecord {
  kind: 'short' | 'long' | 'page';
  issuedAt: number;
  expiresAt: number;
  scope: string;
  dead: boolean;
}

export interface InstagramServer {
  origin: string;
  host: 'instagram' | 'facebook';
  env: Record<string, string>;
  app: { appId: string; appSecret: string };
  user: { id: string; appScopedId: string; username: string; name: string };
  requests: InstagramRequestRecord[];
  violations: string[];
  containers: Map<string, InstagramContainer>;
  media: InstagramMedia[];
  /** Every file Instagram fetched from an `image_url` / `video_url`. */
  fetched: InstagramFetchedMedia[];
  /** The Graph API versions the API calls named. */
  versions: Set<string>;
  registerRedirect(uri: string): void;
  /** How long a new container stays IN_PROGRESS (real milliseconds). */
  setProcessingMs(ms: number): void;
  /** The next container (an item or a post) ends in ERROR with this subcode in its `status`. */
  failNextContainer(subcode: number): void;
  /** The next publish is done, and its answer lost (the connection drops). */
  loseNextPublishAnswer(): void;
  /** Posts published elsewhere (another app, the Instagram app) at these times: counted against the quota and listed. */
  setPublishedElsewhere(timestamps: number[]): void;
  /** Every token issued so far is now refused (190, the user changed their password: 460). */
  killTokens(): void;
  /** The next API call is refused as over the rate limit (code 4), its usage header saying access comes back in `minutes`. */
  throttleNextCall(minutes: number): void;
  /** A Facebook Page's token for the Instagram account linked to it (host 'facebook'): no expiry. */
  issuePageToken(): string;
  /** The posts a day Instagram allows (50 unless a test that posts hundreds lifts it). */
  setPublishQuota(posts: number): void;
  /** A Page token Facebook issued (a Facebook mock standing beside this one on the same host) is accepted from now on. */
  acceptPageToken(token: string, scope: string): void;
  tokenKinds(): Array<{ token: string; kind: TokenRecord['kind']; issuedAt: number }>;
  close(): Promise<void>;
}

export async function startInstagramServer(options: { now?: () => number; longLivedTtlSeconds?: number; host?: 'instagram' | 'facebook' } = {}): Promise<InstagramServer> {
  const now = options.now ?? (() => Date.now());
  const host = options.host ?? 'instagram';
  const app = { appId: '9876543210987654', appSecret: randomBytes(16).toString('hex') };
  const user = { id: '17841400000000042', appScopedId: '27000000000000042', username: 'localpost.gram', name: 'Localpost Gram' };
  const requests: InstagramRequestRecord[] = [];
  const violations: string[] = [];
  const containers = new Map<string, InstagramContainer>();
  const media: InstagramMedia[] = [];
  const fetched: InstagramFetchedMedia[] = [];
  const versions = new Set<string>();
  const codes = new Map<string, { redirectUri: string; scope: string; expiresAt: number }>();
  const tokens = new Map<string, TokenRecord>();
  let registeredRedirect = '';
  let processingMs = 30;
  let quotaTotal = 50;
  let nextContainerError: number | null = null;
  let losePublish = false;
  let throttleMinutes: number | null = null;
  let elsewhere: number[] = [];
  let callCount = 0;
  let nextId = 1;
  const newId = () => `1800${String(nextId++).padStart(13, '0')}`;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A client that went away mid-request (killed, or its connection cut) broke no rule: there
      // is only no one left to answer.
      if (request.destroyed || request.socket.destroyed) return;
      violations.push(`mock crashed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function metaError(response: ServerResponse, status: number, error: { message: string; type?: string; code: number; error_subcode?: number; error_user_msg?: string }) {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { type: 'OAuthException', ...error, fbtrace_id: `A${randomBytes(8).toString('hex')}` } }));
  }

  function json(response: ServerResponse, body: unknown) {
    callCount++;
    const usage = { [user.id]: [{ type: 'instagram', call_count: callCount, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 0 }] };
    response.writeHead(200, { 'content-type': 'application/json', 'x-business-use-case-usage': JSON.stringify(usage) });
    response.end(JSON.stringify(body));
  }

  function issue(kind: TokenRecord['kind'], scope: string, ttlSeconds: number): string {
    const token = `${kind === 'page' ? 'EAAP' : 'IG'}${kind === 'long' ? 'LL' : kind === 'short' ? 'SL' : ''}${randomBytes(24).toString('hex')}`;
    tokens.set(token, { kind, issuedAt: now(), expiresAt: now() + ttlSeconds * 1000, scope, dead: false });
    return token;
  }

  /** The token the API call carries, or null after answering 190. */
  function authorize(record: InstagramRequestRecord, response: ServerResponse): TokenRecord | null {
    const bearer = record.authorization?.startsWith('Bearer ') ? record.authorization.slice(7) : undefined;
    const token = bearer ?? record.query.access_token;
    const found = token ? tokens.get(token) : undefined;
    // An Instagram user token is not valid on graph.facebook.com, nor a Page's on graph.instagram.com.
    const wrongHost = found && (host === 'facebook') !== (found.kind === 'page');
    if (!found || found.dead || found.expiresAt <= now() || wrongHost) {
      metaError(response, 400, {
        message: found?.dead ? 'Error validating access token: The session has been invalidated because the user changed their password.' : 'Invalid OAuth access token - Cannot parse access token',
        code: 190,
        ...(found?.dead ? { error_subcode: 460 } : {}),
      });
      if (wrongHost) violations.push(`a ${found.kind} token sent to the ${host} host`);
      return null;
    }
    if (found.kind === 'short') violations.push(`${record.path} called with the short-lived token: Localpost should keep the long-lived one`);
    return found;
  }

  const publishedInWindow = () => [...media.map((m) => m.timestamp), ...elsewhere].filter((at) => at > now() - day);

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url!, origin);
    const method = request.method!;
    if (method === 'GET' && (await answerProfilePicture(url, response, avatarPath))) return;
    const raw = (await readBody(request)).toString('utf8');
    const form = request.headers['content-type']?.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : {};
    const record: InstagramRequestRecord = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), form, authorization: request.headers.authorization };
    requests.push(record);
    const violation = (problem: string) => violations.push(`${method} ${url.pathname}: ${problem}`);
    const p = url.pathname;

    if (host === 'instagram' && p === '/oauth/authorize' && method === 'GET') {
      const q = record.query;
      if (q.client_id !== app.appId) violation('client_id is not the Instagram app id');
      if (q.response_type !== 'code') violation('response_type must be code');
      if (!q.scope?.split(',').includes('instagram_business_basic')) violation('scope must be comma-separated and include instagram_business_basic');
      if (q.code_challenge) violation('Instagram documents no PKCE');
      if (!q.state) violation('no state');
      if (q.redirect_uri !== registeredRedirect) {
        response.writeHead(400, { 'content-type': 'text/html' });
        return response.end('<p>Invalid redirect_uri: the redirect URI is not in the app’s Business login settings.</p>');
      }
      const code = `AQ${randomBytes(24).toString('hex')}`;
      codes.set(code, { redirectUri: q.redirect_uri, scope: q.scope ?? '', expiresAt: now() + 10 * 60_000 });
      const to = new URL(q.redirect_uri);
      to.searchParams.set('code', code);
      to.searchParams.set('state', q.state ?? '');
      // oauth-authorize: "Note that we append #_ to the end of the redirect URI".
      response.writeHead(302, { location: `${to.href}#_` });
      return response.end();
    }

    if (host === 'instagram' && p === '/oauth/access_token' && method === 'POST') {
      if (form.client_id !== app.appId || form.client_secret !== app.appSecret) {
        return metaError(response, 400, { message: 'Error validating client secret.', type: 'OAuthException', code: 101 });
      }
      if (form.grant_type !== 'authorization_code') violation('grant_type must be authorization_code');
      if (request.headers.authorization) violation('the secret goes in the form, not HTTP Basic');
      if (form.code_verifier) violation('Instagram documents no PKCE');
      const code = codes.get(form.code ?? '');
      codes.delete(form.code ?? '');
      if (form.code?.endsWith('#_')) violation('the code carries Meta’s #_ mark');
      if (!code || code.expiresAt < now()) return metaError(response, 400, { message: 'Invalid authorization code', code: 100 });
      if (form.redirect_uri !== code.redirectUri) return metaError(response, 400, { message: 'Error validating verification code. Please make sure your redirect_uri is identical.', code: 100 });
      return json(response, { access_token: issue('short', code.scope, 3600), user_id: Number(user.appScopedId), permissions: code.scope.split(',') });
    }

    if (host === 'instagram' && p === '/access_token' && method === 'GET') {
      const q = record.query;
      if (q.grant_type !== 'ig_exchange_token') violation('grant_type must be ig_exchange_token');
      if (q.client_secret !== app.appSecret) return metaError(response, 400, { message: 'Error validating client secret.', code: 101 });
      const found = tokens.get(q.access_token ?? '');
      if (!found || found.kind !== 'short' || found.expiresAt <= now()) return metaError(response, 400, { message: 'Invalid OAuth access token.', code: 190 });
      const ttl = options.longLivedTtlSeconds ?? 60 * 24 * 3600;
      return json(response, { access_token: issue('long', found.scope, ttl), token_type: 'bearer', expires_in: ttl });
    }

    if (host === 'instagram' && p === '/refresh_access_token' && method === 'GET') {
      const q = record.query;
      if (q.grant_type !== 'ig_refresh_token') violation('grant_type must be ig_refresh_token');
      const found = tokens.get(q.access_token ?? '');
      if (!found || found.kind !== 'long' || found.dead || found.expiresAt <= now()) return metaError(response, 400, { message: 'Invalid OAuth access token.', code: 190, error_subcode: 463 });
      if (now() - found.issuedAt < day) {
        violation('a long-lived token younger than 24 hours cannot be refreshed');
        return metaError(response, 400, { message: 'The access token must be at least 24 hours old to refresh.', code: 100 });
      }
      const ttl = options.longLivedTtlSeconds ?? 60 * 24 * 3600;
      return json(response, { access_token: issue('long', found.scope, ttl), token_type: 'bearer', expires_in: ttl });
    }

    const api = /^\/(v\d+\.\d+)\/([^/]+)(?:\/([a-z_]+))?$/.exec(p);
    if (!api) {
      if (/^\/[^/]+\/[a-z_]+$|^\/me$/.test(p)) violation('a Graph API call without a version');
      response.writeHead(404).end();
      return;
    }
    const token = authorize(record, response);
    if (!token) return;
    if (throttleMinutes !== null) {
      // graph-api/overview/rate-limiting: code 4 with the Business Use Case usage header saying when access returns.
      const usage = { [user.id]: [{ type: 'instagram', call_count: 100, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: throttleMinutes }] };
      throttleMinutes = null;
      response.setHeader('x-business-use-case-usage', JSON.stringify(usage));
      return metaError(response, 400, { message: '(#4) Application request limit reached', code: 4, error_subcode: 2207051 });
    }
    const [, version, node, edge] = api;
    versions.add(version!);
    const fields = (record.query.fields ?? '').split(',');
    const pick = (all: Record<string, unknown>) => json(response, Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]])));

    if (node === 'me' && !edge && method === 'GET') {
      if (host === 'facebook') return metaError(response, 400, { message: '(#100) Tried accessing nonexisting field (user_id) on node type (Page)', code: 100 });
      return pick({ id: user.appScopedId, user_id: user.id, username: user.username, name: user.name, profile_picture_url: `${origin}${avatarPath}`, account_type: 'BUSINESS' });
    }

    if (node === user.id && !edge && method === 'GET') return pick({ id: user.id, username: user.username, name: user.name });

    if (node === user.id && edge === 'media' && method === 'POST') {
      const publishScope = host === 'facebook' ? 'instagram_content_publish' : 'instagram_business_content_publish';
      if (token.kind !== 'page' && !token.scope.split(',').includes(publishScope)) {
        return metaError(response, 403, { message: `(#10) Application does not have permission for this action: ${publishScope}`, code: 10 });
      }
      const f = { ...record.query, ...form };
      const isCarouselItem = f.is_carousel_item === 'true';
      const caption = f.caption ?? '';
      if (isCarouselItem && f.caption) violation('a carousel item carries no caption: the carousel does');
      if ([...caption].length > 2200) return metaError(response, 400, { message: 'The caption is too long.', code: 100, error_subcode: 2207010 });
      if (f.media_type === 'CAROUSEL') {
        const children = (f.children ?? '').split(',').filter(Boolean);
        const items = children.map((id) => containers.get(id));
        if (children.length < 2 || children.length > 10 || items.some((item) => !item?.isCarouselItem || item.status !== 'FINISHED')) {
          return metaError(response, 400, { message: 'Invalid parameter: children must be 2 to 10 finished carousel items.', code: 100 });
        }
        if (f.alt_text) violation('alt_text is for photos, not a carousel');
        return json(response, { id: addContainer({ mediaType: 'CAROUSEL', caption, isCarouselItem: false, shareToFeed: false, children }).id });
      }
      const isVideo = f.media_type === 'REELS' || f.media_type === 'VIDEO';
      if (f.media_type !== undefined && !['REELS', 'VIDEO', 'IMAGE'].includes(f.media_type)) violation(`media_type ${f.media_type} not supported by this mock`);
      if (f.media_type === 'VIDEO' && !isCarouselItem) violation('a single video is published as REELS (VIDEO was retired for feed posts)');
      if (f.media_type === 'REELS' && isCarouselItem) violation('a carousel takes VIDEO items, not REELS');
      if (isVideo && f.alt_text) violation('alt_text is for photos only, not Reels or videos');
      const mediaUrl = isVideo ? f.video_url : f.image_url;
      if (!mediaUrl) return metaError(response, 400, { message: `The parameter ${isVideo ? 'video_url' : 'image_url'} is required.`, code: 100 });
      if (mediaUrl.startsWith(origin)) violation('the media URL points at Instagram itself');
      // content-publishing: Instagram cURLs the media from the URL, which must be on a public server.
      const answer = await fetch(mediaUrl).catch(() => null);
      const contentType = answer?.headers.get('content-type') ?? '';
      if (!answer?.ok) {
        await answer?.body?.cancel();
        return metaError(response, 400, { message: "Media download has failed. The media URI doesn't meet our requirements.", code: 9004, error_subcode: 2207052 });
      }
      const bytes = Buffer.from(await answer.arrayBuffer());
      const accepted = isVideo ? /^video\/(mp4|quicktime)$/ : /^image\/jpeg$/;
      const jpegBytes = bytes[0] === 0xff && bytes[1] === 0xd8;
      if (!accepted.test(contentType) || (!isVideo && !jpegBytes)) {
        violation(`${contentType} is not a format Instagram takes as ${isVideo ? 'a video' : 'a photo (JPEG only)'}`);
        return metaError(response, 400, { message: 'The media format is not supported.', code: 9004, error_subcode: 2207005 });
      }
      const fetchedMedia = { url: mediaUrl, contentType, bytes, altText: f.alt_text ?? null };
      fetched.push(fetchedMedia);
      const mediaType = f.media_type === 'REELS' ? 'REELS' : isVideo ? 'VIDEO' : 'IMAGE';
      return json(response, { id: addContainer({ mediaType, caption, isCarouselItem, shareToFeed: f.share_to_feed === 'true', media: fetchedMedia }).id });
    }

    if (node === user.id && edge === 'media_publish' && method === 'POST') {
      const creationId = record.query.creation_id ?? form.creation_id;
      const container = containers.get(creationId ?? '');
      if (container?.isCarouselItem) violation('a carousel item published on its own');
      if (container) settle(container);
      if (!container || container.status !== 'FINISHED') {
        if (container?.status === 'PUBLISHED') violation(`container ${container.id} published twice`);
        return metaError(response, 400, { message: 'Media ID is not available', code: 9007, error_subcode: 2207027, error_user_msg: 'The media is not ready for publishing, please wait for a moment' });
      }
      if (publishedInWindow().length >= quotaTotal) {
        return metaError(response, 400, { message: 'Application request limit reached', code: 4, error_subcode: 2207042, error_user_msg: 'You reached maximum number of posts that is allowed to be published by Content Publishing API.' });
      }
      const item: InstagramMedia = { id: newId(), caption: container.caption, permalink: `https://www.instagram.com/p/C${randomBytes(5).toString('hex')}/`, containerId: container.id, timestamp: now() };
      media.push(item);
      container.status = 'PUBLISHED';
      container.mediaId = item.id;
      if (losePublish) {
        losePublish = false;
        request.socket.destroy();
        return;
      }
      return json(response, { id: item.id });
    }

    if (node === user.id && edge === 'content_publishing_limit' && method === 'GET') {
      return json(response, { data: [{ quota_usage: publishedInWindow().length, config: { quota_total: quotaTotal, quota_duration: 86400 } }] });
    }

    if (node === user.id && edge === 'media' && method === 'GET') {
      const listed = [...media.map((m) => ({ id: m.id, caption: m.caption, permalink: m.permalink, timestamp: m.timestamp })), ...elsewhere.map((at, i) => ({ id: `elsewhere${i}`, caption: 'Posted in the Instagram app', permalink: `https://www.instagram.com/p/E${i}/`, timestamp: at }))]
        .sort((a, b) => b.timestamp - a.timestamp)
        .slice(0, Number(record.query.limit ?? 25));
      return json(response, {
        data: listed.map((m) => {
          const all: Record<string, unknown> = { id: m.id, caption: m.caption, permalink: m.permalink, timestamp: igTimestamp(m.timestamp) };
          return Object.fromEntries(['id', ...fields].filter((f) => f in all).map((f) => [f, all[f]]));
        }),
      });
    }

    if (!edge && method === 'GET' && containers.has(node!)) {
      const container = containers.get(node!)!;
      settle(container);
      if (!fields.includes('status_code')) violation('a container’s state is its status_code');
      return pick({
        id: container.id,
        status_code: container.status,
        status: container.status === 'ERROR' ? `Error: Media upload has failed with error code ${container.errorSubcode}` : container.status === 'FINISHED' ? 'Finished: Media has been uploaded and it is ready to be published.' : container.status,
      });
    }

    const item = media.find((m) => m.id === node);
    if (item && !edge && method === 'GET') return pick({ id: item.id, permalink: item.permalink, caption: item.caption });

    return metaError(response, 400, { message: `Unsupported ${method} request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, code: 100, error_subcode: 33 });
  }

  function addContainer(fields: Omit<InstagramContainer, 'id' | 'status' | 'readyAt'>): InstagramContainer {
    const container: InstagramContainer = { id: newId(), status: 'IN_PROGRESS', readyAt: performance.now() + processingMs, ...fields };
    if (nextContainerError !== null) {
      container.errorSubcode = nextContainerError;
      nextContainerError = null;
    }
    containers.set(container.id, container);
    return container;
  }

  function settle(container: InstagramContainer) {
    if (container.status === 'IN_PROGRESS' && performance.now() >= container.readyAt) container.status = container.errorSubcode ? 'ERROR' : 'FINISHED';
  }

  const env: Record<string, string> =
    host === 'facebook'
      ? { LOCALPOST_FACEBOOK_GRAPH_ORIGIN: origin, LOCALPOST_INSTAGRAM_STATUS_POLL_MS: '20' }
      : {
          LOCALPOST_INSTAGRAM_AUTHORIZE_URL: `${origin}/oauth/authorize`,
          LOCALPOST_INSTAGRAM_TOKEN_URL: `${origin}/oauth/access_token`,
          LOCALPOST_INSTAGRAM_API_BASE: origin,
          LOCALPOST_INSTAGRAM_STATUS_POLL_MS: '20',
        };

  return {
    origin,
    host,
    env,
    app,
    user,
    requests,
    violations,
    containers,
    media,
    fetched,
    versions,
    registerRedirect: (uri) => void (registeredRedirect = uri),
    setProcessingMs: (ms) => void (processingMs = ms),
    failNextContainer: (subcode) => void (nextContainerError = subcode),
    loseNextPublishAnswer: () => void (losePublish = true),
    setPublishedElsewhere: (timestamps) => void (elsewhere = timestamps),
    killTokens: () => {
      for (const record of tokens.values()) record.dead = true;
    },
    throttleNextCall: (minutes) => void (throttleMinutes = minutes),
    issuePageToken: () => issue('page', 'instagram_basic,instagram_content_publish,pages_read_engagement', 100 * 365 * 24 * 3600),
    setPublishQuota: (posts) => void (quotaTotal = posts),
    acceptPageToken: (token, scope) => void tokens.set(token, { kind: 'page', issuedAt: now(), expiresAt: now() + 100 * 365 * day, scope, dead: false }),
    tokenKinds: () => [...tokens].map(([token, r]) => ({ token, kind: r.kind, issuedAt: r.issuedAt })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** ig-media `timestamp`: ISO 8601 in UTC with Meta's `+0000`. */
function igTimestamp(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
