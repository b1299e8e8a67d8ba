// Google's resumable upload protocol against a local server that behaves as the YouTube Data API
// documents it (test/harness/googleResumableServer.ts), through the core's real HTTP path. Each
// case checks the three things that matter to a person uploading a video: no byte goes twice
// unless the server lost it, an interrupted upload continues from the server's offset (also from a
// new uploader built from the stored state, as after a restart), and exactly one video is created.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { createHttpFetch } from '../../src-main/core/http/httpClient';
import { googleResumableUpload, keptBytes, type GoogleResumableUploadOptions } from '../../src-main/core/http/googleResumableUpload';
import { isUploadFailure, UploadFailure, type UploadProgress, type UploadRetry, type UploadState } from '../../src-main/core/http/uploadSession';
import { startGoogleResumableServer, uploadQuantum, type GoogleResumableServer } from '../harness/googleResumableServer';
import { isSameOrigin } from '../../src-main/core/http/uploadAddress';

const KiB = 1024;
const MiB = 1024 * KiB;
const chunkBytes = 1 * MiB;
const size = 3 * MiB + 100 * KiB + 17; // four chunks, the last a short one

let dir: string;
let file: string;
let content: Buffer;
let server: GoogleResumableServer;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-upload-'));
  file = path.join(dir, 'video.mp4');
  content = crypto.randomBytes(size);
  fs.writeFileSync(file, content);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  server = await startGoogleResumableServer();
});
afterEach(() => server.close());

/** Retries without waiting, the waits recorded. */
function quickRetry(maxAttempts = 5): UploadRetry & { waits: number[] } {
  const waits: number[] = [];
  return { maxAttempts, baseDelayMs: 1000, maxDelayMs: 30_000, random: () => 0.5, sleep: async (ms) => void waits.push(ms), waits };
}

interface Run {
  states: UploadState[];
  progress: UploadProgress[];
  /** How many requests the server had seen when each state was saved. */
  requestsAtSave: number[];
  sessionsStarted: number;
  options: GoogleResumableUploadOptions;
}

function run(overrides: Partial<GoogleResumableUploadOptions> = {}, timeoutMs = 10_000): Run {
  const record: Run = { states: [], progress: [], requestsAtSave: [], sessionsStarted: 0, options: undefined as never };
  const fetch = createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true }, timeoutMs });
  record.options = {
    fetch,
    file: { path: file, size },
    contentType: 'video/mp4',
    chunkBytes,
    failureRules: { platformName: 'YouTube', authFailed: [401], tooLarge: [413] },
    sessionHeaders: () => ({ authorization: `Bearer ${server.token}` }),
    trustsSession: (uri) => isSameOrigin(uri, server.startUrl),
    startSession: async () => {
      record.sessionsStarted++;
      return fetch(server.startUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${server.token}`,
          'content-type': 'application/json; charset=UTF-8',
          'x-upload-content-length': String(size),
          'x-upload-content-type': 'video/mp4',
        },
        body: JSON.stringify({ snippet: { title: 'A video' }, status: { privacyStatus: 'private' } }),
      });
    },
    saveState: async (state) => {
      record.states.push(state);
      record.requestsAtSave.push(server.requests.length);
    },
    onProgress: (progress) => record.progress.push(progress),
    retry: quickRetry(),
    ...overrides,
  };
  return record;
}

const chunks = () => server.requests.filter((request) => request.kind === 'chunk');
const statusQueries = () => server.requests.filter((request) => request.kind === 'status');

/** No chunk started anywhere but at what the server held: nothing it had was sent again. */
function assertNoNeedlessResend() {
  for (const chunk of chunks()) assert.equal(chunk.start, chunk.storedBefore, `a chunk started at ${chunk.start} while the server held ${chunk.storedBefore}`);
}

function assertOneCompleteVideo(result: { status: number; resource: unknown }) {
  assert.equal(server.videosCreated, 1, 'exactly one video');
  assert.equal(server.sessionIds().length, 1, 'one session');
  assert.ok(server.storedFile().equals(content), 'the server holds the file exactly');
  assert.ok([200, 201].includes(result.status));
  assert.equal((result.resource as { kind?: string }).kind, 'youtube#video');
}

function assertProgressMonotonic(progress: UploadProgress[]) {
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.acknowledgedBytes >= progress[i - 1]!.acknowledgedBytes, 'acknowledged progress never goes back');
  assert.deepEqual(progress.at(-1), { acknowledgedBytes: size, sentBytes: size, totalBytes: size });
}

describe('googleResumableUpload', () => {
  it('stores the session URI before the first byte, sends each chunk once, and ends with the video', async () => {
    const record = run();
    const result = await googleResumableUpload(record.options);
    assertOneCompleteVideo(result);
    assert.equal(record.sessionsStarted, 1);
    assert.match(record.states[0]!.sessionUri ?? '', /upload_id=/);
    assert.equal(record.states[0]!.uploadedBytes, 0);
    assert.equal(record.requestsAtSave[0], 1, 'saved right after the initiating request, before any chunk');
    assert.deepEqual(
      chunks().map((chunk) => [chunk.start, chunk.end]),
      [[0, MiB], [MiB, 2 * MiB], [2 * MiB, 3 * MiB], [3 * MiB, size]],
    );
    assert.equal(server.bytesReceived(), size, 'every byte sent once');
    assert.equal(statusQueries().length, 0);
    assert.deepEqual(record.states.map((state) => state.uploadedBytes), [0, MiB, 2 * MiB, 3 * MiB, size]);
    assertProgressMonotonic(record.progress);
    assert.ok(record.progress.some((p) => p.sentBytes > p.acknowledgedBytes), 'progress moves while a chunk is in flight');
  });

  it('refuses a session address outside the API’s origin before a byte or a token goes there', async () => {
    let strayRequests = 0;
    const stray = http.createServer((_request, response) => {
      strayRequests++;
      response.writeHead(308).end();
    });
    await new Promise<void>((resolve) => stray.listen(0, '127.0.0.1', resolve));
    try {
      const elsewhere = `http://127.0.0.1:${(stray.address() as AddressInfo).port}/upload?upload_id=stolen`;
      const record = run({ startSession: async () => new Response(null, { status: 200, headers: { location: elsewhere } }) });
      await assert.rejects(googleResumableUpload(record.options), (error: AppError) => {
        assert.equal(error.code, 'platform_rejected');
        assert.equal(error.delivery, 'not_sent');
        assert.match(error.message, /outside its own/);
        return true;
      });
      assert.equal(strayRequests, 0, 'nothing was sent there');
      assert.deepEqual(record.states, [], 'and nothing kept to resume from it');
    } finally {
      stray.close();
    }
  });

  it('goes on from the Range the server kept when it acknowledges fewer bytes than were sent', async () => {
    server.nextChunk({ kind: 'keep_fewer', keepBytes: uploadQuantum });
    const record = run();
    const result = await googleResumableUpload(record.options);
    assertOneCompleteVideo(result);
    assertNoNeedlessResend();
    assert.equal(chunks()[1]!.start, uploadQuantum, 'the next chunk starts at what the server kept');
    assert.equal(server.bytesReceived(), size + (MiB - uploadQuantum), 'only the bytes the server dropped went again');
  });

  it('asks where the upload stands after a connection dropped mid-chunk, and continues from there', async () => {
    server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB }); // the first chunk, whole
    server.nextChunk({ kind: 'drop_mid_chunk', afterBytes: 600 * KiB });
    const record = run();
    const result = await googleResumableUpload(record.options);
    assertOneCompleteVideo(result);
    assertNoNeedlessResend();
    const dropped = chunks()[1]!;
    assert.equal(dropped.status, 'dropped');
    const kept = Math.floor(dropped.received / uploadQuantum) * uploadQuantum;
    assert.ok(kept > 0, 'the server kept part of the dropped chunk');
    assert.equal(statusQueries().length, 1, 'one status query after the drop');
    assert.equal(chunks()[2]!.start, MiB + kept, 'it resumes from what the server kept of the dropped chunk');
    assert.equal(server.bytesReceived(), size + (dropped.received - kept));
    assert.equal((record.options.retry as ReturnType<typeof quickRetry>).waits.length, 1, 'one backoff before asking');
  });

  it('settles a lost final answer with a status query: the video is there once, nothing sent again', async () => {
    for (let i = 0; i < 3; i++) server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB });
    server.nextChunk({ kind: 'lose_answer' });
    const record = run();
    const result = await googleResumableUpload(record.options);
    assertOneCompleteVideo(result);
    assert.equal(result.status, 200, 'the answer to the status query');
    assert.equal(statusQueries().length, 1);
    assert.equal(server.bytesReceived(), size);
    assert.equal(record.states.at(-1)!.uploadedBytes, size);
  });

  it('after a restart, a new uploader from the stored state asks the server and continues from its offset, without a new session', async () => {
    server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB });
    server.nextChunk({ kind: 'drop_mid_chunk', afterBytes: 700 * KiB });
    const first = run({ retry: quickRetry(1) });
    await assert.rejects(googleResumableUpload(first.options), (error: AppError) => error.code === 'network_unreachable');
    const stored = first.states.at(-1)!;
    assert.equal(stored.uploadedBytes, MiB, 'the last offset the server acknowledged');
    const serverHeld = server.storedFile().length;
    assert.ok(serverHeld > MiB, 'the server kept more than the last acknowledgment said');

    const second = run({ resumeFrom: stored });
    const result = await googleResumableUpload(second.options);
    assertOneCompleteVideo(result);
    assertNoNeedlessResend();
    assert.equal(second.sessionsStarted, 0, 'no second session');
    const afterRestart = server.requests.slice(server.requests.indexOf(chunks()[1]!) + 1);
    assert.equal(afterRestart[0]!.kind, 'status', 'it asks first');
    assert.equal(afterRestart[1]!.start, serverHeld, "then goes on from the server's offset, not from zero nor from the stored one");
    assert.equal(second.progress[0]!.acknowledgedBytes, MiB, 'progress shows the stored offset from the start');
  });

  it('after a restart before the first byte, the stored session is used: nothing held, so it starts at 0 in that session', async () => {
    const first = run();
    const saved: UploadState[] = [];
    first.options.saveState = async (state) => {
      saved.push(state);
      throw new Error('the process died right after saving');
    };
    await assert.rejects(googleResumableUpload(first.options), /died/);
    assert.equal(chunks().length, 0);
    const second = run({ resumeFrom: saved[0] });
    assertOneCompleteVideo(await googleResumableUpload(second.options));
    assert.equal(second.sessionsStarted, 0);
    assert.equal(server.bytesReceived(), size);
  });

  it('a restart after the video was completed (the final answer lost with the process) returns that video, sending nothing', async () => {
    for (let i = 0; i < 3; i++) server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB });
    server.nextChunk({ kind: 'lose_answer' });
    const first = run({ retry: quickRetry(1) });
    await assert.rejects(googleResumableUpload(first.options), (error: AppError) => error.code === 'network_unreachable' && error.delivery === 'maybe_sent');
    const second = run({ resumeFrom: first.states.at(-1)! });
    assertOneCompleteVideo(await googleResumableUpload(second.options));
    assert.equal(server.bytesReceived(), size);
  });

  it('retries a chunk answered 5xx after asking where the upload stands, with backoff', async () => {
    server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB });
    server.nextChunk({ kind: 'status', status: 503 });
    server.nextChunk({ kind: 'status', status: 500 });
    const record = run();
    assertOneCompleteVideo(await googleResumableUpload(record.options));
    assertNoNeedlessResend();
    assert.equal(statusQueries().length, 2);
    assert.deepEqual((record.options.retry as ReturnType<typeof quickRetry>).waits, [500, 1000], 'full-jitter backoff, doubling');
  });

  it('gives up after the retries with a transient error when 5xx answers go on', async () => {
    for (let i = 0; i < 10; i++) server.nextChunk({ kind: 'status', status: 503 });
    const record = run({ retry: quickRetry(3) });
    await assert.rejects(googleResumableUpload(record.options), (error: AppError) => error.code === 'platform_rejected' && error.transient);
    assert.equal(chunks().length, 3);
    assert.equal(record.states.at(-1)!.uploadedBytes, 0);
  });

  it('a connection that keeps failing ends with a network error that says the video does not exist yet', async () => {
    for (let i = 0; i < 3; i++) server.nextChunk({ kind: 'drop_mid_chunk', afterBytes: 1 });
    await assert.rejects(googleResumableUpload(run({ retry: quickRetry(3) }).options), (error: AppError) => error.code === 'network_unreachable' && error.delivery === 'not_sent');
  });

  for (const status of [404, 410] as const) {
    it(`an expired session (${status}) fails with session_expired, for the adapter to start a new one`, async () => {
      server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB });
      const record = run({
        saveState: async (state) => {
          record.states.push(state);
          if (state.uploadedBytes === MiB) server.expire(status);
        },
      });
      await assert.rejects(googleResumableUpload(record.options), (error: unknown) => isUploadFailure(error, 'session_expired') && (error as AppError).transient);
      assert.equal(server.videosCreated, 0);
      assert.equal(chunks().length, 2, 'no retry into a dead session');
    });
  }

  it('an expired session found by the status query after a restart fails the same way', async () => {
    const first = run();
    server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB });
    server.nextChunk({ kind: 'drop_mid_chunk', afterBytes: 1 });
    await assert.rejects(googleResumableUpload({ ...first.options, retry: quickRetry(1) }));
    server.expire(410);
    await assert.rejects(googleResumableUpload(run({ resumeFrom: first.states.at(-1)! }).options), (error: unknown) => isUploadFailure(error, 'session_expired'));
  });

  it('a refusal (403 quotaExceeded) fails at once, classified, with the platform’s words', async () => {
    server.nextChunk({ kind: 'status', status: 403, body: { error: { code: 403, message: 'The request cannot be completed because you have exceeded your quota.', errors: [{ reason: 'quotaExceeded' }] } } });
    const record = run();
    await assert.rejects(googleResumableUpload(record.options), (error: AppError) => {
      assert.equal(error.code, 'platform_rejected');
      assert.equal(error.transient, false);
      assert.match(error.message, /YouTube refused: .*exceeded your quota/);
      return true;
    });
    assert.equal(chunks().length, 1);
    assert.equal(statusQueries().length, 0);
  });

  it('a refused sign-in (401) is platform_auth_failed', async () => {
    const record = run({ sessionHeaders: () => ({ authorization: 'Bearer revoked' }) });
    await assert.rejects(googleResumableUpload(record.options), (error: AppError) => error.code === 'platform_auth_failed');
  });

  it('a connection too slow for a chunk within the request timeout gets smaller chunks, down to 256 KiB', async () => {
    for (let i = 0; i < 3; i++) server.nextChunk({ kind: 'hang' });
    const record = run({ chunkBytes: 2 * MiB, retry: quickRetry(2) }, 300);
    assertOneCompleteVideo(await googleResumableUpload(record.options));
    assert.deepEqual(
      chunks().slice(0, 4).map((chunk) => [chunk.start, chunk.end! - chunk.start!]),
      [[0, 2 * MiB], [0, MiB], [0, MiB / 2], [0, MiB / 4]],
      'halved after each timeout, each time from what the server held, and a halving is not a failure',
    );
    assert.ok(chunks().slice(4).every((chunk) => chunk.end! - chunk.start! <= MiB / 4));
  });

  it('memory is bounded by the chunk, not the file: a 96 MiB upload in 1 MiB chunks', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const large = path.join(dir, 'large.mp4');
    const largeSize = 96 * MiB;
    fs.writeFileSync(large, '');
    fs.truncateSync(large, largeSize);
    let before = 0;
    let peak = 0;
    const sampler = setInterval(() => {
      if (!before) return;
      gc();
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 10);
    try {
      const record = run({ file: { path: large, size: largeSize } });
      record.options.startSession = async () =>
        record.options.fetch(server.startUrl, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'x-upload-content-length': String(largeSize), 'x-upload-content-type': 'video/mp4' } });
      record.options.saveState = async () => {
        if (before) return;
        gc(); // after the session exists: the mock's own copy of the file is allocated by then
        before = peak = process.memoryUsage().arrayBuffers;
      };
      await googleResumableUpload(record.options);
    } finally {
      clearInterval(sampler);
      fs.rmSync(large);
    }
    assert.equal(server.videosCreated, 1);
    const growthMb = (peak - before) / MiB;
    assert.ok(growthMb < 16, `array buffers grew by ${growthMb.toFixed(0)} MB for a 96 MiB upload`);
  });

  describe('hostile servers: refused with a clear error, never a loop', () => {
    it('a Range beyond what was sent', async () => {
      server.nextChunk({ kind: 'claim_range', range: `bytes=0-${2 * MiB - 1}` });
      await assert.rejects(googleResumableUpload(run().options), (error: unknown) => {
        assert.ok(isUploadFailure(error, 'offset_invalid'));
        assert.match((error as Error).message, /claimed to hold 2097152 bytes of the upload when only 1048576 were sent/);
        return true;
      });
      assert.equal(server.requests.length, 2);
    });

    it('a Range beyond the file, after a restart', async () => {
      const first = run({ retry: quickRetry(1) });
      server.nextChunk({ kind: 'drop_mid_chunk', afterBytes: 1 });
      await assert.rejects(googleResumableUpload(first.options));
      server.nextStatus({ kind: 'claim_range', range: `bytes=0-${size}` });
      await assert.rejects(googleResumableUpload(run({ resumeFrom: first.states.at(-1)! }).options), (error: unknown) => isUploadFailure(error, 'offset_invalid'));
    });

    it('a Range going backwards', async () => {
      server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB });
      server.nextChunk({ kind: 'claim_range', range: `bytes=0-${MiB / 2 - 1}` });
      await assert.rejects(googleResumableUpload(run().options), (error: unknown) => {
        assert.ok(isUploadFailure(error, 'offset_invalid'));
        assert.match((error as Error).message, /went back on the upload: it holds 524288 bytes after acknowledging 1048576/);
        return true;
      });
    });

    it('a server that answers 308 without ever keeping anything more', async () => {
      server.nextChunk({ kind: 'keep_fewer', keepBytes: MiB });
      for (let i = 0; i < 50; i++) server.nextChunk({ kind: 'claim_range', range: `bytes=0-${MiB - 1}` });
      const record = run({ retry: quickRetry(4) });
      await assert.rejects(googleResumableUpload(record.options), (error: unknown) => {
        assert.ok(isUploadFailure(error, 'no_progress'));
        assert.match((error as Error).message, /stopped taking the upload at byte 1048576/);
        return true;
      });
      assert.equal(chunks().length, 1 + 4, 'the first chunk, then four tries that moved nothing');
      assertNoNeedlessResend();
    });

    it('a Range it does not document', () => {
      assert.equal(keptBytes(null), 0);
      assert.equal(keptBytes('bytes=0-262143'), 262144);
      for (const range of ['bytes=5-10', 'bytes=0-', 'items=0-5', 'bytes=0-1,3-4']) {
        assert.throws(() => keptBytes(range), (error: unknown) => error instanceof UploadFailure && error.reason === 'offset_invalid');
      }
    });
  });

  it('refuses a chunk size that is not a multiple of 256 KiB, and a file that changed size', async () => {
    await assert.rejects(googleResumableUpload(run({ chunkBytes: 1_000_000 }).options), /multiple of 256 KiB/);
    await assert.rejects(googleResumableUpload(run({ file: { path: file, size: size + 1 } }).options), (error: AppError) => error.code === 'invalid_input');
    assert.equal(server.requests.length, 0, 'nothing sent');
  });
});
