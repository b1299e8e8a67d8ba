// A real S3-compatible server for tests (s3rver, a local S3 on the file system), behind a front on
// 127.0.0.1 that checks every request's AWS Signature Version 4 the way S3 does
// (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html), with its own
// independent implementation of the algorithm.
//
// Why the front: s3rver 3.7.1 checks that a V4 request names an access key id it knows
// (InvalidAccessKeyId) and that a presigned address has not expired (X-Amz-Date + X-Amz-Expires
// against its clock), but it does not compute V4 signatures at all ("Signature version 4
// calculation is unimplemented" in lib/middleware/authentication.js: any signature passes), and it
// serves unsigned requests as if the bucket were public. A real bucket is private and refuses a
// wrong secret with SignatureDoesNotMatch; the front does both. Expiry is left to s3rver's own check.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { keyPrefix } from '../../src-main/core/mediaStorage/mediaStorage';

export interface S3Server {
  /** The front's origin: `http://127.0.0.1:<port>`, path-style. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys of the objects in the bucket now. */
  keys(): Promise<string[]>;
  /** Requests the front saw: method, path, body bytes received so far, and the answer's status
   *  (0 while none). */
  requests: { method: string; path: string; bytes: number; status: number }[];
  /** From now on a PUT's body stops being read after `bytes` (null: never), and the upload hangs
   *  there: an upload caught mid-body, for crash tests. */
  stallPutsAfter(bytes: number | null): void;
  close(): Promise<void>;
}

export async function startS3Server(options: { bucket?: string; region?: string } = {}): Promise<S3Server> {
  const bucket = options.bucket ?? 'localpost-media';
  const region = options.region ?? 'eu-west-1';
  // s3rver's built-in account (lib/models/account.js) is the only key id it knows; the secret is
  // the front's own, long and random, so that a secret scan finds it wherever it leaked.
  const accessKeyId = 'S3RVER';
  const secretAccessKey = `s3-secret-${crypto.randomBytes(20).toString('hex')}`;
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-s3-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const inner = await s3rver.run();
  // s3rver removes a key's folder once a DELETE leaves it empty (lib/stores/filesystem.js,
  // deleteObject), and a PUT into the same folder that has just made it then opens its file in a
  // folder that is gone: its write stream has no error handler, so the ENOENT ends the test
  // process. A real bucket has no folders. A file s3rver does not list (only `._S3rver_object`
  // files are objects) keeps the app's one key folder from ever being empty.
  const keyFolder = path.join(directory, bucket, keyPrefix);
  fs.mkdirSync(keyFolder, { recursive: true });
  fs.writeFileSync(path.join(keyFolder, '.keep'), '');
  const requests: S3Server['requests'] = [];
  let stallAfter: number | null = null;

  const front = http.createServer((req, res) => {
    const refusal = verifySignature({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers }, { accessKeyId, secretAccessKey, region });
    const record = { method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, bytes: 0, status: 0 };
    requests.push(record);
    if (refusal) {
      record.status = refusal.status;
      req.resume();
      res.writeHead(refusal.status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`);
      return;
    }
    const upstream = http.request({ host: '127.0.0.1', port: inner.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      record.status = answer.statusCode ?? 0;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.on('close', () => {
      if (!req.complete) upstream.destroy();
    });
    const stall = req.method === 'PUT' ? stallAfter : null;
    req.on('data', (chunk: Buffer) => {
      record.bytes += chunk.length;
      upstream.write(chunk);
      if (stall !== null && record.bytes >= stall) req.pause();
    });
    req.on('end', () => upstream.end());
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    requests,
    stallPutsAfter(bytes) {
      stallAfter = bytes;
    },
    async keys() {
      const listed = await s3rver.store.listObjects(bucket, {});
      return listed.objects.map((object) => object.key);
    },
    async close() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await s3rver.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

interface Refusal {
  status: number;
  code: string;
  message: string;
}

/** A request as the front sees it: `url` is the path and query as sent, header names lowercase. */
export interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** null when the request is signed with the known key pair; else S3's refusal. */
export function verifySignature(req: SignedRequest, keys: { accessKeyId: string; secretAccessKey: string; region: string }): Refusal | null {
  const url = new URL(req.url, 'http://front');
  const query = [...url.searchParams.entries()];
  const presigned = url.searchParams.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256';
  const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
  let credential: string;
  let signedHeaders: string[];
  let signature: string;
  let amzDate: string;
  let payloadHash: string;
  if (presigned) {
    credential = url.searchParams.get('X-Amz-Credential') ?? '';
    signedHeaders = (url.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');
    signature = url.searchParams.get('X-Amz-Signature') ?? '';
    amzDate = url.searchParams.get('X-Amz-Date') ?? '';
    payloadHash = 'UNSIGNED-PAYLOAD';
  } else if (authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
    const fields = Object.fromEntries(
      authorization
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((part) => part.trim().split('=') as [string, string]),
    );
    credential = fields.Credential ?? '';
    signedHeaders = (fields.SignedHeaders ?? '').split(';');
    signature = fields.Signature ?? '';
    amzDate = String(req.headers['x-amz-date'] ?? '');
    payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (!payloadHash) return { status: 400, code: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' };
  } else {
    // A private bucket: no anonymous access.
    return { status: 403, code: 'AccessDenied', message: 'Access Denied' };
  }
  const [keyId, date, region, service, terminator] = credential.split('/');
  if (keyId !== keys.accessKeyId) return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
  if (region !== keys.region || service !== 's3' || terminator !== 'aws4_request' || !amzDate.startsWith(date ?? '-')) {
    return { status: 400, code: 'AuthorizationHeaderMalformed', message: `The authorization header is malformed; the region '${region}' is wrong; expecting '${keys.region}'` };
  }
  if (!signedHeaders.includes('host')) return { status: 403, code: 'AccessDenied', message: 'host must be a signed header' };
  const canonicalQuery = query
    .filter(([name]) => !(presigned && name === 'X-Amz-Signature'))
    .map(([name, value]) => [rfc3986(name), rfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  // S3 signs the path as sent, without the second encoding other services apply.
  const canonicalPath = req.url.split('?')[0]!;
  const canonicalRequest = [req.method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), payloadHash].join('\n');
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${keys.secretAccessKey}`, date!);
  for (const part of [region!, 's3', 'aws4_request']) key = hmac(key, part);
  const expected = hmac(key, stringToSign).toString('hex');
  if (expected.length !== signature.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' };
  }
  return null;
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return crypto.createHmac('sha256', key).update(text).digest();
}
