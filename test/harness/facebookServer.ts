/**
 * Facebook Pages for tests: a contract mock of Facebook Login and the Pages API, built from Meta's
 * documentation, on one server at 127.0.0.1 standing for www.facebook.com (the dialog),
 * graph.facebook.com and graph-video.facebook.com. Meta publishes no machine-readable description
 * of the Graph API, so the documents' rules are checked here and recorded in `violations` (a test
 * asserts it empty) when a request breaks one.
 *
 * - Every path begins with the Graph API version (`/v24.0/…`, graph-api/guides/versioning); the
 *   versions seen are kept in `versions`, and only `v\d+.\d+` is served.
 * - Dialog `GET /{v}/dialog/oauth` (facebook-login/guides/advanced/manual-flow): client_id,
 *   redirect_uri equal to the registered https address (Strict Mode), state, scope comma-separated.
 *   The user allows at once, granting every scope asked but those `declinePermission` names; the
 *   redirect carries `code` and `state`, and Meta's `#_=_`.
 * - `/{v}/oauth/access_token` (GET, or POST form: Graph takes either): the code exchange (client_id,
 *   client_secret, redirect_uri identical to the dialog's, code single use) answers a short-lived
 *   user token; `grant_type=fb_exchange_token` with client_id, client_secret and fb_exchange_token
 *   answers the long-lived one (get-long-lived: `expires_in` about 60 days).
 * - `GET /{v}/me/accounts?fields=…` (pages-api/getting-started) with the long-lived user token: the
 *   user's Pages with `id, name, access_token, tasks, picture`, `limit` a page (default 25), and
 *   `paging.cursors` / `paging.next` while more remain. Each answer issues fresh Page tokens.
 * - Page writes take only that Page's token (a user token is refused, `(#200)` as Graph does):
 *   `POST /{v}/{page-id}/feed` (form: message, link, published, attached_media[n] = {"media_fbid"}
 *   of this Page's unpublished photos, each used once); `POST /{v}/{page-id}/photos` (multipart:
 *   `source` JPEG/PNG/GIF up to 4 MB, `published=false`). A feed post with the same message as the
 *   Page's previous one is refused as a duplicate (506, error-handling).
 * - Video (graph-api/video-uploads, the resumable protocol), multipart forms to
 *   `POST /{v}/{page-id}/videos`: `upload_phase=start` with `file_size` answers the session, the
 *   video id and the first range (`start_offset`, `end_offset` as strings, `chunkBytes` long);
 *   `transfer` with `upload_session_id`, `start_offset` and the range's bytes as `video_file_chunk`
 *   answers the next range (start = end once all is there); a `start_offset` other than the one
 *   expected is refused with 1363037 and the wanted range in `error_data`; `finish` with
 *   `description` publishes the video, once (a second finish is a violation).
 * - Reads: `GET /{v}/{page-id}/published_posts?fields=…` and `/{page-id}/videos?fields=…`, newest
 *   first; `GET /{v}/{id}?fields=permalink_url`; `GET /{v}/{page-id}?fields=id`.
 * - Errors are Graph's error object (`{ error: { message, type, code, error_subcode, fbtrace_id } }`);
 *   a dead token is 190 (460 after a password change). Every answer carries `X-App-Usage`, and a
 *   Page-token answer `X-Business-Use-Case-Usage`, with `estimated_time_to_regain_access` when
 *   throttled (graph-api/overview/rate-limiting).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readMultipart, type ReceivedFile } from './multipartReader';
import { answerProfilePicture } from './profilePictures';
import { readBody } from './requestBody';
import type { InstagramServer } from './instagramServer';

const avatarPath = '/avatars/facebook.png';
const photoMaxBytes = 4 * 1024 * 1024;

export interface FacebookPage {
  id: string;
  name: string;
  tasks: string[];
}

export interface FacebookPost {
  id: string;
  pageId: string;
  message: string;
  link: string | null;
  photoIds: string[];
  createdTime: number;
  permalink: string;
}

export interface FacebookVideo {
  id: string;
  pageId: string;
  description: string;
  /** The chunks received, in order, each as the multipart reader saw it. */
  chunks: Array<ReceivedFile & { start: number }>;
  fileSize: number;
  /** Bytes acknowledged so far. */
  received: number;
  sessionId: string;
  published: boolean;
  createdTime: number;
  permalink: string;
}

export interface FacebookPhoto {
  id: string;
  pageId: string;
  source: ReceivedFile;
  published: boolean;
  usedBy: string | null;
}

export interface FacebookRequestRecord {
  method: string;
  path: string;
  /** The Graph API version the path began with. */
  version: string | null;
  query: Record<string, string>;
  form: Record<string, string>;
  authorization: string | undefined;
}

interface TokenRecord {
  kind: 'short' | 'long' | 'page';
  scope: string[];
  pageId?: string;
  dead: boolean;
}

interface GraphError {
  message: string;
  code: number;
  error_subcode?: number;
  type?: string;
}

export interface FacebookServer {
  origin: string;
  env: Record<string, string>;
  app: { appId: string; appSecret: string };
  user: { id: string; name: string };
  pages: FacebookPage[];
  requests: FacebookRequestRecord[];
  violations: string[];
  posts: FacebookPost[];
  videos: FacebookVideo[];
  photos: Map<string, FacebookPhoto>;
  registerRedirect(uri: string): void;
  /** The user's Pages from now on (each sign-in lists them anew). */
  setPages(pages: FacebookPage[]): void;
  /** Pages per /me/accounts answer. */
  setPageSize(size: number): void;
  /** The user leaves this permission unticked in the dialog. */
  declinePermission(permission: string | null): void;
  /**
   * Each Page's linked Instagram professional account (by Page id) is that mock's user (a mock started with
   * host 'facebook'): /me/accounts names it under `instagram_business_account` where
   * instagram_basic was granted, the Page tokens it answers are accepted there, and calls on that
   * account's nodes are passed to it, as graph.facebook.com serves both.
   */
  linkInstagram(links: Record<string, InstagramServer>): void;
  /** The next feed post is made, and its answer lost (the connection drops). */
  loseNextFeedAnswer(): void;
  /** The next video chunk is kept, and its answer lost. */
  loseNextTransferAnswer(): void;
  /** The next video is published at `finish`, and the answer lost. */
  loseNextFinishAnswer(): void;
  /** Bytes Facebook asks for in one transfer. */
  setChunkBytes(bytes: number): void;
  /** The next Page write is refused with this error object. */
  failNextWrite(error: GraphError): void;
  /** Every token issued so far is now refused (190, the user changed their password: 460). */
  killTokens(): void;
  tokenKinds(): Array<{ token: string; kind: TokenRecord['kind']; pageId?: string }>;
  close(): Promise<void>;
}

export async function startFacebookServer(options: { now?: () => number } = {}): Promise<FacebookServer> {
  const now = options.now ?? (() => Date.now());
  const app = { appId: '987654321012345', appSecret: randomBytes(16).toString('hex') };
  const user = { id: '10160000000000001', name: 'Localpost Tester' };
  let pages: FacebookPage[] = [
    { id: '1010000000000001', name: 'Corner Bakery', tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'] },
    { id: '1010000000000002', name: 'Book Club', tasks: ['ANALYZE', 'CREATE_CONTENT', 'MODERATE'] },
    { id: '1010000000000003', name: 'Town Choir', tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'] },
  ];
  const requests: FacebookRequestRecord[] = [];
  const violations: string[] = [];
  const posts: FacebookPost[] = [];
  const videos: FacebookVideo[] = [];
  const photos = new Map<string, FacebookPhoto>();
  const codes = new Map<string, { redirectUri: string; scope: string[]; expiresAt: number }>();
  const tokens = new Map<string, TokenRecord>();
  let registeredRedirect = '';
  const linkedInstagram = new Map<string, InstagramServer>();
  let pageSize = 25;
  let declined: string | null = null;
  let loseFeed = false;
  let loseTransfer = false;
  let loseFinish = false;
  let chunkBytes = 1024 * 1024;
  let nextWriteError: GraphError | null = null;
  let callCount = 0;
  let nextId = 1;
  const newId = () => `${String(2000000 + nextId++)}`;

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

  function usageHeaders(pageId?: string, regainMinutes = 0): Record<string, string> {
    callCount++;
    return {
      'x-app-usage': JSON.stringify({ call_count: Math.min(100, callCount), total_cputime: 1, total_time: 1 }),
      ...(pageId
        ? { 'x-business-use-case-usage': JSON.stringify({ [pageId]: [{ type: 'pages', call_count: Math.min(100, callCount), total_cputime: 1, total_time: 1, estimated_time_to_regain_access: regainMinutes }] }) }
        : {}),
    };
  }

  function graphError(response: ServerResponse, status: number, error: GraphError, pageId?: string) {
    const regain = [4, 17, 32, 613].includes(error.code) ? 5 : 0;
    response.writeHead(status, { 'content-type': 'application/json', ...usageHeaders(pageId, regain) });
    response.end(JSON.stringify({ error: { type: 'OAuthException', ...error, fbtrace_id: `A${randomBytes(8).toString('hex')}` } }));
  }

  function json(response: ServerResponse, body: unknown, pageId?: string) {
    response.writeHead(200, { 'content-type': 'application/json', ...usageHeaders(pageId) });
    response.end(JSON.stringify(body));
  }

  function issue(kind: TokenRecord['kind'], scope: string[], pageId?: string): string {
    const token = `EAA${kind === 'page' ? 'P' : kind === 'long' ? 'L' : 'S'}${randomBytes(24).toString('hex')}`;
    tokens.set(token, { kind, scope, ...(pageId ? { pageId } : {}), dead: false });
    return token;
  }

  /** The live token the call carries, or null after answering 190. */
  function tokenOf(record: FacebookRequestRecord, response: ServerResponse): TokenRecord | null {
    const bearer = record.authorization?.startsWith('Bearer ') ? record.authorization.slice(7) : undefined;
    const token = bearer ?? record.query.access_token ?? record.form.access_token;
    const found = token ? tokens.get(token) : undefined;
    if (!found || found.dead) {
      graphError(response, 400, {
        message: found?.dead ? 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.' : 'Invalid OAuth access token - Cannot parse access token',
        code: 190,
        ...(found?.dead ? { error_subcode: 460 } : {}),
      });
      return null;
    }
    return found;
  }

  /** The fields asked for, at the top level: `a,b{c,d}` is `a` and `b{c,d}` (graph-api/guides/field-expansion). */
  const fields = (record: FacebookRequestRecord) => {
    const found: string[] = [];
    let depth = 0;
    let current = '';
    for (const char of record.query.fields ?? '') {
      if (char === ',' && depth === 0) {
        if (current) found.push(current);
        current = '';
        continue;
      }
      if (char === '{') depth++;
      if (char === '}') depth--;
      current += char;
    }
    if (current) found.push(current);
    return found;
  };
  const pick = (item: Record<string, unknown>, wanted: string[]) => Object.fromEntries(Object.entries(item).filter(([key]) => key === 'id' || wanted.includes(key)));
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

  /** The linked Instagram mock that owns this node (the account, its containers, its media), if any. */
  function instagramOwning(pathname: string): InstagramServer | undefined {
    const node = /^\/v\d+\.\d+\/([^/]+)/.exec(pathname)?.[1];
    if (!node) return undefined;
    return [...linkedInstagram.values()].find((ig) => ig.user.id === node || ig.containers.has(node) || ig.media.some((m) => m.id === node));
  }

  /** Passes a call on to the Instagram mock as it came, and its answer back. */
  async function forward(instagram: InstagramServer, request: IncomingMessage, response: ServerResponse, url: URL) {
    const body = await readBody(request);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type']) if (request.headers[name]) headers[name] = String(request.headers[name]);
    const answer = await fetch(`${instagram.origin}${url.pathname}${url.search}`, { method: request.method!, headers, ...(body.length > 0 ? { body } : {}) });
    const passed: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (name === 'content-type' || name.startsWith('x-')) passed[name] = value;
    });
    response.writeHead(answer.status, passed);
    response.end(Buffer.from(await answer.arrayBuffer()));
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url!, origin);
    const method = request.method!;
    if (method === 'GET' && (await answerProfilePicture(url, response, avatarPath))) return;
    const instagram = instagramOwning(url.pathname);
    if (instagram) return forward(instagram, request, response, url);
    const contentType = request.headers['content-type'] ?? '';
    let form: Record<string, string> = {};
    let files: Record<string, ReceivedFile> = {};
    if (contentType.startsWith('multipart/form-data')) {
      const parts = await readMultipart(contentType, request);
      for (const [name, value] of Object.entries(parts)) {
        if (typeof value === 'string') form[name] = value;
        else files[name] = value;
      }
    } else {
      const raw = (await readBody(request)).toString('utf8');
      if (contentType.includes('application/x-www-form-urlencoded')) form = Object.fromEntries(new URLSearchParams(raw));
    }
    const versioned = /^\/(v\d+\.\d+)(\/.*)$/.exec(url.pathname);
    const record: FacebookRequestRecord = { method, path: url.pathname, version: versioned?.[1] ?? null, query: Object.fromEntries(url.searchParams), form, authorization: request.headers.authorization };
    requests.push(record);
    const violation = (problem: string) => violations.push(`${method} ${url.pathname}: ${problem}`);
    if (!versioned) {
      violation('a Graph API path begins with its version');
      return graphError(response, 400, { message: 'Unknown path components', code: 2500 });
    }
    const p = versioned[2]!;
    const params = { ...record.query, ...form };

    if (p === '/dialog/oauth' && method === 'GET') {
      const q = record.query;
      if (q.client_id !== app.appId) violation('client_id is not the app id');
      if (q.code_challenge) violation('Localpost sends no PKCE to Facebook Login');
      if (!q.state) violation('no state');
      if (q.response_type && q.response_type !== 'code') violation('response_type must be code');
      const scope = (q.scope ?? '').split(',').filter(Boolean);
      if (q.scope?.includes(' ')) violation('scopes are comma-separated');
      if (q.redirect_uri !== registeredRedirect) {
        response.writeHead(400, { 'content-type': 'text/html' });
        return response.end('<p>URL blocked: This redirect failed because the redirect URI is not whitelisted in the app’s Client OAuth Settings.</p>');
      }
      const code = `AQ${randomBytes(24).toString('hex')}`;
      codes.set(code, { redirectUri: q.redirect_uri, scope: scope.filter((s) => s !== declined), expiresAt: now() + 10 * 60_000 });
      const to = new URL(q.redirect_uri);
      to.searchParams.set('code', code);
      to.searchParams.set('state', q.state ?? '');
      response.writeHead(302, { location: `${to.href}#_=_` });
      return response.end();
    }

    if (p === '/oauth/access_token' && (method === 'GET' || method === 'POST')) {
      if (params.client_id !== app.appId || params.client_secret !== app.appSecret) {
        return graphError(response, 400, { message: 'Error validating client secret.', code: 1 });
      }
      if (params.grant_type === 'fb_exchange_token') {
        const found = tokens.get(params.fb_exchange_token ?? '');
        if (!found || found.kind !== 'short' || found.dead) return graphError(response, 400, { message: 'Invalid OAuth access token.', code: 190 });
        return json(response, { access_token: issue('long', found.scope), token_type: 'bearer', expires_in: 5183944 });
      }
      if (params.code_verifier) violation('Localpost sends no PKCE to Facebook Login');
      const code = codes.get(params.code ?? '');
      codes.delete(params.code ?? '');
      if (!code || code.expiresAt < now()) return graphError(response, 400, { message: 'This authorization code has expired.', code: 100, error_subcode: 36007 });
      if (params.redirect_uri !== code.redirectUri) return graphError(response, 400, { message: 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', code: 100 });
      return json(response, { access_token: issue('short', code.scope), token_type: 'bearer', expires_in: 5400 });
    }

    const api = /^\/([^/]+)(?:\/([a-z_]+))?$/.exec(p);
    if (!api) return graphError(response, 400, { message: 'Unknown path components', code: 2500 });
    const token = tokenOf(record, response);
    if (!token) return;
    const [, node, edge] = api as unknown as [string, string, string | undefined];

    if (node === 'me' && edge === 'accounts' && method === 'GET') {
      if (token.kind === 'page') return graphError(response, 400, { message: '(#100) Tried accessing nonexisting field (accounts) on node type (Page)', code: 100 });
      if (token.kind === 'short') violation('Pages listed with the short-lived user token: Page tokens from it expire within the hour');
      if (!token.scope.includes('pages_show_list')) return graphError(response, 403, { message: '(#200) Requires pages_show_list permission to manage the object', code: 200 });
      const wanted = fields(record);
      for (const field of ['id', 'name', 'access_token', 'tasks']) if (!wanted.includes(field)) violation(`fields lacks ${field}`);
      const limit = Math.min(Number(record.query.limit ?? pageSize), pageSize);
      const start = record.query.after ? Number(Buffer.from(record.query.after, 'base64').toString('utf8')) : 0;
      const slice = pages.slice(start, start + limit);
      const askedInstagram = wanted.find((field) => field.startsWith('instagram_business_account'));
      const data = slice.map((page) => {
        const pageToken = issue('page', token.scope, page.id);
        const entry = pick({ id: page.id, name: page.name, access_token: pageToken, tasks: page.tasks, category: 'Local business', picture: { data: { url: `${origin}${avatarPath}`, is_silhouette: false } } }, wanted);
        const instagram = linkedInstagram.get(page.id);
        // instagram-api-with-facebook-login: the linked account is readable with instagram_basic.
        if (instagram && askedInstagram && token.scope.includes('instagram_basic')) {
          instagram.acceptPageToken(pageToken, token.scope.join(','));
          const all = { id: instagram.user.id, username: instagram.user.username, name: instagram.user.name, profile_picture_url: `${origin}${avatarPath}` };
          const nested = /\{(.*)\}$/.exec(askedInstagram)?.[1]?.split(',') ?? ['id'];
          entry.instagram_business_account = Object.fromEntries(Object.entries(all).filter(([key]) => key === 'id' || nested.includes(key)));
        }
        return entry;
      });
      const end = start + slice.length;
      const cursor = (at: number) => Buffer.from(String(at)).toString('base64');
      const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(end) } };
      if (end < pages.length) {
        const next = new URL(url.href);
        next.searchParams.set('after', cursor(end));
        next.searchParams.set('limit', String(limit));
        paging.next = next.href;
      }
      return json(response, { data, paging });
    }

    const page = pages.find((candidate) => candidate.id === node);
    const isWrite = method === 'POST' && page !== undefined && ['feed', 'photos', 'videos'].includes(edge ?? '');
    if (isWrite) {
      if (token.kind !== 'page' || token.pageId !== page.id) {
        violation(`a Page write with ${token.kind === 'page' ? 'another Page’s' : 'a user'} token`);
        return graphError(response, 403, { message: '(#200) The user hasn’t authorized the application to perform this action; this needs the Page’s access token.', code: 200 });
      }
      for (const needed of ['pages_manage_posts', ...(edge === 'videos' ? ['publish_video'] : [])]) {
        if (!token.scope.includes(needed)) return graphError(response, 403, { message: `(#200) The user hasn't authorized the application to perform this action: requires the ${needed} permission`, code: 200 }, page.id);
      }
      if (params.scheduled_publish_time) violation('Localpost schedules in its outbox, never with scheduled_publish_time');
      if (nextWriteError) {
        const error = nextWriteError;
        nextWriteError = null;
        return graphError(response, 400, error, page.id);
      }
    }

    if (page && edge === 'photos' && method === 'POST') {
      const source = files.source;
      if (!source) return graphError(response, 400, { message: '(#324) Requires upload file', code: 324 }, page.id);
      if (!['image/jpeg', 'image/png', 'image/gif'].includes(source.type) || source.size > photoMaxBytes) {
        return graphError(response, 400, { message: 'Photos should be smaller than 4 MB and saved as JPG, PNG', code: 100, error_subcode: 1366046 }, page.id);
      }
      if (form.published !== 'false') violation('a photo for a feed post is uploaded with published=false');
      const photo: FacebookPhoto = { id: newId(), pageId: page.id, source, published: form.published !== 'false', usedBy: null };
      photos.set(photo.id, photo);
      return json(response, { id: photo.id }, page.id);
    }

    if (page && edge === 'feed' && method === 'POST') {
      const attached = Object.entries(form)
        .filter(([key]) => /^attached_media\[\d+\]$/.test(key))
        .map(([, value]) => (JSON.parse(value) as { media_fbid?: string }).media_fbid ?? '');
      for (const id of attached) {
        const photo = photos.get(id);
        if (!photo || photo.pageId !== page.id || photo.published) return graphError(response, 400, { message: `(#100) param attached_media[] has an invalid media_fbid ${id}`, code: 100 }, page.id);
        if (photo.usedBy) violation(`photo ${id} attached to a second post`);
      }
      const message = form.message ?? '';
      if (!message && attached.length === 0 && !form.link) return graphError(response, 400, { message: '(#100) Missing message or attachment', code: 100 }, page.id);
      const previous = posts.filter((post) => post.pageId === page.id).at(-1);
      if (previous && message !== '' && previous.message === message) {
        return graphError(response, 400, { message: '(#506) Duplicate status message', code: 506, error_subcode: 1455006 }, page.id);
      }
      const post: FacebookPost = {
        id: `${page.id}_${newId()}`,
        pageId: page.id,
        message,
        link: form.link ?? null,
        photoIds: attached,
        createdTime: now(),
        permalink: `https://www.facebook.com/${page.id}/posts/pfbid0${randomBytes(6).toString('hex')}`,
      };
      for (const id of attached) photos.get(id)!.usedBy = post.id;
      posts.push(post);
      if (loseFeed) {
        loseFeed = false;
        request.socket.destroy();
        return;
      }
      return json(response, { id: post.id }, page.id);
    }

    if (page && edge === 'videos' && method === 'POST') {
      if (files.source) violation('Localpost uploads a video with the resumable protocol');
      const range = (video: FacebookVideo) => ({ start_offset: String(video.received), end_offset: String(Math.min(video.fileSize, video.received + chunkBytes)) });
      if (form.upload_phase === 'start') {
        const fileSize = Number(form.file_size);
        if (!Number.isSafeInteger(fileSize) || fileSize <= 0) return graphError(response, 400, { message: '(#100) file_size must be a positive integer', code: 100 }, page.id);
        const video: FacebookVideo = { id: newId(), pageId: page.id, description: '', chunks: [], fileSize, received: 0, sessionId: newId(), published: false, createdTime: 0, permalink: '' };
        videos.push(video);
        return json(response, { upload_session_id: video.sessionId, video_id: video.id, ...range(video) }, page.id);
      }
      const video = videos.find((candidate) => candidate.sessionId === form.upload_session_id && candidate.pageId === page.id);
      if (!video) return graphError(response, 400, { message: 'Invalid upload session', code: 6001, error_subcode: 1363019 }, page.id);
      if (form.upload_phase === 'transfer') {
        const chunk = files.video_file_chunk;
        if (!chunk) return graphError(response, 400, { message: '(#100) video_file_chunk is required', code: 100 }, page.id);
        if (Number(form.start_offset) !== video.received) {
          // video-api error codes: "Returned when the server receives an invalid start offset".
          response.writeHead(400, { 'content-type': 'application/json', ...usageHeaders(page.id) });
          return response.end(JSON.stringify({ error: { message: 'There was a problem uploading your video. Please try uploading it again.', type: 'OAuthException', code: 6001, error_subcode: 1363037, error_data: JSON.stringify(range(video)), fbtrace_id: 'Aoffset' } }));
        }
        const wanted = Math.min(video.fileSize, video.received + chunkBytes) - video.received;
        if (chunk.size !== wanted) violation(`a chunk of ${chunk.size} bytes where ${wanted} were asked for`);
        video.chunks.push({ ...chunk, start: video.received });
        video.received += chunk.size;
        if (loseTransfer) {
          loseTransfer = false;
          request.socket.destroy();
          return;
        }
        return json(response, range(video), page.id);
      }
      if (form.upload_phase === 'finish') {
        if (video.received !== video.fileSize) return graphError(response, 400, { message: 'The video upload is incomplete.', code: 6001, error_subcode: 1363030 }, page.id);
        if (video.published) violation(`video ${video.id} finished twice`);
        if ('message' in form) violation('a video’s text goes in description');
        Object.assign(video, { description: form.description ?? '', published: true, createdTime: now(), permalink: `https://www.facebook.com/${page.id}/videos/${video.id}` });
        if (loseFinish) {
          loseFinish = false;
          request.socket.destroy();
          return;
        }
        return json(response, { success: true }, page.id);
      }
      return graphError(response, 400, { message: '(#100) upload_phase must be start, transfer or finish', code: 100 }, page.id);
    }

    if (page && (edge === 'published_posts' || edge === 'videos') && method === 'GET') {
      if (token.kind !== 'page' || token.pageId !== page.id) violation('Page reads take the Page’s token');
      if (!token.scope.includes('pages_read_engagement')) return graphError(response, 403, { message: '(#10) This endpoint requires the pages_read_engagement permission', code: 10 }, page.id);
      const wanted = fields(record);
      const limit = Number(record.query.limit ?? 25);
      const items =
        edge === 'videos'
          ? videos.filter((v) => v.pageId === page.id && v.published).map((v) => ({ id: v.id, description: v.description, created_time: iso(v.createdTime), permalink_url: v.permalink }))
          : posts.filter((post) => post.pageId === page.id).map((post) => ({ id: post.id, message: post.message, created_time: iso(post.createdTime), permalink_url: post.permalink }));
      return json(response, { data: items.reverse().slice(0, limit).map((item) => pick(item, wanted)) }, page.id);
    }

    if (page && !edge && method === 'GET') return json(response, pick({ id: page.id, name: page.name }, fields(record)), page.id);

    const post = posts.find((candidate) => candidate.id === node);
    if (post && !edge && method === 'GET') return json(response, pick({ id: post.id, permalink_url: post.permalink, message: post.message }, fields(record)), post.pageId);
    const video = videos.find((candidate) => candidate.id === node && candidate.published);
    if (video && !edge && method === 'GET') return json(response, pick({ id: video.id, permalink_url: video.permalink }, fields(record)), video.pageId);

    return graphError(response, 400, { message: `Unsupported ${method} request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, code: 100, error_subcode: 33 });
  }

  return {
    origin,
    env: {
      LOCALPOST_FACEBOOK_DIALOG_ORIGIN: origin,
      LOCALPOST_FACEBOOK_GRAPH_ORIGIN: origin,
      LOCALPOST_FACEBOOK_VIDEO_ORIGIN: origin,
    },
    app,
    user,
    get pages() {
      return pages;
    },
    requests,
    violations,
    posts,
    videos,
    photos,
    linkInstagram: (links) => {
      linkedInstagram.clear();
      for (const [pageId, instagram] of Object.entries(links)) linkedInstagram.set(pageId, instagram);
    },
    registerRedirect: (uri) => void (registeredRedirect = uri),
    setPages: (next) => void (pages = next),
    setPageSize: (size) => void (pageSize = size),
    declinePermission: (permission) => void (declined = permission),
    loseNextFeedAnswer: () => void (loseFeed = true),
    loseNextTransferAnswer: () => void (loseTransfer = true),
    loseNextFinishAnswer: () => void (loseFinish = true),
    setChunkBytes: (bytes) => void (chunkBytes = bytes),
    failNextWrite: (error) => void (nextWriteError = error),
    killTokens: () => {
      for (const token of tokens.values()) token.dead = true;
    },
    tokenKinds: () => [...tokens].map(([token, r]) => ({ token, kind: r.kind, ...(r.pageId ? { pageId: r.pageId } : {}) })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
