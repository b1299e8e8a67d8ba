// Who a Bluesky sign-in really is. createSession's answer names a DID, but that answer comes from
// whatever server the user typed, which could name any account. A DID's own document says where
// the account lives: it is resolved here independently of that server (did:plc from the PLC
// directory, did:web from https://<host>/.well-known/did.json; atproto.com/specs/did), and its
// `#atproto_pds` service and `alsoKnownAs` handle must agree with the sign-in before anything is
// saved (atproto.com/specs/handle: a handle is only trusted when DID and handle point at each other).
import { getPdsEndpoint, type DidDocument } from '@atproto/common-web';
import { DidResolver, HandleResolver } from '@atproto/identity';
import { AppError } from '../../errors';
import { describeNonPublic, type AddressPolicy } from '../../http/addressPolicy';
import { findAppError } from '../../http/httpClient';
import { assertSafeEndpoint } from '../../oauth/endpoints';
import type { HttpFetch } from '../../ports';

export const defaultPlcDirectory = 'https://plc.directory';

export interface BlueskySignIn {
  did: string;
  handle: string;
  /** The hosting provider the user signed in to (an origin). */
  service: string;
  accessJwt: string;
}

export class AccountIdentity {
  readonly #dids: DidResolver;
  readonly #handles: HandleResolver;

  constructor(
    private readonly deps: {
      fetch: HttpFetch;
      /**
       * Where the answers of the server and of the directory may send Localpost: a did:web
       * document, a handle's /.well-known, the PDS a document names. They are the server's
       * words, so they get the same address policy as a link in a post: only the server the
       * user named (and, if private, confirmed) may be on a non-public address.
       */
      addressPolicy: AddressPolicy;
      /** The PLC directory that answers for did:plc (default https://plc.directory). */
      plcUrl?: string;
      timeoutMs?: number;
    },
  ) {
    const timeout = deps.timeoutMs ?? 10_000;
    // Whoever answers for the directory decides who every did:plc account is: https only (or a
    // directory on this computer, for tests).
    this.#dids = new DidResolver({ plcUrl: assertSafeEndpoint(deps.plcUrl ?? defaultPlcDirectory, 'The PLC directory'), timeout });
    this.#handles = new HandleResolver({ timeout });
  }

  /**
   * Checks the sign-in against the DID's own document and returns the account's PDS from it.
   * Throws `identity_mismatch` when they disagree, with nothing saved.
   */
  async verify(signIn: BlueskySignIn): Promise<{ pds: string }> {
    const doc = await this.#resolve(signIn);
    const pds = getPdsEndpoint(doc);
    const pdsOrigin = pds && URL.parse(pds)?.origin;
    if (!pdsOrigin) {
      throw mismatch(signIn, `The public record of ${signIn.did} names no hosting provider for it.`);
    }
    if (pdsOrigin !== signIn.service) await this.#confirmWithOwnPds(signIn, pdsOrigin);
    await this.#confirmHandle(signIn, doc);
    return { pds: pdsOrigin };
  }

  async #resolve(signIn: BlueskySignIn): Promise<DidDocument> {
    let doc: DidDocument | null;
    // did:web:host%3Aport → https://host:port/.well-known/did.json (w3c-ccg.github.io/did-method-web)
    if (signIn.did.startsWith('did:web:')) {
      await this.#assertReachable(signIn, `https://${decodeURIComponent(signIn.did.slice('did:web:'.length).split(':')[0]!)}/`);
    }
    try {
      doc = await this.#dids.resolve(signIn.did);
    } catch (error) {
      if (error instanceof TypeError || (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))) {
        throw new AppError('network_unreachable', `The public record of ${signIn.did} could not be read, so Localpost cannot tell whose account this is.`, {
          action: 'Check your connection and connect again.',
          cause: error,
        });
      }
      throw mismatch(signIn, `${signIn.did} has no valid public record.`, error);
    }
    if (!doc) throw mismatch(signIn, `${signIn.did} does not exist.`);
    return doc;
  }

  /**
   * An entryway such as bsky.social signs users in for PDSes it does not run: its tokens are good
   * at the account's own PDS (docs.bsky.app/docs/advanced-guides/entryway). A server that answers
   * with someone else's DID cannot make that PDS accept its token as theirs.
   */
  async #confirmWithOwnPds(signIn: BlueskySignIn, pds: string): Promise<void> {
    await this.#assertReachable(signIn, pds);
    let answer: Response;
    try {
      answer = await this.deps.fetch(`${pds}/xrpc/com.atproto.server.getSession`, {
        headers: { authorization: `Bearer ${signIn.accessJwt}`, accept: 'application/json' },
      });
    } catch (error) {
      throw findAppError(error) ?? new AppError('network_unreachable', `${pds}, where this account lives, could not be reached to confirm the sign-in.`, { cause: error });
    }
    const session = answer.ok ? ((await answer.json().catch(() => null)) as { did?: unknown } | null) : (await answer.body?.cancel(), null);
    if (session?.did !== signIn.did) {
      throw mismatch(signIn, `${signIn.did} lives on ${pds}, which does not recognise this sign-in.`);
    }
  }

  async #confirmHandle(signIn: BlueskySignIn, doc: DidDocument): Promise<void> {
    const handle = signIn.handle.toLowerCase();
    const aliases = (doc.alsoKnownAs ?? []).filter((alias) => alias.startsWith('at://')).map((alias) => alias.slice('at://'.length).toLowerCase());
    if (aliases.includes(handle)) return;
    // The record may lag a handle change; the handle's own DNS or /.well-known answer settles it.
    await this.#assertReachable(signIn, `https://${handle}/`);
    const resolved = await this.#handles.resolve(handle).catch(() => undefined);
    if (resolved === signIn.did) return;
    throw mismatch(signIn, `${signIn.handle} is not the handle of ${signIn.did}.`);
  }

  /** Refuses a host the server's answers point at when it is not public (see `addressPolicy`). */
  async #assertReachable(signIn: BlueskySignIn, url: string): Promise<void> {
    const target = URL.parse(url);
    if (!target) throw mismatch(signIn, `${url} is not an address.`);
    if (target.host === URL.parse(signIn.service)?.host) return;
    const { nonPublic } = await this.deps.addressPolicy.check(target).catch(() => ({ nonPublic: null }));
    if (nonPublic) {
      throw mismatch(signIn, `it points at ${target.host}, and ${describeNonPublic(nonPublic)}; Localpost does not follow a server's answers there.`);
    }
  }
}

function mismatch(signIn: BlueskySignIn, why: string, cause?: unknown): AppError {
  return new AppError('identity_mismatch', `${signIn.service} answered that you are ${signIn.handle}, but the account's public record disagrees: ${why} Nothing was saved.`, {
    action: 'Check the hosting provider address. If it is right, that server may be posing as another account: do not use it.',
    ...(cause ? { cause } : {}),
  });
}
