// The app's one door for local clients (the `localpost` command and its MCP server): a Unix socket
// or a named pipe (endpointAddress.ts), never a TCP port, so neither a web page nor DNS rebinding can
// reach it. A connection must first open a session with the install's token (clientToken.ts); then
// it may call the contract methods listed below, validated exactly as the bridge validates the
// renderer's calls (dispatch.ts `callMethod`). The clients hold nothing: no database, no vault, no
// platform token. The app stays the only writer and the only refresher of tokens.
import fs from 'node:fs';
import net from 'node:net';
import type { MethodName, Result } from '../../../src-preload/contract';
import type { AiClients } from '../assistants/aiClients';
import { callMethod, type Handlers } from '../bridge/dispatch';
import { AppError, toBridgeError } from '../errors';
import type { Logger } from '../log/logger';
import { readOrCreateClientToken, sameToken } from './clientToken';
import { endpointAddress, type EndpointAddress } from './endpointAddress';
import { assertPrivate, ensureOwnPrivateDir } from './privatePaths';
import { decodeBytes, frame, lineReader, openSessionMethod, rpcErrorCodes, type RpcErrorObject, type RpcRequest, type RpcResponse } from './wire';

/**
 * What a local client may do: read accounts, drafts, the queue and history; write drafts; publish,
 * schedule, retry and cancel; read the settings (a new draft's language). Nothing that shows or
 * changes a secret or changes a setting (developer apps, media storage, the vault beyond its
 * status), exports or erases data, or opens a page.
 */
export const localClientMethods = [
  'app.info',
  'profiles.list',
  'accounts.list',
  'accounts.connect',
  'accounts.check',
  'boards.list',
  'creatorInfo.get',
  'drafts.list',
  'drafts.create',
  'drafts.get',
  'drafts.save',
  'drafts.delete',
  'drafts.addImage',
  'drafts.setImageAlt',
  'drafts.removeImage',
  'drafts.preflight',
  'publish.now',
  'publish.schedule',
  'history.list',
  'outbox.list',
  'outbox.cancel',
  'outbox.retry',
  'outbox.reschedule',
  'vault.status',
  'settings.get',
] as const satisfies readonly MethodName[];

/**
 * What an AI assistant may do through `localpost mcp`: read accounts and drafts, write drafts,
 * check them, and ask to publish or schedule, which waits for the user (assistants/approvals.ts).
 * Never publish, schedule, retry or cancel by itself, connect an account, or touch a file.
 */
export const assistantMethods = [
  'app.info',
  'accounts.list',
  'accounts.check',
  'drafts.list',
  'drafts.create',
  'drafts.get',
  'drafts.save',
  'drafts.preflight',
  'approvals.request',
  'approvals.get',
  'settings.get',
] as const satisfies readonly MethodName[];

/** Who opened a session: the localpost command, run by the user, or an assistant through `localpost mcp`. */
export type ClientKind = 'command' | 'assistant';

const allowedFor: Record<ClientKind, ReadonlySet<string>> = { command: new Set(localClientMethods), assistant: new Set(assistantMethods) };

/** Before its session is open a connection may send only a short line: the token fits in it. */
const maxLineBeforeSession = 16 * 1024;
/** After, a line may carry an image (as base64). */
const maxLineInSession = 96 * 1024 * 1024;

export interface LocalEndpointDeps {
  dataDir: string;
  handlers: Handlers;
  log: Logger;
  appVersion: string;
  /** The assistants' switches and audit list. */
  aiClients: Pick<AiClients, 'admit' | 'record'>;
  /** Tests move the socket; the app uses the data folder's. */
  address?: EndpointAddress;
}

export interface LocalEndpoint {
  address: EndpointAddress;
  /** Stops listening, ends every session and removes the socket file. */
  close(): Promise<void>;
}

export async function startLocalEndpoint(deps: LocalEndpointDeps): Promise<LocalEndpoint> {
  const address = deps.address ?? endpointAddress(deps.dataDir);
  const log = deps.log;
  const token = readOrCreateClientToken(address.tokenFile);
  if (address.socketDir) {
    ensureOwnPrivateDir(address.socketDir);
    await clearStaleSocket(address.socketPath);
  }

  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, { token, handlers: deps.handlers, log, appVersion: deps.appVersion, aiClients: deps.aiClients });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? inUse(address.socketPath) : error),
    );
    server.listen(address.socketPath, () => resolve());
  });
  // The folder is 0700 already, so no other user could reach the socket before this.
  if (address.socketDir) fs.chmodSync(address.socketPath, 0o600);
  // The app's own life decides when the process ends; a door left open never keeps it running.
  server.unref();
  log.info('Local endpoint listening', { socket: address.socketPath });

  return {
    address,
    async close() {
      for (const socket of connections) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Node removes a Unix socket file when its server closes; this makes sure, and leaves a file
      // that is not ours alone.
      if (address.socketDir) fs.rmSync(address.socketPath, { force: true });
    },
  };
}

/**
 * A socket file left by an app that did not quit (a crash, a power cut) answers nobody: it is
 * removed. One that answers belongs to a running Localpost on the same data folder.
 */
async function clearStaleSocket(socketPath: string): Promise<void> {
  if (!fs.existsSync(socketPath)) return;
  assertPrivate(socketPath, 'socket');
  const answered = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (answered) throw inUse(socketPath);
  fs.rmSync(socketPath, { force: true });
}

function inUse(socketPath: string): AppError {
  return new AppError('endpoint_in_use', `Another Localpost is already running on this data folder (${socketPath}).`, {
    action: 'Use the Localpost that is running, or quit it first.',
  });
}

interface SessionDeps {
  token: string;
  handlers: Handlers;
  log: Logger;
  appVersion: string;
  aiClients: Pick<AiClients, 'admit' | 'record'>;
}

function serveConnection(socket: net.Socket, deps: SessionDeps): void {
  let client: { name: string; version: string; kind: ClientKind } | null = null;
  const send = (response: RpcResponse) => {
    if (!socket.destroyed) socket.write(frame(response));
  };
  const refuse = (id: RpcResponse['id'], error: RpcErrorObject) => send({ jsonrpc: '2.0', id, error });
  const appError = (id: RpcResponse['id'], code: string, message: string, action?: string) =>
    refuse(id, { code: rpcErrorCodes.appError, message, data: { code, ...(action ? { action } : {}) } });

  const onLine = (line: string) => {
    let message: unknown;
    try {
      message = decodeBytes(JSON.parse(line));
    } catch {
      refuse(null, { code: rpcErrorCodes.parseError, message: 'Not JSON.' });
      if (!client) socket.end();
      return;
    }
    const request = asRequest(message);
    if (!request) {
      refuse(null, { code: rpcErrorCodes.invalidRequest, message: 'Not a JSON-RPC 2.0 request with an id and a method.' });
      if (!client) socket.end();
      return;
    }
    if (!client) {
      // Nothing but opening a session, and one wrong token ends the connection.
      const params = request.params as Partial<{ token: unknown; kind: unknown; client: { name?: unknown; version?: unknown } }> | undefined;
      if (request.method !== openSessionMethod || !sameToken(deps.token, params?.token)) {
        deps.log.warn('Refused a local client without the right token', { method: request.method });
        appError(request.id, 'unauthorized', 'This client did not show Localpost’s token.', 'Run the localpost command as the user who runs the app.');
        socket.end();
        return;
      }
      const opening = { name: text(params?.client?.name, 'unnamed client'), version: text(params?.client?.version, '?'), kind: params?.kind === 'assistant' ? 'assistant' : 'command' } as const;
      if (opening.kind === 'assistant') {
        try {
          deps.aiClients.admit(opening.name);
        } catch (error) {
          const { code, message, action } = toBridgeError(error);
          appError(request.id, code, message, action);
          socket.end();
          return;
        }
      }
      client = opening;
      deps.log.info('Local client connected', { client: client.name, version: client.version, kind: client.kind });
      send({ jsonrpc: '2.0', id: request.id, result: { app: 'Localpost', version: deps.appVersion, methods: [...allowedFor[client.kind]] } });
      return;
    }
    const session = client;
    if (!allowedFor[session.kind].has(request.method)) {
      refuse(request.id, { code: rpcErrorCodes.methodNotFound, message: `${session.kind === 'assistant' ? 'An assistant' : 'A local client'} may not call ${request.method}.` });
      return;
    }
    void answer(session, request).then((result) => {
      if (result.ok) send({ jsonrpc: '2.0', id: request.id, result: result.value ?? null });
      else appError(request.id, result.error.code, result.error.message, result.error.action);
    });
  };

  /** One call: for an assistant, admitted again (its switch may have changed), named as its session says, and recorded. */
  async function answer(session: NonNullable<typeof client>, request: RpcRequest): Promise<Result<unknown>> {
    if (session.kind === 'command') return callMethod(deps.handlers, request.method, request.params ?? {}, deps.log);
    let result: Result<unknown>;
    try {
      deps.aiClients.admit(session.name);
      const params = request.method === 'approvals.request' ? { ...(request.params as object), clientName: session.name } : (request.params ?? {});
      result = await callMethod(deps.handlers, request.method, params, deps.log);
    } catch (error) {
      result = { ok: false, error: toBridgeError(error) };
    }
    deps.aiClients.record(session.name, request.method, result.ok ? 'ok' : result.error.code);
    return result;
  }

  socket.on(
    'data',
    lineReader(
      () => (client ? maxLineInSession : maxLineBeforeSession),
      onLine,
      () => {
        refuse(null, { code: rpcErrorCodes.invalidRequest, message: 'That message is too long.' });
        socket.end();
      },
    ),
  );
  socket.on('error', () => socket.destroy());
}

function asRequest(message: unknown): RpcRequest | null {
  if (!message || typeof message !== 'object') return null;
  const m = message as Record<string, unknown>;
  const idOk = typeof m.id === 'number' || (typeof m.id === 'string' && m.id.length <= 100);
  if (m.jsonrpc !== '2.0' || !idOk || typeof m.method !== 'string') return null;
  return m as unknown as RpcRequest;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : fallback;
}
