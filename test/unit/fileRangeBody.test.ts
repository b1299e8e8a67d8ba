// A byte range of a file as a streamed request body: exactly those bytes, an exact length, pulled
// piece by piece as the reader asks (progress counted), and a clear error when the file is gone
// or changes underneath.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { after, before, describe, it } from 'node:test';
import type { AppError } from '../../src-main/core/errors';
import { assertFileSize, fileRangeBody, streamedRequest, UploadFileReader } from '../../src-main/core/http/fileRangeBody';
import { multipartBody } from '../../src-main/core/http/multipartStream';
import { readBody } from '../harness/requestBody';

let dir: string;
let file: string;
const content = crypto.randomBytes(5 * 1024 * 1024 + 123);

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-body-'));
  file = path.join(dir, 'video.mp4');
  fs.writeFileSync(file, content);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fileRangeBody', () => {
  it('yields exactly [start, end) of the file, its length known, progress counted as it is read', async () => {
    const reads: number[] = [];
    const start = 1_000_003;
    const end = 4_200_000;
    const body = fileRangeBody({ path: file, start, end }, (read) => reads.push(read));
    assert.equal(body.length, end - start);
    assert.deepEqual(reads, [], 'nothing read before the reader asks');
    const bytes = Buffer.from(await new Response(body.body).arrayBuffer());
    assert.ok(bytes.equals(content.subarray(start, end)));
    assert.equal(reads.at(-1), end - start);
    assert.ok(reads.length > 1, 'read in pieces, not whole');
    assert.ok(reads.every((read, i) => i === 0 || read > reads[i - 1]!));
    assert.equal(body.failure, undefined);
  });

  it('reads no further than the reader has asked', async () => {
    const reads: number[] = [];
    const body = fileRangeBody({ path: file, start: 0, end: content.length }, (read) => reads.push(read));
    const reader = body.body.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(reads.length, 1, 'one piece asked, one piece read');
    assert.ok(reads[0]! <= 1024 * 1024);
    await reader.cancel();
  });

  it('an empty range is an empty body', async () => {
    const body = fileRangeBody({ path: file, start: 10, end: 10 });
    assert.equal(body.length, 0);
    assert.equal((await new Response(body.body).arrayBuffer()).byteLength, 0);
  });

  it('goes out through fetch with duplex half and an exact Content-Length, not chunked', async () => {
    const seen: Array<{ length: string | undefined; chunked: boolean; bytes: Buffer }> = [];
    const server = http.createServer(async (request, response) => {
      seen.push({ length: request.headers['content-length'], chunked: request.headers['transfer-encoding'] === 'chunked', bytes: await readBody(request) });
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const body = fileRangeBody({ path: file, start: 7, end: 3_000_007 });
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'PUT', ...streamedRequest(body, { 'content-type': 'video/mp4' }) });
      assert.equal(response.status, 200);
      assert.equal(seen[0]!.length, '3000000');
      assert.equal(seen[0]!.chunked, false);
      assert.ok(seen[0]!.bytes.equals(content.subarray(7, 3_000_007)));
    } finally {
      server.close();
    }
  });

  it('memory stays flat while a large file goes out in one request (redirect: error, no teed copy)', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const large = path.join(dir, 'large.mp4');
    const size = 256 * 1024 * 1024;
    fs.writeFileSync(large, '');
    fs.truncateSync(large, size); // sparse: nothing written to the disk
    let received = 0;
    const server = http.createServer((request, response) => {
      request.on('data', (piece: Buffer) => (received += piece.length));
      request.on('end', () => response.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gc();
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const samples: number[] = [];
    const sampler = setInterval(() => {
      gc();
      const now = process.memoryUsage().arrayBuffers;
      samples.push(now);
      peak = Math.max(peak, now);
    }, 10);
    try {
      const body = fileRangeBody({ path: large, start: 0, end: size });
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'PUT', ...streamedRequest(body, {}) });
      await response.arrayBuffer();
    } finally {
      clearInterval(sampler);
      server.close();
      fs.rmSync(large);
    }
    assert.equal(received, size);
    assert.ok(samples.length >= 3, `sampled ${samples.length} times during the upload`);
    const growthMb = (peak - before) / 1024 / 1024;
    assert.ok(growthMb < 32, `array buffers grew by ${growthMb.toFixed(0)} MB while uploading 256 MB`);
  });

  it('a file that is gone: not_found, kept as the body failure', async () => {
    const body = fileRangeBody({ path: path.join(dir, 'missing.mp4'), start: 0, end: 10 });
    await assert.rejects(new Response(body.body).arrayBuffer());
    assert.equal(body.failure?.code, 'not_found');
    await assert.rejects(assertFileSize(path.join(dir, 'missing.mp4'), 10), (error: AppError) => error.code === 'not_found');
  });

  it('a file shorter than the range (changed on disk): invalid_input, not a short body', async () => {
    const short = path.join(dir, 'short.mp4');
    fs.writeFileSync(short, content.subarray(0, 1000));
    const body = fileRangeBody({ path: short, start: 0, end: 2000 });
    await assert.rejects(new Response(body.body).arrayBuffer());
    assert.equal(body.failure?.code, 'invalid_input');
    await assert.rejects(assertFileSize(short, 2000), (error: AppError) => error.code === 'invalid_input');
  });
});

describe('UploadFileReader: one upload read chunk after chunk', () => {
  /** The chunk's bytes and the memory each piece was read into. */
  async function drain(body: ReadableStream<Uint8Array>): Promise<{ bytes: Buffer; pieces: Uint8Array[]; memory: Set<ArrayBufferLike> }> {
    const pieces: Uint8Array[] = [];
    for await (const piece of body) pieces.push(piece);
    return { bytes: Buffer.concat(pieces), pieces, memory: new Set(pieces.map((piece) => piece.buffer)) };
  }

  it('yields each chunk exactly, its length known and its progress counted', async () => {
    const reader = await UploadFileReader.open(file);
    try {
      for (const [start, end] of [[0, 2_097_152], [2_097_152, 4_200_000], [4_200_000, content.length]] as const) {
        const reads: number[] = [];
        const body = reader.body({ start, end }, (read) => reads.push(read));
        assert.equal(body.length, end - start);
        const { bytes } = await drain(body.body);
        assert.ok(bytes.equals(content.subarray(start, end)));
        assert.equal(reads.at(-1), end - start);
        assert.equal(body.failure, undefined);
        reader.acknowledged();
      }
    } finally {
      await reader.close();
    }
  });

  it('reuses a chunk’s memory only once the server has acknowledged it; a chunk not acknowledged keeps its own', async () => {
    const reader = await UploadFileReader.open(file);
    try {
      const first = await drain(reader.body({ start: 0, end: 2 * 1024 * 1024 }).body);
      reader.acknowledged();
      const second = await drain(reader.body({ start: 2 * 1024 * 1024, end: 4 * 1024 * 1024 }).body);
      assert.deepEqual([...second.memory], [...first.memory], 'the acknowledged chunk’s memory holds the next one');
      assert.ok(second.bytes.equals(content.subarray(2 * 1024 * 1024, 4 * 1024 * 1024)));
      // No acknowledgment (a lost answer, a failure): a transport may still be sending those bytes.
      const retried = await drain(reader.body({ start: 2 * 1024 * 1024, end: 4 * 1024 * 1024 }).body);
      assert.equal([...retried.memory].some((memory) => second.memory.has(memory)), false, 'fresh memory, the unacknowledged bytes left alone');
      const another = await drain(reader.body({ start: 0, end: 2 * 1024 * 1024 }).body);
      assert.ok(!another.bytes.equals(second.bytes));
      assert.ok(Buffer.concat(second.pieces).equals(content.subarray(2 * 1024 * 1024, 4 * 1024 * 1024)), 'the unacknowledged chunk’s pieces still hold its bytes');
      assert.ok(retried.bytes.equals(second.bytes));
    } finally {
      await reader.close();
    }
  });

  it('keeps a chunk’s memory when it is acknowledged before its body has read its whole range', async () => {
    const reader = await UploadFileReader.open(file);
    try {
      const early = reader.body({ start: 0, end: 3 * 1024 * 1024 });
      const partReader = early.body.getReader();
      const firstPiece = (await partReader.read()).value!;
      reader.acknowledged();
      const next = await drain(reader.body({ start: 3 * 1024 * 1024, end: 5 * 1024 * 1024 }).body);
      assert.equal(next.memory.has(firstPiece.buffer), false, 'the body not read to its end could still read into its memory');
      await partReader.cancel();
    } finally {
      await reader.close();
    }
  });

  it('a file that is gone: not_found when it is opened', async () => {
    await assert.rejects(UploadFileReader.open(path.join(dir, 'missing.mp4')), (error: AppError) => error.code === 'not_found');
  });

  it('a file cut short during the upload: invalid_input, kept as the body failure', async () => {
    const shrinking = path.join(dir, 'shrinking.mp4');
    fs.writeFileSync(shrinking, content);
    const reader = await UploadFileReader.open(shrinking);
    try {
      await drain(reader.body({ start: 0, end: 1024 * 1024 }).body);
      reader.acknowledged();
      fs.truncateSync(shrinking, 1024 * 1024 + 10);
      const body = reader.body({ start: 1024 * 1024, end: 2 * 1024 * 1024 });
      await assert.rejects(drain(body.body));
      assert.equal(body.failure?.code, 'invalid_input');
    } finally {
      await reader.close();
    }
  });
});

describe('a file range as the file part of a form', () => {
  it('is a form with the fields and the range as its file part, of exactly its declared length', async () => {
    const reads: number[] = [];
    const range = fileRangeBody({ path: file, start: 100, end: 2_000_100 }, (read) => reads.push(read));
    const body = multipartBody([
      { name: 'segment_index', value: '3' },
      { name: 'media', filename: 'video.mp4', contentType: 'video/mp4', streamed: range },
    ]);
    const bytes = Buffer.from(await new Response(body.stream).arrayBuffer());
    assert.equal(bytes.length, body.contentLength);
    const form = await new Response(bytes, { headers: { 'content-type': body.contentType } }).formData();
    assert.equal(form.get('segment_index'), '3');
    const media = form.get('media') as File;
    assert.equal(media.name, 'video.mp4');
    assert.equal(media.type, 'video/mp4');
    assert.ok(Buffer.from(await media.arrayBuffer()).equals(content.subarray(100, 2_000_100)));
    assert.equal(reads.at(-1), 2_000_000, 'progress counts the file bytes');
  });
});
