// A video pin through the outbox, against the contract mock of API v5 (test/harness/
// pinterestServer.ts, every request checked against Pinterest's OpenAPI description) and its S3
// stand-in: `POST /v5/media`, the file POSTed to the presigned `upload_url` as a form streamed from
// disk (the mock hashes what arrives), `GET /v5/media/{id}` polled until succeeded, then the pin
// naming the media. Every test ends with the mock's `violations` empty.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { fiveSecondMp4, videoFixtures } from '../fixtures/videos';
import { startCore, type CoreClient } from '../harness/coreClient';
import { settled } from '../harness/settled';
import { freezableFetch } from '../harness/frozenFetch';
import { playBrowser } from '../harness/oauthServer';
import { startPinterestServer, type PinterestServer } from '../harness/pinterestServer';
import { waitFor } from '../harness/waitFor';

let pinterest: PinterestServer;
const servers: PinterestServer[] = [];
before(async () => {
  pinterest = await startPinterestServer();
  servers.push(pinterest);
});
after(() => Promise.all(servers.map((server) => server.close())));
afterEach(() => {
  for (const server of servers) assert.deepEqual(server.violations.splice(0), [], 'requests Pinterest’s description does not allow');
});

const fileSha256 = crypto.createHash('sha256').update(fs.readFileSync(fiveSecondMp4)).digest('hex');
const fileBytes = fs.statSync(fiveSecondMp4).size;

async function connected(app: CoreClient, server: PinterestServer = pinterest) {
  await app.call('developerApps.save', {
    platform: 'pinterest',
    clientId: server.client.clientId,
    clientSecret: server.client.clientSecret,
    redirectPort: server.oauth.fixedRedirectPort,
  });
  const opened = app.openedUrls.length;
  const pending = app.call('accounts.connect', { platform: 'pinterest' });
  pending.catch(() => {});
  await playBrowser(await waitFor(() => app.openedUrls[opened], 'the consent page to open'), { deliver: true });
  return (await pending).account;
}

let uniqueText = 0;
async function videoPin(app: CoreClient, accountId: string, text: string, file = fiveSecondMp4) {
  const draft = await app.call('drafts.create', {});
  const board = (await app.call('boards.list', { accountId, refresh: false })).boards[0]!.id;
  await app.call('drafts.save', {
    id: draft.id,
    text: `${text} #${++uniqueText}`,
    targetAccountIds: [accountId],
    langs: ['en'],
    platformOptions: { pinterest: { boards: { [accountId]: board }, title: 'Launch clip', link: 'https://example.com/launch' } },
  });
  app.answerFileDialog(file);
  const added = await app.call('drafts.addVideo', { draftId: draft.id });
  assert.ok(added.outcome === 'added', JSON.stringify(added));
  return draft.id;
}

const uploads = (server = pinterest) => server.requests.filter((r) => r.path === '/pinterest-media-upload/');
const registrations = (server = pinterest) => server.requests.filter((r) => r.method === 'POST' && r.path === '/v5/media');

describe('a video pin', () => {
  it('registers the upload, POSTs the form to S3 with every parameter before the file, waits until succeeded, and pins it', async () => {
    const app = await startCore({ env: pinterest.env });
    const account = await connected(app);
    const draftId = await videoPin(app, account.id, 'Our launch clip');
    const videoId = (await app.call('drafts.get', { id: draftId })).video!.id;
    await app.call('drafts.setVideoAlt', { draftId, videoId, alt: 'A rocket lifts off at dawn.' });
    assert.deepEqual(await app.call('drafts.preflight', { id: draftId }), []);
    pinterest.setVideoProcessing({ reads: 2 });
    const [mediaBefore, pinsBefore, from] = [pinterest.media.length, pinterest.pins.length, pinterest.requests.length];

    const post = await app.call('publish.now', { draftId });
    assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));

    assert.equal(pinterest.media.length, mediaBefore + 1, 'one upload registered');
    const media = pinterest.media.at(-1)!;
    assert.deepEqual(registrations().at(-1)!.body, { media_type: 'video' });
    assert.deepEqual({ size: media.file?.size, sha256: media.file?.sha256, type: media.file?.type }, { size: fileBytes, sha256: fileSha256, type: 'video/mp4' });
    assert.deepEqual(media.fieldOrder, [...Object.keys(media.uploadParameters), 'file'], 'every parameter, then the file last');
    assert.equal(media.uploads, 1);

    // Polled (processing twice) before the pin, and the pin names the media with a key-frame cover.
    const made = pinterest.requests.slice(from).map((r) => `${r.method} ${r.path}`);
    const reads = made.filter((r) => r === `GET /v5/media/${media.id}`);
    assert.equal(reads.length, 3, made.join(', '));
    assert.ok(made.lastIndexOf(reads[0]!) < made.indexOf('POST /v5/pins'));
    assert.equal(pinterest.pins.length, pinsBefore + 1);
    const pin = pinterest.pins.at(-1)!;
    assert.deepEqual(pin.mediaSource, { sourceType: 'video_id', mediaId: media.id, coverKeyFrameTime: 0 });
    assert.equal(pin.title, 'Launch clip');
    assert.equal(pin.link, 'https://example.com/launch');
    assert.equal(pin.altText, 'A rocket lifts off at dawn.', "the video's alt text is the pin's");
    assert.match(pin.description ?? '', /^Our launch clip #\d+$/);
    assert.equal(post.targets[0]!.uri, pin.id);
    assert.equal(post.targets[0]!.progress, null, 'reset on completion');
    app.close();
  });

  it('sends the file again when the upload’s connection drops, or S3 answers 503 SlowDown, within the same attempt', async () => {
    const app = await startCore({ env: pinterest.env });
    const account = await connected(app);
    pinterest.setVideoProcessing({ reads: 0 });
    for (const fault of [() => pinterest.dropNextUpload(), () => pinterest.failNextUpload(503, 'SlowDown', 'Please reduce your request rate.')]) {
      const draftId = await videoPin(app, account.id, 'Through a dropped upload');
      const [mediaBefore, uploadsBefore] = [pinterest.media.length, uploads().length];
      fault();
      const post = await app.call('publish.now', { draftId });
      assert.equal(post.targets[0]!.status, 'published', JSON.stringify(post.targets[0]!.error));
      assert.equal(post.targets[0]!.attempts, 1);
      assert.equal(pinterest.media.length, mediaBefore + 1, 'the same registration');
      assert.equal(uploads().length, uploadsBefore + 2, 'sent twice');
      assert.equal(pinterest.media.at(-1)!.file?.sha256, fileSha256);
      assert.equal(pinterest.pins.at(-1)!.mediaSource.mediaId, pinterest.media.at(-1)!.id);
    }
    app.close();
  });

  it('a video Pinterest could not process (status failed) fails the target with media_unsupported; no pin', async () => {
    const app = await startCore({ env: pinterest.env });
    const account = await connected(app);
    const draftId = await videoPin(app, account.id, 'A broken video');
    pinterest.setVideoProcessing({ reads: 1, fails: true });
    try {
      const pinsBefore = pinterest.pins.length;
      const target = (await app.call('publish.now', { draftId })).targets[0]!;
      assert.equal(target.status, 'failed_permanent');
      assert.equal(target.error?.code, 'media_unsupported');
      assert.equal(target.error!.message, 'Pinterest could not process the video (its upload status is failed).');
      assert.match(target.error!.action ?? '', /nothing was pinned/);
      assert.equal(pinterest.pins.length, pinsBefore);
    } finally {
      pinterest.setVideoProcessing({ reads: 1 });
    }
    app.close();
  });

  it('a 5xx registering the upload is passing trouble tried again by itself; a 429 is rate_limited; nothing pinned meanwhile', async () => {
    const app = await startCore({ env: pinterest.env });
    const account = await connected(app);
    pinterest.setVideoProcessing({ reads: 0 });
    const pinsBefore = pinterest.pins.length;
    pinterest.injectFault('/v5/media', { status: 503, body: { code: 0, message: 'Service unavailable' } });
    const post = await app.call('publish.now', { draftId: await videoPin(app, account.id, 'Through the outage') });
    assert.equal(post.targets[0]!.status, 'queued');
    assert.equal(post.targets[0]!.error?.code, 'platform_rejected');
    const done = await settled(app, post.id, (p) => p.targets[0]!.status === 'published');
    assert.equal(done.targets[0]!.attempts, 2);
    assert.equal(pinterest.pins.length, pinsBefore + 1);

    pinterest.injectFault('/v5/media', { status: 429, body: { code: 8, message: 'You have exceeded your rate limit. Try again later.' }, headers: { 'retry-after': '60' } });
    const limited = (await app.call('publish.now', { draftId: await videoPin(app, account.id, 'Over the limit') })).targets[0]!;
    assert.equal(limited.status, 'queued');
    assert.equal(limited.error?.code, 'rate_limited');
    assert.equal(pinterest.pins.length, pinsBefore + 1);
    app.close();
  });

  it('after a restart while Pinterest processes the video, the saved media id is asked about and pinned: one upload, one pin', async () => {
    const first = freezableFetch();
    const app = await startCore({ env: pinterest.env, fetch: first.fetch });
    const account = await connected(app);
    const draftId = await videoPin(app, account.id, 'Across a restart');
    pinterest.setVideoProcessing({ reads: Infinity });
    const [mediaBefore, uploadsBefore, pinsBefore] = [pinterest.media.length, uploads().length, pinterest.pins.length];
    const publishing = app.call('publish.now', { draftId });
    publishing.catch(() => {});
    const media = await waitFor(() => (pinterest.media.length > mediaBefore && pinterest.media.at(-1)!.statusReads > 0 ? pinterest.media.at(-1) : undefined), 'a status read after the upload');
    assert.equal(media.status, 'processing');
    // Localpost stops while it waits for Pinterest: its next status read never comes back.
    first.freeze();
    await waitFor(() => (first.stuck() > 0 ? true : undefined), 'the next status read');
    app.close();
    // Pinterest finishes while Localpost is closed.
    media.processing = { reads: 0 };
    pinterest.setVideoProcessing({ reads: 1 });

    const again = await startCore({ env: pinterest.env, dataDir: app.dataDir });
    try {
      const postId = (await again.call('history.list', {}))[0]!.id;
      // Interrupted: the board is looked at first (no pin there), then the attempt goes on from the saved media.
      const done = await settled(again, postId, (p) => p.targets[0]!.status === 'published' || p.targets[0]!.status.startsWith('failed'));
      assert.equal(done.targets[0]!.status, 'published', JSON.stringify(done.targets[0]!.error));
      assert.equal(pinterest.media.length, mediaBefore + 1, 'no second registration');
      assert.equal(uploads().length, uploadsBefore + 1, 'the file went once');
      assert.equal(pinterest.pins.length, pinsBefore + 1, 'one pin');
      assert.equal(pinterest.pins.at(-1)!.mediaSource.mediaId, media.id);
    } finally {
      again.close();
    }
  });

  it('refuses an upload address that is neither https nor this computer, sending nothing there', async () => {
    const elsewhere = await startPinterestServer({ uploadUrl: 'http://uploads.example/' });
    servers.push(elsewhere);
    const asked: string[] = [];
    const app = await startCore({ env: elsewhere.env, fetch: (input, init) => (asked.push(String(input instanceof Request ? input.url : input)), globalThis.fetch(input, init)) });
    const account = await connected(app, elsewhere);
    const target = (await app.call('publish.now', { draftId: await videoPin(app, account.id, 'Not over plain http') })).targets[0]!;
    assert.equal(target.status, 'failed_permanent');
    assert.equal(target.error?.code, 'platform_rejected');
    assert.match(target.error!.message, /without a safe address/);
    assert.deepEqual(asked.filter((url) => url.includes('uploads.example')), [], 'nothing sent there');
    assert.equal(elsewhere.pins.length, 0);
    app.close();
  });

  it('refuses in preflight a video shorter than Pinterest’s 4 seconds', async () => {
    const app = await startCore({ env: pinterest.env });
    const account = await connected(app);
    const draftId = await videoPin(app, account.id, 'Too short', videoFixtures.mp4);
    const ids = (await app.call('drafts.preflight', { id: draftId })).map((issue) => issue.ruleId);
    assert.deepEqual(ids, ['video.duration']);
    await assert.rejects(app.call('publish.now', { draftId }), { code: 'preflight_failed' });
    app.close();
  });
});
