// What crosses the local endpoint: JSON-RPC 2.0 (jsonrpc.org/specification), one message per line
// (newline-delimited JSON, as the MCP stdio transport frames it). JSON has no bytes, so a Uint8Array
// (an image a client attaches) travels as `{ "$bytes": "<base64>" }` and is one again on arrival.
// Shared by the app's end and by its clients, so both frame and encode alike.

/** JSON-RPC's own error codes (specification §5.1), and one for the app's refusals. */
export const rpcErrorCodes = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  /** The app refused: `data` carries its stable code (`invalid_input`, `unauthorized`, ...). */
  appError: -32000,
} as const;

export interface RpcRequest {
  jsonrpc: '2.0';
  id: number | string;
  method: string;
  params?: unknown;
}

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: { code: string; action?: string };
}

export type RpcResponse = { jsonrpc: '2.0'; id: number | string | null } & ({ result: unknown } | { error: RpcErrorObject });

/** The first call of every connection: the client names itself and shows the install's token. */
export const openSessionMethod = 'session.open';

export interface OpenSessionParams {
  token: string;
  client: { name: string; version: string };
}

/** Uint8Arrays as `{ $bytes }`, everything else as it is: what JSON.stringify is given. */
export function encodeBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeBytes);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encodeBytes(inner)]));
  return value;
}

/** `{ $bytes }` back into Uint8Arrays, after JSON.parse. */
export function decodeBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBytes);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === '$bytes' && typeof entries[0]![1] === 'string') return new Uint8Array(Buffer.from(entries[0]![1], 'base64'));
    return Object.fromEntries(entries.map(([key, inner]) => [key, decodeBytes(inner)]));
  }
  return value;
}

/** One message as the line that carries it. */
export function frame(message: RpcRequest | RpcResponse): string {
  return `${JSON.stringify(encodeBytes(message))}\n`;
}

/**
 * Splits a stream into lines, and refuses a line longer than `maxLineBytes` (`onTooLong`, after
 * which nothing more is read): a peer cannot make the other end buffer without end.
 */
export function lineReader(maxLineBytes: () => number, onLine: (line: string) => void, onTooLong: () => void): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let stopped = false;
  return (chunk) => {
    if (stopped) return;
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      if (pendingBytes + piece.length > maxLineBytes()) return stop();
      const line = Buffer.concat([...pending, piece]).toString('utf8');
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      if (line.trim() !== '') onLine(line);
      if (stopped) return;
    }
    const rest = chunk.subarray(start);
    if (pendingBytes + rest.length > maxLineBytes()) return stop();
    if (rest.length > 0) {
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  };

  function stop() {
    stopped = true;
    pending = [];
    onTooLong();
  }
}
