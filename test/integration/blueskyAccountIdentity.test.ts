// Whose account a Bluesky sign-in is, checked against the DID's own document, with the documents
// served for real on loopback: did:web from http://localhost:<port>/.well-known/did.json (the
// resolver's one plain-http case), did:plc from a directory, and a PDS that answers getSession.
// The real PDS and PLC cases (a lying hosting provider) are in bluesky.test.ts.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAddressPolicy } from '../../src-main/core/http/addressPolicy';
import { AccountIdentity } from '../../src-main/core/platforms/bluesky/accountIdentity';

/** One loopback server whose answers the tests set: path → status and JSON. */
let answers = new Map<string, { status: number; body: unknown }>();
let seen: Array<{ path: string; authorization: string | undefined }> = [];
let server: http.Server;
let port: number;
let origin: string;
let did: string;

before(async () => {
  server = http.createServer((request, response) => {
    seen.push({ path: request.url ?? '', authorization: request.headers.authorization });
    const answer = answers.get(request.url ?? '') ?? { status: 404, body: { error: 'NotFound' } };
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  did = `did:web:localhost%3A${port}`;
});
after(() => server.close());

const pdsService = (endpoint: string) => [{ id: '#atproto_pds', type: 'AtprotoPersonalDataServer', serviceEndpoint: endpoint }];

function serveDidDocument(doc: Record<string, unknown>) {
  answers = new Map([['/.well-known/did.json', { status: 200, body: { id: did, ...doc } }]]);
  seen = [];
}

// The documents are served from this machine: exempt from the address policy, as a public host
// would need no exemption (one test below takes the exemption away).
const localDocuments = () => createAddressPolicy({ allowPrivateAddressesFor: [`http://localhost:${port}`, `https://localhost:${port}`, origin] });
const identity = () => new AccountIdentity({ fetch: globalThis.fetch, addressPolicy: localDocuments(), plcUrl: origin, timeoutMs: 2000 });

describe('checking a Bluesky sign-in against its DID document', () => {
  it('a did:web whose document names the server signed in to and the handle is that account', async () => {
    serveDidDocument({ alsoKnownAs: ['at://web.test'], service: pdsService(origin) });
    const verified = await identity().verify({ did, handle: 'Web.Test', service: origin, accessJwt: 'token' });
    assert.deepEqual(verified, { pds: origin });
    assert.deepEqual(seen.map((r) => r.path), ['/.well-known/did.json'], 'the server signed in to is the PDS: nothing more to ask');
  });

  it('signed in elsewhere (an entryway), the PDS named in the document must accept the token as that DID', async () => {
    const entryway = 'https://entryway.example';
    serveDidDocument({ alsoKnownAs: ['at://web.test'], service: pdsService(origin) });
    answers.set('/xrpc/com.atproto.server.getSession', { status: 200, body: { did, handle: 'web.test' } });
    assert.deepEqual(await identity().verify({ did, handle: 'web.test', service: entryway, accessJwt: 'token' }), { pds: origin });
    assert.equal(seen.find((r) => r.path === '/xrpc/com.atproto.server.getSession')?.authorization, 'Bearer token');

    // The PDS knows the token as someone else's, or not at all: the entryway lied.
    answers.set('/xrpc/com.atproto.server.getSession', { status: 200, body: { did: 'did:plc:someoneelse', handle: 'other.test' } });
    await assert.rejects(identity().verify({ did, handle: 'web.test', service: entryway, accessJwt: 'token' }), (error: any) => {
      assert.equal(error.code, 'identity_mismatch');
      assert.ok(error.message.includes(entryway) && error.message.includes(origin), error.message);
      return true;
    });
    answers.set('/xrpc/com.atproto.server.getSession', { status: 401, body: { error: 'InvalidToken' } });
    await assert.rejects(identity().verify({ did, handle: 'web.test', service: entryway, accessJwt: 'token' }), { code: 'identity_mismatch' });
  });

  it('a handle the document does not list, and that does not resolve to the DID, is refused', async () => {
    serveDidDocument({ alsoKnownAs: ['at://web.test'], service: pdsService(origin) });
    await assert.rejects(identity().verify({ did, handle: 'mallory.test', service: origin, accessJwt: 'token' }), (error: any) => {
      assert.equal(error.code, 'identity_mismatch');
      assert.match(error.message, /mallory\.test is not the handle of did:web:localhost/);
      return true;
    });
  });

  it('a document without a PDS, a DID nobody knows, and a directory that cannot be reached each stop the connect', async () => {
    serveDidDocument({ alsoKnownAs: ['at://web.test'] });
    await assert.rejects(identity().verify({ did, handle: 'web.test', service: origin, accessJwt: 'token' }), { code: 'identity_mismatch' });

    // did:plc is asked of the directory: this one has never heard of it.
    await assert.rejects(identity().verify({ did: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz', handle: 'web.test', service: origin, accessJwt: 'token' }), {
      code: 'identity_mismatch',
    });
    const unreachable = new AccountIdentity({ fetch: globalThis.fetch, addressPolicy: localDocuments(), plcUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await assert.rejects(unreachable.verify({ did: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz', handle: 'web.test', service: origin, accessJwt: 'token' }), {
      code: 'network_unreachable',
    });
  });

  it("a server's answers cannot send Localpost to a private address: not a did:web document there, nor a PDS named there", async () => {
    const production = new AccountIdentity({ fetch: globalThis.fetch, addressPolicy: createAddressPolicy(), plcUrl: origin, timeoutMs: 2000 });
    // An entryway that answers with a did:web on this machine: its document is not even asked for.
    serveDidDocument({ alsoKnownAs: ['at://web.test'], service: pdsService(origin) });
    await assert.rejects(production.verify({ did, handle: 'web.test', service: 'https://entryway.example', accessJwt: 'token' }), (error: any) => {
      assert.equal(error.code, 'identity_mismatch');
      assert.match(error.message, /localhost resolves to 127\.0\.0\.1, an address on this computer/);
      return true;
    });
    assert.deepEqual(seen, [], 'no request reached this machine');

    // A document (served by the exempt fixture) naming a PDS on the LAN: the token does not go there.
    serveDidDocument({ alsoKnownAs: ['at://web.test'], service: pdsService('http://192.168.7.7:2583') });
    const sent: string[] = [];
    const recording = new AccountIdentity({
      fetch: async (input) => {
        sent.push(String(input));
        throw new Error('must not be called');
      },
      addressPolicy: localDocuments(),
      plcUrl: origin,
      timeoutMs: 2000,
    });
    await assert.rejects(recording.verify({ did, handle: 'web.test', service: 'https://entryway.example', accessJwt: 'token' }), (error: any) => {
      assert.equal(error.code, 'identity_mismatch');
      assert.match(error.message, /192\.168\.7\.7 is an address on your own network/);
      return true;
    });
    assert.deepEqual(sent, [], 'the sign-in token went nowhere');
  });

  it('a PLC directory must be https, or on this computer', () => {
    assert.throws(() => new AccountIdentity({ fetch: globalThis.fetch, addressPolicy: localDocuments(), plcUrl: 'http://plc.example.com' }), { code: 'invalid_input' });
  });
});
