// The chunked-upload driver (TikTok's FILE_UPLOAD, X's APPEND): chunks in order, each sent once
// unless it failed, passing trouble retried, and after a restart the upload goes on from the first
// chunk the server had not acknowledged.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { chunkedUpload, chunkSpans, type ChunkedUploadOptions, type ChunkToSend } from '../../src-main/core/http/chunkedUpload';
import { streamedRequest } from '../../src-main/core/http/fileRangeBody';
import { isUploadFailure, type UploadProgress, type UploadRetry, type UploadState } from '../../src-main/core/http/uploadSession';
import { readBody } from '../harness/requestBody';

const MiB = 1024 * 1024;
const size = 3 * MiB + 5000;
let dir: string;
let file: string;
const content = crypto.randomBytes(size);

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-chunks-'));
  file = path.join(dir, 'video.mp4');
  fs.writeFileSync(file, content);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const quickRetry = (maxAttempts = 5): UploadRetry & { waits: number[] } => {
  const waits: number[] = [];
  return { maxAttempts, baseDelayMs: 100, maxDelayMs: 1000, random: () => 1, sleep: async (ms) => void waits.push(ms), waits };
};

/** A platform that takes chunks: what it acknowledged, in order, and what it was sent. */
function platform(faults: Array<AppError | undefined> = []) {
  const received = new Map<number, Buffer>();
  const sent: Array<{ index: number; contentRange: string; bytes: number }> = [];
  return {
    received,
    sent,
    assembled: () => Buffer.concat([...received.keys()].sort((a, b) => a - b).map((index) => received.get(index)!)),
    async sendChunk(chunk: ChunkToSend) {
      const bytes = Buffer.from(await new Response(chunk.body().body).arrayBuffer());
      sent.push({ index: chunk.index, contentRange: chunk.contentRange, bytes: bytes.length });
      const fault = faults.shift();
      if (fault) throw fault;
      received.set(chunk.index, bytes);
      return { index: chunk.index };
    },
  };
}

function options(target: ReturnType<typeof platform>, overrides: Partial<ChunkedUploadOptions<{ index: number }>> = {}) {
  const states: UploadState[] = [];
  const progress: UploadProgress[] = [];
  const base: ChunkedUploadOptions<{ index: number }> = {
    file: { path: file, size },
    chunks: chunkSpans(size, MiB, { remainderJoinsLast: true }),
    sendChunk: (chunk) => target.sendChunk(chunk),
    saveState: async (state) => void states.push(state),
    onProgress: (p) => progress.push(p),
    retry: quickRetry(),
    ...overrides,
  };
  return { options: base, states, progress };
}

const serverError = () => new AppError('platform_rejected', 'TikTok had a problem (internal_error).', { transient: true });
const dropped = () => new AppError('network_unreachable', 'Could not reach open-upload.tiktokapis.com.', { delivery: 'maybe_sent' });

describe('chunkSpans', () => {
  it('TikTok counts floor(size / chunk) chunks, the remainder joining the last; a small file is one chunk', () => {
    assert.deepEqual(chunkSpans(size, MiB, { remainderJoinsLast: true }), [
      { start: 0, end: MiB },
      { start: MiB, end: 2 * MiB },
      { start: 2 * MiB, end: size },
    ]);
    assert.deepEqual(chunkSpans(1000, MiB, { remainderJoinsLast: true }), [{ start: 0, end: 1000 }]);
  });

  it('otherwise the remainder is a chunk of its own (X’s segments)', () => {
    assert.deepEqual(chunkSpans(size, MiB).map((c) => c.end - c.start), [MiB, MiB, MiB, 5000]);
  });
});

describe('chunkedUpload', () => {
  it('sends every chunk once, in order, with its Content-Range, saving each acknowledgment', async () => {
    const target = platform();
    const run = options(target);
    const answer = await chunkedUpload(run.options);
    assert.deepEqual(answer, { index: 2 }, 'the last chunk’s answer');
    assert.ok(target.assembled().equals(content));
    assert.deepEqual(target.sent.map((s) => s.contentRange), [`bytes 0-${MiB - 1}/${size}`, `bytes ${MiB}-${2 * MiB - 1}/${size}`, `bytes ${2 * MiB}-${size - 1}/${size}`]);
    assert.deepEqual(run.states, [{ uploadedBytes: MiB }, { uploadedBytes: 2 * MiB }, { uploadedBytes: size }]);
    assert.deepEqual(run.progress.at(-1), { acknowledgedBytes: size, sentBytes: size, totalBytes: size });
    assert.ok(run.progress.some((p) => p.sentBytes > p.acknowledgedBytes));
  });

  it('retries only the chunk that met passing trouble, with backoff', async () => {
    const target = platform([undefined, serverError(), dropped()]);
    const run = options(target);
    await chunkedUpload(run.options);
    assert.ok(target.assembled().equals(content));
    assert.deepEqual(target.sent.map((s) => s.index), [0, 1, 1, 1, 2]);
    assert.deepEqual((run.options.retry as ReturnType<typeof quickRetry>).waits, [100, 200]);
  });

  it('after a restart, goes on from the first chunk not acknowledged', async () => {
    const target = platform([undefined, serverError()]);
    const first = options(target, { retry: quickRetry(1) });
    await assert.rejects(chunkedUpload(first.options), (error: AppError) => error.transient);
    const stored = first.states.at(-1)!;
    assert.deepEqual(stored, { uploadedBytes: MiB });

    const second = options(target, { resumeFrom: stored });
    await chunkedUpload(second.options);
    assert.deepEqual(target.sent.map((s) => s.index), [0, 1, 1, 2], 'chunk 0 was not sent again');
    assert.ok(target.assembled().equals(content));
    assert.equal(second.progress[0]!.acknowledgedBytes, MiB);
  });

  it('a refusal is not retried; a connection lost on a middle chunk says the post does not exist yet', async () => {
    const refused = new AppError('platform_rejected', 'TikTok refused: invalid_file_upload');
    const target = platform([refused]);
    await assert.rejects(chunkedUpload(options(target).options), (error) => error === refused);
    assert.equal(target.sent.length, 1);

    const flaky = platform([dropped(), dropped()]);
    await assert.rejects(chunkedUpload(options(flaky, { retry: quickRetry(2) }).options), (error: AppError) => error.code === 'network_unreachable' && error.delivery === 'not_sent');
  });

  it('refuses stored progress that is not a chunk boundary, and chunks that do not cover the file', async () => {
    const target = platform();
    await assert.rejects(chunkedUpload(options(target, { resumeFrom: { uploadedBytes: 12345 } }).options), (error) => isUploadFailure(error, 'offset_invalid'));
    await assert.rejects(chunkedUpload(options(target, { chunks: [{ start: 0, end: MiB }, { start: MiB + 1, end: size }] }).options), /cover/);
    await assert.rejects(chunkedUpload(options(target, { chunks: [{ start: 0, end: size }, { start: size, end: size }] }).options), /cover/);
    assert.equal(target.sent.length, 0);
  });

  it('a completed upload resumed sends nothing', async () => {
    const target = platform();
    assert.equal(await chunkedUpload(options(target, { resumeFrom: { uploadedBytes: size } }).options), undefined);
    assert.equal(target.sent.length, 0);
  });

  it('over HTTP: raw chunks with Content-Range (TikTok’s PUTs) and form chunks with segment_index (X’s APPEND)', async () => {
    const raw = new Map<number, Buffer>();
    const segments = new Map<number, Buffer>();
    const server = http.createServer(async (request, response) => {
      const bytes = await readBody(request);
      if (Number(request.headers['content-length']) !== bytes.length) return response.writeHead(400).end();
      if (request.url === '/put') {
        // TikTok's media transfer guide: 206 Partial Content per chunk, 201 Created with the last.
        const [, start, end, total] = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(request.headers['content-range'])) ?? [];
        if (Number(end) - Number(start) + 1 !== bytes.length) return response.writeHead(400).end();
        raw.set(Number(start), bytes);
        return response.writeHead(Number(end) + 1 === Number(total) ? 201 : 206).end();
      }
      const form = await new Response(bytes, { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
      segments.set(Number(form.get('segment_index')), Buffer.from(await (form.get('media') as File).arrayBuffer()));
      return response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"expires_at":1}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const put = options(platform(), {
        sendChunk: async (chunk) => {
          const body = chunk.body();
          const response = await fetch(`${base}/put`, { method: 'PUT', ...streamedRequest(body, { 'content-type': 'video/mp4', 'content-range': chunk.contentRange }) });
          if (response.status !== 206 && response.status !== 201) throw new AppError('platform_rejected', `HTTP ${response.status}`);
          return { index: response.status };
        },
      });
      assert.deepEqual(await chunkedUpload(put.options), { index: 201 });
      assert.ok(Buffer.concat([...raw.keys()].sort((a, b) => a - b).map((start) => raw.get(start)!)).equals(content));

      const append = options(platform(), {
        chunks: chunkSpans(size, MiB),
        sendChunk: async (chunk) => {
          const body = chunk.formBody({ segment_index: String(chunk.index) }, { field: 'media', filename: 'video.mp4', contentType: 'video/mp4' });
          const response = await fetch(`${base}/append`, { method: 'POST', ...streamedRequest(body, { 'content-type': body.contentType }) });
          if (!response.ok) throw new AppError('platform_rejected', `HTTP ${response.status}`);
          return { index: chunk.index };
        },
      });
      await chunkedUpload(append.options);
      assert.deepEqual([...segments.keys()], [0, 1, 2, 3]);
      assert.ok(Buffer.concat([0, 1, 2, 3].map((index) => segments.get(index)!)).equals(content));
      assert.ok(append.progress.some((p) => p.sentBytes > p.acknowledgedBytes && p.sentBytes < size), 'progress counts the file bytes inside the form');
    } finally {
      server.close();
    }
  });

  it('a file that cannot be read fails with its own error, not as a network failure', async () => {
    const target = platform();
    const short = path.join(dir, 'short.mp4');
    fs.writeFileSync(short, content);
    const run = options(target, {
      file: { path: short, size },
      sendChunk: async (chunk) => {
        if (chunk.index === 1) fs.truncateSync(short, MiB + 10);
        try {
          return await target.sendChunk(chunk);
        } catch {
          throw new AppError('network_unreachable', 'Could not reach the server.', { delivery: 'maybe_sent' });
        }
      },
    });
    await assert.rejects(chunkedUpload(run.options), (error: AppError) => error.code === 'invalid_input');
  });
});
