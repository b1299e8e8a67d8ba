/**
 * X for tests: the real OAuth server of `oauthServer.ts` (oidc-provider on 127.0.0.1, configured
 * like X: PKCE S256, exact redirect URIs for the confidential clients, refresh tokens only with
 * `offline.access`, rotated on use) plus a contract mock of the v2 API Localpost uses, written
 * from X's documentation (docs.x.com; its source xdevplatform/docs, `openapi.json`):
 *
 * - `GET /2/users/me` (users.read, tweet.read): `{ data: { id, name, username } }`; a
 *   `user.fields` query is accepted and adds nothing the mock does not have.
 * - `POST /2/media/upload` (media.write), multipart with `media` (the file) and `media_category`:
 *   `{ data: { id, media_key, size, expires_after_secs } }`; images over 5 MB refused.
 * - The chunked media upload for video (docs.x.com media-upload-chunked; openapi.json, read from
 *   ../shared/specs/x-v2.openapi.json, against which these four requests and the mock's own
 *   answers are checked, see openApiContract.ts): `POST /2/media/upload/initialize` (JSON
 *   `{ media_type, total_bytes, media_category }` → `{ data: { id, media_key, expires_after_secs } }`),
 *   `POST /2/media/upload/{id}/append` (multipart `segment_index` and `media`, at most 5 MB a
 *   segment), `POST /2/media/upload/{id}/finalize` (the segments must be 0..n-1 and add up to
 *   `total_bytes`; a video answers `processing_info` `pending` with `check_after_secs`) and
 *   `GET /2/media/upload?command=STATUS&media_id=` (`in_progress`, then `succeeded` or `failed`
 *   with an `error`, as X's docs show it). A media id X does not have (or no longer has: it
 *   expires after `expires_after_secs`) answers 404 `resource-not-found`.
 * - `POST /2/media/metadata` (media.write), JSON `{ id, metadata: { alt_text: { text } } }`: alt
 *   text of at most 1000 characters, on media this user uploaded.
 * - `POST /2/tweets` (tweet.read, tweet.write, users.read), JSON `{ text, media: { media_ids },
 *   reply: { in_reply_to_tweet_id } }`, checked against the description (`CreatePostsRequest`):
 *   201 `{ data: { id, text } }`; refuses text over 280 weighted characters (counted by
 *   `twitter-text`, X's own library), 0 or more than 4 media ids, ids it does not know, the
 *   same text twice from the same user (X's duplicate-content rule), and a reply to a post it
 *   does not have (403, "You attempted to reply to a Tweet that is deleted or not visible to
 *   you.", as X answers it).
 * - `GET /2/users/:id/tweets`, checked against the description too; `post.fields=conversation_id`
 *   adds each post's conversation, the id of the first post of the thread it is in.
 *
 * Every API answer carries `x-rate-limit-limit`, `-remaining` and `-reset` (epoch seconds) for a
 * 15-minute window per user and endpoint (x-api/fundamentals/rate-limits), and going over answers
 * 429 `rate-limit-exceeded`. Errors are problem details, `application/problem+json`. API calls
 * accept only access tokens the OAuth server issued and has not revoked or expired.
 *
 * Used by test/integration/x.test.ts and by the Chromium e2e test: keep the `XServer` interface.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import crypto from 'node:crypto';
import twitterText from 'twitter-text';
import { compileOpenApiContract, readSharedSpec, type OpenApiContract, type OperationMatch } from './openApiContract';
import { startOAuthServer, type InjectedFault, type OAuthServerOptions, type TestOAuthServer } from './oauthServer';
import { parseJson, readBody } from './requestBody';
import { answerProfilePicture } from './profilePictures';

/** One chunked media upload as the mock holds it. */
export interface XVideoUpload {
  id: string;
  userId: string;
  mediaType: string;
  category: string;
  totalBytes: number;
  /** Segments as they arrived (a re-sent segment appears again). */
  appends: Array<{ segment: number; bytes: number }>;
  /** After FINALIZE: the SHA-256 of the segments joined in order. */
  sha256: string | null;
  state: 'uploading' | 'pending' | 'in_progress' | 'succeeded' | 'failed';
  expiresAt: number;
}

/** How X processes the next finalized videos. */
export interface XVideoProcessing {
  /** STATUS answers `in_progress` this many times before the outcome (default 1). */
  pollsBeforeDone: number;
  checkAfterSecs: number;
  /** Processing ends `failed` with this error instead of `succeeded`. */
  fails?: { code: number; name: string; message: string };
}

/** A media upload step, for faults: the next request at it gets the fault's answer. */
export type XMediaStep = 'initialize' | 'append' | 'finalize' | 'status';

export interface XServer {
  oauth: TestOAuthServer;
  /** LOCALPOST_X_AUTHORIZE_URL, _TOKEN_URL, _REVOKE_URL, _API_BASE, _ISSUER → this server. */
  env: Record<string, string>;
  /** Posts created, in order. */
  tweets: Array<{ id: string; text: string; mediaIds: string[]; userId: string; createdAt: number; inReplyToId?: string }>;
  /** Media uploaded, in order; `altText` set by POST /2/media/metadata. */
  media: Array<{ id: string; altText: string | null; size: number; category: string }>;
  /** Every API request (paths under /2/), in order. */
  requests: Array<{ method: string; path: string }>;
  /** The next `times` (default 1) requests to this API path, after the first `after` (default 0), get this answer instead. */
  injectFault(path: string, fault: InjectedFault): void;
  /** Requests per 15 minutes per user for an endpoint such as 'POST /2/tweets'; its windows start afresh. */
  setEndpointLimit(endpoint: string, limit: number): void;
  /** Chunked video uploads, in the order they were initialized. */
  videoUploads: XVideoUpload[];
  /** Media upload requests the description does not allow, and answers of the mock's own that do not match it. */
  violations: string[];
  /** How the next videos are processed. */
  setVideoProcessing(processing: Partial<XVideoProcessing>): void;
  /** `expires_after_secs` of the next INITs (default 86,400). */
  setMediaExpiresAfterSecs(seconds: number): void;
  /** The next `times` (default 1) requests at this upload step (an APPEND of `segment` only, if given) get this answer, after the contract check. */
  injectMediaFault(step: XMediaStep, fault: InjectedFault & { segment?: number }): void;
  /** The next APPEND's connection is cut after `afterBytes` of its body arrived, without an answer. */
  dropNextAppend(afterBytes: number): void;
  /** X forgets the upload, as when its media id expires. */
  forgetUpload(id: string): void;
  /** APPEND bodies are read at this many bytes a second (null: as fast as they come), so an upload lasts long enough to watch. */
  throttleAppends(bytesPerSecond: number | null): void;
  close(): Promise<void>;
}

/** X's limits the mock enforces (docs.x.com: counting-characters, openapi.json, media best-practices). */
const maxWeightedLength = 280;
const maxMediaPerPost = 4;
const maxAltTextLength = 1000;
const maxImageBytes = 5 * 1024 * 1024;
const rateWindowMs = 15 * 60 * 1000;
/** APPEND's `media`: "It must be <= 5 MB" (docs.x.com, media upload APPEND). */
const maxSegmentBytes = 5 * 1024 * 1024;
/** `tweet_video` up to 512 MB (media best practices). */
const maxVideoBytes = 512 * 1024 * 1024;

/** The media upload operations the contract checks (openapi.json paths). */
const mediaOperations = [
  { method: 'POST', path: '/2/media/upload/initialize' },
  { method: 'POST', path: '/2/media/upload/{id}/append' },
  { method: 'POST', path: '/2/media/upload/{id}/finalize' },
  { method: 'GET', path: '/2/media/upload' },
];
/** The post operations the contract checks as well. */
const postOperations = [
  { method: 'POST', path: '/2/tweets' },
  { method: 'GET', path: '/2/users/{id}/tweets' },
];
let sharedContract: OpenApiContract | undefined;
const xContract = () => (sharedContract ??= compileOpenApiContract(readSharedSpec('x-v2.openapi.json'), [...mediaOperations, ...postOperations]));

/** Requests per 15 minutes per user (docs.x.com, x-api/fundamentals/rate-limits). */
const defaultEndpointLimits: Record<string, number> = {
  'GET /2/users/me': 75,
  'POST /2/media/upload': 500,
  'POST /2/media/metadata': 500,
  'POST /2/tweets': 100,
};

const invalidRequest = (message: string, parameters: Record<string, unknown> = {}) => ({
  errors: [{ parameters, message }],
  title: 'Invalid Request',
  detail: 'One or more parameters to your request was invalid.',
  type: 'https://api.x.com/2/problems/invalid-request',
});

export async function startXServer(options: OAuthServerOptions = {}): Promise<XServer> {
  const tweets: XServer['tweets'] = [];
  const media: XServer['media'] = [];
  const endpointLimits = { ...defaultEndpointLimits };
  const requests: XServer['requests'] = [];
  const mediaOwners = new Map<string, string>();
  const faults = new Map<string, InjectedFault & { times: number }>();
  const windows = new Map<string, { resetAt: number; used: number }>();
  const userIds = new Map<string, string>();
  // X ids are 64-bit snowflakes, sent as strings (JavaScript cannot hold them as numbers).
  let nextId = 1_880_000_000_000_000_000n;
  const newId = () => String(nextId++);
  const videoUploads: XVideoUpload[] = [];
  const segmentBytes = new Map<string, Map<number, Buffer>>();
  const violations: string[] = [];
  const mediaFaults = new Map<XMediaStep, InjectedFault & { segment?: number; times: number }>();
  let processing: XVideoProcessing = { pollsBeforeDone: 1, checkAfterSecs: 1 };
  const processingOf = new Map<string, XVideoProcessing & { polls: number }>();
  let expiresAfterSecs = 86_400;
  let dropAppendAfter: number | undefined;
  let appendRate: number | null = null;
  const contract = xContract();

  let oauth!: TestOAuthServer;

  const apiRoutes = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
    if (await answerProfilePicture(url, response, '/profile_images/')) return true;
    if (!url.pathname.startsWith('/2/')) return false;
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname });
    if (dropAppendAfter !== undefined && method === 'POST' && /^\/2\/media\/upload\/[^/]+\/append$/.test(url.pathname)) {
      // A connection lost mid-request: part of the body arrives, then nothing, and no answer.
      const after = dropAppendAfter;
      dropAppendAfter = undefined;
      let received = 0;
      for await (const chunk of request) {
        received += (chunk as Buffer).length;
        if (received >= after) break;
      }
      request.socket.destroy();
      return true;
    }
    const raw = appendRate !== null && /^\/2\/media\/upload\/[^/]+\/append$/.test(url.pathname) ? await readSlowly(request, appendRate) : await readBody(request);

    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ? await oauth.findAccessToken(bearer) : undefined;
    // A media id in the path is one endpoint's, as X counts them: `POST /2/media/upload/:id/append`.
    const endpoint = `${method} ${url.pathname.replace(/^\/2\/media\/upload\/\d+\//, '/2/media/upload/:id/')}`;
    const rate = rateHeaders(token?.accountId ?? 'anonymous', endpoint);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const type = status < 400 ? 'application/json; charset=utf-8' : 'application/problem+json';
      response.writeHead(status, { 'content-type': type, ...rate.headers, ...headers }).end(JSON.stringify(body));
      return true;
    };

    const fault = faults.get(url.pathname);
    if (fault && fault.after !== undefined && fault.after > 0) fault.after--;
    else if (fault) {
      if (--fault.times <= 0) faults.delete(url.pathname);
      return answer(fault.status, fault.body ?? {}, fault.headers);
    }
    if (!token) return answer(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    if (rate.exceeded) {
      return answer(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'https://api.x.com/2/problems/rate-limit-exceeded', status: 429 });
    }
    const granted = new Set((token.scope ?? '').split(' '));
    const missing = (...scopes: string[]) => {
      const lacking = scopes.filter((scope) => !granted.has(scope));
      if (lacking.length === 0) return false;
      answer(403, {
        title: 'Forbidden',
        type: 'https://api.x.com/2/problems/client-forbidden',
        status: 403,
        detail: `The access token lacks the ${lacking.join(', ')} scope.`,
      });
      return true;
    };
    const userId = userIdOf(token.accountId);

    if (url.pathname.startsWith('/2/media/upload/') || (method === 'GET' && url.pathname === '/2/media/upload')) {
      return mediaUpload(request, url, raw, userId, answer, missing);
    }

    if (endpoint === 'GET /2/users/me') {
      if (missing('users.read', 'tweet.read')) return true;
      const fields = (url.searchParams.get('user.fields') ?? '').split(',');
      const picture = fields.includes('profile_image_url') ? { profile_image_url: `${url.origin}/profile_images/${userId}/normal.png` } : {};
      return answer(200, { data: { id: userId, name: displayNameOf(token.accountId), username: token.accountId, ...picture } });
    }

    if (endpoint === 'POST /2/media/upload') {
      if (missing('media.write')) return true;
      const contentType = request.headers['content-type'] ?? '';
      if (!contentType.startsWith('multipart/form-data')) return answer(400, invalidRequest('The request must be multipart/form-data.'));
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      const file = form.get('media');
      const category = form.get('media_category');
      if (!file || typeof file === 'string') return answer(400, invalidRequest('The `media` field is required.', { media: [] }));
      if (typeof category !== 'string' || !['tweet_image', 'tweet_gif', 'tweet_video', 'dm_image', 'dm_gif', 'dm_video', 'subtitles'].includes(category)) {
        return answer(400, invalidRequest('`media_category` must be one of tweet_image, tweet_gif, tweet_video, dm_image, dm_gif, dm_video, subtitles.'));
      }
      if (category === 'tweet_image' && file.size > maxImageBytes) {
        return answer(400, invalidRequest(`File size exceeds ${maxImageBytes} bytes.`, { media: [file.size] }));
      }
      const id = newId();
      media.push({ id, altText: null, size: file.size, category });
      mediaOwners.set(id, userId);
      return answer(200, { data: { id, media_key: `3_${id}`, size: file.size, expires_after_secs: 86_400 } });
    }

    if (endpoint === 'POST /2/media/metadata') {
      if (missing('media.write')) return true;
      const body = parseJson(raw) as { id?: unknown; metadata?: { alt_text?: { text?: unknown } } } | undefined;
      const id = typeof body?.id === 'string' ? body.id : undefined;
      const text = body?.metadata?.alt_text?.text;
      const item = id ? media.find((m) => m.id === id) : undefined;
      if (!item || mediaOwners.get(item.id) !== userId) return answer(400, invalidRequest('The media id is invalid.', { id: [id] }));
      if (typeof text !== 'string' || [...text].length > maxAltTextLength) {
        return answer(400, invalidRequest(`\`metadata.alt_text.text\` must be at most ${maxAltTextLength} characters.`));
      }
      item.altText = text;
      return answer(200, { data: { associated_metadata: true, id: item.id } });
    }

    const postRequest = endpoint === 'POST /2/tweets' || (method === 'GET' && /^\/2\/users\/[^/]+\/tweets$/.test(url.pathname));
    if (postRequest) {
      const checked = contract.check({ method, path: url.pathname, query: url.searchParams, contentType: request.headers['content-type'] ?? '', rawBody: raw });
      if (checked.problems.length > 0) {
        violations.push(`${method} ${url.pathname}: ${checked.problems.join('; ')}`);
        return answer(400, invalidRequest(checked.problems.join('; ')));
      }
    }

    if (endpoint === 'POST /2/tweets') {
      if (missing('tweet.read', 'tweet.write', 'users.read')) return true;
      const body = parseJson(raw) as { text?: unknown; media?: { media_ids?: unknown }; reply?: { in_reply_to_tweet_id?: unknown } } | undefined;
      if (!body) return answer(400, invalidRequest('The body must be JSON.'));
      const text = typeof body.text === 'string' ? body.text : '';
      const mediaIds = body.media === undefined ? [] : body.media.media_ids;
      if (!Array.isArray(mediaIds) || mediaIds.some((id) => typeof id !== 'string')) {
        return answer(400, invalidRequest('`media.media_ids` must be an array of strings.'));
      }
      if (body.media !== undefined && (mediaIds.length < 1 || mediaIds.length > maxMediaPerPost)) {
        return answer(400, invalidRequest(`\`media.media_ids\` size must be between 1 and ${maxMediaPerPost}.`, { 'media.media_ids': mediaIds }));
      }
      if (mediaIds.some((id) => mediaOwners.get(id as string) !== userId)) {
        return answer(400, invalidRequest('Your media IDs are invalid.', { 'media.media_ids': mediaIds }));
      }
      // A video goes into a post only once X has processed it (media-upload-chunked, STATUS).
      if (mediaIds.some((id) => videoUploads.some((u) => u.id === id && u.state !== 'succeeded'))) {
        return answer(400, invalidRequest('Your media IDs are invalid: a video is not processed yet, or its processing failed.', { 'media.media_ids': mediaIds }));
      }
      if (!text.trim() && mediaIds.length === 0) return answer(400, invalidRequest('A post needs text or media.', { text: [] }));
      if (twitterText.parseTweet(text).weightedLength > maxWeightedLength) {
        // X's own words for it (seen in the wild: gundogan8/FotBot#22, through tweepy's create_tweet).
        return answer(400, {
          title: 'Invalid Request',
          type: 'https://api.x.com/2/problems/invalid-request',
          status: 400,
          detail: 'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.',
        });
      }
      if (text.trim() && tweets.some((t) => t.userId === userId && t.text === text)) {
        return answer(403, { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'You are not allowed to create a Tweet with duplicate content.' });
      }
      const inReplyToId = body.reply?.in_reply_to_tweet_id as string | undefined;
      if (inReplyToId !== undefined && !tweets.some((t) => t.id === inReplyToId)) {
        return answer(403, { title: 'Forbidden', type: 'about:blank', status: 403, detail: 'You attempted to reply to a Tweet that is deleted or not visible to you.' });
      }
      const tweet = { id: newId(), text, mediaIds: mediaIds as string[], userId, createdAt: Date.now(), ...(inReplyToId !== undefined ? { inReplyToId } : {}) };
      tweets.push(tweet);
      return answer(201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } });
    }

    // GET /2/users/:id/tweets (the user's posts timeline, openapi.json `usersIdTweets`): newest
    // first, `max_results` 5–100, `start_time` as ISO 8601. X rewrites every URL in a post's text
    // to a t.co link and escapes &, < and > as HTML entities, as real timelines show.
    const timeline = /^\/2\/users\/([^/]+)\/tweets$/.exec(url.pathname);
    if (method === 'GET' && timeline) {
      if (missing('tweet.read', 'users.read')) return true;
      const max = Number(url.searchParams.get('max_results') ?? 10);
      if (!Number.isInteger(max) || max < 5 || max > 100) return answer(400, invalidRequest('`max_results` must be between 5 and 100.'));
      const since = url.searchParams.has('start_time') ? Date.parse(url.searchParams.get('start_time')!) : 0;
      if (Number.isNaN(since)) return answer(400, invalidRequest('`start_time` must be an ISO 8601 time.'));
      const withConversation = (url.searchParams.get('post.fields') ?? '').split(',').includes('conversation_id');
      const conversationOf = (tweet: (typeof tweets)[number]): string => {
        const parent = tweet.inReplyToId === undefined ? undefined : tweets.find((t) => t.id === tweet.inReplyToId);
        return parent ? conversationOf(parent) : tweet.id;
      };
      const posts = tweets
        .filter((t) => t.userId === timeline[1] && t.createdAt >= since)
        .reverse()
        .slice(0, max)
        .map((t, index) => ({
          id: t.id,
          text: t.text.replace(/https?:\/\/\S+/g, () => `https://t.co/${String(index).padStart(10, 'x')}`).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
          edit_history_tweet_ids: [t.id],
          ...(withConversation ? { conversation_id: conversationOf(t) } : {}),
        }));
      return answer(200, posts.length > 0 ? { data: posts, meta: { result_count: posts.length } } : { meta: { result_count: 0 } });
    }

    return answer(404, { title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found', status: 404, detail: `No route for ${endpoint}.` });
  };

  /** The chunked upload's four operations, checked against the description first. */
  async function mediaUpload(
    request: IncomingMessage,
    url: URL,
    raw: Buffer,
    userId: string,
    answer: (status: number, body: unknown, headers?: Record<string, string>) => boolean,
    missing: (...scopes: string[]) => boolean,
  ): Promise<boolean> {
    const method = request.method ?? 'GET';
    const contentType = request.headers['content-type'] ?? '';
    let form: FormData | undefined;
    if (contentType.startsWith('multipart/form-data')) {
      form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    }
    const formFields = form ? Object.fromEntries([...form.entries()].map(([name, value]) => [name, typeof value === 'string' ? value : value.name || 'blob'])) : undefined;
    const checked = contract.check({ method, path: url.pathname, query: url.searchParams, contentType, rawBody: raw, ...(formFields ? { formFields } : {}) });
    const operation: OperationMatch | undefined = checked.operation;
    const refuse = (problems: string[]) => {
      violations.push(`${method} ${url.pathname}: ${problems.join('; ')}`);
      return answer(operation ? 400 : 404, invalidRequest(problems.join('; ')));
    };
    if (!operation) return refuse(checked.problems);
    if (checked.problems.length > 0) return refuse(checked.problems);
    if (missing('media.write')) return true;
    const reply = (status: number, body: unknown) => {
      // X's docs show `processing_info.error` on a failed processing; the description leaves it
      // out of `processing_info` (additionalProperties: false), so it is checked without it.
      const described = structuredClone(body) as { data?: { processing_info?: { error?: unknown } } };
      delete described.data?.processing_info?.error;
      for (const problem of contract.checkResponse(operation, status, described)) violations.push(`mock's own answer: ${problem}`);
      return answer(status, body);
    };
    const step: XMediaStep =
      operation.template === '/2/media/upload/initialize' ? 'initialize' : operation.template === '/2/media/upload' ? 'status' : operation.template.endsWith('/append') ? 'append' : 'finalize';
    const segmentField = form?.get('segment_index');
    const segment = typeof segmentField === 'string' ? Number(segmentField) : undefined;
    const fault = mediaFaults.get(step);
    if (fault && (fault.segment === undefined || fault.segment === segment)) {
      if (--fault.times <= 0) mediaFaults.delete(step);
      return answer(fault.status, fault.body ?? {}, fault.headers);
    }

    if (step === 'initialize') {
      const body = parseJson(raw) as { media_type?: string; total_bytes?: number; media_category?: string };
      if (!body.media_type || body.total_bytes === undefined) return answer(400, invalidRequest('`media_type` and `total_bytes` are required.'));
      const category = body.media_category ?? 'tweet_video';
      if (category === 'tweet_video' && (!body.media_type.startsWith('video/') || body.total_bytes > maxVideoBytes || body.total_bytes < 1)) {
        return answer(400, invalidRequest(`A tweet_video must be a video of 1 to ${maxVideoBytes} bytes.`, { total_bytes: [body.total_bytes] }));
      }
      const id = newId();
      videoUploads.push({ id, userId, mediaType: body.media_type, category, totalBytes: body.total_bytes, appends: [], sha256: null, state: 'uploading', expiresAt: Date.now() + expiresAfterSecs * 1000 });
      segmentBytes.set(id, new Map());
      return reply(200, { data: { id, media_key: `7_${id}`, expires_after_secs: expiresAfterSecs } });
    }

    const id = step === 'status' ? url.searchParams.get('media_id')! : operation.pathParams.id!;
    const upload = videoUploads.find((u) => u.id === id && u.userId === userId && segmentBytes.has(id));
    if (!upload || upload.expiresAt <= Date.now()) {
      return answer(404, {
        title: 'Not Found Error',
        type: 'https://api.x.com/2/problems/resource-not-found',
        detail: `Could not find media with id: [${id}].`,
        resource_type: 'media',
        resource_id: id,
        parameter: 'id',
        value: id,
      });
    }
    const segments = segmentBytes.get(id)!;

    if (step === 'append') {
      if (upload.state !== 'uploading') return answer(400, invalidRequest('This media upload is already finalized.', { id: [id] }));
      const media = form?.get('media');
      if (!media || typeof media === 'string') return answer(400, invalidRequest('The `media` field is required.', { media: [] }));
      if (media.size > maxSegmentBytes) return answer(400, invalidRequest(`Each segment must be at most ${maxSegmentBytes} bytes.`, { media: [media.size] }));
      segments.set(segment!, Buffer.from(await media.arrayBuffer()));
      upload.appends.push({ segment: segment!, bytes: media.size });
      return reply(200, { data: { expires_at: Math.floor(upload.expiresAt / 1000) } });
    }

    if (step === 'finalize') {
      if (upload.state === 'uploading') {
        const indexes = [...segments.keys()].sort((a, b) => a - b);
        const joined = Buffer.concat(indexes.map((index) => segments.get(index)!));
        if (indexes.some((index, position) => index !== position) || joined.length !== upload.totalBytes) {
          return answer(400, invalidRequest(`Segments 0..n-1 must add up to total_bytes (${upload.totalBytes}); got segments [${indexes.join(', ')}] of ${joined.length} bytes.`));
        }
        upload.sha256 = crypto.createHash('sha256').update(joined).digest('hex');
        mediaOwners.set(id, userId);
        media.push({ id, altText: null, size: upload.totalBytes, category: upload.category });
        upload.state = 'pending';
        processingOf.set(id, { ...processing, polls: 0 });
      }
      return reply(200, { data: { id, media_key: `7_${id}`, size: upload.totalBytes, expires_after_secs: Math.max(0, Math.floor((upload.expiresAt - Date.now()) / 1000)), ...processingInfo(upload) } });
    }

    // STATUS: in_progress for as many polls as set, then the outcome.
    const plan = processingOf.get(id);
    if (plan && (upload.state === 'pending' || upload.state === 'in_progress')) {
      upload.state = ++plan.polls > plan.pollsBeforeDone ? (plan.fails ? 'failed' : 'succeeded') : 'in_progress';
    }
    return reply(200, { data: { id, media_key: `7_${id}`, size: upload.totalBytes, ...processingInfo(upload) } });
  }

  function processingInfo(upload: XVideoUpload): Record<string, unknown> {
    const plan = processingOf.get(upload.id);
    if (!plan || upload.state === 'uploading') return {};
    if (upload.state === 'succeeded') return { processing_info: { state: 'succeeded', progress_percent: 100 } };
    if (upload.state === 'failed') return { processing_info: { state: 'failed', progress_percent: 100, error: plan.fails } };
    return {
      processing_info: {
        state: upload.state,
        check_after_secs: plan.checkAfterSecs,
        progress_percent: upload.state === 'pending' ? 0 : Math.round((100 * plan.polls) / (plan.pollsBeforeDone + 1)),
      },
    };
  }

  /** One request against the user's 15-minute window for this endpoint; the headers to send. */
  function rateHeaders(user: string, endpoint: string): { headers: Record<string, string>; exceeded: boolean } {
    const limit = endpointLimits[endpoint] ?? 300;
    const key = `${user} ${endpoint}`;
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { resetAt: now + rateWindowMs, used: 0 };
      windows.set(key, window);
    }
    window.used++;
    return {
      exceeded: window.used > limit,
      headers: {
        'x-rate-limit-limit': String(limit),
        'x-rate-limit-remaining': String(Math.max(0, limit - window.used)),
        'x-rate-limit-reset': String(Math.floor(window.resetAt / 1000)),
      },
    };
  }

  function userIdOf(accountId: string): string {
    let id = userIds.get(accountId);
    if (!id) userIds.set(accountId, (id = newId()));
    return id;
  }

  oauth = await startOAuthServer({
    ...options,
    apiRoutes: async (request, response, url) => (await apiRoutes(request, response, url)) || ((await options.apiRoutes?.(request, response, url)) ?? false),
  });

  return {
    oauth,
    env: {
      LOCALPOST_X_AUTHORIZE_URL: oauth.endpoints.authorizeUrl,
      LOCALPOST_X_TOKEN_URL: oauth.endpoints.tokenUrl,
      LOCALPOST_X_REVOKE_URL: oauth.endpoints.revokeUrl,
      LOCALPOST_X_API_BASE: oauth.endpoints.apiBase,
      LOCALPOST_X_ISSUER: oauth.endpoints.issuer,
    },
    tweets,
    media,
    requests,
    injectFault: (path, fault) => void faults.set(path, { ...fault, times: fault.times ?? 1 }),
    videoUploads,
    violations,
    setVideoProcessing: (next) => void (processing = { ...processing, ...next }),
    setMediaExpiresAfterSecs: (seconds) => void (expiresAfterSecs = seconds),
    injectMediaFault: (step, fault) => void mediaFaults.set(step, { ...fault, times: fault.times ?? 1 }),
    dropNextAppend: (afterBytes) => void (dropAppendAfter = afterBytes),
    forgetUpload: (id) => void segmentBytes.delete(id),
    throttleAppends: (bytesPerSecond) => void (appendRate = bytesPerSecond),
    setEndpointLimit(endpoint, limit) {
      endpointLimits[endpoint] = limit;
      for (const key of windows.keys()) if (key.endsWith(` ${endpoint}`)) windows.delete(key);
    },
    close: () => oauth.close(),
  };
}

/** The whole body, taken no faster than `bytesPerSecond`: the client's sending waits on it (TCP flow control). */
async function readSlowly(request: IncomingMessage, bytesPerSecond: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
    await new Promise((resolve) => setTimeout(resolve, (1000 * (chunk as Buffer).length) / bytesPerSecond));
  }
  return Buffer.concat(chunks);
}

function displayNameOf(accountId: string): string {
  return accountId.charAt(0).toUpperCase() + accountId.slice(1);
}


