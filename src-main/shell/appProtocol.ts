// Serves the built renderer from `app://localpost/` instead of file:// (Electron security
// checklist 18): the pages get a real origin to check senders and navigation against, and
// nothing outside the renderer's folder can be read through the scheme.
//
// Runtime: main (shell).
import { protocol } from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';
import { contentSecurityPolicy } from '../core/bridge/contentSecurityPolicy';
import { appHost, appScheme } from './appAddress';

/**
 * Must run before `app` is ready: Chromium reads scheme privileges once, at start.
 * standard: relative URLs and a host-based origin; secure: a secure context like https;
 * supportFetchAPI: the page's module scripts and fetch() may load from it. corsEnabled stays
 * off, which keeps the scheme unreadable from any other origin.
 */
export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Answers every app:// request from `rendererDir` (after ready). */
export function serveRendererFromAppScheme(rendererDir: string): void {
  const handler = createAppRequestHandler(rendererDir);
  protocol.handle(appScheme, function serveAppRequest(request) {
    return handler(request);
  });
}

/** The request handler on its own, so it can be exercised with plain `Request` objects. */
export function createAppRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir);
  // Where the folder really is (it may itself sit behind a link, as in a packaged app's paths).
  let realRoot: Promise<string> | undefined;
  return async function answerAppRequest(request) {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plainResponse(405, 'Method not allowed');
    const filePath = fileForUrl(root, request.url);
    if (!filePath) return plainResponse(403, 'Forbidden');
    let body: Buffer;
    try {
      // A symbolic link inside the folder must not reach outside it: the real path is checked too.
      realRoot ??= fs.realpath(root);
      if (!isInside(await realRoot, await fs.realpath(filePath))) return plainResponse(403, 'Forbidden');
      body = await fs.readFile(filePath);
    } catch {
      return plainResponse(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: securityHeaders(contentTypeOf(filePath)),
    });
  };
}

/**
 * Maps `app://localpost/<path>` to a file inside `root`, or null. The URL parser has already
 * collapsed literal `..` segments; this also refuses encoded ones (`..%2f`), a NUL byte, and any
 * other host, by checking where the decoded path actually resolves.
 */
export function fileForUrl(root: string, url: string): string | null {
  let parsed: URL;
  let decodedPath: string;
  try {
    parsed = new URL(url);
    decodedPath = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost) return null;
  if (decodedPath.includes('\0')) return null;
  const relative = decodedPath === '/' ? 'index.html' : decodedPath.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  return isInside(root, resolved) ? resolved : null;
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + path.sep);
}

/**
 * The CSP (checklist 7) goes on every response as a header, so it holds from the first byte;
 * it is the same string as the renderer's meta tag and the test harness's server.
 */
function securityHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy,
    // The browser must not guess a script out of a file served as something else.
    'X-Content-Type-Options': 'nosniff',
  });
}

function plainResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

// The file types a Vite build of the renderer produces. Anything else is served as opaque bytes,
// which nosniff then keeps from being run as a script.
const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

function contentTypeOf(filePath: string): string {
  return contentTypes[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}
