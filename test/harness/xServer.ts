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
 * - `POST /2/media/metadata` (media.write), JSON `{ id, metadata: { alt_text: { text } } }`: alt
 *   text of at most 1000 characters, on media this user uploaded.
 * - `POST /2/tweets` (tweet.read, tweet.write, users.read), JSON `{ text, media: { media_ids } }`:
 *   201 `{ data: { id, text } }`; refuses text over 280 weighted characters (counted by
 *   `twitter-text`, X's own library), 0 or more than 4 media ids, ids it does not know, and the
 *   same text twice from the same user (X's duplicate-content rule).
 *
 * Every API answer carries `x-rate-limit-limit`, `-remaining` and `-reset` (epoch seconds) for a
 * 15-minute window per user and endpoint (x-api/fundamentals/rate-limits), and going over answers
 * 429 `rate-limit-exceeded`. Errors are problem details, `application/problem+json`. API calls
 * accept only access tokens the OAuth server issued and has not revoked or expired.
 *
 * Used by test/integration/x.test.ts and by the Chromium e2e test: keep the `XServer` interface.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import twitterText from 'twitter-text';
import { startOAuthServer, type InjectedFault, type OAuthServerOptions, type TestOAuthServer } from './oauthServer';
import { parseJson, readBody } from './requestBody';

export interface XServer {
  oauth: TestOAuthServer;
  /** LOCALPOST_X_AUTHORIZE_URL, _TOKEN_URL, _REVOKE_URL, _API_BASE, _ISSUER → this server. */
  env: Record<string, string>;
  /** Posts created, in order. */
  tweets: Array<{ id: string; text: string; mediaIds: string[]; userId: string; createdAt: number }>;
  /** Media uploaded, in order; `altText` set by POST /2/media/metadata. */
  media: Array<{ id: string; altText: string | null; size: number; category: string }>;
  /** Every API request (paths under /2/), in order. */
  requests: Array<{ method: string; path: string }>;
  /** The next `times` (default 1) requests to this API path get this answer instead. */
  injectFault(path: string, fault: InjectedFault): void;
  /** Requests per 15 minutes per user for an endpoint such as 'POST /2/tweets'; its windows start afresh. */
  setEndpointLimit(endpoint: string, limit: number): void;
  close(): Promise<void>;
}

/** X's limits the mock enforces (docs.x.com: counting-characters, openapi.json, media best-practices). */
const maxWeightedLength = 280;
const maxMediaPerPost = 4;
const maxAltTextLength = 1000;
const maxImageBytes = 5 * 1024 * 1024;
const rateWindowMs = 15 * 60 * 1000;

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

  let oauth!: TestOAuthServer;

  const apiRoutes = async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith('/2/')) return false;
    const method = request.method ?? 'GET';
    requests.push({ method, path: url.pathname });
    const raw = await readBody(request);

    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer ? await oauth.findAccessToken(bearer) : undefined;
    const endpoint = `${method} ${url.pathname}`;
    const rate = rateHeaders(token?.accountId ?? 'anonymous', endpoint);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const type = status < 400 ? 'application/json; charset=utf-8' : 'application/problem+json';
      response.writeHead(status, { 'content-type': type, ...rate.headers, ...headers }).end(JSON.stringify(body));
      return true;
    };

    const fault = faults.get(url.pathname);
    if (fault) {
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

    if (endpoint === 'GET /2/users/me') {
      if (missing('users.read', 'tweet.read')) return true;
      return answer(200, { data: { id: userId, name: displayNameOf(token.accountId), username: token.accountId } });
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

    if (endpoint === 'POST /2/tweets') {
      if (missing('tweet.read', 'tweet.write', 'users.read')) return true;
      const body = parseJson(raw) as { text?: unknown; media?: { media_ids?: unknown } } | undefined;
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
      const tweet = { id: newId(), text, mediaIds: mediaIds as string[], userId, createdAt: Date.now() };
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
      const posts = tweets
        .filter((t) => t.userId === timeline[1] && t.createdAt >= since)
        .reverse()
        .slice(0, max)
        .map((t, index) => ({
          id: t.id,
          text: t.text.replace(/https?:\/\/\S+/g, () => `https://t.co/${String(index).padStart(10, 'x')}`).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
          edit_history_tweet_ids: [t.id],
        }));
      return answer(200, posts.length > 0 ? { data: posts, meta: { result_count: posts.length } } : { meta: { result_count: 0 } });
    }

    return answer(404, { title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found', status: 404, detail: `No route for ${endpoint}.` });
  };

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
    setEndpointLimit(endpoint, limit) {
      endpointLimits[endpoint] = limit;
      for (const key of windows.keys()) if (key.endsWith(` ${endpoint}`)) windows.delete(key);
    },
    close: () => oauth.close(),
  };
}

function displayNameOf(accountId: string): string {
  return accountId.charAt(0).toUpperCase() + accountId.slice(1);
}


