// The client end of the app's local endpoint, for the `localpost` command and its MCP server. It
// finds the socket from the data folder as the app does, refuses a socket or token file that is not
// the user's alone before sending the token anywhere (someone else's socket could be there to catch
// it), opens a session, and calls the contract's methods by name. It holds no database, no vault
// and no platform token: everything happens in the app.
import net from 'node:net';
import fs from 'node:fs';
import type { MethodInput, MethodName, MethodOutput } from '../src-preload/contract';
import { AppError } from '../src-main/core/errors';
import { readClientToken } from '../src-main/core/localEndpoint/clientToken';
import { endpointAddress, type EndpointAddress } from '../src-main/core/localEndpoint/endpointAddress';
import { assertPrivate } from '../src-main/core/localEndpoint/privatePaths';
import { decodeBytes, frame, lineReader, openSessionMethod, type RpcResponse } from '../src-main/core/localEndpoint/wire';

export interface LocalpostClient {
  /** The methods the app lets a local client call. */
  methods: readonly string[];
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** False once the app ended the session (it quit, or restarted): a long-lived client opens a new one. */
  isOpen(): boolean;
  close(): void;
}

export interface ConnectOptions {
  dataDir: string;
  client: { name: string; version: string };
  /** An assistant (`localpost mcp`) may only draft and ask; the command, run by the user, may publish. */
  kind?: 'command' | 'assistant';
  /** Tests move the socket; clients use the data folder's. */
  address?: EndpointAddress;
}

const notRunning = () =>
  new AppError('app_not_running', 'Localpost is not running.', { action: 'Start Localpost, then run this again.' });

export async function connectToLocalpost(options: ConnectOptions): Promise<LocalpostClient> {
  const address = options.address ?? endpointAddress(options.dataDir);
  if (address.socketDir) {
    if (!fs.existsSync(address.socketPath)) throw notRunning();
    assertPrivate(address.socketDir, 'directory');
    assertPrivate(address.socketPath, 'socket');
  }
  if (!fs.existsSync(address.tokenFile)) throw notRunning();
  const token = readClientToken(address.tokenFile);

  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const connecting = net.connect(address.socketPath);
    connecting.once('connect', () => resolve(connecting));
    connecting.once('error', (error: NodeJS.ErrnoException) =>
      reject(['ECONNREFUSED', 'ENOENT'].includes(error.code ?? '') ? notRunning() : error),
    );
  });

  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  const failAll = (error: unknown) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  socket.on(
    'data',
    lineReader(
      () => 128 * 1024 * 1024,
      (line) => {
        const response = decodeBytes(JSON.parse(line)) as RpcResponse;
        const waiting = typeof response.id === 'number' ? pending.get(response.id) : undefined;
        if (!waiting) return;
        pending.delete(response.id as number);
        if ('result' in response) waiting.resolve(response.result);
        else waiting.reject(new AppError((response.error.data?.code ?? 'internal') as AppError['code'], response.error.message, response.error.data?.action ? { action: response.error.data.action } : {}));
      },
      () => socket.destroy(new Error('The app sent a message too long to read.')),
    ),
  );
  const closedByApp = () => new AppError('app_not_running', 'Localpost closed the connection.', { action: 'Start Localpost, then run this again.' });
  socket.on('close', () => failAll(closedByApp()));
  socket.on('error', () => {});

  const send = (method: string, params: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      // A write to a closed socket is dropped without a word: the call would wait forever.
      if (socket.destroyed || !socket.writable) return reject(closedByApp());
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.write(frame({ jsonrpc: '2.0', id, method, params }));
    });

  const session = (await send(openSessionMethod, { token, client: options.client, kind: options.kind ?? 'command' })) as { methods: string[] };
  return {
    methods: session.methods,
    call: (method, input) => send(method, input) as Promise<never>,
    isOpen: () => !socket.destroyed && socket.writable,
    close: () => socket.end(),
  };
}
