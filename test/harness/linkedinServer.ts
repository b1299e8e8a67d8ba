/**
 * LinkedIn for tests: the real OAuth server of `oauthServer.ts` (oidc-provider on 127.0.0.1)
 * configured like LinkedIn's standard 3-legged flow, plus a contract mock of the API a member's
 * "Share on LinkedIn" app uses, written from LinkedIn's documentation on learn.microsoft.com
 * (/linkedin/shared/authentication/authorization-code-flow, /linkedin/consumer/integrations/
 * self-serve/sign-in-with-linkedin-v2, /linkedin/marketing/community-management/shares/posts-api,
 * .../shares/images-api, .../shares/little-text-format, /linkedin/shared/api-guide/concepts/
 * error-handling and rate-limits, /linkedin/marketing/versioning):
 *
 * - OAuth: authorization code with the client secret in the form (client_secret_post), the
 *   redirect URI matched exactly as registered, scopes `openid profile w_member_social`, access
 *   tokens of 60 days and no refresh token. A token request carrying `code_verifier` is refused
 *   (LinkedIn's standard flow has no PKCE); a member who refuses comes back with
 *   `user_cancelled_authorize`.
 * - `GET /v2/userinfo` (OpenID Connect userinfo: sub, name, given_name, family_name, picture, locale).
 * - `POST /rest/images?action=initializeUpload`, then a `PUT` of the bytes to the `uploadUrl` it
 *   returned (on this server). The image is then PROCESSING until it is AVAILABLE (or
 *   PROCESSING_FAILED, final), after a number of status reads or milliseconds (`imageProcessing`);
 *   `GET /rest/images/{urn}` tells its owner the status, and a post naming an image that is not
 *   AVAILABLE is refused.
 * - `POST /rest/videos?action=initializeUpload` (videos-api): the file cut into parts of
 *   `videoPartBytes` (LinkedIn's are 4 MB), each with its own `uploadUrl` on this server, a `PUT`
 *   of exactly its bytes answered 200 with an `ETag`; `POST /rest/videos?action=finalizeUpload`
 *   with every part's ETag in order; the video is then PROCESSING until AVAILABLE (or
 *   PROCESSING_FAILED with a `processingFailureReason`), as `videoProcessing` says;
 *   `GET /rest/videos/{urn}` tells its owner the status. A post names it in `content.media.id`.
 *   Faults: a part's connection dropped (`dropVideoPart`) or held unanswered (`holdVideoPart`).
 * - `POST /rest/posts`: 201 with the post's URN in `x-restli-id`; `commentary` read as LinkedIn's
 *   "little text", so an unescaped reserved character cuts the post short as LinkedIn does.
 * - `GET /rest/posts/{urn}`: refused, as it is to a member app (reading posts needs the restricted
 *   r_member_social): a lost answer cannot be looked up, only the harness can read back what was
 *   created (`posts`, `images`). Whether a member app may read its own image back is not
 *   documented: by default it may; `imageReadsRefused` answers 403 instead.
 *
 * Every `/rest/` call needs `LinkedIn-Version: YYYYMM` (an active one) and
 * `X-Restli-Protocol-Version: 2.0.0`. Errors have LinkedIn's shape `{ status, serviceErrorCode?,
 * code?, message }`. API calls accept only access tokens the OAuth server issued and has not
 * revoked or expired; daily per-member and per-application limits answer 429 with no rate-limit
 * headers and no Retry-After.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startOAuthServer, testAccountId, type InjectedFault, type TestOAuthServer } from './oauthServer';
import { parseJson, readBody } from './requestBody';
import { answerProfilePicture } from './profilePictures';

export interface LinkedInServerOptions {
  /** Access token lifetime in seconds; LinkedIn's is 60 days (authorization-code-flow, "Step 3"). */
  accessTokenTtlSeconds?: number;
  /** `LinkedIn-Version` values answered; by default the 12 months up to this one (versioning: "supported … for a minimum of one year"). */
  activeVersions?: string[];
  /** How uploaded images are processed; by default AVAILABLE once one status read said PROCESSING. */
  imageProcessing?: ImageProcessing;
  /** `GET /rest/images/{urn}` answers 403, as LinkedIn may to an app with only w_member_social. */
  imageReadsRefused?: boolean;
  /** The size of a video's upload parts; LinkedIn's 4 MB (videos-api, "multipart upload") by default. */
  videoPartBytes?: number;
  /** Where the video parts' `uploadUrl`s point; this server by default. */
  videoUploadBase?: string;
  /** `GET /rest/videos/{urn}` answers 403, as LinkedIn may to an app with only w_member_social (undocumented either way). */
  videoReadsRefused?: boolean;
}

export interface LinkedInVideo {
  /** `urn:li:video:…` */
  id: string;
  owner: string;
  fileSizeBytes: number;
  status: 'WAITING_UPLOAD' | 'PROCESSING' | 'AVAILABLE' | 'PROCESSING_FAILED';
  /** Each part's bytes as they arrived (the last PUT of a part wins), and the ETag it was answered with. */
  parts: Array<{ firstByte: number; lastByte: number; bytes?: Buffer; etag?: string; puts: number }>;
  uploadToken: string;
  /** The parts put together by finalizeUpload. */
  bytes?: Buffer;
  statusReads: number;
  uploadedAt?: number;
  processing?: ImageProcessing & { failureReason?: string };
}

/**
 * After its upload an image is PROCESSING until both have passed: `reads` status reads answered
 * PROCESSING and `ms` milliseconds. Then it is AVAILABLE, or PROCESSING_FAILED with `fails`.
 * `reads: Infinity` keeps it processing for good.
 */
export interface ImageProcessing {
  reads?: number;
  ms?: number;
  fails?: boolean;
}

export interface LinkedInRequestRecord {
  method: string;
  path: string;
  query: string;
  headers: { linkedinVersion?: string; restliProtocolVersion?: string; contentType?: string; authorized: boolean };
  body: unknown;
}

export interface LinkedInPost {
  /** `urn:li:share:…`, as sent back in `x-restli-id`. */
  id: string;
  author: string;
  /** The commentary as LinkedIn shows it: escapes removed, cut at the first unescaped reserved character. */
  commentary: string;
  /** The commentary exactly as the client sent it. */
  sentCommentary: string;
  /** True when an unescaped reserved character cut the commentary short. */
  truncated: boolean;
  visibility: string;
  feedDistribution: string;
  lifecycleState: string;
  media?: { id: string; altText?: string; title?: string };
  linkedinVersion: string;
  createdAt: number;
}

export interface LinkedInImage {
  /** `urn:li:image:…` */
  id: string;
  owner: string;
  status: 'WAITING_UPLOAD' | 'PROCESSING' | 'AVAILABLE' | 'PROCESSING_FAILED';
  bytes?: Buffer;
  /** Status reads answered so far. */
  statusReads: number;
  uploadedAt?: number;
  /** The processing rule in force when the bytes arrived. */
  processing?: ImageProcessing;
}

export interface LinkedInServer {
  oauth: TestOAuthServer;
  /** LOCALPOST_LINKEDIN_AUTHORIZE_URL, _TOKEN_URL, _API_BASE → this server. */
  env: Record<string, string>;
  /** The app LinkedIn knows: client_secret_post, one redirect URI registered exactly. */
  client: { clientId: string; clientSecret: string; redirectUri: string };
  /** The member's `sub` (userinfo) and author URN, for the account every consent signs in as. */
  member: { sub: string; urn: string };
  posts: LinkedInPost[];
  images: LinkedInImage[];
  videos: LinkedInVideo[];
  /** Every API request (/v2/, /rest/ and uploads), in order; the bearer token itself is not kept. */
  requests: LinkedInRequestRecord[];
  /** The next `times` (default 1) requests to this path (such as '/rest/posts') get this answer instead. */
  injectFault(path: string, fault: InjectedFault): void;
  /** Revokes an access token as the member removing the app in LinkedIn's settings would. */
  revokeToken(accessToken: string): Promise<void>;
  /** Revokes every access token the API has seen. */
  revokeSeenTokens(): Promise<void>;
  /** The next post is created, then its connection is reset before any answer is sent. */
  loseNextPostResponse(): void;
  /** The next image status read has its connection reset before any answer is sent. */
  loseNextImageStatusResponse(): void;
  /** How images uploaded from now on are processed. */
  setImageProcessing(processing: ImageProcessing): void;
  /** How videos finalized from now on are processed; by default AVAILABLE once one status read said PROCESSING. */
  setVideoProcessing(processing: ImageProcessing & { failureReason?: string }): void;
  /** The next PUT of part `index` (from 0) of any video is read, then its connection reset with no answer. */
  dropVideoPart(index: number): void;
  /** The next finalizeUpload is carried out, then its connection reset before any answer is sent. */
  loseNextFinalizeResponse(): void;
  /** The next PUT of part `index` is read and never answered, as if Localpost stopped mid-upload. */
  holdVideoPart(index: number): void;
  /** Each part's answer waits this long from now on, so an upload lasts long enough to be watched. */
  setVideoPartDelay(ms: number): void;
  /** Resets the connections of held parts. */
  releaseHeldParts(): void;
  /** Issues access tokens of this lifetime from now on (a sign-in near its end). */
  setAccessTokenTtl(seconds: number): void;
  /** Calls per UTC day to an endpoint such as 'POST /rest/posts', per member and per application; counts start afresh. */
  setDailyLimit(endpoint: string, limits: { member?: number; application?: number }): void;
  close(): Promise<void>;
}

/** Commentary limit (posts-api, `commentary`; the API's own message names "ShareCommentary … 3000 characters"). */
export const maxCommentaryLength = 3000;
/** Alt text limit on an image in a post (posts-api, Media content `altText`, up to 4,086 characters). */
const maxAltTextLength = 4086;
/** little-text-format: "Characters reserved for little elements must be escaped to be treated as plaintext." */
export const littleTextReserved = '\\|{}@[]()<>#*_~';

/**
 * Daily limits (rate-limits: "per application and per member", reset at midnight UTC; LinkedIn
 * publishes no values, they are shown per app in the Developer Portal's Analytics tab). These
 * stand-ins are large except for posts, about 150 a day per member (a third-party observation).
 */
const defaultDailyLimits: Record<string, { member: number; application: number }> = {
  'POST /rest/posts': { member: 150, application: 100_000 },
  'POST /rest/images': { member: 500, application: 100_000 },
  'POST /rest/videos': { member: 500, application: 100_000 },
  'GET /v2/userinfo': { member: 500, application: 100_000 },
};
const fallbackDailyLimit = { member: 500, application: 100_000 };

/** What LinkedIn answers, in its error shape (error-handling: `message`, `serviceErrorCode`, `status`). */
const linkedinErrors = {
  // error-handling, "401 Unauthorized": "Empty OAuth2 access token"; its sample response.
  emptyToken: { status: 401, serviceErrorCode: 401, code: 'EMPTY_ACCESS_TOKEN', message: 'Empty oauth2_access_token' },
  // error-handling, "401 Unauthorized": invalid, expired and revoked tokens; the codes 65600,
  // 65601 and 65602 as LinkedIn sends them (65601's body as recorded in API client fixtures).
  invalidToken: { status: 401, serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' },
  revokedToken: { status: 401, serviceErrorCode: 65601, code: 'REVOKED_ACCESS_TOKEN', message: 'The token used in the request has been revoked by the user' },
  expiredToken: { status: 401, serviceErrorCode: 65602, code: 'EXPIRED_ACCESS_TOKEN', message: 'The token used in the request has expired' },
  // error-handling, "403 Access Denied": the token lacks the permission the resource needs.
  accessDenied: (resource: string) => ({ status: 403, serviceErrorCode: 100, code: 'ACCESS_DENIED', message: `Not enough permissions to access: ${resource}` }),
  // versioning: "All requests to versioned APIs will require a new LinkedIn-Version header"; the
  // bodies LinkedIn sends for a missing and for a sunset version.
  versionMissing: {
    status: 400,
    code: 'VERSION_MISSING',
    message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
  },
  nonexistentVersion: (version: string) => ({ status: 426, code: 'NONEXISTENT_VERSION', message: `Requested version ${version} is not active` }),
  // rate-limits: a 429 once the application's or the member's daily limit for the resource is spent.
  throttled: (kind: 'MEMBER' | 'APPLICATION') => ({
    status: 429,
    serviceErrorCode: 101,
    code: 'TOO_MANY_REQUESTS',
    message: `Resource level throttle ${kind} DAY limit for calls to this resource is reached.`,
  }),
  // A Rest.li validation failure: 422, the message naming the field's path.
  unprocessable: (message: string) => ({ status: 422, code: 'UNPROCESSABLE_ENTITY', message }),
  badRequest: (message: string) => ({ status: 400, code: 'BAD_REQUEST', message }),
  notFound: (message: string) => ({ status: 404, serviceErrorCode: 0, code: 'NOT_FOUND', message }),
};

export async function startLinkedInServer(options: LinkedInServerOptions = {}): Promise<LinkedInServer> {
  const posts: LinkedInPost[] = [];
  const images: LinkedInImage[] = [];
  const videos: LinkedInVideo[] = [];
  const videoPartBytes = options.videoPartBytes ?? 4 * 1024 * 1024;
  let videoProcessing: LinkedInVideo['processing'] = { reads: 1 };
  const droppedParts = new Set<number>();
  let heldPart: number | undefined;
  const heldSockets: Array<IncomingMessage['socket']> = [];
  let videoPartDelayMs = 0;
  const requests: LinkedInRequestRecord[] = [];
  const faults = new Map<string, InjectedFault & { times: number }>();
  const uploadTokens = new Map<string, string>();
  const subs = new Map<string, string>();
  const seenTokens = new Set<string>();
  const revokedTokens = new Set<string>();
  const dailyLimits: Record<string, { member: number; application: number }> = structuredClone(defaultDailyLimits);
  const dailyUse = new Map<string, { day: string; used: number }>();
  const activeVersions = new Set(options.activeVersions ?? lastTwelveVersions(new Date()));
  let losePostResponse = false;
  let loseFinalizeResponse = false;
  let loseImageStatusResponse = false;
  let imageProcessing: ImageProcessing = options.imageProcessing ?? { reads: 1 };
  /** An image's or video's status now: PROCESSING until its rule's reads and time have passed. */
  const settle = (image: LinkedInImage | LinkedInVideo) => {
    if (image.status !== 'PROCESSING') return;
    const rule = image.processing ?? {};
    const readsDone = image.statusReads >= (rule.reads ?? 0);
    const timeDone = Date.now() - (image.uploadedAt ?? 0) >= (rule.ms ?? 0);
    if (readsDone && timeDone) image.status = rule.fails ? 'PROCESSING_FAILED' : 'AVAILABLE';
  };
  // Share and image ids are 19-digit numbers in their URNs (posts-api samples).
  let nextNumericId = 7_280_000_000_000_000_000n;
  const newNumericId = () => String(nextNumericId++);

  let oauth!: TestOAuthServer;

  const subOf = (accountId: string) => {
    let sub = subs.get(accountId);
    // userinfo's `sub` is an opaque member id such as "782bbtaQ" (sign-in-with-linkedin-v2 sample).
    if (!sub) subs.set(accountId, (sub = randomBytes(6).toString('base64url')));
    return sub;
  };

  /** Spends one call of today's (UTC) budgets for this endpoint; the one exceeded, if any. */
  const spendDaily = (endpoint: string, member: string): 'MEMBER' | 'APPLICATION' | undefined => {
    const limits = dailyLimits[endpoint] ?? fallbackDailyLimit;
    const day = new Date().toISOString().slice(0, 10);
    const spend = (key: string, limit: number) => {
      let use = dailyUse.get(key);
      if (!use || use.day !== day) dailyUse.set(key, (use = { day, used: 0 }));
      if (use.used >= limit) return false;
      use.used++;
      return true;
    };
    if (!spend(`app ${endpoint}`, limits.application)) return 'APPLICATION';
    if (!spend(`member ${member} ${endpoint}`, limits.member)) return 'MEMBER';
    return undefined;
  };

  const apiRoutes = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
    if (await answerProfilePicture(url, response, '/media/')) return true;
    const isApi = url.pathname.startsWith('/v2/') || url.pathname.startsWith('/rest/');
    const isUpload = url.pathname.startsWith('/dms-uploads/');
    if (!isApi && !isUpload) return false;
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const contentType = header(request, 'content-type');
    const body = contentType?.startsWith('application/json') ? parseJson(raw) : raw.length > 0 ? { bytes: raw.length } : undefined;
    requests.push({
      method,
      path: url.pathname,
      query: url.search,
      headers: {
        linkedinVersion: header(request, 'linkedin-version'),
        restliProtocolVersion: header(request, 'x-restli-protocol-version'),
        contentType,
        authorized: Boolean(request.headers.authorization),
      },
      body,
    });
    const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      if (payload === undefined) response.writeHead(status, headers).end();
      else response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      return true;
    };
    const refuse = (error: { status: number }) => answer(error.status, error);

    const fault = faults.get(url.pathname);
    if (fault) {
      if (--fault.times <= 0) faults.delete(url.pathname);
      return answer(fault.status, fault.body ?? {}, fault.headers);
    }

    // images-api, "Upload the Image": the bytes go to the uploadUrl with a PUT. The address itself
    // is the credential (a bearer token is accepted and not required).
    // videos-api, "Upload the Video": each part's bytes, exactly, to its own uploadUrl; the answer
    // carries the part's ETag, which finalizeUpload must name. The address is the credential.
    if (isUpload && url.pathname.startsWith('/dms-uploads/videos/')) {
      const [videoId, , index] = url.pathname.slice('/dms-uploads/videos/'.length).split('/');
      const video = videos.find((v) => v.id === `urn:li:video:${videoId}`);
      const part = video?.parts[Number(index)];
      if (method !== 'PUT' || !video || !part || video.uploadToken !== url.searchParams.get('sau') || video.status !== 'WAITING_UPLOAD') {
        return refuse(linkedinErrors.badRequest('The upload URL is invalid or has expired.'));
      }
      if (heldPart === Number(index)) {
        heldPart = undefined;
        heldSockets.push(request.socket);
        return true;
      }
      if (droppedParts.delete(Number(index))) {
        request.socket.destroy();
        return true;
      }
      if (raw.length !== part.lastByte - part.firstByte + 1) {
        return refuse(linkedinErrors.badRequest(`The part must be bytes ${part.firstByte} to ${part.lastByte} of the file: ${raw.length} bytes arrived.`));
      }
      if (videoPartDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, videoPartDelayMs));
      part.bytes = raw;
      part.puts++;
      part.etag = `/ambry-video/signedId/${randomBytes(12).toString('hex')}`;
      return answer(200, undefined, { etag: part.etag });
    }

    if (isUpload) {
      const imageId = url.pathname.slice('/dms-uploads/'.length);
      const image = images.find((i) => i.id === `urn:li:image:${imageId}`);
      if (method !== 'PUT' || !image || uploadTokens.get(image.id) !== url.searchParams.get('ut')) {
        return refuse(linkedinErrors.badRequest('The upload URL is invalid or has expired.'));
      }
      if (raw.length === 0) return refuse(linkedinErrors.badRequest('The upload has no content.'));
      image.bytes = raw;
      // images-api: once uploaded the image is PROCESSING, then AVAILABLE (or PROCESSING_FAILED).
      image.status = 'PROCESSING';
      image.uploadedAt = Date.now();
      image.processing = imageProcessing;
      uploadTokens.delete(image.id);
      return answer(201);
    }

    // posts-api / images-api: every versioned (/rest/) call carries both headers.
    let version = '';
    if (url.pathname.startsWith('/rest/')) {
      version = header(request, 'linkedin-version') ?? '';
      if (!version) return refuse(linkedinErrors.versionMissing);
      // versioning: YYYYMM, sometimes with a patch suffix (".01"); the error names it as YYYYMMDD.
      if (!/^\d{6}(\.\d{2})?$/.test(version) || !activeVersions.has(version.slice(0, 6))) {
        return refuse(linkedinErrors.nonexistentVersion(/^\d{6}$/.test(version) ? `${version}01` : version));
      }
      // protocol-version: without the header a call is read as Rest.li 1.0, whose syntax the
      // versioned Posts and Images APIs do not take; LinkedIn's documentation only shows 2.0.0 there.
      if (header(request, 'x-restli-protocol-version') !== '2.0.0') {
        return refuse(linkedinErrors.badRequest('The X-Restli-Protocol-Version header must be 2.0.0 on this resource.'));
      }
    }

    // error-handling, "401 Unauthorized": the Bearer scheme, then a token LinkedIn knows.
    const authorization = request.headers.authorization ?? '';
    if (!authorization) return refuse(linkedinErrors.emptyToken);
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    if (!bearer) return refuse(linkedinErrors.invalidToken);
    const token = await oauth.findAccessToken(bearer);
    if (!token) {
      if (revokedTokens.has(bearer)) return refuse(linkedinErrors.revokedToken);
      // A token this server answered before and no longer knows has run out its 60 days.
      return refuse(seenTokens.has(bearer) ? linkedinErrors.expiredToken : linkedinErrors.invalidToken);
    }
    seenTokens.add(bearer);
    const sub = subOf(token.accountId);
    const memberUrn = `urn:li:person:${sub}`;
    const granted = new Set((token.scope ?? '').split(' '));

    const endpoint = `${method} ${url.pathname}`;
    const exceeded = spendDaily(endpoint, token.accountId);
    // rate-limits: 429, and no header says when to retry (the limits reset at midnight UTC).
    if (exceeded) return refuse(linkedinErrors.throttled(exceeded));

    // sign-in-with-linkedin-v2: /v2/userinfo answers a token with the openid and profile scopes.
    if (endpoint === 'GET /v2/userinfo') {
      if (!granted.has('openid') || !granted.has('profile')) return refuse(linkedinErrors.accessDenied('GET /userinfo'));
      const name = displayNameOf(token.accountId);
      return answer(200, {
        sub,
        name: `${name} Example`,
        given_name: name,
        family_name: 'Example',
        picture: `${oauth.issuer}/media/${sub}.jpg`,
        locale: { country: 'US', language: 'en' },
        ...(granted.has('email') ? { email: `${token.accountId}@example.com`, email_verified: true } : {}),
      });
    }

    // images-api, "Initialize Image Upload".
    if (endpoint === 'POST /rest/images' && url.searchParams.get('action') === 'initializeUpload') {
      if (!granted.has('w_member_social')) return refuse(linkedinErrors.accessDenied(`partnerApiImages.ACTION-initializeUpload.${version}`));
      const owner = (body as { initializeUploadRequest?: { owner?: unknown } } | undefined)?.initializeUploadRequest?.owner;
      if (typeof owner !== 'string') return refuse(linkedinErrors.unprocessable('ERROR :: /initializeUploadRequest/owner :: field is required but not found and has no default value'));
      // A member's token uploads for that member only (images-api: the owner is the member's person URN, or an organization it administers).
      if (owner !== memberUrn) return refuse(linkedinErrors.accessDenied(`partnerApiImages.ACTION-initializeUpload.${version}`));
      const image: LinkedInImage = { id: `urn:li:image:D${newNumericId()}`, owner, status: 'WAITING_UPLOAD', statusReads: 0 };
      const uploadToken = randomBytes(16).toString('base64url');
      images.push(image);
      uploadTokens.set(image.id, uploadToken);
      return answer(200, {
        value: {
          // images-api sample: epoch milliseconds.
          uploadUrlExpiresAt: Date.now() + 24 * 60 * 60 * 1000,
          uploadUrl: `${oauth.issuer}/dms-uploads/${image.id.slice('urn:li:image:'.length)}?ut=${uploadToken}`,
          image: image.id,
        },
      });
    }

    // videos-api, "Initialize Video Upload": the parts and their addresses for a file of this size.
    if (endpoint === 'POST /rest/videos' && url.searchParams.get('action') === 'initializeUpload') {
      if (!granted.has('w_member_social')) return refuse(linkedinErrors.accessDenied(`partnerApiVideos.ACTION-initializeUpload.${version}`));
      const asked = (body as { initializeUploadRequest?: { owner?: unknown; fileSizeBytes?: unknown; uploadCaptions?: unknown; uploadThumbnail?: unknown } } | undefined)
        ?.initializeUploadRequest;
      if (typeof asked?.owner !== 'string') return refuse(linkedinErrors.unprocessable('ERROR :: /initializeUploadRequest/owner :: field is required but not found and has no default value'));
      if (!Number.isSafeInteger(asked.fileSizeBytes)) {
        return refuse(linkedinErrors.unprocessable('ERROR :: /initializeUploadRequest/fileSizeBytes :: field is required but not found and has no default value'));
      }
      for (const flag of ['uploadCaptions', 'uploadThumbnail'] as const) {
        if (asked[flag] !== undefined && typeof asked[flag] !== 'boolean') return refuse(linkedinErrors.unprocessable(`ERROR :: /initializeUploadRequest/${flag} :: is not a boolean`));
      }
      if (asked.owner !== memberUrn) return refuse(linkedinErrors.accessDenied(`partnerApiVideos.ACTION-initializeUpload.${version}`));
      const size = asked.fileSizeBytes as number;
      // videos-api, "Video Specifications": 75 KB to 500 MB for a member's video.
      if (size < 75 * 1024 || size > 500 * 1024 * 1024) return refuse(linkedinErrors.badRequest(`File size ${size} is outside the allowed range of 75 KB to 500 MB.`));
      const id = `urn:li:video:C${newNumericId()}`;
      const parts: LinkedInVideo['parts'] = [];
      for (let first = 0; first < size; first += videoPartBytes) parts.push({ firstByte: first, lastByte: Math.min(first + videoPartBytes, size) - 1, puts: 0 });
      const video: LinkedInVideo = { id, owner: asked.owner, fileSizeBytes: size, status: 'WAITING_UPLOAD', parts, uploadToken: randomBytes(16).toString('base64url'), statusReads: 0 };
      videos.push(video);
      const suffix = id.slice('urn:li:video:'.length);
      return answer(200, {
        value: {
          uploadUrlsExpireAt: Date.now() + 24 * 60 * 60 * 1000,
          video: id,
          uploadInstructions: parts.map((part, index) => ({
            uploadUrl: `${options.videoUploadBase ?? oauth.issuer}/dms-uploads/videos/${suffix}/parts/${index}?sau=${video.uploadToken}`,
            firstByte: part.firstByte,
            lastByte: part.lastByte,
          })),
          // videos-api: the token finalizeUpload must repeat; empty for a video in one part.
          uploadToken: parts.length > 1 ? video.uploadToken : '',
        },
      });
    }

    // videos-api, "Finalize Video Upload": every part's ETag, in the order of the parts.
    if (endpoint === 'POST /rest/videos' && url.searchParams.get('action') === 'finalizeUpload') {
      if (!granted.has('w_member_social')) return refuse(linkedinErrors.accessDenied(`partnerApiVideos.ACTION-finalizeUpload.${version}`));
      const asked = (body as { finalizeUploadRequest?: { video?: unknown; uploadToken?: unknown; uploadedPartIds?: unknown } } | undefined)?.finalizeUploadRequest;
      const video = videos.find((v) => v.id === asked?.video);
      if (!asked || !video) return refuse(linkedinErrors.unprocessable('ERROR :: /finalizeUploadRequest/video :: field is required but not found and has no default value'));
      if (video.owner !== memberUrn) return refuse(linkedinErrors.accessDenied(`partnerApiVideos.ACTION-finalizeUpload.${version}`));
      if (video.status !== 'WAITING_UPLOAD') return refuse(linkedinErrors.badRequest(`Video ${video.id} is already finalized.`));
      if (asked.uploadToken !== (video.parts.length > 1 ? video.uploadToken : '')) return refuse(linkedinErrors.badRequest('The upload token does not match the video.'));
      const ids = asked.uploadedPartIds;
      if (!Array.isArray(ids) || ids.length !== video.parts.length || video.parts.some((part, index) => !part.etag || ids[index] !== part.etag)) {
        return refuse(linkedinErrors.badRequest('The uploaded part ids do not match the parts of the video.'));
      }
      video.bytes = Buffer.concat(video.parts.map((part) => part.bytes!));
      video.status = 'PROCESSING';
      video.uploadedAt = Date.now();
      video.processing = videoProcessing;
      if (loseFinalizeResponse) {
        loseFinalizeResponse = false;
        request.socket.destroy();
        return true;
      }
      return answer(200);
    }

    // videos-api, "Get a Video": its owner sees its status (WAITING_UPLOAD, PROCESSING, AVAILABLE,
    // PROCESSING_FAILED, the last with a processingFailureReason).
    if (method === 'GET' && url.pathname.startsWith('/rest/videos/')) {
      if (options.videoReadsRefused) return refuse(linkedinErrors.accessDenied(`partnerApiVideos.GET.${version}`));
      const id = decodeURIComponent(url.pathname.slice('/rest/videos/'.length));
      const video = videos.find((v) => v.id === id);
      if (!video) return refuse(linkedinErrors.notFound(`Video ${id} does not exist.`));
      if (video.owner !== memberUrn) return refuse(linkedinErrors.accessDenied(`partnerApiVideos.GET.${version}`));
      settle(video);
      video.statusReads++;
      return answer(200, {
        id: video.id,
        owner: video.owner,
        status: video.status,
        ...(video.status === 'PROCESSING_FAILED' ? { processingFailureReason: video.processing?.failureReason ?? 'Video processing failed' } : {}),
        ...(video.status === 'AVAILABLE' ? { downloadUrl: `${oauth.issuer}/media/${encodeURIComponent(video.id)}`, downloadUrlExpiresAt: Date.now() + 3_600_000 } : {}),
      });
    }

    // posts-api permission table: reading posts is for approved partners only (r_member_social is
    // "restricted"), so a member app cannot look a post up.
    if (method === 'GET' && url.pathname.startsWith('/rest/posts/')) return refuse(linkedinErrors.accessDenied(`partnerApiPostsExternal.GET.${version}`));

    // images-api, "Get a Single Image": the URN URL-encoded in the path (Rest.li 2.0); the answer
    // names the owner and the status (WAITING_UPLOAD, PROCESSING, AVAILABLE, PROCESSING_FAILED).
    if (method === 'GET' && url.pathname.startsWith('/rest/images/')) {
      if (options.imageReadsRefused) return refuse(linkedinErrors.accessDenied(`partnerApiImages.GET.${version}`));
      const id = decodeURIComponent(url.pathname.slice('/rest/images/'.length));
      const image = images.find((i) => i.id === id);
      if (!image) return refuse(linkedinErrors.notFound(`Image ${id} does not exist.`));
      if (image.owner !== memberUrn) return refuse(linkedinErrors.accessDenied(`partnerApiImages.GET.${version}`));
      settle(image);
      const status = image.status;
      image.statusReads++;
      if (loseImageStatusResponse) {
        loseImageStatusResponse = false;
        request.socket.destroy();
        return true;
      }
      return answer(200, {
        id: image.id,
        owner: image.owner,
        status,
        ...(status === 'AVAILABLE' ? { downloadUrl: `${oauth.issuer}/media/${encodeURIComponent(image.id)}`, downloadUrlExpiresAt: Date.now() + 3_600_000 } : {}),
      });
    }

    // posts-api, "Create a Post".
    if (endpoint === 'POST /rest/posts') {
      if (!granted.has('w_member_social')) return refuse(linkedinErrors.accessDenied(`partnerApiPostsExternal.CREATE.${version}`));
      if (!body || typeof body !== 'object') return refuse(linkedinErrors.badRequest('The request body must be a JSON object.'));
      const post = body as {
        author?: unknown;
        commentary?: unknown;
        visibility?: unknown;
        distribution?: { feedDistribution?: unknown };
        lifecycleState?: unknown;
        isReshareDisabledByAuthor?: unknown;
        content?: { media?: { id?: unknown; altText?: unknown; title?: unknown } };
      };
      const fieldError = (field: string, problem: string) => refuse(linkedinErrors.unprocessable(`ERROR :: /${field} :: ${problem}\n`));
      if (typeof post.author !== 'string') return fieldError('author', 'field is required but not found and has no default value');
      if (post.author !== memberUrn) return refuse(linkedinErrors.accessDenied(`partnerApiPostsExternal.CREATE.${version}`));
      if (post.commentary !== undefined && typeof post.commentary !== 'string') return fieldError('commentary', 'is not a string');
      if (!['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER'].includes(post.visibility as string)) {
        return fieldError('visibility', `"${String(post.visibility)}" is not an enum symbol`);
      }
      if (!post.distribution || !['MAIN_FEED', 'NONE'].includes(post.distribution.feedDistribution as string)) {
        return fieldError('distribution/feedDistribution', `"${String(post.distribution?.feedDistribution)}" is not an enum symbol`);
      }
      // posts-api: a post is created PUBLISHED (DRAFT exists for organizations' unpublished posts).
      if (!['PUBLISHED', 'DRAFT'].includes(post.lifecycleState as string)) {
        return fieldError('lifecycleState', `"${String(post.lifecycleState)}" is not an enum symbol`);
      }
      if (post.isReshareDisabledByAuthor !== undefined && typeof post.isReshareDisabledByAuthor !== 'boolean') {
        return fieldError('isReshareDisabledByAuthor', 'is not a boolean');
      }
      const sentCommentary = (post.commentary as string | undefined) ?? '';
      // The limit counts what was sent (escapes included), in UTF-16 units as LinkedIn's Java does;
      // the answer is the one LinkedIn sends for it.
      if (sentCommentary.length > maxCommentaryLength) {
        return answer(400, {
          errorDetailType: 'com.linkedin.common.error.BadRequest',
          message: `com.linkedin.content.common.exception.BadRequestResponseException: ShareCommentary text length (${sentCommentary.length} characters) exceeded the maximum allowed (${maxCommentaryLength} characters)`,
          errorDetails: {
            inputErrors: [
              {
                description: 'Size of array cannot be higher than the maxLength',
                input: { inputPath: { fieldPath: 'commentary' } },
                code: 'FIELD_ARRAY_SIZE_TOO_HIGH',
                maxLength: maxCommentaryLength,
              },
            ],
          },
          status: 400,
        });
      }
      let media: LinkedInPost['media'];
      if (post.content !== undefined) {
        const item = post.content.media;
        if (!item || typeof item.id !== 'string') return fieldError('content/media/id', 'field is required but not found and has no default value');
        if (item.altText !== undefined && (typeof item.altText !== 'string' || item.altText.length > maxAltTextLength)) {
          return fieldError('content/media/altText', `length must be at most ${maxAltTextLength}`);
        }
        if (item.title !== undefined && typeof item.title !== 'string') return fieldError('content/media/title', 'is not a string');
        // images-api / videos-api: an image or a video is usable once its status is AVAILABLE,
        // after the upload and its processing. (LinkedIn documents no exact body for this
        // refusal: a validation failure.)
        const image = images.find((i) => i.id === item.id && i.owner === memberUrn) ?? videos.find((v) => v.id === item.id && v.owner === memberUrn);
        if (!image) return fieldError('content/media/id', `${item.id} is not a valid image or video URN for this author`);
        settle(image);
        if (image.status !== 'AVAILABLE') return fieldError('content/media/id', `${image.id} has status ${image.status}, not AVAILABLE`);
        media = {
          id: image.id,
          ...(item.altText !== undefined ? { altText: item.altText as string } : {}),
          ...(item.title !== undefined ? { title: item.title as string } : {}),
        };
      }
      const shown = renderLittleText(sentCommentary);
      if (!shown.text.trim() && !media) return fieldError('commentary', 'a post needs commentary or content');
      // A repost of the same text by the same member is refused as a duplicate, in the shape
      // developers report LinkedIn's answer (422, errorDetails.inputErrors[].code DUPLICATE_POST).
      const duplicate = posts.find((p) => p.author === memberUrn && p.sentCommentary === sentCommentary && p.media?.id === media?.id);
      if (duplicate) {
        return answer(422, {
          errorDetailType: 'com.linkedin.common.error.BadRequest',
          message: `com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of ${duplicate.id}`,
          errorDetails: { inputErrors: [{ description: 'Duplicate post is detected', input: {}, code: 'DUPLICATE_POST' }] },
          status: 422,
        });
      }

      const created: LinkedInPost = {
        id: `urn:li:share:${newNumericId()}`,
        author: memberUrn,
        commentary: shown.text,
        sentCommentary,
        truncated: shown.truncated,
        visibility: post.visibility as string,
        feedDistribution: post.distribution.feedDistribution as string,
        lifecycleState: post.lifecycleState as string,
        ...(media ? { media } : {}),
        linkedinVersion: version,
        createdAt: Date.now(),
      };
      posts.push(created);
      if (losePostResponse) {
        losePostResponse = false;
        request.socket.destroy();
        return true;
      }
      // posts-api: "201 Created", the new post's URN in the x-restli-id header, no body.
      return answer(201, undefined, { 'x-restli-id': created.id });
    }

    return refuse(linkedinErrors.notFound(`No route for ${endpoint}.`));
  };

  oauth = await startOAuthServer({
    // authorization-code-flow: https://www.linkedin.com/oauth/v2/authorization and /oauth/v2/accessToken.
    routes: { authorization: '/oauth/v2/authorization', token: '/oauth/v2/accessToken' },
    // authorization-code-flow, "Step 3": the access token lives 60 days (expires_in 5184000).
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 60 * 24 * 60 * 60,
    // programmatic-refresh-tokens: refresh tokens are for approved Marketing Developer Platform
    // partners only; a Share on LinkedIn app gets none.
    issueRefreshTokens: false,
    // Sign In with LinkedIn using OpenID Connect: ID tokens are RS256 JWTs (the discovery
    // document at www.linkedin.com/oauth/.well-known/openid-configuration lists only RS256).
    idTokenSigningAlg: 'RS256',
    // The standard flow has no PKCE (authorization-code-flow describes none; the PKCE flow is
    // authorization-code-flow-native, enabled by LinkedIn per app on request), and a token request
    // that carries code_verifier anyway fails client authentication: 401 invalid_client.
    pkceRequired: false,
    tokenRequestCheck: (form) =>
      form.has('code_verifier')
        ? { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }
        : undefined,
    // authorization-code-flow, "Failed Requests": a member who refuses the permissions request.
    denyError: { error: 'user_cancelled_authorize', error_description: 'The user cancelled the authorization' },
    apiRoutes,
  });

  const client = {
    clientId: oauth.clients.confidentialPost.clientId,
    clientSecret: oauth.clients.confidentialPost.clientSecret,
    // authorization-code-flow: redirect_uri "must match … one of the Authorized Redirect URLs",
    // exactly (a web client on oidc-provider compares the whole string).
    redirectUri: `http://127.0.0.1:${oauth.fixedRedirectPort}/callback`,
  };
  const sub = subOf(testAccountId);

  return {
    oauth,
    env: {
      LOCALPOST_LINKEDIN_AUTHORIZE_URL: oauth.endpoints.authorizeUrl,
      LOCALPOST_LINKEDIN_TOKEN_URL: oauth.endpoints.tokenUrl,
      LOCALPOST_LINKEDIN_API_BASE: oauth.endpoints.apiBase,
    },
    client,
    member: { sub, urn: `urn:li:person:${sub}` },
    posts,
    images,
    videos,
    requests,
    injectFault: (path, fault) => void faults.set(path, { ...fault, times: fault.times ?? 1 }),
    async revokeToken(accessToken) {
      revokedTokens.add(accessToken);
      await oauth.revokeAccessToken(accessToken);
    },
    async revokeSeenTokens() {
      for (const token of seenTokens) {
        revokedTokens.add(token);
        await oauth.revokeAccessToken(token);
      }
    },
    loseNextPostResponse: () => void (losePostResponse = true),
    loseNextFinalizeResponse: () => void (loseFinalizeResponse = true),
    loseNextImageStatusResponse: () => void (loseImageStatusResponse = true),
    setImageProcessing: (processing) => void (imageProcessing = processing),
    setVideoProcessing: (processing) => void (videoProcessing = processing),
    dropVideoPart: (index) => void droppedParts.add(index),
    holdVideoPart: (index) => void (heldPart = index),
    setVideoPartDelay: (ms) => void (videoPartDelayMs = ms),
    releaseHeldParts() {
      heldPart = undefined;
      for (const socket of heldSockets.splice(0)) socket.destroy();
    },
    setAccessTokenTtl: (seconds) => oauth.setAccessTokenTtl(seconds),
    setDailyLimit(endpoint, limits) {
      dailyLimits[endpoint] = { ...(dailyLimits[endpoint] ?? fallbackDailyLimit), ...limits };
      for (const key of dailyUse.keys()) if (key.endsWith(` ${endpoint}`)) dailyUse.delete(key);
    },
    close: async () => {
      for (const socket of heldSockets.splice(0)) socket.destroy();
      await oauth.close();
    },
  };
}

/**
 * The commentary as LinkedIn shows it (little-text-format): `\x` is the plain character x; a
 * hashtag (`#word`) and a mention (`@[Name](urn:li:person:…)`) are little elements, shown as
 * `#word` and `Name`. Any other reserved character left unescaped ends the text there: LinkedIn
 * accepts the post (201) and shows only what came before it ("This is a test. (This is also a
 * test.)" is published as "This is a test. ").
 */
export function renderLittleText(commentary: string): { text: string; truncated: boolean } {
  let text = '';
  for (let i = 0; i < commentary.length; ) {
    const rest = commentary.slice(i);
    const char = commentary[i]!;
    if (char === '\\' && rest.length > 1 && littleTextReserved.includes(rest[1]!)) {
      text += rest[1];
      i += 2;
      continue;
    }
    const hashtag = /^#[\p{L}\p{N}]+/u.exec(rest);
    if (hashtag) {
      text += hashtag[0];
      i += hashtag[0].length;
      continue;
    }
    const mention = /^@\[([^\]\\]*)\]\((urn:li:(?:person|organization):[^)]+)\)/.exec(rest);
    if (mention) {
      text += mention[1];
      i += mention[0].length;
      continue;
    }
    if (littleTextReserved.includes(char)) return { text, truncated: true };
    text += char;
    i++;
  }
  return { text, truncated: false };
}

/** The 12 monthly versions (YYYYMM) up to and including this month's. */
function lastTwelveVersions(now: Date): string[] {
  const versions: string[] = [];
  for (let back = 0; back < 12; back++) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    versions.push(`${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return versions;
}

function displayNameOf(accountId: string): string {
  return accountId.charAt(0).toUpperCase() + accountId.slice(1);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}


