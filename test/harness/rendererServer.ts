// The built renderer as the harness shows it: served over http://127.0.0.1 with the CSP header the
// Electron shell sets, in a Chromium started with the switches every browser test uses. Its own
// module, without the core, so that a process showing only a page (bench/startupAppChild.ts's
// floor) loads what a launch loads and nothing more.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from '../../src-main/core/bridge/contentSecurityPolicy';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const rendererDir = path.join(repoRoot, 'out/renderer');

export const chromiumPath = process.env.LOCALPOST_CHROMIUM ?? '/usr/bin/chromium';

// Without the networking switches Chromium floods the closed network with refused connections
// (update checks, sync, component downloads), none of which a test needs.
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** Serves `root` (out/renderer by default) on 127.0.0.1 with the same CSP header the Electron shell sets. */
export async function serveRenderer(root = rendererDir): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy,
      'cache-control': 'no-store',
    });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
