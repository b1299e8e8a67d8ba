// Google's resumable upload protocol for tests, as the YouTube Data API documents it
// (developers.google.com/youtube/v3/guides/using_resumable_upload_protocol), on 127.0.0.1:
//
// - `POST /upload/youtube/v3/videos?uploadType=resumable&part=...` with the video's metadata as
//   JSON, `X-Upload-Content-Length` and `X-Upload-Content-Type` (`video/*` or
//   `application/octet-stream`) answers 200 with the session URI in `Location`;
// - `PUT {session}` with `Content-Range: bytes a-b/total` and exactly b-a+1 bytes stores them and
//   answers `308 Resume Incomplete` with `Range: bytes=0-n` (no `Range` while nothing is stored),
//   or, with the last byte, creates the video and answers `201` with the resource;
// - `PUT {session}` with an empty body and `Content-Range: bytes */total` asks where it stands: 308
//   as above, or 200 with the same resource once the upload is complete;
// - a chunk that is not a multiple of 256 KiB (the last excepted), whose `Content-Range` total is
//   not the announced size, or that starts after the stored bytes (a gap) is refused with 400;
// - an expired session answers 404 (or 410, as the caller chooses);
// - every request needs `Authorization: Bearer <token>`.
//
// What the server stores is exactly what it acknowledged, so a test can see every byte the client
// sent again (`requests[].start` below what was stored) and every video created (`videosCreated`).
// Faults, queued per kind of request, reproduce what the protocol must survive: a server keeping
// fewer bytes than it received, a connection dropped mid-chunk, a lost final answer, 5xx answers,
// and hostile servers (a `Range` beyond what was sent, one going backwards, one never moving).

import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './requestBody';

export const uploadQuantum = 256 * 1024;

export type ChunkFault =
  /** Nothing goes wrong with this chunk: lets a fault be queued for a later one. */
  | { kind: 'pass' }
  /** Stores only the first `keepBytes` of the chunk, and answers 308 saying so. */
  | { kind: 'keep_fewer'; keepBytes: number }
  /** Reads `afterBytes` of the chunk, stores what it read down to a multiple of 256 KiB, and
   *  drops the connection without answering. */
  | { kind: 'drop_mid_chunk'; afterBytes: number }
  /** Stores the whole chunk (creating the video if it was the last) and drops the connection
   *  instead of answering. */
  | { kind: 'lose_answer' }
  /** Answers with this status (a 5xx, a 403) and stores nothing. */
  | { kind: 'status'; status: number; body?: unknown }
  /** Answers 308 with this `Range`, whatever it stored (nothing). */
  | { kind: 'claim_range'; range: string }
  /** Reads nothing and answers nothing until the client gives up. */
  | { kind: 'hang' };

export type StatusFault = { kind: 'status'; status: number } | { kind: 'claim_range'; range: string } | { kind: 'drop' };

export interface UploadRequestRecord {
  kind: 'start' | 'chunk' | 'status';
  /** The session the request went to (none for a start the server refused). */
  sessionId?: string;
  /** The first byte the chunk carried, and the end of what it declared (exclusive). */
  start?: number;
  end?: number;
  /** Bytes the server held for the session when the request came. */
  storedBefore?: number;
  /** Body bytes that actually arrived. */
  received: number;
  status: number | 'dropped';
}

interface UploadSessionRecord {
  id: string;
  total: number;
  contentType: string;
  metadata: unknown;
  bytes: Buffer;
  stored: number;
  video?: { id: string; resource: Record<string, unknown> };
  expired?: 404 | 410;
}

/**
 * What a platform mock (youtubeServer.ts) decides around the protocol: who may upload, whether the
 * initiating request's metadata is acceptable (its contract and rules), and what the finished
 * upload's resource is.
 */
export interface ResumableUploadHooks {
  /** The origin the session URIs name. */
  origin(): string;
  /** Undefined to accept the request's credentials, or the refusal to answer. */
  authorize(request: http.IncomingMessage): Promise<Refusal | undefined>;
  /** Checks the initiating request (its URL and parsed body): undefined to start a session, or the refusal. */
  acceptStart?(address: URL, metadata: unknown, request: http.IncomingMessage): Promise<Refusal | undefined> | Refusal | undefined;
  /** The resource the complete upload becomes (default: `{ kind: 'youtube#video', id, ...metadata }`). */
  resourceFor?(id: string, metadata: unknown, request: http.IncomingMessage): Record<string, unknown>;
  /** Told once per video the protocol creates. */
  onCreated?(resource: Record<string, unknown>): void;
}

export interface Refusal {
  status: number;
  body: unknown;
}

/** The protocol's state and its request handler, for a server that serves more than uploads. */
export interface ResumableUploads {
  /** Answers the request when it is the upload path's (true), or leaves it (false). */
  handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<boolean>;
  requests: UploadRequestRecord[];
  readonly videosCreated: number;
  bytesReceived(sessionId?: string): number;
  storedFile(sessionId?: string): Buffer;
  sessionIds(): string[];
  /** The metadata the session's initiating request carried (YouTube's video resource). */
  metadataOf(sessionId: string): unknown;
  nextChunk(fault: ChunkFault): void;
  nextStatus(fault: StatusFault): void;
  expire(status?: 404 | 410): void;
  /** Reads chunks at this many bytes a second (null: as fast as they come), so progress can be watched. */
  throttle(bytesPerSecond: number | null): void;
}

export const uploadPath = '/upload/youtube/v3/videos';

export const googleError = (status: number, reason: string, message: string, domain = 'youtube.video') => ({
  error: { code: status, message, errors: [{ domain, reason, message }] },
});

export interface GoogleResumableServer {
  url: string;
  /** Where the initiating request goes. */
  startUrl: string;
  token: string;
  requests: UploadRequestRecord[];
  videosCreated: number;
  /** Bytes of file content that reached the server, over every chunk. */
  bytesReceived(): number;
  /** The file as the server holds it for the only (or the given) session. */
  storedFile(sessionId?: string): Buffer;
  sessionIds(): string[];
  nextChunk(fault: ChunkFault): void;
  nextStatus(fault: StatusFault): void;
  expire(status?: 404 | 410): void;
  close(): Promise<void>;
}

export function createResumableUploads(hooks: ResumableUploadHooks): ResumableUploads {
  const sessions = new Map<string, UploadSessionRecord>();
  const requests: UploadRequestRecord[] = [];
  const chunkFaults: ChunkFault[] = [];
  const statusFaults: StatusFault[] = [];
  let videosCreated = 0;
  let bytesPerSecond: number | null = null;

  const answer = (response: http.ServerResponse, status: number, headers: Record<string, string> = {}, body?: unknown) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=UTF-8', 'content-length': String(Buffer.byteLength(text)) });
    response.end(text);
  };
  const stateOf = (session: UploadSessionRecord, response: http.ServerResponse, asked: boolean) => {
    if (session.video) return answer(response, asked ? 200 : 201, {}, session.video.resource);
    return answer(response, 308, session.stored > 0 ? { range: `bytes=0-${session.stored - 1}` } : {});
  };
  const finishIfComplete = (session: UploadSessionRecord, request: http.IncomingMessage) => {
    if (session.stored < session.total || session.video) return;
    videosCreated++;
    const id = crypto.randomBytes(8).toString('base64url').slice(0, 11);
    const resource = hooks.resourceFor?.(id, session.metadata, request) ?? { kind: 'youtube#video', id, ...(session.metadata as object), status: { uploadStatus: 'uploaded' } };
    session.video = { id, resource };
    hooks.onCreated?.(resource);
  };

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<boolean> {
    // Kept now: once the body stops being read, the request lets go of its socket.
    const socket = request.socket;
    const url = hooks.origin();
    const address = new URL(request.url ?? '/', url);
    if (address.pathname !== uploadPath) return false;
    const refused = await hooks.authorize(request);
    if (refused) {
      await readBody(request);
      answer(response, refused.status, {}, refused.body);
      return true;
    }
    if (request.method === 'POST') {
      const body = await readBody(request);
      const total = Number(request.headers['x-upload-content-length']);
      const contentType = String(request.headers['x-upload-content-type'] ?? '');
      const record: UploadRequestRecord = { kind: 'start', received: body.length, status: 200 };
      requests.push(record);
      if (address.searchParams.get('uploadType') !== 'resumable' || !address.searchParams.get('part')) {
        record.status = 400;
        answer(response, 400, {}, googleError(400, 'badRequest', 'uploadType=resumable and part are required.'));
        return true;
      }
      if (!Number.isSafeInteger(total) || total <= 0 || !(contentType.startsWith('video/') || contentType === 'application/octet-stream')) {
        record.status = 400;
        answer(response, 400, {}, googleError(400, 'badContent', 'X-Upload-Content-Length and X-Upload-Content-Type are required.'));
        return true;
      }
      const metadata = JSON.parse(body.toString('utf8') || '{}') as unknown;
      const refusal = await hooks.acceptStart?.(address, metadata, request);
      if (refusal) {
        record.status = refusal.status;
        answer(response, refusal.status, {}, refusal.body);
        return true;
      }
      const id = crypto.randomUUID();
      record.sessionId = id;
      sessions.set(id, { id, total, contentType, metadata, bytes: Buffer.alloc(total), stored: 0 });
      answer(response, 200, { location: `${url}${uploadPath}?uploadType=resumable&part=${address.searchParams.get('part')}&upload_id=${id}` });
      return true;
    }
    const session = request.method === 'PUT' ? sessions.get(address.searchParams.get('upload_id') ?? '') : undefined;
    if (!session) {
      await readBody(request);
      answer(response, 404, {}, googleError(404, 'notFound', 'No such upload session.'));
      return true;
    }
    await handleSession(session, request, response, socket);
    return true;
  }

  async function handleSession(session: UploadSessionRecord, request: http.IncomingMessage, response: http.ServerResponse, socket: import('node:net').Socket) {
    const range = String(request.headers['content-range'] ?? '');
    const asking = /^bytes \*\/(\d+)$/.exec(range);
    const chunk = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    if (asking) {
      const body = await readBody(request);
      const record: UploadRequestRecord = { kind: 'status', sessionId: session.id, storedBefore: session.stored, received: body.length, status: 0 };
      requests.push(record);
      if (session.expired) return answer(response, (record.status = session.expired), {}, googleError(session.expired, 'notFound', 'The upload session has expired.'));
      if (Number(asking[1]) !== session.total || body.length !== 0) return answer(response, (record.status = 400), {}, googleError(400, 'badRequest', 'A status query has an empty body and the announced total.'));
      const fault = statusFaults.shift();
      if (fault?.kind === 'drop') {
        record.status = 'dropped';
        return socket.destroy();
      }
      if (fault?.kind === 'status') return answer(response, (record.status = fault.status), {}, googleError(fault.status, 'backendError', 'Backend Error'));
      if (fault?.kind === 'claim_range') return answer(response, (record.status = 308), { range: fault.range });
      record.status = session.video ? 200 : 308;
      return stateOf(session, response, true);
    }
    if (!chunk) {
      await readBody(request);
      return answer(response, 400, {}, googleError(400, 'badRequest', 'Content-Range is required.'));
    }
    const start = Number(chunk[1]);
    const end = Number(chunk[2]) + 1;
    const record: UploadRequestRecord = { kind: 'chunk', sessionId: session.id, start, end, storedBefore: session.stored, received: 0, status: 0 };
    requests.push(record);
    const fault = chunkFaults.shift();
    if (fault?.kind === 'hang') {
      record.status = 'dropped';
      return; // The client's timeout ends it.
    }
    const refuse = async (status: number, message: string) => {
      record.received = (await readBody(request)).length;
      return answer(response, (record.status = status), {}, googleError(status, status === 400 ? 'badRequest' : 'notFound', message));
    };
    if (session.expired) return refuse(session.expired, 'The upload session has expired.');
    if (Number(chunk[3]) !== session.total) return refuse(400, 'The Content-Range total is not the announced size.');
    if (start > session.stored) return refuse(400, 'The chunk starts after the bytes stored: a gap.');
    if (end > session.total || end <= start) return refuse(400, 'The Content-Range is outside the file.');
    if (Number(request.headers['content-length']) !== end - start) return refuse(400, 'Content-Length does not match Content-Range.');
    if (end < session.total && (end - start) % uploadQuantum !== 0) return refuse(400, 'A chunk other than the last must be a multiple of 256 KiB.');

    // Reads the chunk into the session's file, as far as the fault lets it.
    const received: Buffer[] = [];
    let count = 0;
    try {
      for await (const piece of request) {
        received.push(piece as Buffer);
        count += (piece as Buffer).length;
        record.received = count;
        if (fault?.kind === 'drop_mid_chunk' && count >= fault.afterBytes) break;
        if (bytesPerSecond) await new Promise((resolve) => setTimeout(resolve, ((piece as Buffer).length / bytesPerSecond!) * 1000));
      }
    } catch {
      // The client went away mid-chunk (a crash, a kill): what arrived is all there is.
    }
    record.received = count;
    const data = Buffer.concat(received);
    const keep = (bytes: number) => {
      const kept = Math.min(bytes, data.length);
      // Bytes below what is stored are already there; what lies beyond is new.
      data.copy(session.bytes, start, 0, kept);
      session.stored = Math.max(session.stored, start + kept);
    };
    if (fault?.kind === 'drop_mid_chunk') {
      keep(Math.floor(count / uploadQuantum) * uploadQuantum);
      record.status = 'dropped';
      return socket.destroy();
    }
    if (count !== end - start) {
      // Like Google, keep the whole 256 KiB pieces of a chunk cut short; the client asks where it stands.
      keep(Math.floor(count / uploadQuantum) * uploadQuantum);
      if (request.destroyed || request.readableAborted) {
        record.status = 'dropped';
        return;
      }
      return answer(response, (record.status = 400), {}, googleError(400, 'badRequest', 'The body is not the length declared.'));
    }
    if (fault?.kind === 'status') return answer(response, (record.status = fault.status), {}, fault.body ?? googleError(fault.status, 'backendError', 'Backend Error'));
    if (fault?.kind === 'claim_range') return answer(response, (record.status = 308), { range: fault.range });
    keep(fault?.kind === 'keep_fewer' ? fault.keepBytes : count);
    finishIfComplete(session, request);
    if (fault?.kind === 'lose_answer') {
      record.status = 'dropped';
      return socket.destroy();
    }
    record.status = session.video ? 201 : 308;
    return stateOf(session, response, false);
  }

  const only = (sessionId?: string) => {
    const session = sessionId ? sessions.get(sessionId) : [...sessions.values()].at(-1);
    if (!session) throw new Error('no upload session');
    return session;
  };
  return {
    handle,
    requests,
    get videosCreated() {
      return videosCreated;
    },
    bytesReceived: (sessionId) => requests.reduce((sum, request) => sum + (request.kind === 'chunk' && (!sessionId || request.sessionId === sessionId) ? request.received : 0), 0),
    storedFile: (sessionId) => {
      const session = only(sessionId);
      return session.bytes.subarray(0, session.stored);
    },
    sessionIds: () => [...sessions.keys()],
    metadataOf: (sessionId) => sessions.get(sessionId)?.metadata,
    nextChunk: (fault) => chunkFaults.push(fault),
    nextStatus: (fault) => statusFaults.push(fault),
    expire: (status = 404) => {
      for (const session of sessions.values()) session.expired = status;
    },
    throttle: (rate) => void (bytesPerSecond = rate),
  };
}

export async function startGoogleResumableServer(): Promise<GoogleResumableServer> {
  const token = `test-token-${crypto.randomUUID()}`;
  let url = '';
  const uploads = createResumableUploads({
    origin: () => url,
    authorize: async (request) => (request.headers.authorization === `Bearer ${token}` ? undefined : { status: 401, body: googleError(401, 'authError', 'Invalid Credentials') }),
  });
  const server = http.createServer((request, response) => {
    uploads
      .handle(request, response)
      .then((handled) => {
        if (!handled) response.writeHead(404).end();
      })
      .catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(googleError(500, 'backendError', String(error))));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    startUrl: `${url}${uploadPath}?uploadType=resumable&part=snippet,status`,
    token,
    requests: uploads.requests,
    get videosCreated() {
      return uploads.videosCreated;
    },
    bytesReceived: () => uploads.bytesReceived(),
    storedFile: (sessionId) => uploads.storedFile(sessionId),
    sessionIds: () => uploads.sessionIds(),
    nextChunk: (fault) => uploads.nextChunk(fault),
    nextStatus: (fault) => uploads.nextStatus(fault),
    expire: (status) => uploads.expire(status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
