/**
 * A hosting provider in front of the real test PDS, on its own loopback port: it passes every
 * request through unchanged, so to a client it is a working server under another address (as an
 * entryway such as bsky.social is for the PDS that really holds the account).
 *
 * Given `claimDid`, it lies: its createSession answer names that DID instead of the account that
 * really signed in (and drops the DID document that would contradict it). That is what a
 * malicious server can do, since the client takes the DID from the server it signed in to.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PdsProxy {
  url: string;
  close(): Promise<void>;
}

export async function startPdsProxy(targetUrl: string, options: { claimDid?: string } = {}): Promise<PdsProxy> {
  const server = http.createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || name === 'host' || name === 'connection' || name === 'content-length') continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const upstream = await fetch(new URL(request.url ?? '/', targetUrl), { method: request.method!, headers, ...(body ? { body } : {}) });
      let answer = Buffer.from(await upstream.arrayBuffer());
      if (options.claimDid && upstream.ok && request.url?.startsWith('/xrpc/com.atproto.server.createSession')) {
        const session = JSON.parse(answer.toString('utf8')) as Record<string, unknown>;
        session.did = options.claimDid;
        delete session.didDoc;
        answer = Buffer.from(JSON.stringify(session));
      }
      const contentType = upstream.headers.get('content-type');
      response.writeHead(upstream.status, contentType ? { 'content-type': contentType } : {}).end(answer);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'BadGateway', message: String(error) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
