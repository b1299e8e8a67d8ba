// The app's local endpoint against the real core: the localpost command's client opens a session
// with the install's token and calls the contract; a client without it, with a wrong one, or one
// asked to trust a socket or token file that is not the user's alone gets nowhere; the socket is
// removed at quit, a stale one is recovered, and a second app on the same data folder is refused.
//
// Run: npm test -- test/integration/localEndpoint.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectToLocalpost } from '../../src-cli/localpostClient';
import { AppError } from '../../src-main/core/errors';
import { endpointAddress } from '../../src-main/core/localEndpoint/endpointAddress';
import { startLocalEndpoint, type LocalEndpoint } from '../../src-main/core/localEndpoint/localEndpoint';
import { assertPrivate } from '../../src-main/core/localEndpoint/privatePaths';
import { startCore, type CoreClient } from '../harness/coreClient';
import { smallPng } from '../fixtures/images';

const client = { name: 'localpost-test', version: '1.0.0' };
const isCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

let app: CoreClient;
let endpoint: LocalEndpoint;

before(async () => {
  app = await startCore();
  endpoint = await startLocalEndpoint({ dataDir: app.dataDir, handlers: app.core.handlers, log: app.core.log, aiClients: app.core.aiClients, appVersion: '0.0.0-test' });
});
after(async () => {
  await endpoint.close();
  app.close();
});

/** A raw connection that sends `lines` and collects what comes back until the app hangs up (or 2 s). */
function rawExchange(lines: string[]): Promise<{ answers: Array<Record<string, unknown>>; closedByApp: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(endpoint.address.socketPath);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answers: parse(received), closedByApp: false });
    }, 2000);
    socket.on('connect', () => {
      for (const line of lines) socket.write(`${line}\n`);
    });
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve({ answers: parse(received), closedByApp: true });
    });
    socket.on('error', () => {});
  });
  function parse(text: string) {
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

describe('the local endpoint: who gets in', () => {
  it('listens on a socket only the user can open, in a folder only the user can enter, beside a private token', () => {
    const { socketPath, socketDir, tokenFile } = endpoint.address;
    assert.equal(socketPath, path.join(app.dataDir, 'endpoint', 'localpost.sock'));
    assert.ok(fs.lstatSync(socketPath).isSocket());
    assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600);
    assert.equal(fs.statSync(socketDir!).mode & 0o777, 0o700);
    assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(tokenFile, 'utf8'), /^[A-Za-z0-9_-]{43}$/, '256 random bits');
  });

  it('a client with the token calls the contract, validated as the bridge validates it', async () => {
    const cli = await connectToLocalpost({ dataDir: app.dataDir, client });
    try {
      assert.ok(cli.methods.includes('drafts.create'));
      assert.ok(!cli.methods.includes('developerApps.get'), 'no secret or setting is reachable');
      assert.deepEqual(await cli.call('accounts.list', {}), []);
      const draft = await cli.call('drafts.create', {});
      await cli.call('drafts.save', { id: draft.id, text: 'Written from a script', targetAccountIds: [], langs: ['en'] });
      // Bytes cross as base64 and arrive as the image they were.
      const image = await cli.call('drafts.addImage', { draftId: draft.id, fileName: 'photo.png', bytes: new Uint8Array(await smallPng(64, 48)) });
      assert.equal(image.width, 64);
      const saved = await app.call('drafts.get', { id: draft.id });
      assert.equal(saved.text, 'Written from a script');
      assert.equal(saved.images.length, 1);
      // Bad input: the contract's error, and the connection stays usable.
      await assert.rejects(cli.call('drafts.save', { id: draft.id, text: 5 } as never), isCode('invalid_input'));
      await assert.rejects(cli.call('developerApps.get' as never, {} as never), /may not call developerApps\.get/);
      assert.equal((await cli.call('drafts.list', {})).length, 1);
    } finally {
      cli.close();
    }
  });

  it('refuses a client that calls anything before showing the token, and hangs up', async () => {
    const { answers, closedByApp } = await rawExchange([JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'accounts.list', params: {} })]);
    assert.equal(closedByApp, true);
    assert.equal((answers[0]!.error as { data: { code: string } }).data.code, 'unauthorized');
  });

  it('refuses a wrong token, and answers nothing after it', async () => {
    const { answers, closedByApp } = await rawExchange([
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.open', params: { token: 'A'.repeat(43), client } }),
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'accounts.list', params: {} }),
    ]);
    assert.equal(closedByApp, true);
    assert.equal(answers.length, 1);
    assert.equal((answers[0]!.error as { data: { code: string } }).data.code, 'unauthorized');
  });

  it('hangs up on a long message before the session opens, and on one that is not JSON', async () => {
    const long = await rawExchange([JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.open', params: { token: 'x'.repeat(64 * 1024), client } })]);
    assert.equal(long.closedByApp, true);
    const garbage = await rawExchange(['GET / HTTP/1.1']);
    assert.equal(garbage.closedByApp, true);
    assert.equal((garbage.answers[0]!.error as { code: number }).code, -32700);
  });

  it('a client will not send the token to a socket or read a token that others may open', async () => {
    const { socketPath, tokenFile } = endpoint.address;
    fs.chmodSync(socketPath, 0o666);
    try {
      await assert.rejects(connectToLocalpost({ dataDir: app.dataDir, client }), isCode('endpoint_untrusted'));
    } finally {
      fs.chmodSync(socketPath, 0o600);
    }
    fs.chmodSync(tokenFile, 0o644);
    try {
      await assert.rejects(connectToLocalpost({ dataDir: app.dataDir, client }), isCode('endpoint_untrusted'));
    } finally {
      fs.chmodSync(tokenFile, 0o600);
    }
    const cli = await connectToLocalpost({ dataDir: app.dataDir, client });
    cli.close();
  });

  it('a socket owned by another user is not trusted', { skip: process.getuid?.() !== 0 && 'changing a file’s owner needs root' }, async () => {
    const { socketPath } = endpoint.address;
    fs.chownSync(socketPath, 65534, 65534);
    try {
      await assert.rejects(connectToLocalpost({ dataDir: app.dataDir, client }), (error: unknown) => isCode('endpoint_untrusted')(error) && /another user/.test((error as Error).message));
    } finally {
      fs.chownSync(socketPath, 0, 0);
    }
  });

  it('checks owner and mode as it says, for every kind of file (the owner through its uid)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-private-'));
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, 'x', { mode: 0o600 });
    assertPrivate(file, 'file');
    assert.throws(() => assertPrivate(file, 'file', (process.getuid?.() ?? 0) + 1), isCode('endpoint_untrusted'));
    assert.throws(() => assertPrivate(file, 'socket'), isCode('endpoint_untrusted'));
    fs.symlinkSync(file, path.join(dir, 'link'));
    assert.throws(() => assertPrivate(path.join(dir, 'link'), 'file'), /symbolic link/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('the local endpoint: its life', () => {
  it('a second app on the same data folder is refused while the first listens', async () => {
    await assert.rejects(
      startLocalEndpoint({ dataDir: app.dataDir, handlers: app.core.handlers, log: app.core.log, aiClients: app.core.aiClients, appVersion: '0' }),
      isCode('endpoint_in_use'),
    );
    const cli = await connectToLocalpost({ dataDir: app.dataDir, client });
    assert.deepEqual(await cli.call('accounts.list', {}), [], 'the first still answers');
    cli.close();
  });

  it('removes the socket at quit (a client then hears "not running"), and recovers a stale one left by a killed app', async () => {
    const other = await startCore();
    const first = await startLocalEndpoint({ dataDir: other.dataDir, handlers: other.core.handlers, log: other.core.log, aiClients: other.core.aiClients, appVersion: '0' });
    await first.close();
    assert.equal(fs.existsSync(first.address.socketPath), false);
    await assert.rejects(connectToLocalpost({ dataDir: other.dataDir, client }), isCode('app_not_running'));

    // An app killed while listening leaves its socket file behind, answering nobody.
    const killed = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(first.address.socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(fs.lstatSync(first.address.socketPath).isSocket(), 'the stale socket is there');
    fs.chmodSync(first.address.socketPath, 0o600);
    await assert.rejects(connectToLocalpost({ dataDir: other.dataDir, client }), isCode('app_not_running'));

    const second = await startLocalEndpoint({ dataDir: other.dataDir, handlers: other.core.handlers, log: other.core.log, aiClients: other.core.aiClients, appVersion: '0' });
    const cli = await connectToLocalpost({ dataDir: other.dataDir, client });
    assert.deepEqual(await cli.call('accounts.list', {}), []);
    cli.close();
    await second.close();
    other.close();
  });

  it('a data folder too deep for a socket path gets a private folder of its own elsewhere, and the client finds it', () => {
    const deep = path.join('/home/someone', 'a'.repeat(120));
    const system = { platform: 'linux' as const, env: { XDG_RUNTIME_DIR: '/run/user/1000' }, tmpdir: '/tmp', uid: 1000 };
    const address = endpointAddress(deep, system);
    assert.ok(address.socketPath.startsWith('/run/user/1000/localpost-1000-'));
    assert.ok(Buffer.byteLength(address.socketPath) <= 103);
    assert.equal(address.tokenFile, path.join(deep, 'endpoint', 'client-token'), 'the token stays in the data folder');
    assert.deepEqual(endpointAddress(deep, system), address, 'the same folder every time');
    assert.notEqual(endpointAddress(`${deep}b`, system).socketPath, address.socketPath, 'another data folder, another socket');
    assert.match(endpointAddress('C:\\Users\\me\\AppData\\Localpost', { ...system, platform: 'win32' }).socketPath, /^\\\\\.\\pipe\\localpost-[0-9a-f]{16}$/);
  });
});
