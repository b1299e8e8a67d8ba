/**
 * TikTok for tests: a contract mock of Login Kit for Desktop and the Content Posting API (Direct
 * Post, FILE_UPLOAD), built from TikTok's documentation, on one server at 127.0.0.1. TikTok
 * publishes no machine-readable description, so the rules below are the documents', each checked
 * and recorded in `violations` (a test asserts it empty) when a request breaks one.
 *
 * The OAuth side is this mock's own, not oidc-provider's (the other platforms' real OAuth server):
 * TikTok's desktop PKCE compares the HEX-encoded SHA-256 of the verifier, which no RFC 7636 server
 * (oidc-provider included) accepts, and TikTok names the client id `client_key`.
 *
 * - Authorize `GET /v2/auth/authorize/` (login-kit-desktop): client_key, scope comma-separated,
 *   response_type=code, a redirect_uri on 127.0.0.1 or localhost with a port (the app registers the
 *   wildcard `http://127.0.0.1:*\/callback/`), state, code_challenge (64 hex digits) and
 *   code_challenge_method=S256. The "user" answers at once: allow (default) or deny.
 * - Token `POST /v2/oauth/token/` (oauth-user-access-token-management), a form with client_key and
 *   client_secret always; `authorization_code` checks the code (single use, 10 minutes), the
 *   redirect_uri and hex(SHA256(code_verifier)) against the challenge; `refresh_token` rotates: a
 *   new refresh token each time, and the previous one is refused ever after (invalid_grant).
 *   Access tokens live 2 hours, or `accessTokenTtlSeconds` (tests use 20 s).
 * - Revoke `POST /v2/oauth/revoke/` (client_key, client_secret, token).
 * - `GET /v2/user/info/?fields=…` (user.info.basic fields only).
 * - `POST /v2/post/publish/creator_info/query/`, `/video/init/` and `/status/fetch/`
 *   (content-posting-api-reference-*), JSON bodies with `Content-Type: application/json; charset=UTF-8`,
 *   answered in the `{ data, error: { code, message, log_id } }` envelope, with TikTok's error codes.
 * - `PUT` of the upload_url (content-posting-api-media-transfer-guide): chunks in order, each with
 *   `Content-Range: bytes a-b/total` and `Content-Length`, cut as the init declared (chunk_size
 *   each, the last one taking the remainder); 206 per chunk, 201 once the file is complete.
 *   A chunk sent again (its answer lost) is acknowledged again, not stored twice.
 * - status/fetch answers PROCESSING_UPLOAD (with `uploaded_bytes`) until the file is complete, then
 *   `processingPolls` times more (moderation), then PUBLISH_COMPLETE with
 *   `publicaly_available_post_id` (empty for a SELF_ONLY video), or FAILED with `fail_reason`.
 * - Rate limits per user token (tiktok-api-v2-rate-limit): init 6 a minute, creator_info 20,
 *   status/fetch 30; `rate_limit_exceeded` 429.
 * - An unaudited client (`audited: false`) may post only SELF_ONLY, and only for a private account
 *   (`unaudited_client_can_only_post_to_private_accounts`, content-sharing-guidelines).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseJson, readBody } from './requestBody';
import { answerProfilePicture } from './profilePictures';

const avatarPath = '/avatars/creator.png';

export interface TikTokServerOptions {
  accessTokenTtlSeconds?: number;
  /** Whether TikTok has audited the client (default false, as every new app). */
  audited?: boolean;
}

export interface TikTokCreatorSettings {
  username: string;
  nickname: string;
  privacyLevels: string[];
  commentDisabled: boolean;
  duetDisabled: boolean;
  stitchDisabled: boolean;
  maxVideoSeconds: number;
  /** The ACCOUNT is private (unaudited clients post only for these). */
  accountPrivate: boolean;
}

export interface TikTokPublish {
  publishId: string;
  uploadId: string;
  openId: string;
  postInfo: Record<string, unknown>;
  videoSize: number;
  chunkSize: number;
  chunkCount: number;
  received: Map<number, string>;
  uploadedBytes: number;
  sha256: string | null;
  processingLeft: number;
  status: 'PROCESSING_UPLOAD' | 'PUBLISH_COMPLETE' | 'FAILED';
  failReason: string | null;
  postId: string | null;
  /** Its upload_url's hour is over: TikTok forgets an upload that never completed. */
  lapsed: boolean;
}

export interface TikTokRequestRecord {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | undefined>;
  /** Parsed JSON or form body; for uploads, only the byte count. */
  body: unknown;
}

export interface TikTokFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}

export interface TikTokServer {
  origin: string;
  /** LOCALPOST_TIKTOK_AUTHORIZE_URL, _TOKEN_URL, _REVOKE_URL, _API_BASE, and a short status poll. */
  env: Record<string, string>;
  client: { clientKey: string; clientSecret: string };
  creator: TikTokCreatorSettings;
  publishes: TikTokPublish[];
  /** Videos TikTok posted (PUBLISH_COMPLETE), in order. */
  posted: TikTokPublish[];
  requests: TikTokRequestRecord[];
  violations: string[];
  /** Refresh tokens presented again after they were rotated away. */
  reusedRefreshTokens: string[];
  /** The next consent: the user allows (default) or denies. */
  nextConsent(decision: 'allow' | 'deny'): void;
  setAudited(audited: boolean): void;
  /** Polls of status/fetch that still answer PROCESSING_UPLOAD after the file is complete. */
  setProcessingPolls(polls: number): void;
  /** The next publish that completes fails with this reason instead. */
  failNextPublish(reason: string): void;
  /** The next `times` requests to this path ('/v2/post/publish/video/init/', or '/upload/') get this answer. */
  injectFault(path: string, fault: TikTokFault): void;
  /** The next request to this path is carried out, and its connection reset instead of answered. */
  loseNextAnswer(path: string): void;
  /** The next upload PUT's connection is reset half-way through its body: nothing of it is kept. */
  dropNextUploadMidway(): void;
  /** The upload PUT after the next `passing` ones is kept waiting, never answered (a process killed
   *  meanwhile); resolves once it arrived. */
  stallUpload(passing: number): Promise<void>;
  clearFaults(): void;
  /** Each chunk's answer waits this long (a slow link), so an upload's progress can be watched. */
  setChunkDelay(ms: number): void;
  /** Every upload not yet complete lapses (its hour is over): status/fetch and its upload_url no longer know it. */
  lapseIncompleteUploads(): void;
  /** Every access token issued so far stops working (as if expired early). */
  expireAccessTokens(): void;
  /** The user removed the app in TikTok: every token of the grant is refused. */
  revokeGrant(): void;
  setRateLimit(path: string, limit: number): void;
  /** Access token lifetime, in seconds, for tokens issued from now on (TikTok: 2 hours). */
  setAccessTokenTtl(seconds: number): void;
  /** Posts allowed per day before spam_risk_too_many_posts. */
  setDailyPostCap(cap: number): void;
  /** The next video/init answers this upload_url instead of its own (a lying or hijacked answer). */
  answerNextUploadUrl(url: string): void;
  close(): Promise<void>;
}

const mb = 1024 * 1024;
const knownScopes = ['user.info.basic', 'user.info.profile', 'video.publish', 'video.upload', 'video.list'];
const basicFields = ['open_id', 'union_id', 'avatar_url', 'avatar_url_100', 'avatar_large_url', 'display_name'];
const privacyLevels = ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'FOLLOWER_OF_CREATOR', 'SELF_ONLY'];

interface AccessToken {
  openId: string;
  scope: string[];
  expiresAt: number;
  grant: string;
}

export async function startTikTokServer(options: TikTokServerOptions = {}): Promise<TikTokServer> {
  const client = { clientKey: `awtk${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(24).toString('base64url') };
  const openId = `-000${randomBytes(8).toString('hex')}`;
  const unionId = `union-${randomBytes(6).toString('hex')}`;
  let audited = options.audited ?? false;
  let accessTtl = options.accessTokenTtlSeconds ?? 2 * 60 * 60;
  let consent: 'allow' | 'deny' = 'allow';
  let processingPolls = 2;
  let failNext: string | null = null;
  let dailyCap = 15;
  let nextUploadUrl: string | null = null;
  let dropNextUpload = false;
  let chunkDelayMs = 0;
  let stall: { passing: number; arrived(): void } | null = null;

  const creator: TikTokCreatorSettings = {
    username: 'localpost.creator',
    nickname: 'Localpost Creator',
    privacyLevels: [...privacyLevels],
    commentDisabled: false,
    duetDisabled: true,
    stitchDisabled: false,
    maxVideoSeconds: 600,
    accountPrivate: true,
  };
  const codes = new Map<string, { challenge: string; redirectUri: string; scope: string[]; expiresAt: number; used: boolean }>();
  const accessTokens = new Map<string, AccessToken>();
  const refreshTokens = new Map<string, { scope: string[]; grant: string; rotated: boolean }>();
  const revokedGrants = new Set<string>();
  const publishes: TikTokPublish[] = [];
  const posted: TikTokPublish[] = [];
  const requests: TikTokRequestRecord[] = [];
  const violations: string[] = [];
  const reusedRefreshTokens: string[] = [];
  const faults = new Map<string, TikTokFault>();
  const lostAnswers = new Set<string>();
  const rateLimits = new Map<string, number>([
    ['/v2/post/publish/video/init/', 6],
    ['/v2/post/publish/creator_info/query/', 20],
    ['/v2/post/publish/status/fetch/', 30],
  ]);
  const calls = new Map<string, number[]>();

  const logId = () => `2026120${randomBytes(8).toString('hex').toUpperCase()}`;
  const envelope = (data: unknown, code = 'ok', message = '') => ({ data, error: { code, message, log_id: logId() } });

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A client that went away mid-request (killed, or its connection cut) broke no rule: there
      // is only no one left to answer.
      if (request.destroyed || request.socket.destroyed) return;
      violations.push(`mock crashed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  const avatarUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}${avatarPath}`;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const path = url.pathname;
    const upload = path === '/upload/';
    if (method === 'GET' && (await answerProfilePicture(url, response, avatarPath))) return;

    if (upload && method === 'PUT' && dropNextUpload) {
      dropNextUpload = false;
      requests.push({ method, path, query: url.search, headers: headersOf(request), body: { dropped: true } });
      // Read some of the chunk, then cut the connection: the client sees a reset mid-request.
      await new Promise<void>((resolve) => {
        let seen = 0;
        request.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > 64 * 1024) {
            request.socket.destroy();
            resolve();
          }
        });
        request.on('end', () => {
          request.socket.destroy();
          resolve();
        });
        request.on('error', () => resolve());
      });
      return;
    }

    if (upload && method === 'PUT' && stall && stall.passing-- <= 0) {
      const { arrived } = stall;
      stall = null;
      requests.push({ method, path, query: url.search, headers: headersOf(request), body: { stalled: true } });
      arrived();
      return;
    }

    const raw = await readBody(request);
    const contentType = request.headers['content-type'] ?? '';
    const body = upload ? { bytes: raw.length } : contentType.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) : parseJson(raw);
    requests.push({ method, path, query: url.search, headers: headersOf(request), body });

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      if (lostAnswers.delete(path)) {
        request.socket.destroy();
        return;
      }
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
    };
    const violation = (problem: string) => violations.push(`${method} ${path}: ${problem}`);

    // A lost answer is the work done: it goes before an injected fault.
    const fault = lostAnswers.has(path) ? undefined : faults.get(path);
    if (fault) {
      if ((fault.times ?? 1) <= 1) faults.delete(path);
      else fault.times = (fault.times ?? 1) - 1;
      return send(fault.status, fault.body ?? envelope({}, 'internal_error', 'Something went wrong.'), fault.headers);
    }

    if (path === '/v2/auth/authorize/' && method === 'GET') return authorize(url, response, violation);
    if (path === '/v2/oauth/token/' && method === 'POST') return token(body as Record<string, string>, contentType, send, violation);
    if (path === '/v2/oauth/revoke/' && method === 'POST') {
      const form = body as Record<string, string>;
      if (form.client_key !== client.clientKey || form.client_secret !== client.clientSecret) {
        return send(401, { error: 'invalid_client', error_description: 'Client key or secret is incorrect.', log_id: logId() });
      }
      const found = accessTokens.get(form.token ?? '') ?? refreshTokens.get(form.token ?? '');
      if (found) revokedGrants.add(found.grant);
      return send(200, {});
    }
    if (upload && method === 'PUT') return uploadChunk(url, request, raw, send, violation);

    // The API: a bearer token first.
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const access = bearer ? accessTokens.get(bearer) : undefined;
    if (!access || access.expiresAt <= Date.now() || revokedGrants.has(access.grant)) {
      return send(401, envelope({}, 'access_token_invalid', 'The access token is invalid or not found in the request.'));
    }
    const limit = rateLimits.get(path);
    if (limit !== undefined) {
      const key = `${path} ${bearer}`;
      const now = Date.now();
      const recent = (calls.get(key) ?? []).filter((at) => now - at < 60_000);
      if (recent.length >= limit) return send(429, envelope({}, 'rate_limit_exceeded', 'The API rate limit was exceeded.'));
      calls.set(key, [...recent, now]);
    }

    if (path === '/v2/user/info/' && method === 'GET') {
      const fields = (url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
      const unknown = fields.filter((field) => !basicFields.includes(field));
      if (fields.length === 0 || unknown.length > 0) {
        violation(`fields must be user.info.basic fields, got ${fields.join(',')}`);
        return send(400, envelope({}, 'invalid_params', 'Invalid fields.'));
      }
      if (!access.scope.includes('user.info.basic')) return send(401, envelope({}, 'scope_not_authorized', 'The user did not authorize user.info.basic.'));
      const user: Record<string, string> = { open_id: openId, union_id: unionId, avatar_url: avatarUrl(), display_name: creator.nickname };
      return send(200, envelope({ user: Object.fromEntries(fields.map((field) => [field, user[field] ?? ''])) }));
    }

    if (!path.startsWith('/v2/post/publish/')) return send(404, envelope({}, 'invalid_params', 'Unknown endpoint.'));
    if (method !== 'POST') return send(405, envelope({}, 'invalid_params', 'Method not allowed.'));
    if (!/^application\/json; ?charset=utf-8$/i.test(contentType)) violation(`Content-Type must be application/json; charset=UTF-8, got ${contentType}`);
    if (!access.scope.includes('video.publish')) return send(401, envelope({}, 'scope_not_authorized', 'The user did not authorize video.publish.'));
    const json = (body ?? {}) as Record<string, unknown>;

    if (path === '/v2/post/publish/creator_info/query/') {
      return send(200, envelope({
        creator_avatar_url: avatarUrl(),
        creator_username: creator.username,
        creator_nickname: creator.nickname,
        privacy_level_options: creator.privacyLevels,
        comment_disabled: creator.commentDisabled,
        duet_disabled: creator.duetDisabled,
        stitch_disabled: creator.stitchDisabled,
        max_video_post_duration_sec: creator.maxVideoSeconds,
      }));
    }

    if (path === '/v2/post/publish/video/init/') {
      const problems = initProblems(json);
      if (problems.length > 0) {
        problems.forEach(violation);
        return send(400, envelope({}, 'invalid_params', problems.join('; ')));
      }
      const postInfo = json.post_info as Record<string, unknown>;
      const source = json.source_info as Record<string, number>;
      if (!creator.privacyLevels.includes(postInfo.privacy_level as string)) {
        return send(400, envelope({}, 'privacy_level_option_mismatch', 'privacy_level is not one of the creator_info options.'));
      }
      if (!audited && !creator.accountPrivate) {
        return send(403, envelope({}, 'unaudited_client_can_only_post_to_private_accounts', 'Please review our integration guidelines.'));
      }
      if (!audited && postInfo.privacy_level !== 'SELF_ONLY') {
        return send(400, envelope({}, 'privacy_level_option_mismatch', 'Unaudited clients can only post with SELF_ONLY.'));
      }
      const today = publishes.filter((p) => p.status !== 'FAILED' && p.uploadedBytes > 0).length;
      if (today >= dailyCap) return send(403, envelope({}, 'spam_risk_too_many_posts', 'The daily post cap was reached.'));
      const publish: TikTokPublish = {
        publishId: `v_pub_file~v2-1.${randomBytes(9).toString('hex')}`,
        uploadId: randomBytes(9).toString('hex'),
        openId,
        postInfo,
        videoSize: source.video_size!,
        chunkSize: source.chunk_size!,
        chunkCount: source.total_chunk_count!,
        received: new Map(),
        uploadedBytes: 0,
        sha256: null,
        processingLeft: processingPolls,
        status: 'PROCESSING_UPLOAD',
        failReason: null,
        postId: null,
        lapsed: false,
      };
      publishes.push(publish);
      const uploadUrl = nextUploadUrl ?? `${origin}/upload/?upload_id=${publish.uploadId}&upload_token=${randomBytes(8).toString('hex')}`;
      nextUploadUrl = null;
      return send(200, envelope({ publish_id: publish.publishId, upload_url: uploadUrl }));
    }

    if (path === '/v2/post/publish/status/fetch/') {
      const publish = publishes.find((p) => p.publishId === json.publish_id && !p.lapsed);
      if (!publish) {
        if (typeof json.publish_id !== 'string') violation('publish_id is required');
        return send(400, envelope({}, 'invalid_params', 'publish_id is invalid.'));
      }
      const complete = publish.uploadedBytes === publish.videoSize;
      if (publish.status === 'PROCESSING_UPLOAD' && complete) {
        if (publish.processingLeft > 0) publish.processingLeft--;
        else if (failNext) {
          publish.status = 'FAILED';
          publish.failReason = failNext;
          failNext = null;
        } else {
          publish.status = 'PUBLISH_COMPLETE';
          publish.postId = publish.postInfo.privacy_level === 'SELF_ONLY' ? null : String(7_300_000_000_000_000_000n + BigInt(posted.length + 1));
          posted.push(publish);
        }
      }
      return send(200, envelope({
        status: publish.status,
        ...(publish.failReason ? { fail_reason: publish.failReason } : {}),
        publicaly_available_post_id: publish.postId ? [publish.postId] : [],
        uploaded_bytes: publish.uploadedBytes,
      }));
    }
    return send(404, envelope({}, 'invalid_params', 'Unknown endpoint.'));
  }

  function authorize(url: URL, response: ServerResponse, violation: (problem: string) => void): void {
    const q = url.searchParams;
    const problems: string[] = [];
    if (q.get('client_key') !== client.clientKey) problems.push('client_key is not the app’s');
    if (q.has('client_id')) problems.push('TikTok names the client id client_key, not client_id');
    if (q.get('response_type') !== 'code') problems.push('response_type must be code');
    const scope = (q.get('scope') ?? '').split(',');
    if (scope.some((s) => !knownScopes.includes(s))) problems.push(`scope must be comma-separated TikTok scopes, got ${q.get('scope')}`);
    const redirect = URL.parse(q.get('redirect_uri') ?? '');
    // "Only localhost or loopback IP 127.0.0.1 … must have a port number", registered as http://127.0.0.1:*/callback/.
    if (!redirect || redirect.protocol !== 'http:' || redirect.hostname !== '127.0.0.1' || !redirect.port || redirect.pathname !== '/callback/' || redirect.search || redirect.hash) {
      problems.push(`redirect_uri does not match http://127.0.0.1:*/callback/: ${q.get('redirect_uri')}`);
    }
    if (!q.get('state')) problems.push('state is required');
    if (!/^[0-9a-f]{64}$/.test(q.get('code_challenge') ?? '')) problems.push(`code_challenge must be the hex SHA-256 of the verifier, got ${q.get('code_challenge')}`);
    if (q.get('code_challenge_method') !== 'S256') problems.push('code_challenge_method must be S256');
    if (problems.length > 0) {
      problems.forEach(violation);
      response.writeHead(400, { 'content-type': 'text/html' }).end(`<p>${problems.join('<br>')}</p>`);
      return;
    }
    const back = new URL(redirect!.href);
    if (consent === 'deny') {
      consent = 'allow';
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user denied the authorization.');
    } else {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, { challenge: q.get('code_challenge')!, redirectUri: redirect!.href, scope, expiresAt: Date.now() + 10 * 60_000, used: false });
      back.searchParams.set('code', code);
      back.searchParams.set('scopes', scope.join(','));
    }
    back.searchParams.set('state', q.get('state')!);
    response.writeHead(302, { location: back.href }).end();
  }

  function token(form: Record<string, string>, contentType: string, send: (status: number, payload: unknown) => void, violation: (problem: string) => void): void {
    const error = (status: number, code: string, description: string) => send(status, { error: code, error_description: description, log_id: logId() });
    if (!contentType.startsWith('application/x-www-form-urlencoded')) violation(`the token request must be a form, got ${contentType}`);
    if (form.client_id !== undefined) violation('TikTok names the client id client_key, not client_id');
    if (form.client_key !== client.clientKey || form.client_secret !== client.clientSecret) {
      return error(401, 'invalid_client', 'Client key or secret is incorrect.');
    }
    const issue = (scope: string[], grant: string) => {
      const accessToken = `act.${randomBytes(24).toString('base64url')}`;
      const refreshToken = `rft.${randomBytes(24).toString('base64url')}`;
      accessTokens.set(accessToken, { openId, scope, expiresAt: Date.now() + accessTtl * 1000, grant });
      refreshTokens.set(refreshToken, { scope, grant, rotated: false });
      send(200, {
        access_token: accessToken,
        expires_in: accessTtl,
        open_id: openId,
        refresh_expires_in: 180 * 24 * 60 * 60,
        refresh_token: refreshToken,
        scope: scope.join(','),
        token_type: 'Bearer',
      });
    };
    if (form.grant_type === 'authorization_code') {
      const entry = codes.get(form.code ?? '');
      if (!entry || entry.used || entry.expiresAt <= Date.now()) return error(400, 'invalid_grant', 'Authorization code is expired or invalid.');
      if (form.redirect_uri !== entry.redirectUri) return error(400, 'invalid_grant', 'redirect_uri does not match.');
      const verifier = form.code_verifier ?? '';
      if (createHash('sha256').update(verifier).digest('hex') !== entry.challenge) {
        return error(400, 'invalid_grant', 'Code verifier or code challenge is invalid.');
      }
      entry.used = true;
      return issue(entry.scope, randomBytes(8).toString('hex'));
    }
    if (form.grant_type === 'refresh_token') {
      const entry = refreshTokens.get(form.refresh_token ?? '');
      if (!entry || revokedGrants.has(entry.grant)) return error(400, 'invalid_grant', 'Refresh token is invalid or expired.');
      if (entry.rotated) {
        // "The previous refresh token stops working once a new one is issued."
        reusedRefreshTokens.push(form.refresh_token!);
        return error(400, 'invalid_grant', 'Refresh token is invalid or expired.');
      }
      entry.rotated = true;
      return issue(entry.scope, entry.grant);
    }
    return error(400, 'unsupported_grant_type', 'grant_type is not supported.');
  }

  function initProblems(json: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const postInfo = json.post_info as Record<string, unknown> | undefined;
    const source = json.source_info as Record<string, unknown> | undefined;
    if (!postInfo || typeof postInfo !== 'object') return ['post_info is required'];
    if (!source || typeof source !== 'object') return ['source_info is required'];
    if (!privacyLevels.includes(postInfo.privacy_level as string)) problems.push(`post_info.privacy_level must be one of ${privacyLevels.join(', ')}`);
    if (postInfo.title !== undefined && (typeof postInfo.title !== 'string' || postInfo.title.length > 2200)) problems.push('post_info.title must be a string of at most 2200 UTF-16 runes');
    for (const flag of ['disable_duet', 'disable_comment', 'disable_stitch', 'brand_content_toggle', 'brand_organic_toggle', 'is_aigc']) {
      if (postInfo[flag] !== undefined && typeof postInfo[flag] !== 'boolean') problems.push(`post_info.${flag} must be a boolean`);
    }
    if (creator.commentDisabled && postInfo.disable_comment !== true) problems.push('the creator disabled comments: disable_comment must be true');
    if (creator.duetDisabled && postInfo.disable_duet !== true) problems.push('the creator disabled duets: disable_duet must be true');
    if (creator.stitchDisabled && postInfo.disable_stitch !== true) problems.push('the creator disabled stitches: disable_stitch must be true');
    if (postInfo.brand_content_toggle === true && postInfo.privacy_level === 'SELF_ONLY') problems.push('branded content cannot be SELF_ONLY');
    const known = new Set(['title', 'privacy_level', 'disable_duet', 'disable_comment', 'disable_stitch', 'video_cover_timestamp_ms', 'brand_content_toggle', 'brand_organic_toggle', 'is_aigc']);
    for (const key of Object.keys(postInfo)) if (!known.has(key)) problems.push(`post_info.${key} is not a field`);
    if (source.source !== 'FILE_UPLOAD') return [...problems, 'source_info.source must be FILE_UPLOAD here'];
    const size = source.video_size;
    const chunk = source.chunk_size;
    const count = source.total_chunk_count;
    if (![size, chunk, count].every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n > 0)) return [...problems, 'video_size, chunk_size and total_chunk_count must be positive integers'];
    const [s, c, n] = [size as number, chunk as number, count as number];
    if (s > 4 * 1024 * mb) problems.push('video_size is over 4 GB');
    if (s < 5 * mb) {
      // "Media files less than 5 MB must be uploaded as a whole."
      if (c !== s || n !== 1) problems.push(`a video under 5 MB is one chunk of its size (chunk_size ${c}, total_chunk_count ${n}, video_size ${s})`);
    } else {
      if (c < 5 * mb || c > 64 * mb) {
        if (!(c === s && n === 1 && s <= 64 * mb)) problems.push(`chunk_size must be 5 to 64 MB, got ${c}`);
      }
      if (n !== Math.floor(s / c)) problems.push(`total_chunk_count must be floor(video_size / chunk_size) = ${Math.floor(s / c)}, got ${n}`);
      if (n < 1 || n > 1000) problems.push('total_chunk_count must be 1 to 1000');
      const last = s - c * (n - 1);
      if (last > 128 * mb) problems.push(`the last chunk would be ${last} bytes, over 128 MB`);
    }
    return problems;
  }

  function uploadChunk(url: URL, request: IncomingMessage, raw: Buffer, send: (status: number, payload: unknown) => void, violation: (problem: string) => void): void {
    const publish = publishes.find((p) => p.uploadId === url.searchParams.get('upload_id'));
    if (!publish) {
      violation('upload_url is not one TikTok gave');
      return send(404, envelope({}, 'invalid_params', 'Upload not found.'));
    }
    if (publish.lapsed) return send(404, envelope({}, 'invalid_params', 'Upload not found.'));
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(request.headers['content-range'] ?? '');
    const type = request.headers['content-type'] ?? '';
    if (!['video/mp4', 'video/quicktime', 'video/webm'].includes(type)) violation(`Content-Type must be video/mp4, video/quicktime or video/webm, got ${type}`);
    if (!range) {
      violation(`Content-Range must be "bytes a-b/total", got ${request.headers['content-range']}`);
      return send(400, envelope({}, 'invalid_file_upload', 'Content-Range is missing.'));
    }
    const [first, last, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    const index = Math.round(first / publish.chunkSize);
    const expectedFirst = index * publish.chunkSize;
    const expectedLast = index === publish.chunkCount - 1 ? publish.videoSize - 1 : expectedFirst + publish.chunkSize - 1;
    const problems: string[] = [];
    if (total !== publish.videoSize) problems.push(`total ${total} is not the video_size ${publish.videoSize}`);
    if (index >= publish.chunkCount || first !== expectedFirst || last !== expectedLast) problems.push(`bytes ${first}-${last} is not chunk ${index}'s ${expectedFirst}-${expectedLast}`);
    if (Number(request.headers['content-length']) !== raw.length || raw.length !== last - first + 1) problems.push(`Content-Length ${request.headers['content-length']} and the body's ${raw.length} bytes must be the range's ${last - first + 1}`);
    if (!publish.received.has(index) && index !== publish.received.size) problems.push(`chunk ${index} came before chunk ${publish.received.size}: chunks go in order`);
    if (problems.length > 0) {
      problems.forEach(violation);
      return send(400, envelope({}, 'invalid_file_upload', problems.join('; ')));
    }
    const digest = createHash('sha256').update(raw).digest('hex');
    if (publish.received.has(index) && publish.received.get(index) !== digest) violation(`chunk ${index} was sent again with other bytes`);
    publish.received.set(index, digest);
    publish.uploadedBytes = [...publish.received.keys()].reduce((sum, i) => sum + (i === publish.chunkCount - 1 ? publish.videoSize - i * publish.chunkSize : publish.chunkSize), 0);
    if (publish.uploadedBytes === publish.videoSize) {
      publish.sha256 = createHash('sha256').update([...publish.received.entries()].sort(([a], [b]) => a - b).map(([, d]) => d).join('')).digest('hex');
    }
    const status = publish.uploadedBytes === publish.videoSize ? 201 : 206;
    if (chunkDelayMs > 0) setTimeout(() => send(status, {}), chunkDelayMs);
    else send(status, {});
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    env: {
      LOCALPOST_TIKTOK_AUTHORIZE_URL: `${origin}/v2/auth/authorize/`,
      LOCALPOST_TIKTOK_TOKEN_URL: `${origin}/v2/oauth/token/`,
      LOCALPOST_TIKTOK_REVOKE_URL: `${origin}/v2/oauth/revoke/`,
      LOCALPOST_TIKTOK_API_BASE: `${origin}/v2`,
      LOCALPOST_TIKTOK_STATUS_POLL_MS: '20',
    },
    client,
    creator,
    publishes,
    posted,
    requests,
    violations,
    reusedRefreshTokens,
    nextConsent: (decision) => void (consent = decision),
    setAudited: (value) => void (audited = value),
    setProcessingPolls: (polls) => void (processingPolls = polls),
    failNextPublish: (reason) => void (failNext = reason),
    injectFault: (path, fault) => void faults.set(path, { ...fault }),
    loseNextAnswer: (path) => void lostAnswers.add(path),
    dropNextUploadMidway: () => void (dropNextUpload = true),
    stallUpload: (passing) => new Promise<void>((resolve) => void (stall = { passing, arrived: resolve })),
    clearFaults: () => faults.clear(),
    setChunkDelay: (ms) => void (chunkDelayMs = ms),
    lapseIncompleteUploads: () => {
      for (const publish of publishes) if (publish.uploadedBytes < publish.videoSize) publish.lapsed = true;
    },
    expireAccessTokens: () => {
      for (const token of accessTokens.values()) token.expiresAt = 0;
    },
    revokeGrant: () => {
      for (const token of accessTokens.values()) revokedGrants.add(token.grant);
    },
    setRateLimit: (path, limit) => void rateLimits.set(path, limit),
    setAccessTokenTtl: (seconds) => void (accessTtl = seconds),
    setDailyPostCap: (cap) => void (dailyCap = cap),
    answerNextUploadUrl: (url) => void (nextUploadUrl = url),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function headersOf(request: IncomingMessage): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
}
