/**
 * Pinterest for tests: the real OAuth server of `oauthServer.ts` (oidc-provider on 127.0.0.1)
 * configured like Pinterest's, plus a contract mock of the API v5 operations Localpost uses, on
 * two "hosts" of one server: production at `/v5` (api.pinterest.com/v5) and the API sandbox at
 * `/sandbox/v5` (api-sandbox.pinterest.com/v5, developers.pinterest.com/docs/developer-tools/sandbox/).
 *
 * Every request is checked against Pinterest's own OpenAPI description (pinterest/api-description
 * `v5/openapi.json`, read from ../shared/specs/; see openApiContract.ts): path, method, query and
 * body. A request the description does not allow answers 400 `{ code, message }` (the
 * description's `Error` shape) and is recorded in `violations`, which a test asserts is empty.
 * Pinterest's rules that its description leaves out are enforced on top and recorded the same way,
 * marked "(Pinterest rule beyond its description)". The mock checks its own successful answers
 * against the description's response schemas as well, and records a mismatch as a violation.
 *
 * OAuth, as Pinterest documents it (developers.pinterest.com/docs/getting-started/set-up-authentication-and-authorization/
 * and the description's `pinterest_oauth2` and `/oauth/token`):
 * - authorize at `/oauth/` (www.pinterest.com/oauth/), scopes comma-separated (spaces accepted too);
 * - token at `/v5/oauth/token` with HTTP Basic client authentication (the description's `basic`
 *   security scheme), form `grant_type=authorization_code&code&redirect_uri`, or
 *   `grant_type=refresh_token&refresh_token[&scope]`;
 * - no PKCE: the description's token request has no `code_verifier`, so none is required (one sent
 *   consistently still works: oidc-provider verifies what it is given);
 * - access tokens for 30 days; "continuous refresh" refresh tokens: 60 days, and every refresh
 *   answers a new one (the `/oauth/token` description: "continuous refresh token (60-day
 *   expiration, refreshable indefinitely)", the default for apps created since 2025-09-25). The
 *   answer carries `response_type`, `refresh_token_expires_in` and `refresh_token_expires_at`
 *   (`OauthAccessTokenResponseCode` / `...Refresh`).
 * - A token belongs to the host whose token endpoint issued it: a production token is refused by
 *   the sandbox and the other way round (the sandbox has tokens of its own).
 *
 * Video pins (the description's `media/create`, `media/get`, `PinMediaSourceVideoID`, and
 * developers.pinterest.com/docs/api-features/creating-boards-and-pins/#creating-video-pins):
 * `POST /v5/media {media_type: "video"}` registers an upload and answers `upload_url` (an S3
 * presigned POST, served here at `/pinterest-media-upload/`, or `uploadUrl`) and its
 * `upload_parameters`. The upload is a `multipart/form-data` POST with every parameter and then
 * the `file`, checked as S3 checks a presigned POST (AWS S3 API, "POST Object" and "Browser-based
 * uploads using POST": fields after the file are ignored, each policy field must match, the policy
 * must not have expired), answered 204, or an S3 XML error. The media is then `processing` until
 * `succeeded` (or `failed`), as `videoProcessing` says; `GET /v5/media/{media_id}` says which, and
 * a pin may name it (`source_type: "video_id"`, with a cover) once it has succeeded. Faults: an
 * upload's connection dropped (`dropNextUpload`) or answered with an S3 error (`failNextUpload`).
 *
 * Access tiers (developers.pinterest.com/docs/key-concepts/access-tiers/): with `access: 'trial'`,
 * production refuses `POST /v5/pins` with code 29, "Apps with Trial access may not create Pins in
 * production ... use API Sandbox ..." (Pinterest's words as users report them), while the sandbox
 * creates it. Trial apps get 1,000 requests a day in all; Standard apps a budget per user and per
 * rate-limit category (the description's `x-ratelimit-category`, developers.pinterest.com/docs/reference/rate-limits/).
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readMultipart, type ReceivedFile } from './multipartReader';
import { compileOpenApiContract, readSharedSpec, type OpenApiContract, type OperationMatch } from './openApiContract';
import { startOAuthServer, type InjectedFault, type TestOAuthServer } from './oauthServer';
import { parseJson, readBody } from './requestBody';
import { answerProfilePicture } from './profilePictures';

export type PinterestHost = 'production' | 'sandbox';
export type PinterestAccess = 'standard' | 'trial';

export interface PinterestServerOptions {
  /** The app's access tier (default standard). */
  access?: PinterestAccess;
  /** Access token lifetime in seconds (Pinterest: 30 days). */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime in seconds (Pinterest's continuous refresh: 60 days). */
  refreshTokenTtlSeconds?: number;
  /** The app's registered redirect port (exact, as Pinterest matches it); free by default. */
  fixedRedirectPort?: number;
  /** The `upload_url` `POST /v5/media` answers; this server's own S3 stand-in by default. */
  uploadUrl?: string;
}

/** A registered media upload (the description's `Media`), and what its S3 upload brought. */
export interface PinterestMedia {
  host: PinterestHost;
  id: string;
  status: 'registered' | 'processing' | 'succeeded' | 'failed';
  /** The presigned POST's fields, as answered in `upload_parameters`. */
  uploadParameters: Record<string, string>;
  policyExpiresAt: number;
  /** The file as S3 stored it, once a POST succeeded. */
  file?: ReceivedFile;
  /** The form's field names in the order they arrived, the file's included. */
  fieldOrder?: string[];
  uploads: number;
  statusReads: number;
  processing?: VideoProcessing;
}

/** After its upload a video is `processing` until `reads` status reads said so; then `succeeded`, or `failed` with `fails`. */
export interface VideoProcessing {
  reads?: number;
  fails?: boolean;
}

export interface PinterestBoard {
  host: PinterestHost;
  id: string;
  name: string;
  description: string | null;
  privacy: 'PUBLIC' | 'PROTECTED' | 'SECRET';
  createdAt: string;
}

export interface PinterestPin {
  host: PinterestHost;
  id: string;
  boardId: string;
  title: string | null;
  description: string | null;
  altText: string | null;
  link: string | null;
  mediaSource: { sourceType: string; contentType?: string; bytes?: number; url?: string; mediaId?: string; coverKeyFrameTime?: number; coverImageUrl?: string };
  createdAt: string;
}

export interface PinterestRequestRecord {
  host: PinterestHost;
  method: string;
  /** The full path as sent ('/sandbox/v5/pins'). */
  path: string;
  query: string;
  /** The parsed JSON or form body, or the raw text when it is neither. */
  body: unknown;
}

export interface PinterestServer {
  oauth: TestOAuthServer;
  origin: string;
  /** LOCALPOST_PINTEREST_AUTHORIZE_URL, _TOKEN_URL, _API_BASE, _SANDBOX_TOKEN_URL, _SANDBOX_API_BASE → this server. */
  env: Record<string, string>;
  /** The registered app: confidential, HTTP Basic at the token endpoint, one exact redirect URI. */
  client: { clientId: string; clientSecret: string; redirectUri: string };
  boards: PinterestBoard[];
  pins: PinterestPin[];
  media: PinterestMedia[];
  /** Every request to either host's `/v5` (token endpoint included) and every upload, in order. */
  requests: PinterestRequestRecord[];
  /** Requests the description (or a Pinterest rule beyond it) does not allow, and answers of the mock's own that do not match it. */
  violations: string[];
  /** Milliseconds spent compiling the validators (once per process; 0 after the first server). */
  compileMs: number;
  /** The next `times` (default 1) requests to this full path ('/v5/pins') get this answer instead, after the contract check. */
  injectFault(path: string, fault: InjectedFault): void;
  /** The next request to this full path is carried out (a pin is created) but its connection is reset instead of answered. */
  loseNextAnswer(path: string): void;
  /** Requests allowed per window for a budget: 'trial' (all requests of a Trial app), or a category such as 'org_write'. */
  setRateLimit(budget: string, limit: number, windowMs: number): void;
  setAccess(access: PinterestAccess): void;
  /** How videos uploaded from now on are processed; by default `succeeded` once one status read said `processing`. */
  setVideoProcessing(processing: VideoProcessing): void;
  /** The next upload is read whole, then its connection reset with no answer; nothing is stored. */
  dropNextUpload(): void;
  /** The next upload is answered with this S3 error (`<Error><Code>…`) instead. */
  failNextUpload(status: number, code: string, message: string): void;
  /** Each upload's answer waits this long from now on, so an upload lasts long enough to be watched. */
  setUploadDelay(ms: number): void;
  /** A board of the test account on a host, as if made on pinterest.com. */
  addBoard(host: PinterestHost, name: string, privacy?: PinterestBoard['privacy']): PinterestBoard;
  close(): Promise<void>;
}

/** Pinterest's scopes (the description's `pinterest_oauth2` flow). */
const pinterestScopes = [
  'boards:read',
  'boards:read_secret',
  'boards:write',
  'boards:write_secret',
  'pins:read',
  'pins:read_secret',
  'pins:write',
  'pins:write_secret',
  'user_accounts:read',
];

const apiPrefixes: Array<[string, PinterestHost]> = [
  ['/sandbox/v5', 'sandbox'],
  ['/v5', 'production'],
];
/** The provider's own token endpoint, reached only through the two hosts' `/v5/oauth/token`. */
const providerTokenPath = '/provider/oauth/token';
const authorizePath = '/oauth/';

const servedOperations = [
  { method: 'POST', path: '/oauth/token' },
  { method: 'GET', path: '/user_account' },
  { method: 'GET', path: '/boards' },
  { method: 'POST', path: '/boards' },
  { method: 'POST', path: '/pins' },
  { method: 'GET', path: '/pins/{pin_id}' },
  { method: 'GET', path: '/boards/{board_id}/pins' },
  { method: 'POST', path: '/media' },
  { method: 'GET', path: '/media/{media_id}' },
];
/** Where this server stands in for the S3 bucket Pinterest's `upload_url` names. */
const uploadPath = '/pinterest-media-upload/';

let sharedContract: OpenApiContract | undefined;
/** The validators, compiled once per process (the description is 2 MB; only these operations are compiled). */
function pinterestContract(): { contract: OpenApiContract; compileMs: number } {
  if (sharedContract) return { contract: sharedContract, compileMs: 0 };
  const started = performance.now();
  sharedContract = compileOpenApiContract(readSharedSpec('pinterest-v5.openapi.json'), servedOperations);
  return { contract: sharedContract, compileMs: performance.now() - started };
}

// Pinterest's error bodies. The description fixes the shape `{ code, message }`; the codes and
// words below are the ones Pinterest is documented or reported to send, where known.
/** Bad or unknown token (reported: `{"code":2,"message":"Authentication failed."}`). */
const authenticationFailed = { code: 2, message: 'Authentication failed.' };
/** The trial refusal, word for word as Pinterest answers it to a Trial app. */
const trialRefusal = {
  code: 29,
  message: 'Apps with Trial access may not create Pins in production https://api.pinterest.com - use API Sandbox https://api-sandbox.pinterest.com instead.',
};
/** The description's own example for GET /boards/{board_id}/pins. */
const boardNotFound = { code: 404, message: 'Board not found.' };
const pinNotFound = { code: 404, message: 'Pin not found.' };
// Not found in Pinterest's material: the code numbers of these three are the mock's guess.
const rateLimited = { code: 8, message: 'You have exceeded your rate limit. Try again later.' };
const missingScopes = (scopes: string[]) => ({ code: 3, message: `Authorization failed. The token lacks ${scopes.join(', ')}.` });
const invalidParameters = (message: string) => ({ code: 1, message });
const mediaNotFound = { code: 404, message: 'Media upload not found.' };
// Pinterest's words for a pin naming a video not ready, or with no cover, are not in its material: the mock's guess.
const mediaNotReady = (status: string) => invalidParameters(`The video is not ready to be pinned (its upload is ${status}).`);
const coverMissing = invalidParameters('A video pin needs a cover: cover_image_url, cover_image_data or cover_image_key_frame_time.');

const day = 24 * 60 * 60;

export async function startPinterestServer(options: PinterestServerOptions = {}): Promise<PinterestServer> {
  const { contract, compileMs } = pinterestContract();
  const accessTokenTtl = options.accessTokenTtlSeconds ?? 30 * day;
  const refreshTokenTtl = options.refreshTokenTtlSeconds ?? 60 * day;
  let access: PinterestAccess = options.access ?? 'standard';

  const boards: PinterestBoard[] = [];
  const pins: PinterestPin[] = [];
  const requests: PinterestRequestRecord[] = [];
  const violations: string[] = [];
  const faults = new Map<string, InjectedFault & { times: number }>();
  const lostAnswers = new Set<string>();
  const media: PinterestMedia[] = [];
  let videoProcessing: VideoProcessing = { reads: 1 };
  let dropUpload = false;
  let uploadFault: { status: number; code: string; message: string } | undefined;
  let uploadDelayMs = 0;
  /** The bucket's signing key: a presigned POST's signature is checked as S3 would (SigV4's HMAC over the policy). */
  const signingKey = crypto.randomBytes(32);
  const sign = (policy: string) => crypto.createHmac('sha256', signingKey).update(policy).digest('hex');
  /** A media's status now: `processing` until its rule's reads have passed. */
  const settle = (item: PinterestMedia) => {
    if (item.status === 'processing' && item.statusReads >= (item.processing?.reads ?? 0)) item.status = item.processing?.fails ? 'failed' : 'succeeded';
  };
  /** Which host issued each access and refresh token. */
  const tokenHosts = new Map<string, PinterestHost>();
  const budgets: Record<string, { limit: number; windowMs: number }> = {
    trial: { limit: 1000, windowMs: day * 1000 },
    org_read: { limit: 1000, windowMs: 60_000 },
    org_write: { limit: 100, windowMs: 60_000 },
  };
  const windows = new Map<string, { resetAt: number; used: number }>();
  // Pinterest ids are decimal strings (the description's `^\d+$`), 18–19 digits.
  let nextId = 1_090_000_000_000_000_000n;
  const newId = () => String(nextId++);
  const accountId = '549755885175';

  let oauth!: TestOAuthServer;
  let origin = '';

  const addBoard = (host: PinterestHost, name: string, privacy: PinterestBoard['privacy'] = 'PUBLIC') => {
    const board: PinterestBoard = { host, id: newId(), name, description: null, privacy, createdAt: new Date().toISOString() };
    boards.push(board);
    return board;
  };

  const apiRoutes = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
    if (await answerProfilePicture(url, response, '/images/')) return true;
    // Pinterest documents `scope` as comma-separated; the provider reads spaces.
    if (url.pathname === authorizePath && url.searchParams.get('scope')?.includes(',')) {
      url.searchParams.set('scope', url.searchParams.get('scope')!.split(',').join(' '));
      request.url = url.pathname + url.search;
      return false;
    }
    if (url.pathname === uploadPath) return s3Upload(request, response);
    const prefix = apiPrefixes.find(([base]) => url.pathname === base || url.pathname.startsWith(`${base}/`));
    if (!prefix) return false;
    const [base, host] = prefix;
    const method = request.method ?? 'GET';
    const relative = url.pathname.slice(base.length) || '/';
    const raw = await readBody(request);
    const contentType = request.headers['content-type'];
    requests.push({ host, method, path: url.pathname, query: url.search, body: parseBody(raw, contentType) });

    let operation: OperationMatch | undefined;
    let rate: Record<string, string> = {};
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (operation && status < 300) {
        for (const problem of contract.checkResponse(operation, status, body)) violations.push(`mock's own answer: ${problem}`);
      }
      if (lostAnswers.delete(url.pathname)) {
        // The work is done; the answer never arrives (a dropped connection after the server acted).
        request.socket.destroy();
        return true;
      }
      response.writeHead(status, { 'content-type': 'application/json', ...rate, ...headers }).end(JSON.stringify(body));
      return true;
    };
    const refuse = (status: number, problems: string[]) => {
      violations.push(`${host} ${method} ${url.pathname}: ${problems.join('; ')}`);
      return answer(status, invalidParameters(problems.join('; ')));
    };

    const checked = contract.check({ method, path: relative, query: url.searchParams, contentType, rawBody: raw });
    operation = checked.operation;
    if (!operation) return refuse(404, checked.problems);
    if (checked.problems.length > 0) return refuse(400, checked.problems);
    const beyond = pinterestRulesBeyondDescription(operation, parseBody(raw, contentType));
    if (beyond.length > 0) return refuse(400, beyond.map((rule) => `${rule} (Pinterest rule beyond its description)`));

    const fault = faults.get(url.pathname);
    if (fault) {
      if (--fault.times <= 0) faults.delete(url.pathname);
      return answer(fault.status, fault.body ?? {}, fault.headers);
    }

    if (operation.template === '/oauth/token') return exchangeToken(host, request, raw, answer, (problem) => refuse(401, [problem]));

    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer && tokenHosts.get(bearer) === host ? await oauth.findAccessToken(bearer) : undefined;
    if (!token) return answer(401, authenticationFailed);
    rate = spend(host, token.accountId, String(operation.extensions['x-ratelimit-category'] ?? 'org_read'));
    if (rate['retry-after']) return answer(429, rateLimited);
    const granted = new Set((token.scope ?? '').split(' '));
    const lacking = operation.scopes.filter((scope) => !granted.has(scope));
    if (lacking.length > 0) return answer(403, missingScopes(lacking));

    const body = parseBody(raw, contentType) as Record<string, unknown> | undefined;
    const ownBoard = (id: string) => boards.find((board) => board.host === host && board.id === id);
    const route = `${operation.method} ${operation.template}`;

    if (route === 'GET /user_account') {
      return answer(200, {
        account_type: 'BUSINESS',
        id: accountId,
        username: token.accountId,
        business_name: 'Alice',
        profile_image: `${origin}/images/${token.accountId}.jpg`,
        website_url: '',
        about: '',
        board_count: boards.filter((board) => board.host === host).length,
        pin_count: pins.filter((pin) => pin.host === host).length,
        follower_count: 0,
        following_count: 0,
        monthly_views: 0,
      });
    }

    if (route === 'GET /boards') {
      const privacy = url.searchParams.get('privacy');
      const list = boards.filter((board) => board.host === host && (!privacy || privacy === 'ALL' || board.privacy === privacy));
      const page = paginate(list, url.searchParams);
      if (!page) return refuse(400, ['the bookmark is not one this server gave']);
      return answer(200, { items: page.items.map((board) => boardJson(board, token.accountId)), bookmark: page.bookmark });
    }

    if (route === 'POST /boards') {
      const board = addBoard(host, String(body!.name), (body!.privacy as PinterestBoard['privacy'] | undefined) ?? 'PUBLIC');
      board.description = typeof body!.description === 'string' ? body!.description : null;
      return answer(201, boardJson(board, token.accountId));
    }

    if (route === 'POST /pins') {
      if (access === 'trial' && host === 'production') return answer(403, trialRefusal);
      const board = ownBoard(String(body!.board_id));
      if (!board) return answer(404, boardNotFound);
      const source = body!.media_source as Record<string, unknown>;
      const mediaSource: PinterestPin['mediaSource'] = { sourceType: String(source.source_type) };
      if (source.source_type === 'image_base64') {
        const bytes = Buffer.from(String(source.data), 'base64');
        if (imageTypeOf(bytes) !== source.content_type) {
          return answer(400, invalidParameters(`media_source.data is not a ${String(source.content_type)} image.`));
        }
        Object.assign(mediaSource, { contentType: source.content_type, bytes: bytes.length });
      } else if (source.source_type === 'image_url') {
        mediaSource.url = String(source.url);
      } else if (source.source_type === 'video_id') {
        const item = media.find((candidate) => candidate.host === host && candidate.id === source.media_id);
        if (!item) return answer(404, mediaNotFound);
        settle(item);
        if (item.status !== 'succeeded') return answer(400, mediaNotReady(item.status));
        if (source.cover_image_url === undefined && source.cover_image_data === undefined && source.cover_image_key_frame_time === undefined) return answer(400, coverMissing);
        Object.assign(mediaSource, {
          mediaId: item.id,
          ...(typeof source.cover_image_key_frame_time === 'number' ? { coverKeyFrameTime: source.cover_image_key_frame_time } : {}),
          ...(typeof source.cover_image_url === 'string' ? { coverImageUrl: source.cover_image_url } : {}),
        });
      }
      const text = (key: string) => (typeof body![key] === 'string' ? (body![key] as string) : null);
      const pin: PinterestPin = {
        host,
        id: newId(),
        boardId: board.id,
        title: text('title'),
        description: text('description'),
        altText: text('alt_text'),
        link: text('link'),
        mediaSource,
        createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      pins.push(pin);
      return answer(201, pinJson(pin, token.accountId));
    }

    if (route === 'GET /boards/{board_id}/pins') {
      const board = ownBoard(operation.pathParams.board_id!);
      if (!board) return answer(404, boardNotFound);
      const page = paginate(pins.filter((pin) => pin.host === host && pin.boardId === board.id).reverse(), url.searchParams);
      if (!page) return refuse(400, ['the bookmark is not one this server gave']);
      return answer(200, { items: page.items.map((pin) => pinJson(pin, token.accountId)), bookmark: page.bookmark });
    }

    if (route === 'GET /pins/{pin_id}') {
      const pin = pins.find((candidate) => candidate.host === host && candidate.id === operation.pathParams.pin_id);
      if (!pin) return answer(404, pinNotFound);
      return answer(200, pinJson(pin, token.accountId));
    }

    if (route === 'POST /media') {
      const id = newId();
      const policyExpiresAt = Date.now() + 60 * 60_000;
      const key = `uploads/${id.slice(-2)}/${id.slice(-4, -2)}/${id.slice(-6, -4)}/3:video:${id}:${crypto.randomBytes(8).readBigUInt64BE()}`;
      const policy = Buffer.from(JSON.stringify({ expiration: new Date(policyExpiresAt).toISOString(), conditions: [{ key }, ['content-length-range', 0, 2 * 1024 ** 3]] })).toString('base64');
      // The description's `MediaUploadParameters`, in its example's order.
      const uploadParameters = {
        'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        'x-amz-signature': sign(policy),
        'x-amz-security-token': crypto.randomBytes(24).toString('base64'),
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        key,
        policy,
        'x-amz-credential': `ASIA${crypto.randomBytes(8).toString('hex').toUpperCase()}/${new Date().toISOString().slice(0, 10).replace(/-/g, '')}/us-east-1/s3/aws4_request`,
        'Content-Type': 'multipart/form-data',
      };
      media.push({ host, id, status: 'registered', uploadParameters, policyExpiresAt, uploads: 0, statusReads: 0 });
      return answer(201, { media_id: id, media_type: 'video', upload_url: options.uploadUrl ?? `${origin}${uploadPath}`, upload_parameters: uploadParameters });
    }

    if (route === 'GET /media/{media_id}') {
      const item = media.find((candidate) => candidate.host === host && candidate.id === operation.pathParams.media_id);
      if (!item) return answer(404, mediaNotFound);
      settle(item);
      item.statusReads++;
      return answer(200, { media_id: item.id, media_type: 'video', status: item.status });
    }

    return refuse(404, [`${route} is in the description but this mock does not serve it`]);
  };

  /**
   * The S3 bucket's presigned POST (AWS S3 API Reference, "POST Object"; "Browser-based uploads
   * using POST (AWS Signature Version 4)"): a form whose fields before `file` must satisfy the
   * policy, answered 204 once stored, or an XML `<Error>`.
   */
  async function s3Upload(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const s3Error = (status: number, code: string, message: string) => {
      response
        .writeHead(status, { 'content-type': 'application/xml' })
        .end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${crypto.randomBytes(8).toString('hex').toUpperCase()}</RequestId></Error>`);
      return true;
    };
    const contentType = request.headers['content-type'] ?? '';
    if (request.method !== 'POST' || !contentType.startsWith('multipart/form-data')) {
      await readBody(request);
      requests.push({ host: 'production', method: request.method ?? 'GET', path: uploadPath, query: '', body: undefined });
      return s3Error(412, 'PreconditionFailed', 'Bucket POST must be of the enclosure-type multipart/form-data');
    }
    const fields = await readMultipart(contentType, request);
    requests.push({ host: 'production', method: 'POST', path: uploadPath, query: '', body: fields });
    // The form's signature is the authentication: S3 refuses a second one in an Authorization header.
    if (request.headers.authorization) return s3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
    if (dropUpload) {
      dropUpload = false;
      request.socket.destroy();
      return true;
    }
    if (uploadFault) {
      const fault = uploadFault;
      uploadFault = undefined;
      return s3Error(fault.status, fault.code, fault.message);
    }
    const order = Object.keys(fields);
    const fileAt = order.indexOf('file');
    const file = fields.file;
    if (fileAt < 0 || typeof file === 'string' || !file) return s3Error(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
    // S3 ignores every field after the file: only those before it count for the policy.
    const sent = Object.fromEntries(order.slice(0, fileAt).map((name) => [name, fields[name]]));
    const item = media.find((candidate) => candidate.uploadParameters.key === sent.key);
    if (!item) return s3Error(403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$key", ...]');
    if (sent['x-amz-signature'] !== sign(String(sent.policy))) {
      return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    for (const [name, value] of Object.entries(item.uploadParameters)) {
      if (sent[name] !== value) return s3Error(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${value}"]`);
    }
    if (Date.now() > item.policyExpiresAt) return s3Error(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    if (uploadDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, uploadDelayMs));
    item.file = file;
    item.fieldOrder = order;
    item.uploads++;
    // Pinterest processes the video once S3 has it.
    item.status = 'processing';
    item.processing = videoProcessing;
    response.writeHead(204, { etag: `"${file.sha256.slice(0, 32)}"`, location: `${origin}${uploadPath}${encodeURIComponent(item.uploadParameters.key!)}` }).end();
    return true;
  }

  /**
   * Both hosts' token endpoints: the spec-checked form goes on to the provider (which checks the
   * client's Basic credentials, the code, its redirect URI and the refresh token), and its answer
   * comes back in Pinterest's shape, with the tokens tied to this host.
   */
  async function exchangeToken(
    host: PinterestHost,
    request: IncomingMessage,
    raw: Buffer,
    answer: (status: number, body: unknown, headers?: Record<string, string>) => boolean,
    refuse: (problem: string) => boolean,
  ): Promise<boolean> {
    // The description's only security scheme for /oauth/token is `basic`.
    if (!/^Basic /i.test(request.headers.authorization ?? '')) return refuse('the token endpoint needs HTTP Basic client authentication');
    const form = new URLSearchParams(raw.toString('utf8'));
    const grantType = form.get('grant_type');
    const refreshToken = form.get('refresh_token');
    if (grantType === 'refresh_token' && refreshToken && tokenHosts.has(refreshToken) && tokenHosts.get(refreshToken) !== host) {
      return answer(400, { error: 'invalid_grant', error_description: 'The refresh token was issued by the other host.' });
    }
    // Pinterest-only fields (`continuous_refresh`, `refresh_on`) mean nothing to the provider.
    form.delete('continuous_refresh');
    form.delete('refresh_on');
    const provided = await fetch(origin + providerTokenPath, {
      method: 'POST',
      headers: { authorization: request.headers.authorization!, 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const text = await provided.text();
    const json = parseJson(text) as Record<string, unknown> | undefined;
    // The provider's own refusals (invalid_client, invalid_grant) go back as it wrote them, RFC 6749 §5.2.
    if (provided.status !== 200 || !json || typeof json.access_token !== 'string') {
      return answer(provided.status, json ?? { error: 'server_error', error_description: text });
    }
    tokenHosts.set(json.access_token, host);
    if (typeof json.refresh_token === 'string') tokenHosts.set(json.refresh_token, host);
    return answer(200, {
      access_token: json.access_token,
      token_type: 'bearer',
      expires_in: json.expires_in,
      scope: json.scope,
      response_type: grantType === 'refresh_token' ? 'refresh_token' : 'authorization_code',
      refresh_token: json.refresh_token,
      refresh_token_expires_in: refreshTokenTtl,
      refresh_token_expires_at: Math.floor(Date.now() / 1000) + refreshTokenTtl,
    });
  }

  /** One request against its budget: the headers to send (`retry-after` only once the budget is spent). */
  function spend(host: PinterestHost, user: string, category: string): Record<string, string> {
    const name = access === 'trial' ? 'trial' : category;
    const budget = budgets[name] ?? budgets.org_read!;
    // A Trial app's 1,000 a day are the app's; Standard budgets are per user.
    const key = `${host} ${name} ${access === 'trial' ? 'app' : user}`;
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) windows.set(key, (window = { resetAt: now + budget.windowMs, used: 0 }));
    window.used++;
    // v5's header names are not in Pinterest's material; these are the names v1 documented.
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(budget.limit),
      'x-ratelimit-remaining': String(Math.max(0, budget.limit - window.used)),
    };
    if (window.used > budget.limit) headers['retry-after'] = String(Math.max(1, Math.ceil((window.resetAt - now) / 1000)));
    return headers;
  }

  oauth = await startOAuthServer({
    accessTokenTtlSeconds: accessTokenTtl,
    refreshTokenTtlSeconds: refreshTokenTtl,
    fixedRedirectPort: options.fixedRedirectPort,
    routes: { authorization: authorizePath, token: providerTokenPath },
    extraScopes: pinterestScopes,
    pkceRequired: false,
    refreshTokenAlways: true,
    apiRoutes,
  });
  origin = oauth.issuer;
  addBoard('production', 'Localpost');
  addBoard('sandbox', 'Localpost sandbox');

  return {
    oauth,
    origin,
    env: {
      LOCALPOST_PINTEREST_AUTHORIZE_URL: origin + authorizePath,
      LOCALPOST_PINTEREST_TOKEN_URL: `${origin}/v5/oauth/token`,
      LOCALPOST_PINTEREST_API_BASE: `${origin}/v5`,
      LOCALPOST_PINTEREST_SANDBOX_TOKEN_URL: `${origin}/sandbox/v5/oauth/token`,
      LOCALPOST_PINTEREST_SANDBOX_API_BASE: `${origin}/sandbox/v5`,
    },
    client: {
      clientId: oauth.clients.confidentialBasic.clientId,
      clientSecret: oauth.clients.confidentialBasic.clientSecret,
      redirectUri: `http://127.0.0.1:${oauth.fixedRedirectPort}/callback`,
    },
    boards,
    pins,
    media,
    requests,
    violations,
    compileMs,
    injectFault: (path, fault) => void faults.set(path, { ...fault, times: fault.times ?? 1 }),
    loseNextAnswer: (path) => void lostAnswers.add(path),
    setRateLimit(budget, limit, windowMs) {
      budgets[budget] = { limit, windowMs };
      for (const key of windows.keys()) if (key.split(' ')[1] === budget) windows.delete(key);
    },
    setAccess: (next) => void (access = next),
    setVideoProcessing: (processing) => void (videoProcessing = processing),
    dropNextUpload: () => void (dropUpload = true),
    failNextUpload: (status, code, message) => void (uploadFault = { status, code, message }),
    setUploadDelay: (ms) => void (uploadDelayMs = ms),
    addBoard,
    close: () => oauth.close(),
  };
}

/**
 * What Pinterest refuses although its description allows it. The description's `PinCreate` lists
 * no required field, but a Pin always belongs to a board (its `Pin.board_id`: "The board to which
 * this Pin belongs") and has something to show (the description's `PinMediaSource`).
 */
function pinterestRulesBeyondDescription(operation: OperationMatch, body: unknown): string[] {
  if (operation.method !== 'POST' || operation.template !== '/pins') return [];
  const pin = (body ?? {}) as Record<string, unknown>;
  return ['board_id', 'media_source'].filter((field) => pin[field] === undefined || pin[field] === null).map((field) => `POST /pins body must have ${field}`);
}

/** A page of `items` from the `bookmark` on, `page_size` long (developers.pinterest.com/docs/reference/pagination/). */
function paginate<T>(all: T[], query: URLSearchParams): { items: T[]; bookmark: string | null } | undefined {
  const size = Number(query.get('page_size') ?? 25);
  const bookmark = query.get('bookmark');
  const start = bookmark === null ? 0 : Number(Buffer.from(bookmark, 'base64url').toString('utf8').replace(/^offset:/, ''));
  if (!Number.isInteger(start) || start < 0 || start > all.length) return undefined;
  const end = start + size;
  return { items: all.slice(start, end), bookmark: end < all.length ? Buffer.from(`offset:${end}`).toString('base64url') : null };
}

function boardJson(board: PinterestBoard, username: string) {
  return {
    id: board.id,
    name: board.name,
    description: board.description,
    privacy: board.privacy,
    owner: { username },
    created_at: board.createdAt.replace(/\.\d{3}Z$/, 'Z'),
    board_pins_modified_at: board.createdAt.replace(/\.\d{3}Z$/, 'Z'),
    collaborator_count: 0,
    follower_count: 0,
    pin_count: 0,
    media: { image_cover_url: null, pin_thumbnail_urls: [] },
  };
}

function pinJson(pin: PinterestPin, username: string) {
  const image = `https://i.pinimg.invalid/originals/${pin.id}.jpg`;
  return {
    id: pin.id,
    created_at: pin.createdAt,
    link: pin.link,
    title: pin.title,
    description: pin.description,
    alt_text: pin.altText,
    board_id: pin.boardId,
    board_section_id: null,
    board_owner: { username },
    dominant_color: '#6E7874',
    parent_pin_id: null,
    is_owner: true,
    is_standard: true,
    has_been_promoted: false,
    creative_type: 'REGULAR',
    pin_metrics: null,
    media:
      pin.mediaSource.sourceType === 'video_id'
        ? { media_type: 'video', cover_image_url: image, duration: null, height: null, width: null, video_url: null }
        : { media_type: 'image', images: { '150x150': { width: 150, height: 150, url: image }, originals: { width: 600, height: 600, url: image } } },
  };
}

/** JPEG or PNG by their signatures, the only two `ContentType`s the description allows. */
function imageTypeOf(bytes: Buffer): string | undefined {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
    const form = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    // Never keep a client secret, code or token in the record a failing test prints.
    for (const secret of ['code', 'refresh_token', 'client_secret', 'code_verifier']) if (secret in form) form[secret] = '[redacted]';
    return form;
  }
  return parseJson(raw.toString('utf8')) ?? raw.toString('utf8');
}


