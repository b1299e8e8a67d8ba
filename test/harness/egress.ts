// Records every outgoing connection and HTTP request this process makes, whatever made it: the
// global fetch (undici), node:http(s), or a raw socket. Node publishes each on a diagnostics
// channel (nodejs.org/api/diagnostics_channel.html, "Built-in channels"), so nothing has to go
// through a port of ours to be seen: a request that bypassed the core's HTTP client is recorded
// too. Servers started by the test (mocks, the renderer's server) accept connections; they do not
// make them, so they add nothing here.
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

export interface EgressRequest {
  via: 'fetch' | 'http';
  method: string;
  /** scheme://host:port */
  origin: string;
  path: string;
}

export interface EgressRecording {
  requests: EgressRequest[];
  /** host:port of every TCP connection opened, as connected (after any DNS lookup). */
  connections: string[];
  stop(): void;
}

export function recordEgress(): EgressRecording {
  const requests: EgressRequest[] = [];
  const connections: string[] = [];
  const onFetch = (message: unknown) => {
    const { request } = message as { request: { origin: string | URL; method: string; path: string } };
    requests.push({ via: 'fetch', method: request.method, origin: new URL(String(request.origin)).origin, path: request.path });
  };
  const onHttp = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    const scheme = (request as ClientRequest & { agent?: { protocol?: string } }).agent?.protocol ?? 'http:';
    const host = String(request.getHeader('host') ?? request.host);
    requests.push({ via: 'http', method: request.method, origin: `${scheme}//${host}`, path: request.path });
  };
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.once('connect', () => connections.push(`${socket.remoteAddress}:${socket.remotePort}`));
  };
  dc.subscribe('undici:request:create', onFetch);
  dc.subscribe('http.client.request.start', onHttp);
  dc.subscribe('net.client.socket', onSocket);
  return {
    requests,
    connections,
    stop() {
      dc.unsubscribe('undici:request:create', onFetch);
      dc.unsubscribe('http.client.request.start', onHttp);
      dc.unsubscribe('net.client.socket', onSocket);
    },
  };
}
