// The core's one HTTP path, on what a failed request may have done: nothing (never connected, or a
// body cut off before its end: no server acts on half a request), or perhaps everything (the whole
// request went out and the answer was lost). The outbox sends again only the first.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src-main/core/errors';
import { fileRangeBody, streamedRequest } from '../../src-main/core/http/fileRangeBody';
import { createHttpFetch } from '../../src-main/core/http/httpClient';
import { multipartBody, multipartInit, type MultipartPart } from '../../src-main/core/http/multipartStream';

let dir: string;
let file: string;
// Far more than the loopback's socket buffers hold, so a server that stops reading early has
// surely not been handed the rest.
const size = 64 * 1024 * 1024;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-http-'));
  file = path.join(dir, 'video.mp4');
  fs.writeFileSync(file, Buffer.alloc(size, 7));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const httpFetch = createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true } });

/** A server that takes `cutAfter` bytes of the body (or all of it), then drops the connection. */
async function droppingServer(cutAfter: number | 'whole body') {
  let received = 0;
  const server = http.createServer((request, response) => {
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (cutAfter !== 'whole body' && received >= cutAfter) request.socket.destroy();
    });
    request.on('end', () => response.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`, received: () => received, close: () => server.close() };
}

async function failure(request: Promise<Response>): Promise<AppError> {
  const error = await request.then(
    () => assert.fail('the request should have failed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, String(error));
  return error;
}

describe('a failed request says whether it may have been acted on', () => {
  it('a streamed upload cut off mid-body was surely not sent', async () => {
    const server = await droppingServer(1024 * 1024);
    try {
      const body = fileRangeBody({ path: file, start: 0, end: size });
      const error = await failure(httpFetch(server.url, { method: 'POST', ...streamedRequest(body, { 'content-type': 'video/mp4' }) }));
      assert.equal(error.code, 'network_unreachable');
      assert.ok(server.received() < size, `the server got ${server.received()} of ${size} bytes`);
      assert.equal(error.delivery, 'not_sent');
    } finally {
      server.close();
    }
  });

  it('one whose whole body went out and whose answer was lost may have been acted on', async () => {
    const server = await droppingServer('whole body');
    try {
      const body = fileRangeBody({ path: file, start: 0, end: size });
      const error = await failure(httpFetch(server.url, { method: 'POST', ...streamedRequest(body, { 'content-type': 'video/mp4' }) }));
      assert.equal(server.received(), size);
      assert.equal(error.delivery, 'maybe_sent');
    } finally {
      server.close();
    }
  });

  it('a small request whose answer was lost may have been acted on, and a refused connection was not', async () => {
    const server = await droppingServer('whole body');
    try {
      assert.equal((await failure(httpFetch(server.url, { method: 'POST', body: 'hello' }))).delivery, 'maybe_sent');
    } finally {
      server.close();
    }
    assert.equal((await failure(httpFetch(server.url, { method: 'POST', body: 'hello' }))).delivery, 'not_sent');
  });
});

describe('every request is bounded in time', () => {
  it('one left unanswered fails after the timeout, saying the server did not answer', async () => {
    const server = http.createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const impatient = createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true }, timeoutMs: 300 });
      const started = performance.now();
      const error = await failure(impatient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`));
      assert.equal(error.code, 'network_unreachable');
      assert.match(error.message, /did not answer within 1 second/);
      assert.equal(error.delivery, 'maybe_sent');
      assert.ok(performance.now() - started >= 250, 'not before its time');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('holds nothing of an answered request until its timer would have fired', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    let signal: WeakRef<AbortSignal> | undefined;
    const answering = createHttpFetch({
      fetch: async (_input, init) => {
        signal = new WeakRef(init!.signal!);
        return new Response('ok');
      },
      network: { isOnline: () => true },
      timeoutMs: 60_000,
    });
    assert.equal(await (await answering('http://127.0.0.1:9/')).text(), 'ok');
    // A WeakRef keeps its target until the current job ends.
    await nextTurn();
    gc();
    assert.equal(signal?.deref(), undefined, 'the request\'s signal is still held a minute before its timeout');
  });

  it('holds nothing of an answered upload either, the watch on its body included', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => response.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      let signal: WeakRef<AbortSignal> | undefined;
      const uploading = createHttpFetch({
        fetch: (input, init) => {
          signal = new WeakRef(init!.signal!);
          return globalThis.fetch(input, init);
        },
        network: { isOnline: () => true },
        timeoutMs: 60_000,
      });
      const body = fileRangeBody({ path: file, start: 0, end: 1024 * 1024 });
      // The answer read and let go, as an adapter does.
      assert.equal(await (await uploading(`http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`, { method: 'POST', ...streamedRequest(body, {}) })).text(), 'ok');
      // fetch lets go of the signal once its own request is collected (a FinalizationRegistry's
      // cleanup, which runs after a collection, in a task of its own).
      for (let i = 0; i < 20 && signal?.deref() !== undefined; i++) {
        await nextTurn();
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(signal?.deref(), undefined, "the upload's signal is still held a minute before its watch would fire");
    } finally {
      server.close();
    }
  });

  it('an upload whose whole body was taken and which is never answered fails after the timeout', async () => {
    const server = http.createServer((request) => request.resume());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const impatient = createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true }, timeoutMs: 300 });
      const body = fileRangeBody({ path: file, start: 0, end: 1024 * 1024 });
      const error = await failure(impatient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`, { method: 'POST', ...streamedRequest(body, {}) }));
      assert.equal(error.code, 'network_unreachable');
      assert.match(error.message, /did not answer within 1 second/);
      assert.equal(error.delivery, 'maybe_sent', 'the whole body went out');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe("a body that cannot be read is the file's fault, not the connection's", () => {
  /** Sends the form to a server that reads whatever comes and answers 200 once the body has
   *  ended, and gives back how the request failed. */
  async function formFailure(parts: MultipartPart[]): Promise<AppError> {
    const server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => response.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await failure(httpFetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`, multipartInit(multipartBody(parts))));
    } finally {
      server.close();
    }
  }

  it('a form whose file is gone says the file is gone', async () => {
    const gone = path.join(dir, 'deleted.jpg');
    const error = await formFailure([
      { name: 'caption', value: 'hello' },
      { name: 'photo', filename: 'photo.jpg', contentType: 'image/jpeg', path: gone, size: 5000 },
    ]);
    assert.equal(error.code, 'not_found');
    assert.match(error.message, /no longer there/);
    assert.doesNotMatch(error.message, /Could not reach/);
  });

  it('a form whose file shrank since it was queued says so', async () => {
    const short = path.join(dir, 'short.mp4');
    fs.writeFileSync(short, Buffer.alloc(1000, 1));
    const error = await formFailure([{ name: 'video', filename: 'video.mp4', contentType: 'video/mp4', path: short, size: 4000 }]);
    assert.equal(error.code, 'media_copy_failed');
    assert.equal(error.delivery, 'not_sent');
  });

  it('a photo streamed in a form from a file removed before it was read says the file is gone', async () => {
    const photo = path.join(dir, 'removed.png');
    fs.writeFileSync(photo, Buffer.alloc(3000, 2));
    const streamed = fileRangeBody({ path: photo, start: 0, end: 3000 }, undefined, 64 * 1024);
    fs.rmSync(photo);
    const error = await formFailure([{ name: 'photo', filename: 'photo.png', contentType: 'image/png', streamed }]);
    assert.equal(error.code, 'not_found');
  });
});
