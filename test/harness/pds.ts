/**
 * A real atproto PDS (the reference `@atproto/pds`) plus an in-memory PLC
 * directory (`@did-plc/server` with `Database.mock()`), on loopback, for
 * integration tests of the Bluesky publisher.
 *
 * Why a real server rather than a mock: login, app passwords, token refresh and
 * record writes are exactly where a hand-written fake would agree with our own
 * misunderstandings. The reference PDS gives the real error names and statuses.
 *
 * The configuration mirrors what `@atproto/dev-env`'s TestPds does (devMode,
 * hostname 'localhost', '.test' handles, no invites, disk blobstore), minus the
 * app view: nothing here needs one.
 *
 * Requires Node 22 (`npx tsx` from the repo root) and a better-sqlite3 under
 * node_modules/@atproto/pds compiled for it.
 */
import './node22';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PDS } from '@atproto/pds';
import type { PlcServer } from '@did-plc/server';

export interface TestPds {
  /** Public URL of the PDS, e.g. http://localhost:PORT (the port is baked into DID docs). */
  url: string;
  /** The PLC directory its accounts' DIDs are registered in (what plc.directory is to the network). */
  plcUrl: string;
  /** The PDS's HS256 JWT secret, so tests can forge tokens (see forgeExpiredAccessJwt). */
  jwtSecret: string;
  /**
   * Creates `${name}.test` with a random main password (deliberately not shaped
   * like an app password) and one app password made with the main session.
   */
  createAccount(name: string): Promise<{ handle: string; did: string; password: string; appPassword: string }>;
  /** Creates an app password (xxxx-xxxx-xxxx-xxxx) using the account's main password. */
  createAppPassword(handle: string, password: string, name?: string): Promise<string>;
  revokeAppPassword(handle: string, password: string, name: string): Promise<void>;
  /** Writes the account's profile record (app.bsky.actor.profile/self) with this picture as its
   *  avatar blob, as the Bluesky app does when a picture is chosen. */
  setAvatar(account: { handle: string; did: string; password: string }, png: Buffer): Promise<void>;
  /** The `value` of the record at an at:// URI (com.atproto.repo.getRecord). */
  getRecord(uri: string): Promise<any>;
  /** All app.bsky.feed.post records of a repo (com.atproto.repo.listRecords, every page). */
  listPosts(did: string): Promise<Array<{ uri: string; value: any }>>;
  /**
   * How many XRPC requests for this NSID the PDS has received from the code
   * under test. The harness's own helper calls (createAccount etc.) are not
   * counted, so e.g. requestCount('com.atproto.server.createSession') is the
   * number of logins the client did.
   */
  requestCount(nsid: string): number;
  close(): Promise<void>;
}

/** A non-2xx XRPC answer: `status` is the HTTP status, `error` the XRPC error name. */
export class XrpcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string | undefined,
    message: string | undefined,
  ) {
    super(`${status} ${error ?? ''}: ${message ?? ''}`);
    this.name = 'XrpcHttpError';
  }
}

// Requests carrying this header come from the harness itself and are left out
// of requestCount.
const HARNESS_HEADER = 'x-localpost-test-harness';

const LOOPBACK = '127.0.0.1';

export async function startPds(options: { port?: number; /** Where its data folder goes (default the OS temp folder). */ dataRoot?: string } = {}): Promise<TestPds> {
  // The atproto loggers (pino) read LOG_* once, when their modules are first
  // evaluated, which is why the PDS and PLC are imported dynamically below.
  process.env.LOG_ENABLED = 'false';
  const [{ PDS: PdsClass, envToCfg, envToSecrets }, { PlcServer: PlcServerClass, Database: PlcDatabase }] =
    await Promise.all([import('@atproto/pds'), import('@did-plc/server')]);

  const dataDir = await mkdtemp(path.join(options.dataRoot ?? tmpdir(), 'localpost-pds-'));
  let plc: PlcServer | undefined;
  let pds: PDS | undefined;
  try {
    // Port 0 is fine for the PLC: nothing bakes its URL in before it is up.
    plc = PlcServerClass.create({ db: PlcDatabase.mock(), port: 0 });
    const plcServer = await withLoopbackListen(() => plc!.start());
    const plcUrl = `http://localhost:${(plcServer.address() as net.AddressInfo).port}`;
    // This PLC is the test world's directory: every core started in this process (or in a child
    // it spawns) resolves DIDs there, as the app resolves them at plc.directory.
    process.env.LOCALPOST_PLC_URL = plcUrl;

    // The PDS port must be known before start: publicUrl, the service DID and
    // every account's DID document contain it.
    const port = options.port ?? (await freeLoopbackPort());
    const jwtSecret = randomBytes(32).toString('hex');
    const env = {
      devMode: true,
      port,
      hostname: 'localhost', // => publicUrl http://localhost:PORT
      serviceHandleDomains: ['.test'],
      dataDirectory: dataDir,
      blobstoreDiskLocation: path.join(dataDir, 'blobs'),
      blobstoreDiskTmpLocation: path.join(dataDir, 'blobs-tmp'),
      didPlcUrl: plcUrl,
      inviteRequired: false,
      rateLimitsEnabled: false,
      // blobUploadLimit stays the PDS's default (5 MiB): the video fixtures are a few KB, and a
      // limit below Bluesky's 100 MB is what a hosting provider may set, which a test relies on.
      crawlers: [],
      jwtSecret,
      adminPassword: randomBytes(16).toString('hex'),
      dpopSecret: randomBytes(32).toString('hex'),
      plcRotationKeyK256PrivateKeyHex: secp256k1PrivateKeyHex(),
    };
    pds = await PdsClass.create(envToCfg(env), envToSecrets(env));
    const httpServer = await withLoopbackListen(() => pds!.start());

    const counts = new Map<string, number>();
    // Runs before express, so every request is seen whatever route handles it.
    httpServer.prependListener('request', (req: IncomingMessage) => {
      if (req.headers[HARNESS_HEADER]) return;
      const match = /^\/xrpc\/([^/?#]+)/.exec(req.url ?? '');
      if (match) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
    });

    const url = `http://localhost:${port}`;
    const xrpc = xrpcCaller(url);
    const login = async (identifier: string, password: string): Promise<string> => {
      const session = await xrpc('POST', 'com.atproto.server.createSession', { body: { identifier, password } });
      return session.accessJwt as string;
    };
    const createAppPassword = async (handle: string, password: string, name?: string): Promise<string> => {
      // An app-password session cannot create app passwords ("Bad token scope"),
      // so this always logs in with the main password.
      const token = await login(handle, password);
      const res = await xrpc('POST', 'com.atproto.server.createAppPassword', {
        token,
        body: { name: name ?? `test-${randomBytes(4).toString('hex')}` },
      });
      return res.password as string;
    };

    const closeAll = closer(pds, plc, dataDir);
    return {
      url,
      plcUrl,
      jwtSecret,
      async createAccount(name) {
        const handle = `${name}.test`;
        const password = `main-${randomBytes(12).toString('hex')}`;
        const created = await xrpc('POST', 'com.atproto.server.createAccount', {
          body: { handle, email: `${name}@example.com`, password },
        });
        const appPassword = await createAppPassword(handle, password, 'localpost');
        return { handle, did: created.did as string, password, appPassword };
      },
      createAppPassword,
      async revokeAppPassword(handle, password, name) {
        const token = await login(handle, password);
        await xrpc('POST', 'com.atproto.server.revokeAppPassword', { token, body: { name } });
      },
      async setAvatar(account, png) {
        const token = await login(account.handle, account.password);
        const upload = await fetch(new URL('/xrpc/com.atproto.repo.uploadBlob', url), {
          method: 'POST',
          headers: { [HARNESS_HEADER]: '1', authorization: `Bearer ${token}`, 'content-type': 'image/png' },
          body: png,
        });
        if (!upload.ok) throw new XrpcHttpError(upload.status, undefined, await upload.text());
        const { blob } = (await upload.json()) as { blob: unknown };
        await xrpc('POST', 'com.atproto.repo.putRecord', {
          token,
          body: { repo: account.did, collection: 'app.bsky.actor.profile', rkey: 'self', record: { $type: 'app.bsky.actor.profile', avatar: blob } },
        });
      },
      async getRecord(uri) {
        const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri);
        if (!match) throw new Error(`not a record at:// URI: ${uri}`);
        const [, repo, collection, rkey] = match;
        const res = await xrpc('GET', 'com.atproto.repo.getRecord', { params: { repo, collection, rkey } });
        return res.value;
      },
      async listPosts(did) {
        const posts: Array<{ uri: string; value: any }> = [];
        let cursor: string | undefined;
        do {
          const res = await xrpc('GET', 'com.atproto.repo.listRecords', {
            params: { repo: did, collection: 'app.bsky.feed.post', limit: '100', ...(cursor ? { cursor } : {}) },
          });
          for (const r of res.records) posts.push({ uri: r.uri, value: r.value });
          cursor = res.records.length > 0 ? res.cursor : undefined;
        } while (cursor);
        return posts;
      },
      requestCount: (nsid) => counts.get(nsid) ?? 0,
      close: closeAll,
    };
  } catch (err) {
    await closer(pds, plc, dataDir)().catch(() => {});
    throw err;
  }
}

/**
 * Returns `validAccessJwt` with `exp` moved into the past (and `iat` moved by
 * the same amount, keeping the lifetime), re-signed with the PDS's secret. The
 * header (`typ: at+jwt`, `alg: HS256`) and all other claims are kept as they
 * are, so the PDS sees a genuine token of its own that has expired and answers
 * 400 ExpiredToken, which is what a client must react to by refreshing.
 */
export function forgeExpiredAccessJwt(pds: Pick<TestPds, 'jwtSecret'>, validAccessJwt: string): string {
  const [header, payload] = validAccessJwt.split('.');
  if (!header || !payload) throw new Error('not a JWT');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const lifetime = typeof claims.iat === 'number' ? claims.exp - claims.iat : 0;
  claims.exp = Math.floor(Date.now() / 1000) - 60;
  if (typeof claims.iat === 'number') claims.iat = claims.exp - lifetime;
  const signingInput = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  // The PDS's key is the secret string's UTF-8 bytes (createSecretKey(Buffer.from(secret))).
  const signature = createHmac('sha256', Buffer.from(pds.jwtSecret, 'utf8')).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

/**
 * The PDS and PLC call express `app.listen(port)`, which binds every
 * interface. For the duration of `start` only, a listen() given just a port
 * (or nothing) gets host 127.0.0.1 added, so the test servers are never
 * reachable from the network.
 */
async function withLoopbackListen<T>(start: () => Promise<T>): Promise<T> {
  const original = net.Server.prototype.listen;
  const isPort = (v: unknown) => v === undefined || typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    if (isPort(args[0]) && typeof args[1] !== 'string') {
      args = [args[0] ?? 0, LOOPBACK, ...args.slice(1)];
    }
    return (original as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof original;
  try {
    return await start();
  } finally {
    net.Server.prototype.listen = original;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A fresh secp256k1 private key as 64 hex chars (the PDS's PLC rotation key). */
function secp256k1PrivateKeyHex(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const d = privateKey.export({ format: 'jwk' }).d;
  if (!d) throw new Error('no private scalar in generated key');
  return Buffer.from(d, 'base64url').toString('hex').padStart(64, '0');
}

function closer(pds: PDS | undefined, plc: PlcServer | undefined, dataDir: string): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      try {
        if (pds) await pds.destroy();
        if (plc) await plc.destroy();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    })());
}

/** Minimal XRPC over fetch, independent of the @atproto/api client under test. */
function xrpcCaller(baseUrl: string) {
  return async (
    method: 'GET' | 'POST',
    nsid: string,
    opts: { token?: string; params?: Record<string, string>; body?: unknown } = {},
  ): Promise<any> => {
    const url = new URL(`/xrpc/${nsid}`, baseUrl);
    for (const [k, v] of Object.entries(opts.params ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { [HARNESS_HEADER]: '1' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new XrpcHttpError(res.status, json?.error, json?.message);
    return json;
  };
}
