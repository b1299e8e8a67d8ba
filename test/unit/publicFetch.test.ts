// The fetcher for URLs fetched on the user's behalf, against real servers on 127.0.0.1. One of
// them is exempted the way a test exempts its fixture (allowPrivateAddressesFor) and plays "a
// public site"; every other local server is what a public page must not reach.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createAddressPolicy, type HostLookup } from '../../src-main/core/http/addressPolicy';
import { createPublicFetch, sendPinnedWithNode, type PinnedRequest, type SendPinned } from '../../src-main/core/http/publicFetch';

interface Served {
  server: http.Server;
  origin: string;
  port: number;
  requests: Array<{ url: string; userAgent: string | undefined; host: string | undefined }>;
}

async function serve(handler: (request: http.IncomingMessage, response: http.ServerResponse, origin: string) => void): Promise<Served> {
  const requests: Served['requests'] = [];
  let origin = '';
  const server = http.createServer((request, response) => {
    requests.push({ url: request.url ?? '', userAgent: request.headers['user-agent'], host: request.headers.host });
    handler(request, response, origin);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return { server, origin, port, requests };
}

let site: Served;
let internal: Served;
const online = { isOnline: () => true };

before(async () => {
  internal = await serve((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<title>Router admin</title>'));
  site = await serve((request, response, origin) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname === '/page') return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<title>Hello</title>');
    if (url.pathname === '/to-internal') return void response.writeHead(302, { location: `${internal.origin}/admin` }).end();
    if (url.pathname === '/to-file') return void response.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (url.pathname.startsWith('/hop/')) {
      const left = Number(url.pathname.split('/')[2]);
      return void response.writeHead(301, { location: left > 0 ? `/hop/${left - 1}` : '/page' }).end();
    }
    if (url.pathname === '/big') return void response.writeHead(200, { 'content-type': 'text/html' }).end(Buffer.alloc(3 * 1024 * 1024, 'a'));
    if (url.pathname === '/bomb') {
      // 50 MiB of zeros, gzipped to about 50 KiB: the cap counts decoded bytes.
      return void response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024)));
    }
    if (url.pathname === '/slow') return; // never answers
    response.writeHead(404).end();
  });
});
after(() => {
  site.server.close();
  internal.server.close();
  site.server.closeAllConnections();
});

const noDns: HostLookup = async (hostname) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

function fetcher(options: { lookup?: HostLookup; send?: SendPinned } = {}) {
  const policy = createAddressPolicy({ lookup: options.lookup ?? noDns, allowPrivateAddressesFor: [site.origin] });
  return createPublicFetch({ policy, network: online, ...(options.send ? { send: options.send } : {}) });
}
const page = { accept: 'text/html', maxBytes: 1024 * 1024 };
const soon = () => AbortSignal.timeout(5000);

describe('fetching for the user', () => {
  it('fetches a public page with a browser’s user agent, not one that names Localpost', async () => {
    const result = await fetcher()(`${site.origin}/page`, { ...page, signal: soon() });
    assert.equal(result.status, 200);
    assert.equal(result.contentType, 'text/html');
    assert.equal(result.bytes.toString(), '<title>Hello</title>');
    const userAgent = site.requests.at(-1)!.userAgent ?? '';
    assert.match(userAgent, /^Mozilla\/5\.0 /);
    assert.doesNotMatch(userAgent, /localpost/i);
  });

  it('refuses a loopback address outright: the server never sees a request', async () => {
    const before = internal.requests.length;
    await assert.rejects(fetcher()(`${internal.origin}/admin`, { ...page, signal: soon() }), (error: any) => {
      assert.equal(error.code, 'address_not_public');
      assert.match(error.message, /127\.0\.0\.1 is an address on this computer/);
      return true;
    });
    assert.equal(internal.requests.length, before);
  });

  it('checks every redirect hop: a public page cannot send it to a loopback service', async () => {
    const before = internal.requests.length;
    await assert.rejects(fetcher()(`${site.origin}/to-internal`, { ...page, signal: soon() }), { code: 'address_not_public' });
    assert.equal(internal.requests.length, before, 'the internal service got no request');
  });

  it('follows at most 5 redirects, and only to http or https', async () => {
    assert.equal((await fetcher()(`${site.origin}/hop/4`, { ...page, signal: soon() })).url, `${site.origin}/page`);
    await assert.rejects(fetcher()(`${site.origin}/hop/5`, { ...page, signal: soon() }), (error: any) => {
      assert.equal(error.code, 'network_unreachable');
      assert.match(error.message, /redirected more than 5 times/);
      return true;
    });
    await assert.rejects(fetcher()(`${site.origin}/to-file`, { ...page, signal: soon() }), { code: 'invalid_input' });
  });

  it('refuses a name when any of its addresses is not public', async () => {
    const lookup: HostLookup = async (hostname) =>
      hostname === 'evil.test'
        ? [{ address: '127.0.0.1', family: 4 }]
        : [
            { address: '93.184.215.14', family: 4 },
            { address: '127.0.0.1', family: 4 },
          ];
    const before = internal.requests.length;
    await assert.rejects(fetcher({ lookup })(`http://evil.test:${internal.port}/admin`, { ...page, signal: soon() }), (error: any) => {
      assert.equal(error.code, 'address_not_public');
      assert.match(error.message, /evil\.test resolves to 127\.0\.0\.1/);
      return true;
    });
    await assert.rejects(fetcher({ lookup })(`http://mixed.test:${internal.port}/admin`, { ...page, signal: soon() }), { code: 'address_not_public' });
    assert.equal(internal.requests.length, before);
  });

  it('connects to the address it checked: a second DNS answer (rebinding) is never asked for', async () => {
    // pinned.test is exempt here and first resolves to the local site; any later lookup would
    // answer with an address nothing listens on. The page arrives, and DNS was asked once.
    let lookups = 0;
    const lookup: HostLookup = async () => (++lookups === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '203.0.113.1', family: 4 }]);
    const origin = `http://pinned.test:${site.port}`;
    const policy = createAddressPolicy({ lookup, allowPrivateAddressesFor: [origin] });
    const result = await createPublicFetch({ policy, network: online })(`${origin}/page`, { ...page, signal: soon() });
    assert.equal(result.bytes.toString(), '<title>Hello</title>');
    assert.equal(lookups, 1);
    assert.equal(site.requests.at(-1)!.host, `pinned.test:${site.port}`, 'Host keeps the name');
  });

  it('caps the body, counting decoded bytes, and keeps the first part of a long page', async () => {
    const big = await fetcher()(`${site.origin}/big`, { ...page, signal: soon() });
    assert.equal(big.bytes.length, 1024 * 1024);
    assert.equal(big.truncated, true);
    const bomb = await fetcher()(`${site.origin}/bomb`, { ...page, signal: soon() });
    assert.equal(bomb.bytes.length, 1024 * 1024);
    assert.equal(bomb.truncated, true);
  });

  it('gives up when the deadline passes', async () => {
    const started = Date.now();
    await assert.rejects(fetcher()(`${site.origin}/slow`, { ...page, signal: AbortSignal.timeout(300) }), { code: 'network_unreachable' });
    assert.ok(Date.now() - started < 3000);
  });

  it('the deadline holds while DNS is slow', async () => {
    const slowDns: HostLookup = () => new Promise(() => {});
    const started = Date.now();
    await assert.rejects(fetcher({ lookup: slowDns })('https://slow-dns.test/', { ...page, signal: AbortSignal.timeout(200) }), { code: 'network_unreachable' });
    assert.ok(Date.now() - started < 2000);
  });

  it('every request goes through the injected send, with the checked address', async () => {
    const sent: PinnedRequest[] = [];
    const send: SendPinned = (request) => {
      sent.push(request);
      return sendPinnedWithNode(request);
    };
    await fetcher({ send })(`${site.origin}/hop/1`, { ...page, signal: soon() });
    assert.deepEqual(
      sent.map((request) => [request.url.pathname, request.address.address]),
      [
        ['/hop/1', '127.0.0.1'],
        ['/hop/0', '127.0.0.1'],
        ['/page', '127.0.0.1'],
      ],
    );
  });

  it('refuses offline without a request', async () => {
    const policy = createAddressPolicy({ lookup: noDns, allowPrivateAddressesFor: [site.origin] });
    const offline = createPublicFetch({ policy, network: { isOnline: () => false } });
    await assert.rejects(offline(`${site.origin}/page`, { ...page, signal: soon() }), { code: 'network_unreachable' });
  });
});
