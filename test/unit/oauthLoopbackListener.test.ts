// The loopback listener on its own: 127.0.0.1 only, 400 for anything but the expected callback,
// one valid callback, then closed; timeout, abort, busy port. Over TLS too (https redirects), with
// the certificate made once per data folder: a client that trusts it connects by either loopback
// name, and the same protections hold.
// Run: npx tsx --test test/unit/oauthLoopbackListener.test.ts
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { eraseDataFolder } from '../../src-main/core/dataRights/eraseData';
import { loadOrCreateLoopbackCertificate, loopbackCertificateFolder, type LoopbackCertificate } from '../../src-main/core/oauth/loopbackCertificate';
import { startLoopbackListener } from '../../src-main/core/oauth/loopbackListener';

const state = 'expected-state-value';

/** A GET with a chosen Host header (fetch will not let a test forge one). */
function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body, headers: response.headers }));
      })
      .on('error', reject);
  });
}

describe('loopback listener', () => {
  it('binds 127.0.0.1 on an ephemeral port and names its redirect URI', async () => {
    const listener = await startLoopbackListener({ expectedState: state });
    try {
      const address = listener.address();
      assert.equal(address.address, '127.0.0.1');
      assert.ok(address.port > 0);
      assert.equal(listener.redirectUri, `http://127.0.0.1:${address.port}/callback`);
    } finally {
      await listener.close();
    }
  });

  it("takes the callback on the platform's own path only (a registered `/callback/` is not `/callback`)", async () => {
    const listener = await startLoopbackListener({ expectedState: state, path: '/callback/' });
    try {
      assert.equal(listener.redirectUri, `http://127.0.0.1:${listener.port}/callback/`);
      assert.equal((await get(listener.port, `/callback?code=c&state=${state}`)).status, 400);
      assert.equal((await get(listener.port, `/callback/?code=c&state=${state}`)).status, 200);
      assert.equal((await listener.callback).pathname, '/callback/');
    } finally {
      await listener.close();
    }
  });

  it('answers strays with 400, keeps waiting, then takes the one valid callback and closes', async () => {
    const listener = await startLoopbackListener({ expectedState: state });
    const { port } = listener;
    for (const path of ['/', '/favicon.ico', '/callback', `/callback?state=other&code=c`, `/callback?state=${state}&state=other&code=c`, `/callbackx?state=${state}`]) {
      assert.equal((await get(port, path)).status, 400, path);
    }
    assert.equal((await get(port, `/callback?state=${state}&code=c`, `evil.example:${port}`)).status, 400, 'DNS-rebound Host');

    const page = await get(port, `/callback?code=the-code&state=${state}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /You can close this tab and return to Localpost\./);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');
    const url = await listener.callback;
    assert.equal(url.searchParams.get('code'), 'the-code');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await assert.rejects(get(port, `/callback?code=again&state=${state}`), 'closed after the valid callback');
  });

  it('closes with authorization_incomplete on timeout', async () => {
    const listener = await startLoopbackListener({ expectedState: state, timeoutMs: 50 });
    await assert.rejects(listener.callback, { code: 'authorization_incomplete' });
    await assert.rejects(get(listener.port, '/callback'));
  });

  it('closes when aborted', async () => {
    const controller = new AbortController();
    const listener = await startLoopbackListener({ expectedState: state, signal: controller.signal });
    controller.abort();
    await assert.rejects(listener.callback, { code: 'authorization_incomplete', message: /cancelled/ });
    await assert.rejects(get(listener.port, '/callback'));
  });

  it('reports a fixed port another program holds', async () => {
    const squatter = http.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    try {
      await assert.rejects(startLoopbackListener({ expectedState: state, port }), { code: 'invalid_input', message: new RegExp(`port ${port}`) });
    } finally {
      squatter.close();
    }
  });
});

/**
 * An https GET that trusts only `ca`, to `servername` (the name the certificate must carry), on the
 * listener's socket at 127.0.0.1.
 */
function getTls(
  port: number,
  requestPath: string,
  ca: string,
  { servername = 'localhost', host = `${servername}:${port}` }: { servername?: string; host?: string } = {},
): Promise<{ status: number; body: string; peer: X509Certificate }> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      { host: '127.0.0.1', port, path: requestPath, ca, servername: servername === '127.0.0.1' ? '' : servername, headers: { host }, agent: false,
        checkServerIdentity: (_name, cert) => tlsCheck(servername, cert.raw) },
      (response) => {
        let body = '';
        const peer = new X509Certificate((response.socket as TLSSocket).getPeerCertificate().raw);
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body, peer }));
      },
    );
    request.on('error', reject);
  });
}

/** Node's own host check, against the name (or address) the browser would have used. */
function tlsCheck(name: string, raw: Buffer): Error | undefined {
  const cert = new X509Certificate(raw);
  const matched = name === '127.0.0.1' ? cert.checkIP(name) : cert.checkHost(name);
  return matched ? undefined : new Error(`certificate is not for ${name}`);
}

describe('loopback listener over TLS', () => {
  let dataDir: string;
  let tls: LoopbackCertificate;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-tls-'));
    tls = await loadOrCreateLoopbackCertificate(dataDir);
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('makes the certificate once per data folder, for localhost and 127.0.0.1, its key in a private file', async () => {
    const cert = new X509Certificate(tls.cert);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.equal(cert.checkHost('example.com'), undefined);
    assert.ok(Date.parse(cert.validTo) > Date.now() + 365 * 24 * 60 * 60 * 1000);
    const keyFile = path.join(dataDir, loopbackCertificateFolder, 'key.pem');
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(fs.statSync(path.dirname(keyFile)).mode & 0o777, 0o700);
    }
    assert.deepEqual(await loadOrCreateLoopbackCertificate(dataDir), tls, 'reused, not made again');
  });

  it('makes a new one when the saved one is damaged or about to end', async () => {
    const keyFile = path.join(dataDir, loopbackCertificateFolder, 'key.pem');
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-tls-'));
    try {
      const first = await loadOrCreateLoopbackCertificate(other);
      fs.writeFileSync(path.join(other, loopbackCertificateFolder, 'key.pem'), 'not a key');
      const remade = await loadOrCreateLoopbackCertificate(other);
      assert.notEqual(remade.cert, first.cert);
      const inElevenYears = Date.now() + 11 * 365 * 24 * 60 * 60 * 1000;
      assert.notEqual((await loadOrCreateLoopbackCertificate(other, inElevenYears)).cert, remade.cert);
      // "Delete everything" takes it with the rest of the data folder.
      eraseDataFolder(other);
      assert.equal(fs.existsSync(path.join(other, loopbackCertificateFolder)), false);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
    assert.ok(fs.existsSync(keyFile), 'another data folder’s certificate is left alone');
  });

  it('speaks TLS on 127.0.0.1, names https://localhost as its redirect URI, and serves the generated certificate', async () => {
    const listener = await startLoopbackListener({ expectedState: state, tls });
    try {
      assert.equal(listener.address().address, '127.0.0.1');
      assert.equal(listener.redirectUri, `https://localhost:${listener.port}/callback`);
      const page = await getTls(listener.port, `/callback?code=the-code&state=${state}`, tls.cert);
      assert.equal(page.status, 200);
      assert.equal(page.peer.fingerprint256, new X509Certificate(tls.cert).fingerprint256);
      assert.match(page.peer.subjectAltName ?? '', /DNS:localhost, IP Address:127\.0\.0\.1/);
      const url = await listener.callback;
      assert.equal(url.href, `https://localhost:${listener.port}/callback?code=the-code&state=${state}`);
    } finally {
      await listener.close();
    }
  });

  it('takes Host 127.0.0.1 too, and keeps the protections: strays 400, another Host 400, plain HTTP refused, one callback then closed', async () => {
    const listener = await startLoopbackListener({ expectedState: state, tls });
    const { port } = listener;
    for (const requestPath of ['/', '/callback', '/callback?state=other&code=c', `/callbackx?state=${state}`]) {
      assert.equal((await getTls(port, requestPath, tls.cert)).status, 400, requestPath);
    }
    assert.equal((await getTls(port, `/callback?state=${state}&code=c`, tls.cert, { host: `evil.example:${port}` })).status, 400, 'DNS-rebound Host');
    assert.equal((await getTls(port, `/callback?state=${state}&code=c`, tls.cert, { host: `localhost:${port + 1}` })).status, 400, 'another port');
    await assert.rejects(get(port, `/callback?state=${state}&code=c`), 'no plain HTTP on a TLS listener');

    const page = await getTls(port, `/callback?code=by-address&state=${state}`, tls.cert, { servername: '127.0.0.1' });
    assert.equal(page.status, 200);
    assert.equal((await listener.callback).searchParams.get('code'), 'by-address');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await assert.rejects(getTls(port, `/callback?code=again&state=${state}`, tls.cert), 'closed after the valid callback');
  });

  it('is refused by a client that does not trust the certificate (what the browser warns about)', async () => {
    const listener = await startLoopbackListener({ expectedState: state, tls });
    try {
      await assert.rejects(
        new Promise((resolve, reject) => https.get({ host: '127.0.0.1', port: listener.port, path: '/', servername: 'localhost', agent: false }, resolve).on('error', reject)),
        { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      );
    } finally {
      await listener.close();
    }
  });
});
