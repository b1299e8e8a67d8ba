// An app-password session with a PDS, and the few XRPC calls Localpost makes with it
// (atproto.com/specs/xrpc: a query is `GET /xrpc/<nsid>?params`, a procedure `POST /xrpc/<nsid>`
// with a JSON or binary body; a failure is `{ error, message }` with an HTTP status).
//
// It behaves as @atproto/api's CredentialSession does: session calls
// (createSession, refreshSession, getSession, deleteSession) go to the service the user signed in
// to, everything else to the account's PDS from the DID document the session came with; an access
// token the PDS calls expired (400 ExpiredToken, or 401) is refreshed once, one refresh at a time,
// and the call is sent again; the rotated tokens are handed to `persist` before any call uses
// them; a refresh token the server refuses ends the session ('expired'). What it does not carry
// is that library's generated client for every lexicon of the protocol (with four copies of zod
// among its dependencies): some 30 MB of memory once loaded, for six calls.
import type { HttpFetch } from '../../ports';

/** An XRPC failure: the HTTP status (or 1 for an answer that could not be read, 2 for one that
 *  was not what the call returns, as @atproto/xrpc numbers them), the error name and message. */
export class XrpcError extends Error {
  override name = 'XrpcError';
  constructor(
    readonly status: number,
    readonly error: string | undefined,
    message: string | undefined,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message || error || `XRPC failed with status ${status}`, options);
  }
}

/** com.atproto.server.createSession's and refreshSession's answer, as kept. */
export interface SessionData {
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
  email?: string | undefined;
  emailConfirmed?: boolean | undefined;
  emailAuthFactor?: boolean | undefined;
  active?: boolean | undefined;
  status?: string | undefined;
}

export type SessionEvent = 'create' | 'create-failed' | 'update' | 'expired' | 'network-error';

interface SessionAnswer extends Partial<SessionData> {
  didDoc?: unknown;
}

/** A procedure's body: JSON, or bytes of a type (a blob), as bytes or a Blob. */
export type XrpcBody = { json: unknown } | { bytes: Uint8Array | Blob; encoding: string };

export class XrpcSession {
  session: SessionData | undefined;
  /** The account's PDS, from the DID document of its last session answer; the service otherwise. */
  pdsUrl: URL | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(
    readonly serviceUrl: URL,
    private readonly fetch: HttpFetch,
    private readonly persist: (event: SessionEvent, session: SessionData | undefined) => void = () => {},
  ) {}

  get dispatchUrl(): URL {
    return this.pdsUrl ?? this.serviceUrl;
  }

  /** The signed-in account's DID; a call without a session is a programming error. */
  get did(): string {
    if (!this.session) throw new Error('No Bluesky session');
    return this.session.did;
  }

  async login(input: { identifier: string; password: string; authFactorToken?: string }): Promise<SessionData> {
    this.session = undefined;
    this.#refreshing = undefined;
    try {
      const { data } = await this.#send<SessionAnswer>(this.serviceUrl, 'com.atproto.server.createSession', { body: { json: input } });
      const session = sessionFrom(data);
      this.session = session;
      this.#adoptDidDoc(data.didDoc);
      this.persist('create', session);
      return session;
    } catch (error) {
      this.session = undefined;
      this.persist('create-failed', undefined);
      throw error;
    }
  }

  /** One refresh at a time: a second caller waits for the refresh in flight. */
  refresh(): Promise<void> {
    if (!this.session) return Promise.reject(new Error('No Bluesky session to refresh'));
    if (this.#refreshing) return this.#refreshing;
    const refreshing = this.#refreshOnce().finally(() => {
      if (this.#refreshing === refreshing) this.#refreshing = undefined;
    });
    this.#refreshing = refreshing;
    return refreshing;
  }

  async #refreshOnce(): Promise<void> {
    const session = this.session!;
    try {
      const { data } = await this.#send<SessionAnswer>(this.serviceUrl, 'com.atproto.server.refreshSession', { token: session.refreshJwt, body: null });
      if (data.did !== session.did) throw new XrpcError(400, 'InvalidDID', 'Invalid session');
      // Older servers leave the email fields and the DID document out of a refresh: getSession has them.
      if (data.emailConfirmed == null || data.didDoc == null) {
        try {
          const { data: current } = await this.#send<SessionAnswer>(this.serviceUrl, 'com.atproto.server.getSession', { token: data.accessJwt!, query: {} });
          if (current.did === data.did) Object.assign(data, current);
        } catch {
          // The refreshed tokens stand without them.
        }
      }
      if (this.session !== session) throw new Error('Concurrent session update detected');
      this.session = {
        did: data.did,
        accessJwt: data.accessJwt!,
        refreshJwt: data.refreshJwt!,
        handle: data.handle ?? session.handle,
        email: data.email ?? session.email,
        emailConfirmed: data.emailConfirmed ?? session.emailConfirmed,
        emailAuthFactor: data.emailAuthFactor ?? session.emailAuthFactor,
        active: data.active ?? session.active ?? true,
        status: data.status,
      };
      this.#adoptDidDoc(data.didDoc);
      this.persist('update', this.session);
    } catch (error) {
      if (this.session === session) {
        if (error instanceof XrpcError && (error.status === 401 || error.error === 'InvalidDID' || error.error === 'ExpiredToken' || error.error === 'InvalidToken')) {
          // The refresh token itself is refused: the session is over.
          this.session = undefined;
          this.persist('expired', undefined);
        } else {
          this.persist('network-error', session);
        }
      }
      throw error;
    }
  }

  /** deleteSession at the service; a failure there changes nothing here: the session ends either way. */
  async logout(): Promise<void> {
    if (!this.session) return;
    try {
      await this.#send(this.serviceUrl, 'com.atproto.server.deleteSession', { token: this.session.refreshJwt, body: null });
    } catch {
      // Ended locally regardless.
    } finally {
      this.session = undefined;
      this.persist('expired', undefined);
    }
  }

  /** A query on the account's PDS. */
  query<T>(nsid: string, params: Record<string, string> = {}): Promise<{ data: T; headers: Record<string, string> }> {
    return this.#authorized<T>(nsid, { query: params });
  }

  /** A procedure on the account's PDS. */
  procedure<T>(nsid: string, body: XrpcBody): Promise<{ data: T; headers: Record<string, string> }> {
    return this.#authorized<T>(nsid, { body });
  }

  /** With the access token; an expired one is refreshed once and the call sent again. */
  async #authorized<T>(nsid: string, request: { query?: Record<string, string>; body?: XrpcBody }): Promise<{ data: T; headers: Record<string, string> }> {
    await this.#refreshing;
    const token = this.session?.accessJwt;
    const first = await this.#request(this.dispatchUrl, nsid, { ...request, ...(token ? { token } : {}) });
    if (!token || !this.session?.refreshJwt || !(await isExpiredToken(first))) return read<T>(first);
    try {
      await this.refresh();
    } catch {
      return read<T>(first);
    }
    const renewed = this.session?.accessJwt;
    if (!renewed || renewed === token) return read<T>(first);
    await first.body?.cancel();
    return read<T>(await this.#request(this.dispatchUrl, nsid, { ...request, token: renewed }));
  }

  async #send<T>(base: URL, nsid: string, request: { query?: Record<string, string>; body?: XrpcBody | null; token?: string }): Promise<{ data: T; headers: Record<string, string> }> {
    return read<T>(await this.#request(base, nsid, request));
  }

  #request(base: URL, nsid: string, { query, body, token }: { query?: Record<string, string>; body?: XrpcBody | null; token?: string }): Promise<Response> {
    const url = new URL(`/xrpc/${nsid}`, base);
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (query !== undefined) return this.fetch(url, { method: 'GET', headers });
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      return this.fetch(url, { method: 'POST', headers, body: JSON.stringify(body.json) });
    }
    if (body) {
      headers['content-type'] = body.encoding;
      return this.fetch(url, { method: 'POST', headers, body: body.bytes });
    }
    return this.fetch(url, { method: 'POST', headers });
  }

  /** The PDS a session answer's DID document names; none (the service) when it names none. */
  #adoptDidDoc(didDoc: unknown): void {
    const endpoint = pdsEndpointOf(didDoc);
    this.pdsUrl = endpoint ? new URL(endpoint) : undefined;
  }
}

function sessionFrom(data: SessionAnswer): SessionData {
  if (!data.did || !data.handle || !data.accessJwt || !data.refreshJwt) throw new XrpcError(2, 'InvalidResponse', 'The sign-in answer has no session in it.');
  return {
    did: data.did,
    handle: data.handle,
    accessJwt: data.accessJwt,
    refreshJwt: data.refreshJwt,
    email: data.email,
    emailConfirmed: data.emailConfirmed,
    emailAuthFactor: data.emailAuthFactor,
    active: data.active ?? true,
    status: data.status,
  };
}

async function isExpiredToken(response: Response): Promise<boolean> {
  if (response.status === 401) return true;
  if (response.status !== 400) return false;
  const said = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { error?: unknown };
  return said.error === 'ExpiredToken';
}

/** The answer's JSON, or the XrpcError it stands for. */
async function read<T>(response: Response): Promise<{ data: T; headers: Record<string, string> }> {
  const headers = Object.fromEntries(response.headers.entries());
  if (!response.ok) {
    const said = (await response.json().catch(() => ({}))) as { error?: unknown; message?: unknown };
    throw new XrpcError(response.status, typeof said.error === 'string' ? said.error : undefined, typeof said.message === 'string' ? said.message : undefined, headers);
  }
  const text = await response.text();
  if (!text) return { data: undefined as T, headers };
  try {
    return { data: JSON.parse(text) as T, headers };
  } catch (error) {
    throw new XrpcError(2, 'InvalidResponse', 'The server answered with something that is not JSON.', headers, { cause: error });
  }
}

/**
 * The `#atproto_pds` service of type AtprotoPersonalDataServer in a DID document, when its
 * endpoint is an http(s) URL (atproto.com/specs/did, "DID Documents"); as @atproto/common-web's
 * getPdsEndpoint, for a document shaped as one.
 */
export function pdsEndpointOf(didDoc: unknown): string | undefined {
  if (!didDoc || typeof didDoc !== 'object') return undefined;
  const { id, service } = didDoc as { id?: unknown; service?: unknown };
  if (typeof id !== 'string' || !Array.isArray(service)) return undefined;
  const entry = service.find(
    (item: { id?: unknown }) => item && typeof item === 'object' && (item.id === '#atproto_pds' || item.id === `${id}#atproto_pds`),
  ) as { type?: unknown; serviceEndpoint?: unknown } | undefined;
  if (!entry || entry.type !== 'AtprotoPersonalDataServer' || typeof entry.serviceEndpoint !== 'string') return undefined;
  const endpoint = entry.serviceEndpoint;
  if (!/^https?:\/\//.test(endpoint) || !URL.canParse(endpoint)) return undefined;
  return endpoint;
}
