// Facebook Pages through the user's own Meta app with Facebook Login.
//
// Sign-in (developers.facebook.com/documentation/facebook-login/guides/advanced/manual-flow and
// /docs/facebook-login/guides/access-tokens/get-long-lived): the login dialog at
// www.facebook.com/{version}/dialog/oauth with the app id, no PKCE (Meta's PKCE for manual flows
// is "still in testing"; the secret binds the code), an https redirect registered exactly. The code
// buys a short-lived user token (about an hour) at graph.facebook.com/{version}/oauth/access_token,
// traded at once for the long-lived one (`grant_type=fb_exchange_token`, about 60 days). That
// token is never kept: it only lists the Pages (`GET /me/accounts`, docs/pages-api/getting-started),
// and each Page the user may post to (the CREATE_CONTENT task) becomes an account of its own with
// its own Page token. A Page token got with a long-lived user token has no expiry: it ends only
// when the user changes their password, loses the Page role or removes the app (190, which asks
// for a reconnect), so there is nothing to renew.
//
// The Graph API version is the user's setting, read at each call (meta/graphApi.ts).
//
// Publishing (docs/pages-api/posts, docs/graph-api/reference/page/photos, docs/video-api/guides/
// publishing), all with the Page token:
// - text, with the first link in it as `link` so Facebook shows its preview: `POST /{page-id}/feed`;
// - photos: each `POST /{page-id}/photos` (multipart `source`, `published=false`), then one
//   `POST /{page-id}/feed` naming them in `attached_media`;
// - a video: the resumable upload of docs/graph-api/video-uploads on the video host, with the Page
//   token: `POST /{page-id}/videos` `upload_phase=start` (the file's size; Facebook names the video
//   and the upload session), then `transfer` with each byte range Facebook asks for
//   (`start_offset`, `end_offset`, the bytes as `video_file_chunk`), streamed from disk, then
//   `finish` with the text as `description`, which publishes it.
// Scheduling stays in Localpost's outbox: Facebook's own `scheduled_publish_time` is never used.
//
// Exactly once without an idempotency key: the target's upload handle keeps the unpublished photos'
// ids (reused by a retry instead of uploading again; an unpublished photo is not a post), and, before
// the one request that makes the post, the time it was sent. A later attempt that finds that time
// saved looks for the post among the Page's latest (`published_posts`) made since then with the
// same text, and sends again only if none is there. A video is simpler: its upload session and
// video id are saved before the first byte, the upload goes on from the offset Facebook last
// acknowledged, and a lost `finish` answer is settled by finding that video id among the Page's
// videos; one session never makes a second video. Graph's refusal of a
// duplicate post (506) also means the post exists: it is looked up the same way. So nothing is
// published by an attempt before the handle says it may have been, and every later attempt settles
// from the handle: `dedupesRetries`. What remains: a post Facebook made but does not list yet when
// the next attempt looks could be sent a second time, and then Facebook's own duplicate check (506
// for the same text on the same Page) is what stops it.
import type { Account, Settings } from '../../../../src-preload/contract';
import { developerAppSpecs } from '../../../../src-shared/developerApps';
import { facebookPhotoTypes } from '../../../../src-shared/facebook';
import { AppError } from '../../errors';
import { fileRangeBody, type StreamedBody } from '../../http/fileRangeBody';
import { multipartRequest, type MultipartPart } from '../../http/multipartStream';
import { failureActions } from '../../http/platformFailure';
import { registerSecret } from '../../log/redact';
import { type EnvRecord, type OAuthEndpoints } from '../../oauth/endpoints';
import { acceptingJson } from '../../oauth/oauthAccounts';
import type { OAuthClientCredentials } from '../../oauth/oauthClient';
import type { TokenSet } from '../../oauth/tokenSet';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost } from '../adapter';
import type { DeveloperAppAdapterDeps, DeveloperAppSignIn, SignedInIdentities } from '../developerAppSignIn';
import { metaSignIn } from '../meta/metaSignIn';
import { facebookHosts, graphApiBase, graphCall, readGraphAnswer } from '../meta/graphApi';
import { facebookLoginInstagramExtra, instagramService } from '../meta/linkedInstagram';
import { metaSaid, type MetaGraphError } from '../meta/metaGraphErrors';

const facebookDeveloperAppSpec = developerAppSpecs.facebook;
const platformName = 'Facebook';

/** The sign-in's endpoints at the Graph API version the settings name now. */
export function facebookEndpoints(env: EnvRecord, version: string): OAuthEndpoints {
  const hosts = facebookHosts(env);
  const apiBase = graphApiBase(hosts.graph, version);
  return { authorizeUrl: `${graphApiBase(hosts.dialog, version)}/dialog/oauth`, tokenUrl: `${apiBase}/oauth/access_token`, apiBase, issuer: hosts.dialog };
}

export interface FacebookAdapterDeps extends DeveloperAppAdapterDeps {
  /** The user's settings as they are now: the Graph API version. */
  settings(): Settings;
}

/** A video's resumable upload: the session, the video it makes, and the byte range Facebook wants next. */
interface VideoSession {
  sessionId: string;
  videoId: string;
  startOffset: number;
  endOffset: number;
}

/** What a target keeps between attempts (see the file's comment). */
interface FacebookUploadHandle {
  /** Unpublished photos already uploaded, in the post's order. */
  photoIds: string[];
  video?: VideoSession;
  /** When the request that makes the post was sent: its answer may have been lost. */
  sentAt?: number;
  /** The post, once Facebook named it. */
  postId?: string;
}

interface PageEntry {
  id?: unknown;
  name?: unknown;
  access_token?: unknown;
  tasks?: unknown;
  picture?: { data?: { url?: unknown } };
  instagram_business_account?: { id?: unknown; username?: unknown; name?: unknown; profile_picture_url?: unknown };
}

/** How far back a lookup reaches before the moment the request was sent: clocks differ. */
const lookupSkewMs = 5 * 60_000;

export class FacebookAdapter implements PlatformAdapter {
  readonly platform = 'facebook' as const;
  // See the file's comment: the post's request is sent only once the handle records it, and every
  // later attempt settles from the handle before sending anything.
  readonly dedupesRetries = true;

  constructor(private readonly deps: FacebookAdapterDeps) {}

  developerAppSignIn(): DeveloperAppSignIn {
    return {
      platform: 'facebook',
      spec: facebookDeveloperAppSpec,
      service: 'facebook.com',
      endpoints: () => this.#endpoints(),
      ...metaSignIn,
      scopes: facebookDeveloperAppSpec.scopes,
      upgradeTokens: (tokens, endpoints, client) => this.#longLived(tokens, endpoints, client),
      identify: (tokens, endpoints) => this.#pages(tokens, endpoints),
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await this.#call(account, 'GET', `/${encodeURIComponent(this.#pageId(account))}?fields=id`);
    }, 'needs_reauth');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    if (post.video && post.images.length > 0) {
      throw new AppError('media_unsupported', 'Localpost posts photos or one video to a Facebook Page, not both.', { action: 'Keep the photos or the video for Facebook, then publish again.', delivery: 'not_sent' });
    }
    const unsupported = post.images.find((image) => !facebookPhotoTypes.includes(image.mime));
    if (unsupported) {
      throw new AppError('media_unsupported', `Facebook takes JPEG, PNG or GIF photos, and one is ${unsupported.mime}.`, { action: 'Replace the photo with a JPEG or PNG, then publish again.', delivery: 'not_sent' });
    }
    const handle = readHandle(post.uploadHandle.saved);
    if (handle.postId) return this.#published(account, handle.postId);
    if (post.video) return this.#publishVideo(account, post, handle);
    if (handle.sentAt !== undefined) {
      const found = await this.#lookUp(account, post, handle.sentAt);
      if (found) {
        this.deps.log.info('Facebook post from an earlier attempt found', { account: account.id });
        return this.#keep(post, handle, found);
      }
    }
    for (const image of post.images.slice(handle.photoIds.length)) {
      handle.photoIds.push(await this.#uploadPhoto(account, image));
      await post.uploadHandle.save(handle);
    }
    const link = firstLink(post.text);
    const form = new URLSearchParams({ message: post.text, published: 'true' });
    if (handle.photoIds.length > 0) {
      handle.photoIds.forEach((id, index) => form.set(`attached_media[${index}]`, JSON.stringify({ media_fbid: id })));
    } else if (link) form.set('link', link);
    await this.#markSent(post, handle);
    const answer = await this.#sendOnce(account, post, handle, () => this.#call(account, 'POST', `/${encodeURIComponent(this.#pageId(account))}/feed`, form));
    if ('found' in answer) return answer.found;
    return this.#keep(post, handle, await this.#published(account, idOf(answer.body, 'the post')));
  }

  async disconnect(account: Account): Promise<void> {
    // A Page token is not revoked alone: the user removes the app under Facebook's Settings →
    // Business integrations, which ends every Page's access at once.
    await this.deps.oauthAccounts.disconnect(account);
  }

  async #publishVideo(account: Account, post: OutgoingPost, handle: FacebookUploadHandle): Promise<PublishedPost> {
    const video = post.video!;
    if (handle.video && handle.sentAt !== undefined) {
      const found = await this.#findVideo(account, handle.video.videoId);
      if (found) {
        this.deps.log.info('Facebook video from an earlier attempt found', { account: account.id });
        return this.#keep(post, handle, found);
      }
    }
    if (!handle.video) {
      const started = (await this.#videoPhase(account, { upload_phase: 'start', file_size: String(video.bytes) })) as { upload_session_id?: unknown; video_id?: unknown };
      const offsets = offsetsOf(started);
      if (typeof started.upload_session_id !== 'string' || typeof started.video_id !== 'string' || !offsets) {
        throw new AppError('platform_rejected', 'Facebook started the video upload without naming its session.', { action: failureActions.tryLater, transient: true, delivery: 'not_sent' });
      }
      handle.video = { sessionId: started.upload_session_id, videoId: started.video_id, startOffset: offsets.start, endOffset: offsets.end };
      await post.uploadHandle.save(handle);
    }
    await this.#transfer(account, post, handle, handle.video);
    await this.#markSent(post, handle);
    const session = handle.video;
    let answer: { success?: unknown };
    try {
      answer = (await this.#videoPhase(account, { upload_phase: 'finish', upload_session_id: session.sessionId, description: post.text })) as { success?: unknown };
    } catch (error) {
      if (!(error instanceof DuplicatePost)) throw error;
      answer = { success: true };
    }
    if (answer.success !== true) {
      // Whether it was published only the Page's videos can tell: the next attempt looks.
      throw new AppError('platform_rejected', 'Facebook did not confirm the video was published.', { action: failureActions.tryLater, transient: true });
    }
    return this.#keep(post, handle, await this.#published(account, session.videoId));
  }

  /**
   * video-uploads, "Transfer": each range Facebook asks for, until it asks for none (start equals
   * end). After a lost answer the range is sent again, and Facebook's refusal (1363037) says the
   * range it wants instead.
   */
  async #transfer(account: Account, post: OutgoingPost, handle: FacebookUploadHandle, session: VideoSession): Promise<void> {
    const video = post.video!;
    let stalled = 0;
    while (session.startOffset < session.endOffset) {
      const { startOffset: start, endOffset: end } = session;
      if (end > video.bytes || start < 0) {
        throw new AppError('platform_rejected', `Facebook asked for bytes ${start}–${end} of a ${video.bytes}-byte video.`, { action: failureActions.tryLater, transient: true });
      }
      let next: { start: number; end: number } | null;
      try {
        next = offsetsOf(
          await this.#videoPhase(
            account,
            { upload_phase: 'transfer', upload_session_id: session.sessionId, start_offset: String(start) },
            () => fileRangeBody({ path: video.path, start, end }, (read) => post.reportProgress(start + read, video.bytes)),
          ),
        );
      } catch (error) {
        if (!(error instanceof TransferOffsets)) throw error;
        next = { start: error.start, end: error.end };
      }
      if (!next) throw new AppError('platform_rejected', 'Facebook answered a video chunk without the next range.', { action: failureActions.tryLater, transient: true });
      stalled = next.start > start ? 0 : stalled + 1;
      if (stalled >= 3) throw new AppError('platform_rejected', 'Facebook keeps asking for the same part of the video.', { action: failureActions.tryLater, transient: true });
      Object.assign(session, { startOffset: next.start, endOffset: next.end });
      await post.uploadHandle.save(handle);
      post.reportProgress(next.start, video.bytes);
    }
  }

  /** One request of the video upload: a form on the video host, the chunk as its file part. */
  async #videoPhase(account: Account, fields: Record<string, string>, chunk?: () => StreamedBody): Promise<unknown> {
    const url = `${graphApiBase(facebookHosts(this.deps.env).video, this.#version())}/${encodeURIComponent(this.#pageId(account))}/videos`;
    const form = multipartRequest(() => {
      const parts: MultipartPart[] = Object.entries(fields).map(([name, value]) => ({ name, value }));
      if (chunk) parts.push({ name: 'video_file_chunk', filename: 'chunk', contentType: 'application/octet-stream', streamed: chunk() });
      return parts;
    });
    return this.#read(await this.deps.oauthAccounts.authorizedFetch(account, url, acceptingJson(form)));
  }

  /** The video, if the Page shows it published (`GET /{page-id}/videos`, newest first). */
  async #findVideo(account: Account, videoId: string): Promise<PublishedPost | null> {
    const answer = (await this.#call(account, 'GET', `/${encodeURIComponent(this.#pageId(account))}/videos?fields=id,description,created_time,permalink_url&limit=25`)) as {
      data?: Array<{ id?: unknown; permalink_url?: unknown }>;
    };
    const match = answer.data?.find((item) => item.id === videoId);
    return match ? { uri: videoId, cid: null, url: permalinkOf(match.permalink_url) ?? (await this.#permalink(account, videoId)) } : null;
  }

  /** Sends the request that makes the post; a duplicate refusal (506) means it is there already. */
  async #sendOnce(account: Account, post: OutgoingPost, handle: FacebookUploadHandle, send: () => Promise<unknown>): Promise<{ body: unknown } | { found: PublishedPost }> {
    try {
      return { body: await send() };
    } catch (error) {
      if (!(error instanceof DuplicatePost)) throw error;
      this.deps.log.info('Facebook refused a duplicate post; looking for the one already there', { account: account.id });
      const found = await this.#lookUp(account, post, handle.sentAt ?? this.deps.clock.now());
      // Facebook says the post exists; without finding it, it still counts as published once, unlinked.
      return { found: await this.#keep(post, handle, found ?? { uri: null, cid: null, url: null }) };
    }
  }

  async #markSent(post: OutgoingPost, handle: FacebookUploadHandle): Promise<void> {
    handle.sentAt ??= this.deps.clock.now();
    await post.uploadHandle.save(handle);
  }

  async #keep(post: OutgoingPost, handle: FacebookUploadHandle, published: PublishedPost): Promise<PublishedPost> {
    if (published.uri) await post.uploadHandle.save({ ...handle, postId: published.uri } satisfies FacebookUploadHandle);
    return published;
  }

  /** Page photos reference: `source` as multipart, `published=false` so it is no post of its own. */
  async #uploadPhoto(account: Account, image: OutgoingPost['images'][number]): Promise<string> {
    const extension = image.mime === 'image/png' ? 'png' : image.mime === 'image/gif' ? 'gif' : 'jpg';
    const form = multipartRequest(() => [
      { name: 'published', value: 'false' },
      { name: 'source', filename: `photo.${extension}`, contentType: image.mime, streamed: image.body() },
    ]);
    const response = await this.deps.oauthAccounts.authorizedFetch(account, `${this.#apiBase()}/${encodeURIComponent(this.#pageId(account))}/photos`, acceptingJson(form));
    return idOf(await this.#read(response), 'a photo');
  }

  /**
   * The post an earlier attempt made, among the Page's latest since `since` with the same text
   * (`published_posts`, pages-api/posts, "Get posts").
   */
  async #lookUp(account: Account, post: OutgoingPost, since: number): Promise<PublishedPost | null> {
    const after = since - lookupSkewMs;
    const answer = (await this.#call(account, 'GET', `/${encodeURIComponent(this.#pageId(account))}/published_posts?fields=id,message,created_time,permalink_url&limit=25`)) as {
      data?: Array<{ id?: unknown; message?: unknown; created_time?: unknown; permalink_url?: unknown }>;
    };
    const match = answer.data?.find((item) => {
      const created = typeof item.created_time === 'string' ? Date.parse(item.created_time) : NaN;
      return typeof item.id === 'string' && (item.message ?? '') === post.text && created >= after;
    });
    if (!match) return null;
    return { uri: match.id as string, cid: null, url: permalinkOf(match.permalink_url) ?? (await this.#permalink(account, match.id as string)) };
  }

  /** The published post with its permalink, for History. */
  async #published(account: Account, postId: string): Promise<PublishedPost> {
    return { uri: postId, cid: null, url: await this.#permalink(account, postId) };
  }

  async #permalink(account: Account, id: string): Promise<string | null> {
    try {
      const answer = (await this.#call(account, 'GET', `/${encodeURIComponent(id)}?fields=permalink_url`)) as { permalink_url?: unknown };
      return permalinkOf(answer.permalink_url);
    } catch (error) {
      // The post is out; only its link is missing from History.
      this.deps.log.warn('Facebook permalink unavailable', { account: account.id, error });
      return null;
    }
  }

  /** get-long-lived: `GET /oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token`. */
  async #longLived(tokens: TokenSet, endpoints: OAuthEndpoints, client: OAuthClientCredentials): Promise<TokenSet> {
    if (!client.clientSecret) throw new AppError('developer_app_missing', 'Facebook needs your app’s secret to keep the sign-in.', { action: 'Add the App secret in Settings → Developer apps → Facebook.' });
    // Both ride in the query string, as Meta documents the exchange: kept out of every log.
    registerSecret(tokens.accessToken);
    registerSecret(client.clientSecret);
    const url = new URL(endpoints.tokenUrl);
    url.searchParams.set('grant_type', 'fb_exchange_token');
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('client_secret', client.clientSecret);
    url.searchParams.set('fb_exchange_token', tokens.accessToken);
    const body = (await this.#read(await this.deps.fetch(url.href, { headers: { accept: 'application/json' } }))) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new AppError('platform_rejected', 'Facebook answered the token exchange without a token.', { action: 'Connect again.' });
    }
    registerSecret(body.access_token);
    const now = this.deps.clock.now();
    return { accessToken: body.access_token, obtainedAt: now, ...(typeof body.expires_in === 'number' ? { expiresAt: now + body.expires_in * 1000 } : {}), scope: tokens.scope, tokenType: 'bearer' };
  }

  /**
   * Every Page the long-lived user token may post to, each with its own Page token (pages-api/
   * getting-started: `GET /me/accounts`, paged with `paging.next`). A Page whose tasks lack
   * CREATE_CONTENT is left out with a note: posting to it would be refused.
   *
   * A Page's linked Instagram professional account comes in the same answer
   * (`instagram_business_account`, instagram-platform/instagram-api-with-facebook-login: the Page's
   * token publishes to it) and becomes an Instagram account of its own, once however many Pages
   * name it. Meta leaves the field out where the user did not grant instagram_basic.
   */
  async #pages(tokens: TokenSet, endpoints: OAuthEndpoints): Promise<SignedInIdentities> {
    const identities: Array<SignedInIdentities['identities'][number]> = [];
    const notes: string[] = [];
    const apiOrigin = new URL(endpoints.apiBase).origin;
    const instagramIds = new Set<string>();
    let next: string | null = `${endpoints.apiBase}/me/accounts?fields=id,name,access_token,tasks,picture,instagram_business_account{id,username,name,profile_picture_url}&limit=100`;
    for (let pages = 0; next && pages < 50; pages++) {
      const response = await this.deps.fetch(next, { headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' } });
      const answer = (await this.#read(response)) as { data?: PageEntry[]; paging?: { next?: unknown } };
      for (const page of answer.data ?? []) {
        if (typeof page.id !== 'string' || typeof page.access_token !== 'string' || page.access_token === '') continue;
        registerSecret(page.access_token);
        const name = typeof page.name === 'string' && page.name.trim() ? page.name.trim() : page.id;
        const tasks = Array.isArray(page.tasks) ? page.tasks : [];
        if (!tasks.includes('CREATE_CONTENT')) {
          notes.push(`${name} was left out: your role on it does not let you create posts (Facebook’s CREATE_CONTENT task).`);
          continue;
        }
        const picture = page.picture?.data?.url;
        identities.push({
          remoteId: page.id,
          // A Page is known by its name; there is no second name to show beside it.
          handle: name,
          displayName: null,
          avatarUrl: typeof picture === 'string' ? picture : null,
          extra: { pageId: page.id },
          tokens: { accessToken: page.access_token, obtainedAt: this.deps.clock.now(), scope: tokens.scope, tokenType: 'bearer' },
        });
        const instagram = page.instagram_business_account;
        if (typeof instagram?.id === 'string' && /^\d+$/.test(instagram.id) && !instagramIds.has(instagram.id)) {
          instagramIds.add(instagram.id);
          const username = typeof instagram.username === 'string' && instagram.username.trim() ? instagram.username.trim() : instagram.id;
          identities.push({
            remoteId: instagram.id,
            handle: username,
            displayName: typeof instagram.name === 'string' && instagram.name.trim() ? instagram.name.trim() : null,
            avatarUrl: typeof instagram.profile_picture_url === 'string' ? instagram.profile_picture_url : null,
            extra: { ...facebookLoginInstagramExtra(instagram.id), pageId: page.id },
            tokens: { accessToken: page.access_token, obtainedAt: this.deps.clock.now(), scope: tokens.scope, tokenType: 'bearer' },
            filedUnder: { platform: 'instagram', platformName: 'Instagram', service: instagramService },
          });
        }
      }
      // The next page only from the same API host: the address comes from the answer.
      const candidate = typeof answer.paging?.next === 'string' ? URL.parse(answer.paging.next) : null;
      next = candidate && candidate.origin === apiOrigin ? candidate.href : null;
    }
    if (identities.length === 0) {
      throw new AppError('facebook.pages.none', `Facebook named no Page you can post to${notes.length > 0 ? ` (${notes.join(' ')})` : ''}.`, {
        action: 'Create a Facebook Page, or connect again and, in Facebook’s dialog, choose “Edit settings” and tick the Pages Localpost may use.',
      });
    }
    return { identities, notes };
  }

  #endpoints(): OAuthEndpoints {
    return facebookEndpoints(this.deps.env, this.#version());
  }

  #version(): string {
    return this.deps.settings().metaGraphApiVersion;
  }

  #apiBase(): string {
    return this.#endpoints().apiBase;
  }

  #pageId(account: Account): string {
    return this.deps.oauthAccounts.extra(account).pageId ?? account.remoteId;
  }

  /** A Graph API call with the Page's token (Meta takes it as `Authorization: Bearer`). */
  #call(account: Account, method: 'GET' | 'POST', path: string, form?: URLSearchParams): Promise<unknown> {
    return graphCall(this.deps, account, { method, url: `${this.#apiBase()}${path}`, ...(form ? { form } : {}) }, (response) => this.#read(response));
  }

  #read(response: Response): Promise<object> {
    const now = this.deps.clock.now();
    return readGraphAnswer(platformName, response, now, (error, body) => {
      if (error && isDuplicate(error)) return new DuplicatePost();
      const offsets = error && (error.code === 1363037 || error.subcode === 1363037) ? offsetsOf(errorData(body)) : null;
      if (offsets) return new TransferOffsets(offsets.start, offsets.end);
      return error && facebookRefusal(error, now);
    });
  }
}

/** Graph's "Duplicate status message" (506, error-handling): the same text posted twice in a row. */
class DuplicatePost extends Error {}

/** A video chunk Facebook did not take at that offset; it says the range it wants (video-api error codes, 1363037). */
class TransferOffsets extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    super(`Facebook wants bytes ${start}–${end}`);
  }
}

/** `error.error_data`, an object or the JSON of one as Graph sends it. */
function errorData(body: unknown): unknown {
  const data = (body as { error?: { error_data?: unknown } } | null)?.error?.error_data;
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

/** `start_offset` and `end_offset`, numbers or the numeric strings Graph answers with. */
function offsetsOf(value: unknown): { start: number; end: number } | null {
  const record = (value && typeof value === 'object' ? value : {}) as { start_offset?: unknown; end_offset?: unknown };
  const start = Number(record.start_offset);
  const end = Number(record.end_offset);
  return Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start && record.start_offset !== undefined ? { start, end } : null;
}

function isDuplicate(error: MetaGraphError): boolean {
  return error.code === 506 || error.subcode === 506;
}

/**
 * Facebook's own refusals of a Page post (error-handling, and the codes posting tools meet), with
 * words that say what to do; null for the codes every Meta platform shares (metaGraphErrors.ts).
 */
export function facebookRefusal(error: MetaGraphError, now: number): AppError | null {
  const said = metaSaid(error);
  const has = (code: number) => error.code === code || error.subcode === code;
  if (has(1390008)) {
    return new AppError('rate_limited', `Facebook says this Page is posting too fast: ${said}`, { action: 'Localpost tries again in an hour; nothing was posted.', retryAt: now + 60 * 60_000, delivery: 'not_sent' });
  }
  if (has(1404078) || has(4854002)) {
    return new AppError('platform_rejected', `Facebook wants this Page’s publishing authorization (or your identity) confirmed before it posts: ${said}`, {
      action: 'Open the Page on facebook.com, complete Page Publishing Authorization under its settings, then publish again.',
      delivery: 'not_sent',
    });
  }
  if (has(1609005)) {
    return new AppError('platform_rejected', `Facebook could not read the link in the post: ${said}`, { action: 'Check the link opens in a browser, or remove it, then publish again.', delivery: 'not_sent' });
  }
  if (has(368)) {
    return new AppError('platform_rejected', `Facebook blocked this post under its Community Standards or spam rules: ${said}`, {
      action: 'Change the post, or wait: Facebook lifts temporary blocks by itself. Its Support Inbox says more.',
      delivery: 'not_sent',
    });
  }
  return null;
}

function idOf(body: unknown, what: string): string {
  const id = (body as { id?: unknown; post_id?: unknown }).post_id ?? (body as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') {
    // Whether it was made only a look-up can tell: the next attempt does it.
    throw new AppError('platform_rejected', `Facebook answered without ${what}’s id.`, { action: failureActions.tryLater, transient: true });
  }
  return id;
}

function permalinkOf(value: unknown): string | null {
  return typeof value === 'string' && /^https:\/\//.test(value) ? value : null;
}

/** The first web address in the text: Facebook shows its preview when it is the post's `link`. */
export function firstLink(text: string): string | null {
  return /\bhttps?:\/\/[^\s<>"]+/i.exec(text)?.[0]?.replace(/[.,;:!?)\]]+$/, '') ?? null;
}

function readHandle(saved: unknown): FacebookUploadHandle {
  const handle = (saved && typeof saved === 'object' ? saved : {}) as Partial<FacebookUploadHandle>;
  const video = handle.video;
  const session =
    video && typeof video.sessionId === 'string' && typeof video.videoId === 'string' && Number.isSafeInteger(video.startOffset) && Number.isSafeInteger(video.endOffset) ? video : null;
  return {
    photoIds: Array.isArray(handle.photoIds) ? handle.photoIds.filter((id): id is string => typeof id === 'string') : [],
    ...(session ? { video: { sessionId: session.sessionId, videoId: session.videoId, startOffset: session.startOffset, endOffset: session.endOffset } } : {}),
    ...(typeof handle.sentAt === 'number' ? { sentAt: handle.sentAt } : {}),
    ...(typeof handle.postId === 'string' ? { postId: handle.postId } : {}),
  };
}
