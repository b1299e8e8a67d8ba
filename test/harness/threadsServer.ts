/**
 * Threads for tests: a contract mock of Meta's Threads API sign-in and publishing, built from
 * Meta's documentation, on one server at 127.0.0.1. Meta publishes no machine-readable description
 * of the Threads API, so the documents' rules are checked here and recorded in `violations` (a test
 * asserts it empty) when a request breaks one.
 *
 * The OAuth side is this mock's own, not oidc-provider's: only the authorize step and the code
 * exchange resemble RFC 6749, and even the exchange answers `{ access_token, user_id }` without
 * the `token_type` RFC 6749 §5.1 requires; the long-lived exchange (`GET /access_token`,
 * `grant_type=th_exchange_token`) and its renewal (`GET /refresh_access_token`,
 * `grant_type=th_refresh_token`, the access token itself as the credential) are Meta's own.
 *
 * - Authorize `GET /oauth/authorize` (get-access-tokens-and-permissions): client_id, redirect_uri
 *   equal to the registered https address, scope comma-separated with threads_basic,
 *   response_type=code, state. The user allows at once; the redirect carries `code`, `state` and
 *   Meta's `#_`.
 * - `POST /oauth/access_token` (form: client_id, client_secret, code, grant_type=authorization_code,
 *   redirect_uri): the code single use, 10 minutes; a 1-hour token.
 * - `GET /access_token?grant_type=th_exchange_token&client_secret&access_token`: a short-lived token
 *   for a long-lived one (60 days, or `longLivedTtlSeconds`).
 * - `GET /refresh_access_token?grant_type=th_refresh_token&access_token`: a long-lived token at least
 *   24 hours old and unexpired (on the mock's clock, the test's) for a new one.
 * - `GET /v1.0/me?fields=…`; `POST /v1.0/{user-id}/threads` (a container; TEXT, or IMAGE whose
 *   `image_url` the mock FETCHES at once as Meta does, so an expired or wrong presigned address
 *   fails as "Media download has failed", 1/2207052; 500
 *   characters with emoji counted as UTF-8 bytes, at most 5 links); `GET /v1.0/{container-id}?fields=status,error_message`
 *   (IN_PROGRESS for `processingPolls` reads, then FINISHED; ERROR with `error_message` when told);
 *   `POST /v1.0/{user-id}/threads_publish` (creation_id; a container not FINISHED is "Media Not
 *   Found", 24/4279009; a PUBLISHED one is refused, so a second publish shows as a violation);
 *   `GET /v1.0/{media-id}?fields=permalink`; `GET /v1.0/{user-id}/threads` (posts, not replies);
 *   `GET /v1.0/{user-id}/replies` (reply-management: the user's replies);
 *   `GET /v1.0/{user-id}/threads_publishing_limit` (250 posts and 1,000 replies in a moving 24
 *   hours; the fields asked for: `quota_usage`, `config`, `reply_quota_usage`, `reply_config`).
 * - Replies (replies): a container with `reply_to_id` answers that post, which must be a published
 *   one (an unknown id is refused when the container is made); published, it counts against the
 *   replies' quota, not the posts'.
 * - The token goes as `Authorization: Bearer` or `access_token`; a dead one is 190 (OAuthException).
 *   Every API answer carries Meta's `X-App-Usage` header.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerProfilePicture } from './profilePictures';
import { readBody } from './requestBody';

const avatarPath = '/avatars/threads.png';
const hour = 3_600_000;
const day = 24 * hour;

export interface ThreadsContainer {
  id: string;
  mediaType: string;
  text: string;
  status: 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';
  isCarouselItem?: boolean;
  /** A carousel's item containers. */
  children?: string[];
  /** What Threads fetched from `image_url`, as Meta does, when the container was made. */
  image?: { url: string; contentType: string; bytes: Buffer; altText: string | null };
  pollsLeft: number;
  errorMessage?: string;
  mediaId?: string;
  /** The post this container's post answers (`reply_to_id`). */
  replyToId?: string;
}

export interface ThreadsMedia {
  id: string;
  text: string;
  permalink: string;
  containerId: string;
  replyToId?: string;
}

export interface ThreadsRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  form: Record<string, string>;
  authorization: string | undefined;
}

interface TokenRecord {
  kind: 'short' | 'long';
  issuedAt: number;
  expiresAt: number;
  scope: string;
  userId: string;
  dead: boolean;
}

export interface ThreadsServer {
  origin: string;
  env: Record<string, string>;
  app: { appId: string; appSecret: string };
  user: { id: string; username: string; name: string };
  requests: ThreadsRequestRecord[];
  violations: string[];
  containers: Map<string, ThreadsContainer>;
  media: ThreadsMedia[];
  /** Every image or video Threads fetched from an `image_url` / `video_url`. */
  fetchedImages: NonNullable<ThreadsContainer['image']>[];
  /** The https address registered as the app's Redirect Callback URL. */
  registerRedirect(uri: string): void;
  /** Status reads answered IN_PROGRESS before FINISHED. */
  setProcessingPolls(polls: number): void;
  /** The next container ends in ERROR with these words. */
  failNextContainer(errorMessage: string): void;
  /** The next publish (after `after` more, default 0) is done, and its answer lost (the connection drops). */
  loseNextPublishAnswer(after?: number): void;
  /** Posts counted against the 250 a day besides those published here (another app's). */
  setQuotaUsedElsewhere(posts: number): void;
  /** The posts a day Threads allows (250 unless a test that posts hundreds lifts it). */
  setPublishQuota(posts: number): void;
  /** Replies counted against the 1,000 a day besides those published here. */
  setReplyQuotaUsedElsewhere(replies: number): void;
  /** The next publish, after `after` more (default 0) succeed, is refused with this Meta error instead. */
  failPublish(error: { status: number; message: string; code: number; error_subcode?: number; is_transient?: boolean }, after?: number): void;
  /** Every token issued so far is now refused (190, the user changed their password: 460). */
  killTokens(): void;
  tokenKinds(): Array<{ token: string; kind: 'short' | 'long'; issuedAt: number }>;
  close(): Promise<void>;
}

export async function startThreadsServer(options: { now?: () => number; longLivedTtlSeconds?: number } = {}): Promise<ThreadsServer> {
  const now = options.now ?? (() => Date.now());
  const app = { appId: '1234567890123456', appSecret: randomBytes(16).toString('hex') };
  const user = { id: '17841400000000001', username: 'localpost.tester', name: 'Localpost Tester' };
  const requests: ThreadsRequestRecord[] = [];
  const violations: string[] = [];
  const containers = new Map<string, ThreadsContainer>();
  const media: ThreadsMedia[] = [];
  const fetchedImages: NonNullable<ThreadsContainer['image']>[] = [];
  const codes = new Map<string, { redirectUri: string; scope: string; expiresAt: number }>();
  const tokens = new Map<string, TokenRecord>();
  let registeredRedirect = '';
  let processingPolls = 1;
  let nextContainerError: string | null = null;
  let losePublish: number | null = null;
  let callCount = 0;
  const publishedAt: number[] = [];
  const repliedAt: number[] = [];
  let extraQuotaUsage = 0;
  let quotaTotal = 250;
  const replyQuotaTotal = 1000;
  let extraReplyUsage = 0;
  let publishFault: { error: { status: number; message: string; code: number; error_subcode?: number; is_transient?: boolean }; after: number } | null = null;
  let nextId = 1;
  const newId = () => `1790${String(nextId++).padStart(12, '0')}`;

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

  function metaError(response: ServerResponse, status: number, error: { message: string; type?: string; code: number; error_subcode?: number; is_transient?: boolean }) {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { type: 'OAuthException', ...error, fbtrace_id: `A${randomBytes(8).toString('hex')}` } }));
  }

  function json(response: ServerResponse, body: unknown) {
    callCount++;
    response.writeHead(200, { 'content-type': 'application/json', 'x-app-usage': JSON.stringify({ call_count: callCount, total_cputime: 1, total_time: 1 }) });
    response.end(JSON.stringify(body));
  }

  function issue(kind: 'short' | 'long', scope: string, ttlSeconds: number): string {
    const token = `TH${kind === 'long' ? 'LL' : 'SL'}${randomBytes(24).toString('hex')}`;
    tokens.set(token, { kind, issuedAt: now(), expiresAt: now() + ttlSeconds * 1000, scope, userId: user.id, dead: false });
    return token;
  }

  /** The long-lived token the API call carries, or null after answering 190. */
  function authorize(record: ThreadsRequestRecord, response: ServerResponse): TokenRecord | null {
    const bearer = record.authorization?.startsWith('Bearer ') ? record.authorization.slice(7) : undefined;
    const token = bearer ?? record.query.access_token;
    const found = token ? tokens.get(token) : undefined;
    if (!found || found.dead || found.expiresAt <= now()) {
      metaError(response, 400, {
        message: found?.dead ? 'Error validating access token: The session has been invalidated because the user changed their password.' : 'Invalid OAuth access token - Cannot parse access token',
        code: 190,
        ...(found?.dead ? { error_subcode: 460 } : {}),
      });
      return null;
    }
    if (found.kind === 'short') violations.push(`${record.path} called with the short-lived token: Localpost should keep the long-lived one`);
    return found;
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url!, origin);
    const method = request.method!;
    if (method === 'GET' && (await answerProfilePicture(url, response, avatarPath))) return;
    const raw = (await readBody(request)).toString('utf8');
    const form = request.headers['content-type']?.includes('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : {};
    const record: ThreadsRequestRecord = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), form, authorization: request.headers.authorization };
    requests.push(record);
    const violation = (problem: string) => violations.push(`${method} ${url.pathname}: ${problem}`);
    const p = url.pathname;

    if (p === '/oauth/authorize' && method === 'GET') {
      const q = record.query;
      if (q.client_id !== app.appId) violation('client_id is not the Threads app id');
      if (q.response_type !== 'code') violation('response_type must be code');
      if (!q.scope?.split(',').includes('threads_basic')) violation('scope must be comma-separated and include threads_basic');
      if (q.code_challenge) violation('Threads documents no PKCE');
      if (!q.state) violation('no state');
      if (q.redirect_uri !== registeredRedirect) {
        response.writeHead(400, { 'content-type': 'text/html' });
        return response.end('<p>URL blocked: this redirect failed because the redirect URI is not whitelisted in the app’s client OAuth settings.</p>');
      }
      const code = `AQ${randomBytes(24).toString('hex')}`;
      codes.set(code, { redirectUri: q.redirect_uri, scope: q.scope ?? '', expiresAt: now() + 10 * 60_000 });
      const to = new URL(q.redirect_uri);
      to.searchParams.set('code', code);
      to.searchParams.set('state', q.state ?? '');
      response.writeHead(302, { location: `${to.href}#_` });
      return response.end();
    }

    if (p === '/oauth/access_token' && method === 'POST') {
      if (form.client_id !== app.appId || form.client_secret !== app.appSecret) {
        return metaError(response, 400, { message: 'Error validating client secret.', code: 1 });
      }
      if (form.grant_type !== 'authorization_code') violation('grant_type must be authorization_code');
      if (request.headers.authorization) violation('the secret goes in the form, not HTTP Basic');
      if (form.code_verifier) violation('Threads documents no PKCE');
      const code = codes.get(form.code ?? '');
      codes.delete(form.code ?? '');
      if (!code || code.expiresAt < now()) return metaError(response, 400, { message: 'Invalid verification code format.', code: 100 });
      if (form.redirect_uri !== code.redirectUri) return metaError(response, 400, { message: 'Error validating verification code. Please make sure your redirect_uri is identical.', code: 100 });
      // get-access-tokens-and-permissions, sample response: no token_type, no expires_in.
      return json(response, { access_token: issue('short', code.scope, 3600), user_id: Number(user.id) });
    }

    if (p === '/access_token' && method === 'GET') {
      const q = record.query;
      if (q.grant_type !== 'th_exchange_token') violation('grant_type must be th_exchange_token');
      if (q.client_secret !== app.appSecret) return metaError(response, 400, { message: 'Error validating client secret.', code: 1 });
      const found = tokens.get(q.access_token ?? '');
      if (!found || found.kind !== 'short' || found.expiresAt <= now()) return metaError(response, 400, { message: 'Invalid OAuth access token.', code: 190 });
      const ttl = options.longLivedTtlSeconds ?? 60 * 24 * 3600;
      return json(response, { access_token: issue('long', found.scope, ttl), token_type: 'bearer', expires_in: ttl });
    }

    if (p === '/refresh_access_token' && method === 'GET') {
      const q = record.query;
      if (q.grant_type !== 'th_refresh_token') violation('grant_type must be th_refresh_token');
      const found = tokens.get(q.access_token ?? '');
      if (!found || found.kind !== 'long' || found.dead || found.expiresAt <= now()) return metaError(response, 400, { message: 'Invalid OAuth access token.', code: 190, error_subcode: 463 });
      if (now() - found.issuedAt < day) {
        violation('a long-lived token younger than 24 hours cannot be refreshed');
        return metaError(response, 400, { message: 'The access token must be at least 24 hours old to refresh.', code: 100 });
      }
      const ttl = options.longLivedTtlSeconds ?? 60 * 24 * 3600;
      return json(response, { access_token: issue('long', found.scope, ttl), token_type: 'bearer', expires_in: ttl });
    }

    const api = /^\/v1\.0\/([^/]+)(?:\/([a-z_]+))?$/.exec(p);
    if (!api) {
      response.writeHead(404).end();
      return;
    }
    const token = authorize(record, response);
    if (!token) return;
    const [, node, edge] = api;

    if (node === 'me' && !edge && method === 'GET') {
      const fields = (record.query.fields ?? '').split(',');
      const all: Record<string, string> = { id: user.id, username: user.username, name: user.name, threads_profile_picture_url: `${origin}${avatarPath}` };
      return json(response, Object.fromEntries(fields.filter((f) => f in all).map((f) => [f, all[f]])));
    }

    if (node === user.id && edge === 'threads' && method === 'POST') {
      if (!token.scope.split(',').includes('threads_content_publish')) {
        return metaError(response, 403, { message: '(#10) The user has not granted the threads_content_publish permission.', code: 10 });
      }
      const fields = { ...record.query, ...form };
      if (!['TEXT', 'IMAGE', 'VIDEO', 'CAROUSEL'].includes(fields.media_type ?? '')) violation(`media_type ${fields.media_type} not supported by this mock`);
      if (fields.media_type === 'CAROUSEL') {
        // posts, "Carousel posts": children are FINISHED item containers of this user, 2 to 20.
        const children = (fields.children ?? '').split(',').filter(Boolean);
        const items = children.map((id) => containers.get(id));
        if (children.length < 2 || children.length > 20 || items.some((item) => !item?.isCarouselItem || item.status !== 'FINISHED')) {
          return metaError(response, 400, { message: 'Invalid parameter: children must be 2 to 20 finished carousel items.', code: 100 });
        }
        if (fields.reply_to_id !== undefined && !media.some((m) => m.id === fields.reply_to_id)) {
          return metaError(response, 400, { message: `Invalid parameter: reply_to_id ${fields.reply_to_id} is not a post that can be replied to.`, code: 100 });
        }
        const carousel: ThreadsContainer = {
          id: newId(),
          mediaType: 'CAROUSEL',
          text: fields.text ?? '',
          status: 'IN_PROGRESS',
          pollsLeft: processingPolls,
          children,
          ...(fields.reply_to_id !== undefined ? { replyToId: fields.reply_to_id } : {}),
        };
        containers.set(carousel.id, carousel);
        return json(response, { id: carousel.id });
      }
      let image: ThreadsContainer['image'];
      if (fields.media_type === 'IMAGE' || fields.media_type === 'VIDEO') {
        const isVideo = fields.media_type === 'VIDEO';
        const mediaUrl = isVideo ? fields.video_url : fields.image_url;
        if (!mediaUrl) return metaError(response, 400, { message: `The parameter ${isVideo ? 'video_url' : 'image_url'} is required.`, code: 100 });
        if (mediaUrl.startsWith(origin)) violation('the media URL points at Threads itself');
        // posts: Threads "will cURL the media using the passed-in URL, so it must be on a public server".
        const fetched = await fetch(mediaUrl).catch(() => null);
        const contentType = fetched?.headers.get('content-type') ?? '';
        const accepted = isVideo ? /^video\/(mp4|quicktime)$/ : /^image\/(jpeg|png)$/;
        if (!fetched?.ok || !accepted.test(contentType)) {
          await fetched?.body?.cancel();
          return metaError(response, 400, { message: "Media download has failed. The media URI doesn't meet our requirements.", code: 1, error_subcode: 2207052 });
        }
        image = { url: mediaUrl, contentType, bytes: Buffer.from(await fetched.arrayBuffer()), altText: fields.alt_text ?? null };
        fetchedImages.push(image);
      }
      const text = fields.text ?? '';
      if (threadsCount(text) > 500) return metaError(response, 400, { message: 'Param text must be at most 500 characters long.', code: 100 });
      if ((text.match(/https?:\/\/\S+/g)?.length ?? 0) > 5) return metaError(response, 400, { message: 'THREADS_API__LINK_LIMIT_EXCEEDED', code: 100 });
      const isCarouselItem = fields.is_carousel_item === 'true';
      if (isCarouselItem && fields.text) violation('a carousel item carries no text: the carousel does');
      const replyToId = fields.reply_to_id;
      if (replyToId !== undefined && isCarouselItem) violation('a carousel item answers nothing: the carousel does');
      if (replyToId !== undefined && !media.some((m) => m.id === replyToId)) {
        return metaError(response, 400, { message: `Invalid parameter: reply_to_id ${replyToId} is not a post that can be replied to.`, code: 100 });
      }
      const container: ThreadsContainer = {
        id: newId(),
        mediaType: fields.media_type ?? 'TEXT',
        text,
        status: 'IN_PROGRESS',
        pollsLeft: processingPolls,
        ...(image ? { image } : {}),
        ...(isCarouselItem ? { isCarouselItem } : {}),
        ...(replyToId !== undefined ? { replyToId } : {}),
      };
      if (nextContainerError !== null) {
        container.errorMessage = nextContainerError;
        nextContainerError = null;
      }
      containers.set(container.id, container);
      return json(response, { id: container.id });
    }

    if (node === user.id && edge === 'threads_publish' && method === 'POST') {
      const creationId = record.query.creation_id ?? form.creation_id;
      const container = containers.get(creationId ?? '');
      if (container?.isCarouselItem) violation('a carousel item published on its own');
      if (!container || container.status !== 'FINISHED') {
        if (container?.status === 'PUBLISHED') violation(`container ${container.id} published twice`);
        return metaError(response, 400, { message: 'Media Not Found', code: 24, error_subcode: 4279009 });
      }
      if (publishFault && publishFault.after-- <= 0) {
        const { error } = publishFault;
        publishFault = null;
        return metaError(response, error.status, error);
      }
      const item: ThreadsMedia = {
        id: newId(),
        text: container.text,
        permalink: `https://www.threads.com/@${user.username}/post/C${randomBytes(5).toString('hex')}`,
        containerId: container.id,
        ...(container.replyToId !== undefined ? { replyToId: container.replyToId } : {}),
      };
      const isReply = container.replyToId !== undefined;
      if (!isReply && publishedAt.filter((at) => at > now() - day).length + extraQuotaUsage >= quotaTotal) {
        return metaError(response, 400, { message: 'The user has reached the publishing limit.', code: 4 });
      }
      if (isReply && repliedAt.filter((at) => at > now() - day).length + extraReplyUsage >= replyQuotaTotal) {
        return metaError(response, 400, { message: 'The user has reached the reply limit.', code: 4 });
      }
      media.push(item);
      (isReply ? repliedAt : publishedAt).push(now());
      container.status = 'PUBLISHED';
      container.mediaId = item.id;
      if (losePublish !== null && losePublish-- <= 0) {
        losePublish = null;
        request.socket.destroy();
        return;
      }
      return json(response, { id: item.id });
    }

    if (node === user.id && edge === 'threads_publishing_limit' && method === 'GET') {
      // overview, "Rate limits": 250 API-published posts and 1,000 replies per 24 hours, a moving window.
      const used = publishedAt.filter((at) => at > now() - day).length + extraQuotaUsage;
      const repliesUsed = repliedAt.filter((at) => at > now() - day).length + extraReplyUsage;
      const all: Record<string, unknown> = {
        quota_usage: used,
        config: { quota_total: quotaTotal, quota_duration: 86400 },
        reply_quota_usage: repliesUsed,
        reply_config: { quota_total: replyQuotaTotal, quota_duration: 86400 },
      };
      const fields = (record.query.fields ?? '').split(',').filter((f) => f in all);
      if (fields.length === 0) violation('no fields asked for');
      return json(response, { data: [Object.fromEntries(fields.map((f) => [f, all[f]]))] });
    }

    if (node === user.id && (edge === 'threads' || edge === 'replies') && method === 'GET') {
      const listed = media.filter((m) => (edge === 'replies') === (m.replyToId !== undefined));
      return json(response, { data: listed.reverse().slice(0, Number(record.query.limit ?? 25)).map((m) => ({ id: m.id, permalink: m.permalink, text: m.text })) });
    }

    if (!edge && method === 'GET' && containers.has(node!)) {
      const container = containers.get(node!)!;
      if (container.status === 'IN_PROGRESS') {
        if (container.pollsLeft > 0) container.pollsLeft--;
        else container.status = container.errorMessage ? 'ERROR' : 'FINISHED';
      }
      return json(response, { id: container.id, status: container.status, ...(container.status === 'ERROR' ? { error_message: container.errorMessage } : {}) });
    }

    const item = media.find((m) => m.id === node);
    if (item && !edge && method === 'GET') return json(response, { id: item.id, permalink: item.permalink });

    return metaError(response, 400, { message: `Unsupported ${method} request. Object with ID '${node}' does not exist.`, code: 100, error_subcode: 33 });
  }

  return {
    origin,
    env: {
      LOCALPOST_THREADS_AUTHORIZE_URL: `${origin}/oauth/authorize`,
      LOCALPOST_THREADS_TOKEN_URL: `${origin}/oauth/access_token`,
      LOCALPOST_THREADS_API_BASE: `${origin}/v1.0`,
      LOCALPOST_THREADS_STATUS_POLL_MS: '20',
    },
    app,
    user,
    requests,
    violations,
    containers,
    media,
    fetchedImages,
    registerRedirect: (uri) => void (registeredRedirect = uri),
    setProcessingPolls: (polls) => void (processingPolls = polls),
    failNextContainer: (message) => void (nextContainerError = message),
    loseNextPublishAnswer: (after = 0) => void (losePublish = after),
    setQuotaUsedElsewhere: (posts) => void (extraQuotaUsage = posts),
    setPublishQuota: (posts) => void (quotaTotal = posts),
    failPublish: (error, after = 0) => void (publishFault = { error, after }),
    setReplyQuotaUsedElsewhere: (replies) => void (extraReplyUsage = replies),
    killTokens: () => {
      for (const record of tokens.values()) record.dead = true;
    },
    tokenKinds: () => [...tokens].map(([token, r]) => ({ token, kind: r.kind, issuedAt: r.issuedAt })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** posts: "Emojis are counted as the number of UTF-8 bytes"; every other code point one. */
function threadsCount(text: string): number {
  let count = 0;
  for (const char of text) count += /\p{Extended_Pictographic}/u.test(char) ? Buffer.byteLength(char) : 1;
  return count;
}
