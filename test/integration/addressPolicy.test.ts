// No request where it does not belong, through the real core: link cards only from public
// addresses (every redirect and the card image too), images only in the formats and sizes a post
// needs, servers the user names on a private address only after a yes, and endpoint overrides
// only over https or to this machine. The local servers here are what a public page must not
// reach; one of them is exempted, as a test exempts its fixture, to play "a public site".
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { HostLookup } from '../../src-main/core/http/addressPolicy';
import { smallPng } from '../fixtures/images';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';

interface Served {
  server: http.Server;
  origin: string;
  port: number;
  paths: string[];
}

async function serve(routes: Record<string, (response: http.ServerResponse) => void>): Promise<Served> {
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    paths.push(request.url ?? '');
    const route = routes[request.url ?? ''];
    if (route) route(response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, origin: `http://127.0.0.1:${port}`, port, paths };
}

const html = (body: string) => (response: http.ServerResponse) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="210"><rect width="400" height="210" fill="red"/></svg>';

let internal: Served;
let site: Served;
let hugePng: Buffer;

before(async () => {
  hugePng = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: '#3366aa' } }).png().toBuffer();
  const png = await smallPng(400, 210);
  internal = await serve({
    '/admin': html('<title>Router admin – serial ABC123</title>'),
    '/snapshot.png': (response) => response.writeHead(200, { 'content-type': 'image/png' }).end(png),
  });
  site = await serve({
    '/plain': html('<title>A public page</title>'),
    '/to-internal': (response) => response.writeHead(302, { location: `${internal.origin}/admin` }).end(),
    '/private-image': html(`<meta property="og:title" content="Camera"><meta property="og:image" content="${internal.origin}/snapshot.png">`),
    '/svg-image': html('<meta property="og:title" content="Vector"><meta property="og:image" content="/image.svg">'),
    '/image.svg': (response) => response.writeHead(200, { 'content-type': 'image/png' }).end(svg),
    '/huge-image': html('<meta property="og:title" content="Huge"><meta property="og:image" content="/huge.png">'),
    '/huge.png': (response) => response.writeHead(200, { 'content-type': 'image/png' }).end(hugePng),
    '/good-image': html('<meta property="og:title" content="Pictured"><meta property="og:image" content="/small.png">'),
    '/small.png': (response) => response.writeHead(200, { 'content-type': 'image/png' }).end(png),
  });
});
after(() => {
  internal.server.close();
  site.server.close();
});

async function cardFor(app: CoreClient, text: string) {
  const draft = await app.call('drafts.create', {});
  await app.call('drafts.save', { id: draft.id, text, targetAccountIds: [], langs: ['en'] });
  return app.call('drafts.refreshLinkCard', { draftId: draft.id });
}

describe('link cards fetch only public addresses', () => {
  it('a link to this machine gets no card, says why calmly, and the service never sees a request', async () => {
    const app = await startCore();
    const before = internal.paths.length;
    const result = await cardFor(app, `Look ${internal.origin}/admin`);
    assert.equal(result.linkCard, null);
    assert.equal(result.noPreview?.code, 'address_not_public');
    assert.match(result.noPreview?.message ?? '', /127\.0\.0\.1 is an address on this computer, so Localpost does not fetch it\./);
    assert.equal(internal.paths.length, before);
    app.close();
  });

  it('a public page that redirects to this machine gets no card', async () => {
    const app = await startCore({ allowPrivateAddressesFor: [site.origin] });
    const before = internal.paths.length;
    const result = await cardFor(app, `Look ${site.origin}/to-internal`);
    assert.equal(result.linkCard, null);
    assert.equal(result.noPreview?.code, 'address_not_public');
    assert.equal(internal.paths.length, before, 'the redirect was not followed');
    app.close();
  });

  it('a name that resolves to this machine (evil.test → 127.0.0.1) gets no card', async () => {
    const lookup: HostLookup = async (hostname) => {
      assert.equal(hostname, 'evil.test');
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const app = await startCore({ publicWeb: { lookup } });
    const before = internal.paths.length;
    const result = await cardFor(app, `Look http://evil.test:${internal.port}/admin`);
    assert.equal(result.linkCard, null);
    assert.equal(result.noPreview?.code, 'address_not_public');
    assert.match(result.noPreview?.message ?? '', /evil\.test resolves to 127\.0\.0\.1/);
    assert.equal(internal.paths.length, before);
    app.close();
  });

  it('an og:image on a private address is not fetched: the card comes without a picture', async () => {
    const app = await startCore({ allowPrivateAddressesFor: [site.origin] });
    const before = internal.paths.length;
    const { linkCard } = await cardFor(app, `Look ${site.origin}/private-image`);
    assert.equal(linkCard?.title, 'Camera');
    assert.equal(linkCard?.imageDataUrl, null);
    assert.equal(internal.paths.length, before);
    app.close();
  });

  it('a card image is used only when it decodes as JPEG, PNG, WebP or GIF of at most 40 megapixels', async () => {
    const app = await startCore({ allowPrivateAddressesFor: [site.origin] });
    const vector = await cardFor(app, `Look ${site.origin}/svg-image`);
    assert.equal(vector.linkCard?.title, 'Vector');
    assert.equal(vector.linkCard?.imageDataUrl, null, 'an SVG sent as image/png is not decoded');
    const huge = await cardFor(app, `Look ${site.origin}/huge-image`);
    assert.equal(huge.linkCard?.title, 'Huge');
    assert.equal(huge.linkCard?.imageDataUrl, null, 'an 8000 × 8000 image is not decoded');
    const good = await cardFor(app, `Look ${site.origin}/good-image`);
    assert.match(good.linkCard?.imageDataUrl ?? '', /^data:image\/jpeg;base64,/);
    app.close();
  });
});

describe('images the user attaches', () => {
  it('are refused as SVG, or above 40 megapixels', async () => {
    const app = await startCore();
    const draft = await app.call('drafts.create', {});
    await assert.rejects(app.call('drafts.addImage', { draftId: draft.id, fileName: 'a.svg', bytes: new Uint8Array(Buffer.from(svg)) }), {
      code: 'media_unsupported',
    });
    await assert.rejects(app.call('drafts.addImage', { draftId: draft.id, fileName: 'huge.png', bytes: new Uint8Array(hugePng) }), (error: any) => {
      assert.equal(error.code, 'media_too_large');
      assert.match(error.message, /8000 × 8000/);
      return true;
    });
    app.close();
  });
});

describe('servers the user names', () => {
  let instance: MastodonServer;
  before(async () => {
    instance = await startMastodonServer();
  });
  after(() => instance.close());

  it('a Mastodon instance on a private address is used only after a yes, and the question says why', async () => {
    const lookup: HostLookup = async (hostname) => (hostname === 'mastodon.lan' ? [{ address: '192.168.1.20', family: 4 }] : []);
    const app = await startCore({ publicWeb: { lookup }, httpTimeoutMs: 1000 });
    await assert.rejects(app.call('accounts.connect', { platform: 'mastodon', instance: 'mastodon.lan' }), (error: any) => {
      assert.equal(error.code, 'address_private');
      assert.equal(error.error.message, 'mastodon.lan resolves to 192.168.1.20, an address on your own network. Connect only if you run this server yourself.');
      return true;
    });
    await assert.rejects(app.call('accounts.connect', { platform: 'mastodon', instance: 'https://10.0.0.5' }), (error: any) => {
      assert.equal(error.code, 'address_private');
      assert.match(error.error.message, /^10\.0\.0\.5 is an address on your own network\./);
      return true;
    });
    assert.deepEqual(app.openedUrls, []);
    app.close();
  });

  it('the local Mastodon mock is asked about too, and nothing is registered before the yes', async () => {
    const app = await startCore({ env: instance.env });
    const appsBefore = instance.apps.length;
    await assert.rejects(app.call('accounts.connect', { platform: 'mastodon', instance: 'social.example' }), { code: 'address_private' });
    assert.equal(instance.apps.length, appsBefore);
    app.close();
  });
});

describe('endpoint overrides', () => {
  it('refuse a plain-http base on another machine and accept one on this machine', async () => {
    await assert.rejects(startCore({ env: { LOCALPOST_DISCORD_API_BASE: 'http://example.com' } }), (error: any) => {
      assert.equal(error.code, 'invalid_input');
      assert.match(error.message, /LOCALPOST_DISCORD_API_BASE must be an https address/);
      return true;
    });
    await assert.rejects(startCore({ env: { LOCALPOST_TELEGRAM_API_BASE: 'http://127.evil.com' } }), { code: 'invalid_input' });
    const app = await startCore({ env: { LOCALPOST_SLACK_API_BASE: 'http://127.0.0.1:1234' } });
    app.close();
  });
});
