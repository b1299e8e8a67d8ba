// The loopback listener on its own: 127.0.0.1 only, 400 for anything but the expected callback,
// one valid callback, then closed; timeout, abort, busy port.
// Run: npx tsx --test test/unit/oauthLoopbackListener.test.ts
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
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
