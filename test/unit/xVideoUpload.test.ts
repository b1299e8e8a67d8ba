// X's chunked video upload against a scripted X: which saved handles it continues and which it
// starts over, that it never loops on a media id X keeps refusing, and that a video still
// processing at the deadline is left for a later attempt. The whole flow against the contract mock
// is test/integration/xVideo.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AppError } from '../../src-main/core/errors';
import type { OutgoingVideo } from '../../src-main/core/platforms/adapter';
import { uploadXVideo, xVideoChunkBytes } from '../../src-main/core/platforms/x/xVideoUpload';

let dir: string;
let video: OutgoingVideo;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-xvideo-'));
  const file = path.join(dir, 'clip.mp4');
  fs.writeFileSync(file, Buffer.alloc(xVideoChunkBytes + 1000, 7));
  video = { path: file, mime: 'video/mp4', bytes: xVideoChunkBytes + 1000, durationSeconds: 5, width: 640, height: 360, alt: '' };
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

type Step = (path: string, init: RequestInit) => Response | undefined;

/** A scripted X: each request is answered by the first step that answers it; every request is logged. */
function scriptedX(steps: Step[], now = () => 1_000_000) {
  const calls: string[] = [];
  const saved: unknown[] = [];
  let nextId = 100;
  const deps = {
    clock: { now },
    sleep: async (_ms: number): Promise<void> => {},
    send: async (requestPath: string, init: RequestInit) => {
      calls.push(`${init.method} ${requestPath}`);
      // The body is read as X would, so the file's stream is consumed.
      if (init.body instanceof ReadableStream) for await (const piece of init.body) void piece;
      for (const step of steps) {
        const answer = step(requestPath, init);
        if (answer) return answer;
      }
      if (requestPath === '/2/media/upload/initialize') return json({ data: { id: String(nextId++), expires_after_secs: 86_400 } });
      if (requestPath.endsWith('/append')) return json({ data: {} });
      if (requestPath.endsWith('/finalize')) return json({ data: { id: requestPath.split('/')[4] } });
      return json({ data: { id: 'x', processing_info: { state: 'succeeded' } } });
    },
  };
  const post = (savedHandle: unknown = null) => ({ reportProgress: () => {}, uploadHandle: { saved: savedHandle, save: async (handle: unknown) => void saved.push(structuredClone(handle)) } });
  return { deps, calls, saved, post };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const gone = () => json({ title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found', detail: 'Could not find media.', resource_type: 'media' }, 404);
const handle = (fields: Record<string, unknown> = {}) => ({
  mediaId: '555',
  expiresAt: 1_000_000 + 3_600_000,
  totalBytes: xVideoChunkBytes + 1000,
  chunkBytes: xVideoChunkBytes,
  acknowledgedSegments: 1,
  finalized: false,
  ...fields,
});

describe('X video upload: what a saved handle continues', () => {
  it('saves the media id before the first byte, then each acknowledged segment, then the finalize', async () => {
    const x = scriptedX([]);
    assert.equal(await uploadXVideo(x.deps, video, x.post()), '100');
    assert.deepEqual(x.calls, ['POST /2/media/upload/initialize', 'POST /2/media/upload/100/append', 'POST /2/media/upload/100/append', 'POST /2/media/upload/100/finalize']);
    assert.deepEqual(
      x.saved.map((h) => [(h as { acknowledgedSegments: number }).acknowledgedSegments, (h as { finalized: boolean }).finalized]),
      [[0, false], [1, false], [2, false], [2, true]],
    );
  });

  it('continues a saved upload from its first unacknowledged segment, without an INIT', async () => {
    const x = scriptedX([]);
    assert.equal(await uploadXVideo(x.deps, video, x.post(handle())), '555');
    assert.deepEqual(x.calls, ['POST /2/media/upload/555/append', 'POST /2/media/upload/555/finalize']);
  });

  it('after a finalize only asks how processing stands', async () => {
    const x = scriptedX([]);
    assert.equal(await uploadXVideo(x.deps, video, x.post(handle({ acknowledgedSegments: 2, finalized: true }))), '555');
    assert.deepEqual(x.calls, ['GET /2/media/upload?command=STATUS&media_id=555']);
  });

  it('starts over for a handle of another file, of another chunk size, near its expiry, or not a handle at all', async () => {
    for (const saved of [handle({ totalBytes: 99 }), handle({ chunkBytes: 1024 }), handle({ expiresAt: 1_000_000 + 30_000 }), handle({ mediaId: '../x' }), 'garbage']) {
      const x = scriptedX([]);
      assert.equal(await uploadXVideo(x.deps, video, x.post(saved)), '100', JSON.stringify(saved));
      assert.equal(x.calls[0], 'POST /2/media/upload/initialize');
    }
  });

  it('starts over once when X no longer has the media, and reports a second refusal instead of looping', async () => {
    const once = scriptedX([(p) => (p === '/2/media/upload/555/append' ? gone() : undefined)]);
    assert.equal(await uploadXVideo(once.deps, video, once.post(handle())), '100');
    assert.deepEqual(once.calls.slice(0, 2), ['POST /2/media/upload/555/append', 'POST /2/media/upload/initialize']);

    const always = scriptedX([(p) => (p.endsWith('/append') ? gone() : undefined)]);
    await assert.rejects(uploadXVideo(always.deps, video, always.post(handle())), (error: AppError) => {
      assert.equal(error.code, 'platform_rejected');
      assert.match(error.message, /X no longer has the video upload 100/);
      return true;
    });
    assert.equal(always.calls.filter((c) => c.endsWith('/initialize')).length, 1);
  });

  it('leaves a video still processing at the deadline to a later attempt: transient, nothing sent', async () => {
    let now = 1_000_000;
    const x = scriptedX(
      [(p) => (p.endsWith('/finalize') || p.startsWith('/2/media/upload?') ? json({ data: { id: '100', processing_info: { state: 'in_progress', check_after_secs: 30 } } }) : undefined)],
      () => now,
    );
    x.deps.sleep = async (ms: number) => {
      now += ms;
    };
    await assert.rejects(uploadXVideo({ ...x.deps, processingTimeoutMs: 120_000 }, video, x.post()), (error: AppError) => {
      assert.equal(error.code, 'platform_rejected');
      assert.equal(error.transient, true);
      assert.equal(error.delivery, 'not_sent');
      return true;
    });
    // Asked every 30 s as X said, for the 2 minutes allowed.
    assert.equal(x.calls.filter((c) => c.startsWith('GET')).length, 4);
  });
});
