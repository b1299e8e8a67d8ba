// The streamed multipart body: exactly the length it declares, a body any form parser reads back
// (fields, bytes and files from disk), progress up to the whole, and a file that changed on disk
// refused rather than sent short; a form request made afresh each time it is sent.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileRangeBody } from '../../src-main/core/http/fileRangeBody';
import { multipartBody, multipartRequest } from '../../src-main/core/http/multipartStream';

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-multipart-'));

async function drain(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('multipartBody', () => {
  it('is exactly as long as it declares, reads back as the same form, and reports progress to the whole', async () => {
    const dir = scratch();
    const file = path.join(dir, 'clip.mp4');
    const content = crypto.randomBytes(700 * 1024 + 13); // several read chunks, and a ragged end
    fs.writeFileSync(file, content);
    const reports: Array<[number, number]> = [];
    const body = multipartBody(
      [
        { name: 'caption', value: 'Ünïcode "quoted"\r\nand a new line' },
        { name: 'photo0', filename: 'photo0', contentType: 'image/png', data: Buffer.from([1, 2, 3]) },
        { name: 'video', filename: 'video.mp4', contentType: 'video/mp4', path: file, size: content.length },
      ],
      (sent, total) => reports.push([sent, total]),
    );
    const raw = await drain(body.stream);
    assert.equal(raw.length, body.contentLength);
    const form = await new Response(raw, { headers: { 'content-type': body.contentType } }).formData();
    assert.equal(form.get('caption'), 'Ünïcode "quoted"\r\nand a new line');
    const photo = form.get('photo0') as File;
    assert.deepEqual([photo.name, photo.type, [...new Uint8Array(await photo.arrayBuffer())]], ['photo0', 'image/png', [1, 2, 3]]);
    const video = form.get('video') as File;
    assert.equal(video.type, 'video/mp4');
    assert.deepEqual(Buffer.from(await video.arrayBuffer()), content);
    assert.deepEqual(reports.at(-1), [body.contentLength, body.contentLength]);
    assert.ok(reports.length > 3, 'the file went in several chunks');
    assert.ok(reports.every(([sent], i) => i === 0 || sent > reports[i - 1]![0]));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file that is no longer the size it was queued with, rather than sending it short', async () => {
    const dir = scratch();
    const file = path.join(dir, 'clip.mp4');
    fs.writeFileSync(file, Buffer.alloc(1000));
    const body = multipartBody([{ name: 'video', filename: 'video.mp4', contentType: 'video/mp4', path: file, size: 2000 }]);
    await assert.rejects(drain(body.stream), { code: 'media_copy_failed' });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('multipartRequest', () => {
  it('makes a new form each time it is asked, so a request sent twice sends its streamed file whole twice', async () => {
    const dir = scratch();
    const file = path.join(dir, 'photo.jpg');
    const content = crypto.randomBytes(200 * 1024 + 7);
    fs.writeFileSync(file, content);
    const request = multipartRequest(() => [
      { name: 'media', filename: 'photo.jpg', contentType: 'image/jpeg', streamed: fileRangeBody({ path: file, start: 0, end: content.length }, undefined, 64 * 1024) },
      { name: 'media_category', value: 'tweet_image' },
    ]);
    const sendings = [request(), request()];
    for (const init of sendings) {
      const headers = new Headers(init.headers);
      const raw = await drain(init.body as ReadableStream<Uint8Array>);
      assert.equal(raw.length, Number(headers.get('content-length')));
      const form = await new Response(raw, { headers: { 'content-type': headers.get('content-type')! } }).formData();
      assert.deepEqual(Buffer.from(await (form.get('media') as File).arrayBuffer()), content);
      assert.equal(form.get('media_category'), 'tweet_image');
    }
    assert.notEqual(new Headers(sendings[0]!.headers).get('content-type'), new Headers(sendings[1]!.headers).get('content-type'), 'a boundary of its own each time');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
