// Uploading a large file: through Google's resumable protocol as Localpost runs it (the core's
// HTTP path, 8 MiB chunks, a 308 round trip after each) against a plain streamed `fetch` PUT of the
// same file, in the same run, to a local server in its own process that counts the bytes and
// discards them. Prints both throughputs, their ratio (goal ≥ 90%) and how much the process's
// resident memory grew at its peak during the resumable upload (goal < 100 MB for 1 GB: the file is
// streamed, never read whole).
//
//   npm run bench            (or: npx tsx bench/upload.ts; BENCH_UPLOAD_MB=1024 is the default,
//                             BENCH_UPLOAD_CHUNK_MB=8)
//
// The file is sparse (made with truncate): reading it costs the same page-cache copies as a real
// video's, without writing a gigabyte to the disk first.
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileRangeBody } from '../src-main/core/http/fileRangeBody';
import { createHttpFetch } from '../src-main/core/http/httpClient';
import { googleResumableUpload } from '../src-main/core/http/googleResumableUpload';

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
  const chunkBytes = Number(process.env.BENCH_UPLOAD_CHUNK_MB ?? 8) * 1024 * 1024;
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
   * One PUT of the whole file. Two bodies: Node's own conversion of a file stream
   * (`Readable.toWeb(fs.createReadStream)`, how an upload is usually written), and the uploader's
   * own file body over the whole file, so that the ratio against it measures only what the
   * protocol costs (chunks, a 308 round trip after each, saved states). Both read 1 MiB at a time.
   */
  async function plainPut(bodyKind: 'node' | 'same'): Promise<number> {
    const start = performance.now();
    const body =
      bodyKind === 'node'
        ? (Readable.toWeb(fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>)
        : fileRangeBody({ path: file, start: 0, end: size }).body;
    // `redirect: 'error'`: in any other mode undici clones the request, teeing a stream body, and
    // the branch it keeps holds every byte sent until the request ends (a whole gigabyte here).
    const response = await fetch(`${base}/plain`, { method: 'PUT', body, duplex: 'half', redirect: 'error', headers: { 'content-length': String(size), 'content-type': 'video/mp4' } });
    const { received } = (await response.json()) as { received: number };
    if (received !== size) throw new Error(`the plain upload delivered ${received} of ${size} bytes`);
    return performance.now() - start;
  }

  async function resumable(): Promise<{ ms: number; peakGrowth: number; maxRssGrowth: number; states: number }> {
    globalThis.gc?.();
    const before = process.memoryUsage.rss();
    const maxRssBefore = process.resourceUsage().maxRSS * 1024;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
    let states = 0;
    const start = performance.now();
    const result = await googleResumableUpload({
      fetch: httpFetch,
      file: { path: file, size },
      contentType: 'video/mp4',
      chunkBytes,
      failureRules: { platformName: 'Bench', authFailed: [401], tooLarge: [413] },
      startSession: () => httpFetch(`${base}/upload`, { method: 'POST', headers: { 'x-upload-content-length': String(size), 'x-upload-content-type': 'video/mp4' } }),
      saveState: async () => void states++,
    });
    const ms = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    const received = (result.resource as { received?: number }).received;
    if (received !== size) throw new Error(`the resumable upload delivered ${received} of ${size} bytes`);
    return { ms, peakGrowth: peak - before, maxRssGrowth: Math.max(0, process.resourceUsage().maxRSS * 1024 - maxRssBefore), states };
  }

  try {
    // The file into the page cache first, by another process (a sparse file's first read costs the
    // kernel its page allocations; whichever upload went first would pay for them), then the
    // resumable upload, from cold, so its memory growth includes whatever the first upload of the
    // process costs; then the plain ones, each twice in mirrored order, then the
    // resumable again, to bracket drift on a busy machine. Each throughput is the mean of its pair.
    execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'] });
    const first = await resumable();
    const node = [await plainPut('node')];
    const same = [await plainPut('same')];
    same.push(await plainPut('same'));
    node.push(await plainPut('node'));
    const second = await resumable();
    const mean = (runs: number[]) => runs.reduce((sum, ms) => sum + ms, 0) / runs.length;
    const resumableMs = mean([first.ms, second.ms]);
    const rate = (ms: number) => `${(size / 1024 / 1024 / (ms / 1000)).toFixed(0).padStart(6)} MiB/s`;
    const runs = (list: number[]) => `(runs: ${list.map((ms) => rate(ms).trim()).join(', ')})`;
    const percent = (plainMs: number) => `${((plainMs / resumableMs) * 100).toFixed(0)}%`;
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(`Uploading ${megabytes} MiB to a local server in another process (a sparse file streamed from disk), Node ${process.versions.node}`);
    console.log(`  plain PUT, Readable.toWeb(file stream)   ${rate(mean(node))}   ${runs(node)}`);
    console.log(`  plain PUT, the uploader's file body      ${rate(mean(same))}   ${runs(same)}`);
    console.log(`  resumable, ${chunkBytes / 1024 / 1024} MiB chunks                  ${rate(resumableMs)}   ${runs([first.ms, second.ms])}, ${first.states} states saved each`);
    console.log(`  resumable / plain: ${percent(mean(same))} of the same body in one PUT, ${percent(mean(node))} of Readable.toWeb (goal ≥ 90%)`);
    console.log(`  peak RSS growth during the first resumable upload: ${mb(first.peakGrowth)} sampled every 2 ms, ${mb(first.maxRssGrowth)} by maxRSS (goal < 100 MB)`);
  } finally {
    child.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
