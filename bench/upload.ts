// Uploading a large file: through Google's resumable protocol as Localpost runs it (the core's
// HTTP path, its default chunk size, a 308 round trip after each) against a plain streamed PUT of
// the same file through the same HTTP path, in the same run, to a local server in its own process
// that counts the bytes and discards them (the same handler for both: the resumable one only looks
// up its session). Prints the throughputs (medians of several rounds, each round in a different
// order), their ratio (goal ≥ 90%) and how much the process's resident memory grew at its peak
// during a resumable upload (goal < 100 MB for 1 GB: the file is streamed, never read whole).
//
//   npm run bench            (or: npx tsx --expose-gc bench/upload.ts; BENCH_UPLOAD_MB=1024 is the
//                             default, BENCH_UPLOAD_CHUNK_MB overrides the chunk size,
//                             BENCH_UPLOAD_ROUNDS=5)
//
// The file is sparse (made with truncate): reading it costs the same page-cache copies as a real
// video's, without writing a gigabyte to the disk first.
//
// What a chunk costs beyond its bytes: a request (about half a millisecond in undici on
// loopback) and a round trip for its answer before the next may go; the line "MiB PUTs one after
// another" shows the share of cutting the file into requests apart from the protocol's. What it
// used to cost far more was the collector: see UploadFileReader in
// src-main/core/http/fileRangeBody.ts. Over a real uplink a chunk takes far longer to send than
// either.
import './asMainProcess';
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileRangeBody, streamedRequest, UploadFileReader } from '../src-main/core/http/fileRangeBody';
import { createHttpFetch } from '../src-main/core/http/httpClient';
import { chunkedUpload, chunkSpans } from '../src-main/core/http/chunkedUpload';
import { googleDefaultChunkBytes, googleResumableUpload } from '../src-main/core/http/googleResumableUpload';
import { isSameOrigin } from '../src-main/core/http/uploadAddress';
import { median, met, reportBench } from './benchTable';

if (process.argv[2] === '--server') {
  serveAndDiscard();
} else {
  await measure();
}

/** The mock: Google's resumable protocol reduced to counting (POST → Location; PUT chunk → 308
 *  with Range, or 201 at the end), and a plain PUT that counts and answers 200. */
function serveAndDiscard() {
  const sessions = new Map<string, { total: number; stored: number }>();
  let next = 0;
  const server = http.createServer((request, response) => {
    const address = new URL(request.url ?? '/', 'http://localhost');
    if (request.method === 'POST') {
      const id = String(++next);
      sessions.set(id, { total: Number(request.headers['x-upload-content-length']), stored: 0 });
      request.resume();
      request.on('end', () => response.writeHead(200, { location: `/upload?upload_id=${id}`, 'content-length': '0' }).end());
      return;
    }
    let count = 0;
    request.on('data', (piece: Buffer) => (count += piece.length));
    request.on('end', () => {
      const session = sessions.get(address.searchParams.get('upload_id') ?? '');
      if (!session) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: count }));
      } else if ((session.stored += count) < session.total) {
        response.writeHead(308, { range: `bytes=0-${session.stored - 1}`, 'content-length': '0' }).end();
      } else {
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'youtube#video', id: 'bench', received: session.stored }));
      }
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

async function measure() {
  const megabytes = Number(process.env.BENCH_UPLOAD_MB ?? 1024);
  const chunkMb = process.env.BENCH_UPLOAD_CHUNK_MB ? Number(process.env.BENCH_UPLOAD_CHUNK_MB) : undefined;
  const chunkBytes = chunkMb === undefined ? undefined : chunkMb * 1024 * 1024;
  const rounds = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 5);
  const size = megabytes * 1024 * 1024;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-bench-upload-'));
  const file = path.join(dir, 'video.mp4');
  fs.writeFileSync(file, '');
  fs.truncateSync(file, size);

  const child = fork(import.meta.filename, ['--server'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (message: { port: number }) => resolve(message.port)));
  const base = `http://127.0.0.1:${port}`;
  const httpFetch = createHttpFetch({ fetch: globalThis.fetch, network: { isOnline: () => true }, timeoutMs: 120_000 });

  /**
   * One PUT of the whole file through the same HTTP path (the core's httpFetch over undici). Two
   * bodies: Node's own conversion of a file stream (`Readable.toWeb(fs.createReadStream)`, how an
   * upload is usually written), and the uploader's own file body over the whole file, so that the
   * ratio against it measures only what the protocol costs (chunks, a 308 round trip after each,
   * saved states).
   */
  async function plainPut(bodyKind: 'node' | 'same'): Promise<number> {
    const start = performance.now();
    const body =
      bodyKind === 'node'
        ? { body: Readable.toWeb(fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>, length: size, failure: undefined }
        : fileRangeBody({ path: file, start: 0, end: size });
    const response = await httpFetch(`${base}/plain`, { method: 'PUT', ...streamedRequest(body, { 'content-type': 'video/mp4' }) });
    const { received } = (await response.json()) as { received: number };
    if (received !== size) throw new Error(`the plain upload delivered ${received} of ${size} bytes`);
    return performance.now() - start;
  }

  /** For reference, the same upload without fetch: Node's http.request with the file piped into
   *  the socket. Like the plain PUT it reads into fresh memory for every piece, and on loopback
   *  that (allocation, then the collector) costs more than the chunked strategies' requests. */
  async function rawPut(): Promise<number> {
    const start = performance.now();
    const request = http.request(`${base}/plain`, { method: 'PUT', headers: { 'content-length': size, 'content-type': 'video/mp4' } });
    const answered = new Promise<{ received: number }>((resolve, reject) => {
      request.on('response', (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part)).on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString()) as { received: number }));
      });
      request.on('error', reject);
    });
    await pipeline(fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), request);
    const { received } = await answered;
    if (received !== size) throw new Error(`the raw upload delivered ${received} of ${size} bytes`);
    return performance.now() - start;
  }

  /** The same chunks as plain PUTs one after another, no protocol: what cutting the file into
   *  requests costs by itself, so the resumable protocol's own cost can be told apart from it. */
  async function chunkPuts(): Promise<number> {
    const start = performance.now();
    const step = chunkBytes ?? googleDefaultChunkBytes;
    const reader = await UploadFileReader.open(file);
    try {
      for (let offset = 0; offset < size; offset += step) {
        const end = Math.min(size, offset + step);
        const response = await httpFetch(`${base}/plain`, { method: 'PUT', ...streamedRequest(reader.body({ start: offset, end }), { 'content-type': 'video/mp4' }) });
        const { received } = (await response.json()) as { received: number };
        if (received !== end - offset) throw new Error(`a chunk delivered ${received} of ${end - offset} bytes`);
        reader.acknowledged();
      }
    } finally {
      await reader.close();
    }
    return performance.now() - start;
  }

  async function resumable(): Promise<{ ms: number; peakGrowth: number; states: number }> {
    globalThis.gc?.();
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
    let states = 0;
    const start = performance.now();
    const result = await googleResumableUpload({
      fetch: httpFetch,
      file: { path: file, size },
      contentType: 'video/mp4',
      ...(chunkBytes === undefined ? {} : { chunkBytes }),
      failureRules: { platformName: 'Bench', authFailed: [401], tooLarge: [413] },
      startSession: () => httpFetch(`${base}/upload`, { method: 'POST', headers: { 'x-upload-content-length': String(size), 'x-upload-content-type': 'video/mp4' } }),
      trustsSession: (uri) => isSameOrigin(uri, base),
      saveState: async () => void states++,
    });
    const ms = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    const received = (result.resource as { received?: number }).received;
    if (received !== size) throw new Error(`the resumable upload delivered ${received} of ${size} bytes`);
    return { ms, peakGrowth: peak - before, states };
  }

  /** The other strategy, chunkedUpload (TikTok's PUTs with Content-Range, X's APPENDs): the same
   *  chunks, each its own PUT answered before the next, its acknowledgment saved. */
  async function chunkedStrategy(): Promise<number> {
    const start = performance.now();
    await chunkedUpload({
      file: { path: file, size },
      chunks: chunkSpans(size, chunkBytes ?? googleDefaultChunkBytes),
      sendChunk: async (chunk, signal) => {
        const response = await httpFetch(`${base}/plain`, { method: 'PUT', signal, ...streamedRequest(chunk.body(), { 'content-type': 'video/mp4', 'content-range': chunk.contentRange }) });
        const { received } = (await response.json()) as { received: number };
        if (received !== chunk.end - chunk.start) throw new Error(`chunk ${chunk.index} delivered ${received} bytes`);
      },
      saveState: async () => {},
    });
    return performance.now() - start;
  }

  try {
    // The file into the page cache first, by another process (a sparse file's first read costs the
    // kernel its page allocations; whichever upload went first would pay for them). Then a first
    // resumable upload from cold, whose memory growth so includes whatever the process's first
    // upload costs. Then rounds of all six ways, each round in a different order so none always
    // runs first on a busy machine; each throughput is the median of its runs, and the memory
    // figure the largest growth any resumable run showed.
    execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'] });
    const first = await resumable();
    const growths = [first.peakGrowth];
    const ways = {
      raw: rawPut,
      node: () => plainPut('node'),
      same: () => plainPut('same'),
      chunked: chunkPuts,
      chunkedUpload: chunkedStrategy,
      resumable: async () => {
        const run = await resumable();
        growths.push(run.peakGrowth);
        return run.ms;
      },
    };
    const times: Record<keyof typeof ways, number[]> = { raw: [], node: [], same: [], chunked: [], chunkedUpload: [], resumable: [] };
    const names = Object.keys(ways) as Array<keyof typeof ways>;
    for (let round = 0; round < rounds; round++) {
      const shift = round % names.length;
      for (const name of [...names.slice(shift), ...names.slice(0, shift)]) times[name].push(await ways[name]());
    }
    const rate = (ms: number) => `${(size / 1024 / 1024 / (ms / 1000)).toFixed(0).padStart(6)} MiB/s`;
    const line = (label: string, runs: number[]) => console.log(`  ${label.padEnd(44)}${rate(median(runs))}   (runs: ${runs.map((ms) => rate(ms).trim()).join(', ')})`);
    /** The strategy's throughput as a share of the other's: the other's median time over its own. */
    const share = (plainRuns: number[], runs = times.resumable) => median(plainRuns) / median(runs);
    const percent = (plainRuns: number[], runs = times.resumable) => `${(share(plainRuns, runs) * 100).toFixed(0)}%`;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    const chunkLabel = (chunkBytes ?? googleDefaultChunkBytes) / 1024 / 1024;
    console.log(`Uploading ${megabytes} MiB to a local server in another process (a sparse file streamed from disk), Node ${process.versions.node}, ${rounds} rounds`);
    line('raw PUT, http.request + pipe (no fetch)', times.raw);
    line('plain PUT, Readable.toWeb(file stream)', times.node);
    line("plain PUT, the uploader's file body", times.same);
    line(`${chunkLabel} MiB PUTs one after another`, times.chunked);
    line(`chunkedUpload, ${chunkLabel} MiB chunks`, times.chunkedUpload);
    line(`resumable, ${chunkLabel} MiB chunks (${first.states} states)`, times.resumable);
    console.log(`  resumable / plain (goal ≥ 90%): ${percent(times.same)} of the same body in one PUT, ${percent(times.node)} of Readable.toWeb in one PUT, ${percent(times.chunked)} of the same chunks as plain PUTs`);
    console.log(`  chunkedUpload / plain (goal ≥ 90%): ${percent(times.same, times.chunkedUpload)} of the same body in one PUT`);
    console.log(`  against the raw PUT without fetch: resumable ${percent(times.raw)}, chunkedUpload ${percent(times.raw, times.chunkedUpload)}, plain PUT ${percent(times.raw, times.same)}`);
    console.log(`  peak RSS growth during a resumable upload (sampled every 2 ms; goal < 100 MB): ${mb(first.peakGrowth)} the first, ${mb(Math.max(...growths))} the largest of ${growths.length}`);
    const largestGrowth = Math.max(...growths) / 1024 / 1024;
    reportBench(`Uploading ${megabytes} MiB in ${chunkLabel} MiB chunks, against one plain PUT of the same body (medians of ${rounds} rounds)`, [
      { name: "resumable (Google's protocol)", value: rate(median(times.resumable)).trim(), baseline: `${rate(median(times.same)).trim()} plain PUT`, ratio: percent(times.same), goal: '≥ 90%', met: met(share(times.same) >= 0.9) },
      { name: 'chunkedUpload (numbered chunks)', value: rate(median(times.chunkedUpload)).trim(), baseline: `${rate(median(times.same)).trim()} plain PUT`, ratio: percent(times.same, times.chunkedUpload), goal: '≥ 90%', met: met(share(times.same, times.chunkedUpload) >= 0.9) },
      { name: 'resumable, peak RSS growth', value: `${largestGrowth.toFixed(1)} MB`, baseline: '', ratio: '', goal: '< 100 MB', met: met(largestGrowth < 100) },
    ]);
  } finally {
    child.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
