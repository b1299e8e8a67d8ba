/**
 * A Mastodon instance for tests: the real OAuth server of `oauthServer.ts` (oidc-provider on
 * 127.0.0.1, Mastodon's /oauth/authorize, /oauth/token, /oauth/revoke) plus a contract mock of the
 * REST API Localpost uses, written from docs.joinmastodon.org:
 *
 * - `POST /api/v1/apps` (methods/apps): creates a real confidential client on the OAuth server
 *   through its RFC 7591 registration endpoint, so the later sign-in is checked for real (PKCE,
 *   redirect URI with RFC 8252 loopback port matching, client_secret_post).
 * - `GET /api/v1/accounts/verify_credentials`, `GET /api/v2/instance` (entities/Instance, with a
 *   configurable `max_characters`).
 * - `POST /api/v1/statuses` honouring `Idempotency-Key` (methods/statuses): the same key from the
 *   same user returns the first status and creates nothing. `in_reply_to_id` must name a status
 *   the instance has (StatusesController#set_thread: 404 "The status you are trying to reply to
 *   does not appear to exist."). Status creation is rate limited per
 *   account, 300 per 3 hours by default (api/rate-limits), with `X-RateLimit-Limit`,
 *   `X-RateLimit-Remaining` and `X-RateLimit-Reset` (an ISO 8601 time) on every answer, and a
 *   429 once the budget is spent.
 * - `POST /api/v2/media` (methods/media), its multipart body read as it streams in (files hashed,
 *   never held): an image answers 200, or 202 then ready after one poll; a video always answers
 *   202 (an instance transcodes it first) and is ready after a set number of polls. A video over
 *   the instance's `video_size_limit` gets Mastodon's 422. `GET /api/v1/media/:id` answers 206
 *   while processing, 200 once `url` is set.
 *
 * API calls accept only access tokens the OAuth server issued and has not revoked
 * (`provider.AccessToken.find`); anything else gets Mastodon's 401 `{"error":"The access token is invalid"}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startOAuthServer, type InjectedFault, type TestOAuthServer } from './oauthServer';
import { readMultipart } from './multipartReader';
import { readBody } from './requestBody';
import { answerProfilePicture } from './profilePictures';

export interface MastodonRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface MastodonServer {
  origin: string;
  oauth: TestOAuthServer;
  /** Endpoint overrides (endpoints.ts) that send every instance name to this server. */
  env: Record<string, string>;
  requests: MastodonRequestRecord[];
  /** Apps created with POST /api/v1/apps, in order. */
  apps: Array<{ clientId: string; clientSecret: string; redirectUris: string[]; scopes: string }>;
  /** Statuses created (an idempotent replay adds none); `spoilerText` is the content warning. */
  statuses: Array<{ id: string; status: string; language?: string; visibility?: string; spoilerText?: string; mediaIds: string[]; inReplyToId?: string }>;
  /** Uploaded attachments; `sha256` is of the file's bytes as they arrived. */
  media: Array<{ id: string; description: string | null; type: string; size: number; sha256: string; polls: number }>;
  /** Let the instance answer `configuration.statuses.max_characters` with this. */
  setMaxCharacters(value: number): void;
  /** Make the next uploads answer 202 (processing) instead of 200. */
  setAsyncMedia(async: boolean): void;
  /** How many polls of a video answer 206 before it is ready (default 2). */
  setVideoPollsBeforeReady(polls: number): void;
  /** The next upload is taken, but its answer never arrives (the connection drops). */
  loseNextMediaResponse(): void;
  /** The next video's processing fails: its polls answer Mastodon's 422. */
  failNextVideoProcessing(): void;
  /** The instance's `video_size_limit` (default Mastodon's 99 MiB, 103,809,024 bytes). */
  setVideoSizeLimit(bytes: number): void;
  /** The next status is created, but its answer never arrives (the connection drops). */
  loseNextStatusResponse(): void;
  /** The next status is created, but its answer never comes: the client must give up waiting. */
  stallNextStatusResponse(): void;
  /** The next `times` requests to `path`, after the first `after` (default 0), get this answer instead. */
  injectFault(path: string, fault: InjectedFault): void;
  /** Status creation allowed per account per window (a fixed window from its first status). */
  setStatusRateLimit(limit: number, windowMs: number): void;
  /** Status creations refused with 429 because the budget was spent. */
  readonly rateLimitedStatuses: number;
  /** Revokes at /oauth/revoke every access token the API has seen, as a user removing the app would. */
  revokeSeenTokens(): Promise<void>;
  close(): Promise<void>;
}

export async function startMastodonServer(): Promise<MastodonServer> {
  const requests: MastodonRequestRecord[] = [];
  const apps: MastodonServer['apps'] = [];
  const statuses: MastodonServer['statuses'] = [];
  const media: Array<MastodonServer['media'][number] & { pollsBeforeReady: number; failed: boolean }> = [];
  const idempotent = new Map<string, (typeof statuses)[number]>();
  const seenTokens = new Set<string>();
  const faults = new Map<string, InjectedFault & { times: number }>();
  let maxCharacters = 1000;
  let asyncMedia = false;
  let videoPollsBeforeReady = 2;
  let videoSizeLimit = 103_809_024;
  let failVideoProcessing = false;
  let loseMediaResponse = false;
  let loseStatusResponse = false;
  let stallStatusResponse = false;
  let nextId = 110_000_000_000_000;
  let statusLimit = { limit: 300, windowMs: 3 * 60 * 60 * 1000 };
  const statusBudgets = new Map<string, { used: number; resetAt: number }>();
  let rateLimitedStatuses = 0;
  /** Spends one status creation of this account's budget: the headers to send, and whether it was allowed. */
  const spendStatus = (accountId: string) => {
    const now = Date.now();
    let budget = statusBudgets.get(accountId);
    if (!budget || budget.resetAt <= now) statusBudgets.set(accountId, (budget = { used: 0, resetAt: now + statusLimit.windowMs }));
    const allowed = budget.used < statusLimit.limit;
    if (allowed) budget.used++;
    const headers = {
      'x-ratelimit-limit': String(statusLimit.limit),
      'x-ratelimit-remaining': String(statusLimit.limit - budget.used),
      'x-ratelimit-reset': new Date(budget.resetAt).toISOString(),
    };
    return { allowed, headers };
  };

  let oauth!: TestOAuthServer;
  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    void response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));

  const apiRoutes = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
    if (await answerProfilePicture(url, response, '/system/accounts/avatars/')) return true;
    if (!url.pathname.startsWith('/api/')) return false;
    const contentType = request.headers['content-type'] ?? '';
    // Multipart is read as it streams: files are hashed and counted, never held in memory.
    const body = contentType.startsWith('multipart/form-data') ? await readMultipart(contentType, request) : await parseBody(await readBody(request), contentType);
    requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      headers: { 'idempotency-key': header(request, 'idempotency-key'), 'content-type': contentType, 'content-length': header(request, 'content-length') },
      body,
    });

    const fault = faults.get(url.pathname);
    if (fault && fault.after !== undefined && fault.after > 0) fault.after--;
    else if (fault) {
      if (--fault.times <= 0) faults.delete(url.pathname);
      json(response, fault.status, fault.body ?? {}, fault.headers);
      return true;
    }

    if (request.method === 'POST' && url.pathname === '/api/v1/apps') {
      const fields = body as { client_name?: string; redirect_uris?: string | string[]; scopes?: string };
      const redirectUris = [fields.redirect_uris ?? []].flat();
      const registration = await fetch(`${oauth.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: fields.client_name,
          // native: loopback redirect URIs match any port (RFC 8252 §7.3), as Doorkeeper does.
          application_type: 'native',
          redirect_uris: redirectUris,
          token_endpoint_auth_method: 'client_secret_post',
          grant_types: ['authorization_code'],
          response_types: ['code'],
        }),
      });
      const client = (await registration.json()) as { client_id?: string; client_secret?: string; error_description?: string };
      if (!registration.ok || !client.client_id || !client.client_secret) {
        json(response, 422, { error: `Validation failed: ${client.error_description ?? 'redirect URI is invalid'}` });
        return true;
      }
      apps.push({ clientId: client.client_id, clientSecret: client.client_secret, redirectUris, scopes: fields.scopes ?? 'read' });
      json(response, 200, {
        id: String(apps.length),
        name: fields.client_name,
        website: null,
        scopes: (fields.scopes ?? 'read').split(' '),
        redirect_uri: redirectUris.join('\n'),
        redirect_uris: redirectUris,
        client_id: client.client_id,
        client_secret: client.client_secret,
        client_secret_expires_at: 0,
      });
      return true;
    }

    if (request.method === 'GET' && url.pathname === '/api/v2/instance') {
      json(response, 200, {
        domain: 'social.example',
        title: 'Social Example',
        version: '4.4.0',
        configuration: {
          statuses: { max_characters: maxCharacters, max_media_attachments: 4, characters_reserved_per_url: 23 },
          media_attachments: {
            image_size_limit: 16_777_216,
            description_limit: 1200,
            video_size_limit: videoSizeLimit,
            video_frame_rate_limit: 120,
            video_matrix_limit: 8_294_400,
            supported_mime_types: ['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/quicktime', 'video/webm'],
          },
        },
      });
      return true;
    }

    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ? await oauth.findAccessToken(bearer) : undefined;
    if (!bearer || !token) {
      json(response, 401, { error: 'The access token is invalid' });
      return true;
    }
    seenTokens.add(bearer);
    const scopes = new Set((token.scope ?? '').split(' '));
    const needs = (scope: string) => {
      if (scopes.has(scope)) return true;
      json(response, 403, { error: 'This action is outside the authorized scopes' });
      return false;
    };

    if (request.method === 'GET' && url.pathname === '/api/v1/accounts/verify_credentials') {
      if (!needs('read:accounts')) return true;
      const avatar = `${url.origin}/system/accounts/avatars/109348.png`;
      json(response, 200, { id: '109348', username: token.accountId, acct: token.accountId, display_name: 'Alice', locked: false, avatar, avatar_static: avatar });
      return true;
    }

    if (request.method === 'POST' && url.pathname === '/api/v2/media') {
      if (!needs('write:media')) return true;
      const form = body as Record<string, unknown>;
      const file = form.file as { type: string; size: number; sha256: string } | undefined;
      if (!file || typeof file !== 'object') {
        json(response, 422, { error: 'Validation failed: File content type is invalid' });
        return true;
      }
      const isVideo = file.type.startsWith('video/');
      if (isVideo && file.size > videoSizeLimit) {
        // Paperclip's size validation, as the instance words it (number_to_human_size).
        json(response, 422, { error: `Validation failed: File file size must be less than ${Math.round(videoSizeLimit / 1024 / 1024)} MB` });
        return true;
      }
      const id = String(nextId++);
      const description = typeof form.description === 'string' ? form.description : null;
      const pollsBeforeReady = isVideo ? videoPollsBeforeReady : asyncMedia ? 1 : 0;
      media.push({ id, description, type: file.type, size: file.size, sha256: file.sha256, polls: 0, pollsBeforeReady, failed: isVideo && failVideoProcessing });
      if (isVideo) failVideoProcessing = false;
      if (loseMediaResponse) {
        loseMediaResponse = false;
        request.socket.destroy();
        return true;
      }
      const processing = isVideo || pollsBeforeReady > 0;
      const entity = { id, type: isVideo ? 'video' : 'image', url: processing ? null : mediaUrl(oauth.issuer, id, file.type), description };
      json(response, processing ? 202 : 200, entity);
      return true;
    }

    const mediaMatch = /^\/api\/v1\/media\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && mediaMatch) {
      const item = media.find((m) => m.id === mediaMatch[1]);
      if (!item) {
        json(response, 404, { error: 'Record not found' });
        return true;
      }
      item.polls++;
      // Api::V1::MediaController#check_processing: a failed processing answers 422.
      if (item.failed) {
        json(response, 422, { error: 'Error processing thumbnail for uploaded media' });
        return true;
      }
      // The first `pollsBeforeReady` polls answer 206 (still processing), the next 200.
      const ready = isProcessed(item);
      json(response, ready ? 200 : 206, {
        id: item.id,
        type: item.type.startsWith('video/') ? 'video' : 'image',
        url: ready ? mediaUrl(oauth.issuer, item.id, item.type) : null,
        description: item.description,
      });
      return true;
    }

    if (request.method === 'POST' && url.pathname === '/api/v1/statuses') {
      if (!needs('write:statuses')) return true;
      const fields = body as { status?: string; language?: string; visibility?: string; spoiler_text?: string; media_ids?: string[]; in_reply_to_id?: string };
      const key = header(request, 'idempotency-key');
      // Keys are per user (methods/statuses: "Idempotency keys are stored for up to 1 hour").
      const replay = key ? idempotent.get(`${token.accountId}:${key}`) : undefined;
      if (replay) {
        json(response, 200, statusEntity(oauth.issuer, replay));
        return true;
      }
      if (fields.in_reply_to_id !== undefined && !statuses.some((s) => s.id === fields.in_reply_to_id)) {
        json(response, 404, { error: 'The status you are trying to reply to does not appear to exist.' });
        return true;
      }
      const mediaIds = fields.media_ids ?? [];
      if (mediaIds.some((id) => !media.find((m) => m.id === id && isProcessed(m)))) {
        json(response, 422, { error: 'Validation failed: Media attachments are still being processed' });
        return true;
      }
      if (!fields.status?.trim() && mediaIds.length === 0) {
        json(response, 422, { error: "Validation failed: Text can't be blank" });
        return true;
      }
      const spent = spendStatus(token.accountId);
      if (!spent.allowed) {
        rateLimitedStatuses++;
        json(response, 429, { error: 'Too many requests' }, spent.headers);
        return true;
      }
      const status = {
        id: String(nextId++),
        status: fields.status ?? '',
        ...(fields.language ? { language: fields.language } : {}),
        ...(fields.visibility ? { visibility: fields.visibility } : {}),
        ...(fields.spoiler_text ? { spoilerText: fields.spoiler_text } : {}),
        mediaIds,
        ...(fields.in_reply_to_id !== undefined ? { inReplyToId: fields.in_reply_to_id } : {}),
      };
      statuses.push(status);
      if (key) idempotent.set(`${token.accountId}:${key}`, status);
      if (loseStatusResponse) {
        loseStatusResponse = false;
        request.socket.destroy();
        return true;
      }
      if (stallStatusResponse) {
        stallStatusResponse = false;
        return true;
      }
      json(response, 200, statusEntity(oauth.issuer, status), spent.headers);
      return true;
    }

    json(response, 404, { error: 'Record not found' });
    return true;
  };

  oauth = await startOAuthServer({ dynamicRegistration: true, apiRoutes, accessTokenTtlSeconds: 30 * 24 * 60 * 60 });
  const origin = oauth.issuer;

  return {
    origin,
    oauth,
    env: {
      LOCALPOST_MASTODON_AUTHORIZE_URL: oauth.endpoints.authorizeUrl,
      LOCALPOST_MASTODON_TOKEN_URL: oauth.endpoints.tokenUrl,
      LOCALPOST_MASTODON_REVOKE_URL: oauth.endpoints.revokeUrl,
      LOCALPOST_MASTODON_API_BASE: origin,
      LOCALPOST_MASTODON_ISSUER: origin,
    },
    requests,
    apps,
    statuses,
    media,
    setMaxCharacters: (value) => void (maxCharacters = value),
    setAsyncMedia: (value) => void (asyncMedia = value),
    setVideoPollsBeforeReady: (polls) => void (videoPollsBeforeReady = polls),
    setVideoSizeLimit: (bytes) => void (videoSizeLimit = bytes),
    failNextVideoProcessing: () => void (failVideoProcessing = true),
    loseNextMediaResponse: () => void (loseMediaResponse = true),
    loseNextStatusResponse: () => void (loseStatusResponse = true),
    stallNextStatusResponse: () => void (stallStatusResponse = true),
    injectFault: (path, fault) => void faults.set(path, { ...fault, times: fault.times ?? 1 }),
    setStatusRateLimit: (limit, windowMs) => {
      statusLimit = { limit, windowMs };
      statusBudgets.clear();
    },
    get rateLimitedStatuses() {
      return rateLimitedStatuses;
    },
    async revokeSeenTokens() {
      for (const token of seenTokens) {
        const found = await oauth.findAccessToken(token);
        const app = found && apps.find((a) => a.clientId === found.clientId);
        if (!app) continue;
        await fetch(oauth.endpoints.revokeUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, client_id: app.clientId, client_secret: app.clientSecret }).toString(),
        });
      }
      seenTokens.clear();
    },
    close: () => oauth.close(),
  };
}

function statusEntity(issuer: string, status: MastodonServer['statuses'][number]) {
  return {
    id: status.id,
    uri: `${issuer}/users/alice/statuses/${status.id}`,
    url: `${issuer}/@alice/${status.id}`,
    content: `<p>${status.status}</p>`,
    // entities/Status: an empty string when there is no warning; `sensitive` follows it.
    spoiler_text: status.spoilerText ?? '',
    sensitive: Boolean(status.spoilerText),
    language: status.language ?? null,
    visibility: status.visibility ?? 'public',
    in_reply_to_id: status.inReplyToId ?? null,
    media_attachments: status.mediaIds.map((id) => ({ id })),
  };
}

function isProcessed(item: { polls: number; pollsBeforeReady: number; failed: boolean }): boolean {
  return !item.failed && (item.pollsBeforeReady === 0 || item.polls > item.pollsBeforeReady);
}

function mediaUrl(issuer: string, id: string, type: string): string {
  return `${issuer}/media/${id}.${type.split('/')[1] ?? 'bin'}`;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}


/** JSON, form-encoded or multipart (files as `{ type, size }`), as Rails would read the params. */
async function parseBody(raw: Buffer, contentType: string): Promise<unknown> {
  if (raw.length === 0) return {};
  if (contentType.startsWith('application/json')) return JSON.parse(raw.toString('utf8'));
  if (contentType.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const fields: Record<string, unknown> = {};
    for (const [name, value] of form) fields[name] = typeof value === 'string' ? value : { type: value.type, size: value.size };
    return fields;
  }
  return raw.toString('utf8');
}
