// The loopback redirect of RFC 8252 §7.3: a short-lived HTTP listener on 127.0.0.1 that receives
// the one authorization response the system browser is redirected to, then closes.
//
// - 127.0.0.1 only, never 0.0.0.0 or `localhost` (RFC 8252 §8.3: listening on all interfaces
//   would let other machines answer; `localhost` may resolve elsewhere).
// - Port 0 lets the OS pick a free port where the platform accepts any port (RFC 8252 §7.3); a
//   fixed port is for platforms that match the redirect URI exactly (X: docs.x.com,
//   authorization-code).
// - A stray request (another path, another state, another Host: DNS rebinding) gets 400 and the
//   listener keeps waiting, so a local page cannot end the real sign-in by guessing the port.
// - With a certificate, it speaks TLS, for platforms that register only https redirect URIs (Meta's):
//   the redirect URI then names `localhost`, since a certificate for a name is what browsers expect
//   (and what such platforms register), while the socket stays on 127.0.0.1; the Host may be either.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger';
import type { LoopbackCertificate } from './loopbackCertificate';
import { oauthError } from './oauthErrors';

export const loopbackCallbackPath = '/callback';
export const defaultListenerTimeoutMs = 5 * 60 * 1000;

export interface LoopbackListenerOptions {
  /** 0 (default) for an ephemeral port. */
  port?: number;
  /** The only `state` whose callback is accepted. */
  expectedState: string;
  /** The callback's path (default `/callback`): the platform may want its own, as registered
   *  (TikTok's examples end in a slash). */
  path?: string;
  /** Speaks TLS with this key and certificate (loopbackCertificate.ts); plain HTTP without. */
  tls?: LoopbackCertificate;
  timeoutMs?: number;
  signal?: AbortSignal;
  log?: Logger;
}

export interface LoopbackListener {
  /** `http://127.0.0.1:<port><path>`, or `https://localhost:<port><path>` with TLS: the `redirect_uri`. */
  redirectUri: string;
  port: number;
  address(): AddressInfo;
  /** The full callback URL of the one valid request. Rejects on timeout, abort or close. */
  callback: Promise<URL>;
  close(): Promise<void>;
}

const doneHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Localpost</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem;"><p>You can close this tab and return to Localpost.</p></body></html>`;

// The page that receives the code must not leak it: no referrer (RFC 9700 §4.2.4), no caching,
// nothing loaded from anywhere.
const pageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  connection: 'close',
};

export async function startLoopbackListener(options: LoopbackListenerOptions): Promise<LoopbackListener> {
  const { expectedState, timeoutMs = defaultListenerTimeoutMs, signal, log } = options;
  // Node's HTTP server loads with the first sign-in that needs one, not with the app.
  const server: http.Server = options.tls
    ? (await import('node:https')).createServer({ key: options.tls.key, cert: options.tls.cert })
    : (await import('node:http')).createServer();
  const port = await listen(server, options.port ?? 0);
  const host = `127.0.0.1:${port}`;
  // The names the browser may have used for this socket: a Host of any other name is DNS rebinding.
  const hosts = options.tls ? new Set([host, `localhost:${port}`]) : new Set([host]);
  const callbackPath = options.path ?? loopbackCallbackPath;
  const redirectUri = options.tls ? `https://localhost:${port}${callbackPath}` : `http://${host}${callbackPath}`;

  let settle: { resolve(url: URL): void; reject(error: Error): void } | undefined;
  const callback = new Promise<URL>((resolve, reject) => void (settle = { resolve, reject }));
  // Marked handled: closing a listener nobody awaits must not become an unhandled rejection; a
  // caller awaiting `callback` still receives it.
  callback.catch(() => {});
  let closed: Promise<void> | undefined;
  const close = () => {
    settle?.reject(oauthError('authorization_incomplete', 'The sign-in listener was closed.', { action: 'Connect again.' }));
    settle = undefined;
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  const fail = (error: Error) => {
    settle?.reject(error);
    settle = undefined;
    void close();
  };

  const timer = setTimeout(() => {
    fail(
      oauthError('authorization_incomplete', `The sign-in was not finished within ${Math.round(timeoutMs / 60_000) || 1} minutes.`, {
        action: 'Connect again, and finish the steps in your browser.',
      }),
    );
  }, timeoutMs);
  timer.unref();
  const onAbort = () => fail(oauthError('authorization_incomplete', 'The sign-in was cancelled.', { action: 'Connect again when you are ready.' }));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const stray = (why: string) => {
      // The path only: a query may hold a code or a state, and logs never do.
      log?.debug('loopback listener answered a stray request', { why, path: URL.parse(request.url ?? '', 'http://x')?.pathname });
      response.writeHead(400, { ...pageHeaders, 'content-type': 'text/plain; charset=utf-8' }).end('This is not the sign-in Localpost is waiting for.');
    };
    if (!settle) return stray('already answered');
    if (request.method !== 'GET') return stray('method');
    if (!hosts.has(request.headers.host ?? '')) return stray('host');
    const url = URL.parse(request.url ?? '', redirectUri);
    if (!url || url.pathname !== callbackPath) return stray('path');
    const states = url.searchParams.getAll('state');
    if (states.length !== 1 || states[0] !== expectedState) return stray('state');

    const { resolve } = settle;
    settle = undefined;
    response.writeHead(200, pageHeaders).end(doneHtml, () => void close());
    resolve(url);
  });

  return { redirectUri, port, address: () => server.address() as AddressInfo, callback, close };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? oauthError('invalid_input', `Another program is using port ${port} on 127.0.0.1, so Localpost cannot receive the sign-in there.`, {
              action: 'Close that program, or choose another port in Settings and register the new redirect URI with the platform.',
            })
          : oauthError('internal', 'Localpost could not listen for the sign-in on 127.0.0.1.', { cause: error }),
      );
    };
    server.once('error', onError);
    // exclusive: never share the port with another process's listener (cluster round-robin).
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
