// Bluesky with an app password: one createSession when the user connects, then the session
// (access + refresh JWT) lives in the vault and is reused for every post and across restarts.
// Never a login per post: the PDS hashes the password on every login and bsky.social limits
// createSession to 30 per 5 minutes (docs.bsky.app, advanced-guides/rate-limits).
//
// The session is @atproto/lex-password-session's PasswordSession (its calls go to the PDS the
// session's DID document names; an expired access token is refreshed once, one refresh at a time,
// and the call sent again; the rotated tokens are handed to onUpdated before any call uses them);
// the calls are @atproto/lex-client's, records written as the lexicons describe them
// (app.bsky.feed.post, app.bsky.embed.*), blobs as the JSON the PDS answered with.
import { TID } from '@atproto/common-web/dist/tid.js';
import { Client, XrpcResponseError } from '@atproto/lex-client';
import { extractPdsEndpoint, PasswordSession, type SessionData } from '@atproto/lex-password-session';
import { connectConfirmations, type Account, type ConnectConfirmation } from '../../../../src-preload/contract';
import type { AccountStore } from '../../accounts/accountStore';
import { secretIdFor } from '../../accounts/accountStore';
import { AppError } from '../../errors';
import { confirmServerAddress, type AddressPolicy } from '../../http/addressPolicy';
import { assertFileSize, fileRangeBody, streamedRequest, type StreamedBody } from '../../http/fileRangeBody';
import type { Logger } from '../../log/logger';
import { quotaExhaustedUntil } from '../../http/rateLimit';
import type { Clock, HttpFetch } from '../../ports';
import type { Vault } from '../../vault/vault';
import type { ConnectionCheck, OutgoingPost, PlatformAdapter, PostReference, PublishedPost } from '../adapter';
import { facetsOf, type Facet } from '../../compose/richTextFacets';
import type { AccountIdentity } from './accountIdentity';
import { blueskyError, XrpcAnswerError, xrpcAnswerError, xrpcFailureFacts } from './errors';
import { normalizeHandle, normalizeService, postWebUrl } from './identity';
import type { AccountAvatars } from '../../accounts/accountAvatars';

/** What the vault keeps for a Bluesky account. */
interface StoredSession {
  /** PasswordSession's data: the tokens, the service signed in to, and the DID document whose PDS the calls go to. */
  session: SessionData;
  /** The account's own PDS, from its DID document; may differ from the entryway it logged in to. */
  pdsUrl: string | null;
}

/** A session saved before Localpost used PasswordSession: no `service`, no DID document. */
type SavedSession = Omit<SessionData, 'service'> & { service?: string };

/** One account's session, and the client whose calls go through it. */
interface Agent {
  session: PasswordSession;
  client: Client;
}

export interface BlueskyLogin {
  service: string;
  handle: string;
  appPassword: string;
  authFactorToken?: string;
}

/** What the user typed to connect, and what they already said yes to when asked. */
export interface BlueskyConnectInput extends BlueskyLogin {
  confirm?: ConnectConfirmation[] | undefined;
}

const postCollection = 'app.bsky.feed.post';

/** A blob as the PDS answers uploadBlob with, and as a record names it (lexicon `blob`). */
interface BlobJson {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}

type Embed =
  | { $type: 'app.bsky.embed.video'; video: BlobJson; aspectRatio: { width: number; height: number }; alt?: string }
  | { $type: 'app.bsky.embed.images'; images: Array<{ image: BlobJson; alt: string; aspectRatio: { width: number; height: number } }> }
  | { $type: 'app.bsky.embed.external'; external: { uri: string; title: string; description: string; thumb?: BlobJson } };

/** A record as lex-client's createRecord takes it (a map of lexicon values with its `$type`); ours
 *  are plain JSON, typed by interfaces that have no index signature, hence the cast where it is sent. */
type LexRecord = Parameters<Client['createRecord']>[0];

interface StrongRef {
  uri: string;
  cid: string;
}

export class BlueskyAdapter implements PlatformAdapter {
  readonly platform = 'bluesky' as const;
  // Exactly once: each target's record key (a TID) is chosen when it is queued and stored, every
  // attempt writes that same key, and a lookup of the key tells whether an uncertain attempt
  // created the post (com.atproto.repo.getRecord). The AT Protocol needs no idempotency header.
  readonly newIdempotencyKey = () => TID.nextStr();
  // One session per account: it lets only one refresh run at a time, and every call for that
  // account waits for a refresh in flight.
  readonly #agents = new Map<string, Agent>();

  constructor(
    private readonly deps: {
      vault: Vault;
      accounts: AccountStore;
      fetch: HttpFetch;
      clock: Clock;
      log: Logger;
      onAccountChanged: (account: Account) => void;
      /** Loaded at the first sign-in: only connecting checks whose account a session is. */
      identity: () => Promise<AccountIdentity>;
      addressPolicy: AddressPolicy;
      avatars: AccountAvatars;
    },
  ) {}

  /** Creates a session with the app password and checks whose it is. The password itself is never stored. */
  async login(input: BlueskyLogin): Promise<{ did: string; handle: string; stored: StoredSession }> {
    let session: SessionData;
    try {
      ({ session } = await PasswordSession.login({
        service: input.service,
        identifier: input.handle,
        password: input.appPassword,
        ...(input.authFactorToken ? { authFactorToken: input.authFactorToken.trim() } : {}),
        fetch: this.deps.fetch,
      }));
    } catch (error) {
      throw blueskyError(error, 'connect');
    }
    // The DID came from the server the user typed: it is checked against the DID's own record
    // before anything is saved, and the PDS named there (not the one the server said) is kept.
    const identity = await this.deps.identity();
    const { pds } = await identity.verify({ did: session.did, handle: session.handle, service: input.service, accessJwt: session.accessJwt });
    return {
      did: session.did,
      handle: session.handle,
      stored: { session: withPds(session, pds), pdsUrl: pds },
    };
  }

  /**
   * Connects an account to a profile: signs in with the app password, checks whose the session
   * is, and saves the account with its session. A server on a private address, or an account that
   * moved to another server, is saved only once the user said yes to it.
   */
  async connect(input: BlueskyConnectInput, profileId: string): Promise<{ account: Account; updatedExisting: boolean }> {
    this.deps.vault.requireOpen(); // before signing in: the session could not be kept
    // Validate before anything touches the network.
    const handle = normalizeHandle(input.handle);
    const service = normalizeService(input.service);
    await confirmServerAddress(this.deps.addressPolicy, new URL(service), input.confirm?.includes(connectConfirmations.address_private) ?? false);
    const login = await this.login({
      service,
      handle,
      appPassword: input.appPassword,
      ...(input.authFactorToken ? { authFactorToken: input.authFactorToken } : {}),
    });
    const { account, updatedExisting } = this.deps.accounts.upsertConnected({
      profileId,
      platform: 'bluesky',
      remoteId: login.did,
      handle: login.handle,
      service,
      displayName: null,
      serverChangeConfirmed: input.confirm?.includes(connectConfirmations.account_server_changed) ?? false,
    });
    this.adoptSession(account, login.stored);
    this.deps.log.info('Bluesky account connected', { account: account.id, updatedExisting });
    await this.deps.avatars.keep(account.id, await this.#avatarUrl(account, login));
    return { account: this.deps.accounts.findAny(account.id) ?? account, updatedExisting };
  }

  /**
   * Where the account's picture is: the `avatar` blob of its profile record
   * (app.bsky.actor.profile, rkey `self`), served by its own PDS (com.atproto.sync.getBlob), not
   * by an AppView's CDN. None when the account has no profile or no picture.
   */
  async #avatarUrl(account: Account, login: { did: string; stored: StoredSession }): Promise<string | null> {
    try {
      const { body } = await this.#agentFor(account).client.getRecord('app.bsky.actor.profile', 'self', { repo: login.did as `did:${string}:${string}` });
      const cid = cidOf((body.value as { avatar?: { ref?: unknown } }).avatar?.ref);
      if (!cid) return null;
      const url = new URL('/xrpc/com.atproto.sync.getBlob', login.stored.pdsUrl ?? account.service);
      url.searchParams.set('did', login.did);
      url.searchParams.set('cid', cid);
      return url.href;
    } catch {
      return null;
    }
  }

  /** Takes over a session from `login` for a saved account. */
  adoptSession(account: Account, stored: StoredSession): void {
    this.deps.vault.put(secretIdFor(account.id), JSON.stringify(stored));
    this.#agents.delete(account.id);
  }

  async checkConnection(account: Account): Promise<ConnectionCheck> {
    try {
      const { session } = this.#agentFor(account);
      // A refresh is the one call that proves the grant itself still stands: a revoked app password
      // invalidates its refresh token at once, while an issued access token may outlive it.
      await session.refresh();
      const answer = await session.fetchHandler('/xrpc/com.atproto.server.getSession', { method: 'GET', headers: { accept: 'application/json' } });
      if (!answer.ok) throw await xrpcAnswerError(answer);
      await answer.body?.cancel();
      return { status: 'connected' };
    } catch (error) {
      const mapped = blueskyError(error, 'check', this.deps.clock.now());
      // A locked vault says nothing about the session: it is there, only not readable yet.
      if (mapped.code === 'platform_auth_failed' || mapped.code === 'invalid_credentials') {
        return { status: 'needs_reauth', reason: mapped.message };
      }
      return { status: 'error', reason: mapped.message };
    }
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const agent = this.#agentFor(account);
    try {
      // Read once: a session that ends during this publish no longer has one to give.
      const did = agent.session.did;
      // Links, #hashtags and @mentions as facets with UTF-8 byte offsets; mentions are resolved to
      // DIDs through the PDS (as @atproto/api's RichText.detectFacets does: one that does not
      // resolve keeps an empty DID, which Bluesky's apps show as plain text).
      const facets = await resolveMentions(agent.session, facetsOf(post.text));
      const embed = await this.#embedFor(agent, post);
      const record = {
        $type: 'app.bsky.feed.post' as const,
        text: post.text,
        ...(facets.length ? { facets } : {}),
        ...(post.langs.length ? { langs: post.langs } : {}),
        ...(embed ? { embed } : {}),
        ...(post.replyTo ? { reply: replyRefs(post.replyTo) } : {}),
        createdAt: new Date(post.createdAt).toISOString(),
      };
      const rkey = TID.is(post.idempotencyKey) ? post.idempotencyKey : undefined;
      try {
        const { body, headers } = await agent.client.createRecord(record as unknown as LexRecord, rkey, { repo: did });
        const quotaResetAt = quotaExhaustedUntil(headers, this.deps.clock.now());
        return { uri: body.uri, cid: body.cid, url: postWebUrl(account.service, body.uri), ...(quotaResetAt ? { quotaResetAt } : {}) };
      } catch (error) {
        // An earlier attempt whose answer was lost already wrote this key: that is the post.
        const existing = rkey && error instanceof XrpcResponseError && error.status === 400 ? await this.#findRecord(account, agent, did, rkey) : null;
        if (existing) return existing;
        throw error;
      }
    } catch (error) {
      throw blueskyError(error, 'publish', this.deps.clock.now());
    }
  }

  async findPublished(account: Account, post: OutgoingPost): Promise<PublishedPost | null | undefined> {
    if (!TID.is(post.idempotencyKey)) return undefined;
    try {
      const agent = this.#agentFor(account);
      return await this.#findRecord(account, agent, agent.session.did, post.idempotencyKey);
    } catch (error) {
      throw blueskyError(error, 'publish', this.deps.clock.now());
    }
  }

  /** The post at this record key in the account's repo, or null when there is none. */
  async #findRecord(account: Account, agent: Agent, did: `did:${string}:${string}`, rkey: string): Promise<PublishedPost | null> {
    try {
      const { body } = await agent.client.getRecord(postCollection, rkey, { repo: did });
      return { uri: body.uri, cid: body.cid ?? null, url: postWebUrl(account.service, body.uri) };
    } catch (error) {
      const failure = error instanceof XrpcResponseError ? xrpcFailureFacts(error) : undefined;
      if (failure && (failure.error === 'RecordNotFound' || /could not locate record/i.test(failure.message))) return null;
      throw error;
    }
  }

  async disconnect(account: Account): Promise<void> {
    const agent = this.#agents.get(account.id) ?? this.#tryAgentFor(account);
    this.#agents.delete(account.id);
    if (agent && !agent.session.destroyed) {
      // deleteSession at the PDS; a failure there is ignored: the local credentials go
      // regardless, which is what the user asked for.
      await agent.session.logout().catch(() => {});
    }
    this.deps.vault.delete(secretIdFor(account.id));
  }

  async #embedFor(agent: Agent, post: OutgoingPost): Promise<Embed | undefined> {
    if (post.video) {
      // The video goes to the PDS itself as a blob of the account's own repo. Bluesky's app sends
      // video to its video service (video.bsky.app), which transcodes it to HLS and then writes
      // the blob to the PDS; the lexicon allows any `video/mp4` blob (app.bsky.embed.video), so
      // the file goes only to the user's own hosting provider, with no third-party service and no
      // service-auth token minted for one. The AppView transcodes such a blob when it first serves it.
      const { video } = post;
      await assertFileSize(video.path, video.bytes);
      const blob = await uploadFileBlob(agent.session, video.mime, () => fileRangeBody({ path: video.path, start: 0, end: video.bytes }, (sent) => post.reportProgress(sent, video.bytes)));
      // app.bsky.embed.video: one `video/mp4` blob, with its aspect ratio so a client lays the
      // player out before it loads, and its alt text where there is one.
      return {
        $type: 'app.bsky.embed.video' as const,
        video: blob,
        aspectRatio: { width: post.video.width, height: post.video.height },
        ...(post.video.alt.trim() ? { alt: post.video.alt } : {}),
      };
    }
    if (post.images.length > 0) {
      const images = [];
      for (const image of post.images) {
        images.push({ image: await uploadFileBlob(agent.session, image.mime, () => image.body()), alt: image.alt, aspectRatio: { width: image.width, height: image.height } });
      }
      return { $type: 'app.bsky.embed.images' as const, images };
    }
    if (post.linkCard) {
      const card = post.linkCard;
      const thumb = card.image ? await uploadBlob(agent.client, card.image.bytes, card.image.mime) : undefined;
      return {
        $type: 'app.bsky.embed.external' as const,
        external: { uri: card.url, title: card.title, description: card.description, ...(thumb ? { thumb } : {}) },
      };
    }
    return undefined;
  }

  #agentFor(account: Account): Agent {
    const agent = this.#tryAgentFor(account);
    if (!agent) {
      throw new AppError('platform_auth_failed', `@${account.handle} has no saved session.`, {
        action: 'Reconnect the account with an app password.',
      });
    }
    return agent;
  }

  #tryAgentFor(account: Account): Agent | undefined {
    const cached = this.#agents.get(account.id);
    if (cached) return cached;
    const raw = this.deps.vault.get(secretIdFor(account.id));
    if (!raw) return undefined;
    const stored = JSON.parse(raw) as { session: SavedSession; pdsUrl: string | null };
    // A session saved before it carried these: the service is the account's, the PDS the one kept beside it.
    const data = withPds({ ...stored.session, service: stored.session.service ?? account.service }, stored.pdsUrl);
    let pdsUrl = stored.pdsUrl;
    // Restored as it was, without a round trip (and token rotation): an expired access token is
    // refreshed on first use instead.
    const session = new PasswordSession(data, {
      fetch: this.deps.fetch,
      onUpdated: (updated) => {
        // Awaited by the session right after a refresh, before the new tokens are used: the
        // rotated refresh token is on disk before anything can depend on it.
        pdsUrl = originOf(extractPdsEndpoint(updated.didDoc)) ?? pdsUrl;
        try {
          this.deps.vault.put(secretIdFor(account.id), JSON.stringify({ session: updated, pdsUrl } satisfies StoredSession));
          this.deps.log.info('Bluesky session refreshed', { account: account.id });
        } catch (error) {
          // The session must not fail here (it would refuse every later call): the new tokens
          // work in memory for now, and the next refresh saves them.
          this.deps.log.warn('Bluesky session refreshed but not saved', { account: account.id, error: (error as Error).name });
        }
      },
      onUpdateFailure: () => this.deps.log.warn('Bluesky session could not be refreshed now', { account: account.id }),
      onDeleted: () => this.#sessionEnded(account),
    });
    const agent: Agent = { session, client: new Client(session) };
    this.#agents.set(account.id, agent);
    return agent;
  }

  /** The server refused the refresh token (or the session was logged out): the account needs connecting again. */
  #sessionEnded(account: Account): void {
    this.#agents.delete(account.id);
    this.deps.vault.delete(secretIdFor(account.id));
    const current = this.deps.accounts.find(account.profileId, account.id);
    if (current) {
      this.deps.accounts.setStatus(account.id, 'needs_reauth', 'Bluesky no longer accepts this session: the app password was revoked or the session expired.');
      this.deps.onAccountChanged(this.deps.accounts.find(account.profileId, account.id)!);
    }
  }
}

/**
 * A reply's `reply` field (app.bsky.feed.post lexicon, #replyRef): the thread's root and the post
 * it answers, each a strong reference (com.atproto.repo.strongRef: uri and cid), so the reply
 * names the exact version of the posts it answers.
 */
function replyRefs(replyTo: NonNullable<OutgoingPost['replyTo']>): { root: StrongRef; parent: StrongRef } {
  const strong = (ref: PostReference) => {
    if (!ref.cid) {
      throw new AppError('not_found', 'The post this reply answers has no record CID Localpost could point to.', {
        action: 'Post the rest of the thread by hand.',
      });
    }
    return { uri: ref.uri, cid: ref.cid };
  };
  return { root: strong(replyTo.root), parent: strong(replyTo.parent) };
}

/** com.atproto.repo.uploadBlob with the bytes, sent as they are (a Blob streams from memory); the blob as the PDS names it. */
async function uploadBlob(client: Client, bytes: Uint8Array | Blob, mime: string): Promise<BlobJson> {
  const { body } = await client.uploadBlob(bytes, { encoding: mime as `${string}/${string}` });
  const { blob } = body;
  return blobOf({ blob: 'ref' in blob ? { ...blob, ref: { $link: cidOf(blob.ref) } } : blob });
}

/**
 * A file as a blob in the account's repo, through com.atproto.repo.uploadBlob at its PDS. Sent
 * through the session's fetch handler rather than lex-client's uploadBlob: a followed redirect tees
 * a streamed body and keeps every byte sent (see `streamedRequest`); the file is read from disk as
 * the connection takes it, with its exact length (`body` makes it). A streamed body cannot be sent
 * twice: the session refreshes an expired access token and hands back the refusal, and the upload
 * starts over from the file with the new token.
 */
async function uploadFileBlob(session: PasswordSession, mime: string, body: () => StreamedBody): Promise<BlobJson> {
  const send = async () => {
    const streamed = body();
    try {
      return await session.fetchHandler('/xrpc/com.atproto.repo.uploadBlob', {
        method: 'POST',
        ...streamedRequest(streamed, { 'content-type': mime, accept: 'application/json' }),
      });
    } catch (error) {
      throw streamed.failure ?? error;
    }
  };
  // (A session ended meanwhile has no token; its fetch handler then throws the refusal that ended it.)
  const token = session.destroyed ? undefined : session.session.accessJwt;
  let response = await send();
  let problem = response.ok ? undefined : await xrpcAnswerError(response);
  if (problem && (problem.status === 401 || problem.error === 'ExpiredToken') && !session.destroyed && session.session.accessJwt !== token) {
    response = await send();
    problem = response.ok ? undefined : await xrpcAnswerError(response);
  }
  if (problem) throw problem;
  return blobOf(await response.json().catch(() => ({})));
}

/** The `blob` of an uploadBlob answer, checked to be one (its `ref` a CID link). */
function blobOf(answer: unknown): BlobJson {
  const blob = (answer as { blob?: Partial<BlobJson> } | undefined)?.blob;
  if (!blob || blob.$type !== 'blob' || typeof blob.ref?.$link !== 'string' || typeof blob.mimeType !== 'string' || typeof blob.size !== 'number') {
    throw new XrpcAnswerError(2, 'InvalidResponse', 'uploadBlob answered without a blob.', new Headers());
  }
  return { $type: 'blob', ref: { $link: blob.ref.$link }, mimeType: blob.mimeType, size: blob.size };
}

/** A CID link as a string: `{ $link }` in JSON, a CID object once lex-client has read it. */
function cidOf(ref: unknown): string | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  const link = (ref as { $link?: unknown }).$link;
  if (typeof link === 'string') return link;
  // A CID (multiformats) prints as its base32 string.
  return 'multihash' in ref && 'version' in ref ? String(ref) : undefined;
}

/** The origin of an http(s) URL, or undefined. */
function originOf(url: string | null | undefined): string | undefined {
  const parsed = url ? URL.parse(url) : null;
  return parsed && /^https?:$/.test(parsed.protocol) ? parsed.origin : undefined;
}

/**
 * The session with a DID document naming `pds` as its PDS, when the one it has names another (or
 * none): PasswordSession sends its calls to the PDS of the session's DID document
 * (atproto.com/specs/did, "DID Documents"), and the PDS that counts is the one the DID's own
 * document names, resolved apart from the server's answer when the account was connected.
 */
function withPds(session: SessionData, pds: string | null): SessionData {
  if (!pds || originOf(extractPdsEndpoint(session.didDoc)) === originOf(pds)) return session;
  return { ...session, didDoc: { id: session.did, service: [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: pds }] } };
}

/**
 * Each mention's handle resolved to its DID through the PDS (com.atproto.identity.resolveHandle);
 * one that does not resolve gets an empty DID, as @atproto/api's RichText.detectFacets leaves it.
 */
async function resolveMentions(session: PasswordSession, facets: Facet[]): Promise<Facet[]> {
  await Promise.allSettled(
    facets.flatMap((facet) =>
      facet.features.map(async (feature) => {
        if (feature.$type !== 'app.bsky.richtext.facet#mention') return;
        const did = await resolveHandle(session, feature.did).catch(() => undefined);
        feature.did = did || '';
      }),
    ),
  );
  return facets;
}

/** com.atproto.identity.resolveHandle at the account's PDS (not a call lex-client carries a lexicon for). */
async function resolveHandle(session: PasswordSession, handle: string): Promise<string | undefined> {
  const answer = await session.fetchHandler(`/xrpc/com.atproto.identity.resolveHandle?${new URLSearchParams({ handle })}`, { method: 'GET', headers: { accept: 'application/json' } });
  if (!answer.ok) throw await xrpcAnswerError(answer);
  const { did } = (await answer.json()) as { did?: unknown };
  return typeof did === 'string' ? did : undefined;
}
