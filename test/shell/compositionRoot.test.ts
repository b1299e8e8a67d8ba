// src-main/index.ts, the composition root, started for real through the app's entry
// (src-main/entry.ts) against the recording stand-in for `electron`: the real core (SQLite, vault,
// bridge) behind the real shell, in plain Node. What the app does at start and at ready, in order,
// and that a call from the window really reaches the core through ipcMain while a call from
// anywhere else does not.
//
// Its own file (so its own process): importing the entry starts the app once, with module state.
// Run: npx tsx --test test/shell/compositionRoot.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { useElectronStandIn } from './useElectronStandIn';

useElectronStandIn();
const standIn = await import('./electronStandIn');
const { app, control, ipcMain, recorded, session, StandInEvent } = standIn;
const { methods } = await import('../../src-preload/contract');

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-root-'));
after(() => fs.rmSync(userData, { recursive: true, force: true }));
control.userDataDir = userData;

// The media worker runs for real: the module the built app forks beside index.js is the worker's source here.
control.utilityProcessModules[fileURLToPath(new URL('../../src-main/mediaWorker.js', import.meta.url))] = fileURLToPath(new URL('../../src-main/core/media/mediaWorker.ts', import.meta.url));

// Started as an installed app: DevTools off, the packaged menu.
control.packaged = true;

// A localpost:// link in argv (development builds used to register the scheme, and the OS may
// still route such links here): nothing may take it up.
const strayLink = 'localpost://oauth/callback?code=stray-secret-code&state=s1';
process.argv.push(strayLink);

const fromApp = { senderFrame: { url: 'app://localpost/index.html' } };
const fromElsewhere = { senderFrame: { url: 'https://evil.example/' } };
const call = (method: string, sender: object, input: unknown = {}) => ipcMain.handlers.get(method)!(sender, input) as Promise<any>;

before(async () => {
  await import('../../src-main/entry');
});

test('before ready: the scheme is privileged, the lock is taken, no URL scheme is claimed, nothing else runs', () => {
  assert.equal(recorded.privilegedSchemes.length, 1);
  assert.equal(recorded.privilegedSchemes[0]!.appWasReady, false);
  assert.equal(recorded.singleInstanceLockRequests, 1);
  assert.deepEqual(recorded.defaultProtocolClients, []);
  assert.equal(app.listenerCount('open-url'), 0);
  assert.equal(app.listenerCount('second-instance'), 1);
  assert.equal(ipcMain.handlers.size, 0);
  assert.equal(recorded.windows.length, 0);
});

test('at ready: protocol, permissions, core, bridge and one window, loading the app page', async () => {
  app.becomeReady();
  await until(() => recorded.windows.length === 1);

  assert.ok(recorded.protocolHandlers.has('app'));
  assert.ok(session.defaultSession.permissionRequestHandler);
  assert.equal(session.defaultSession.permissionCheckHandler!(null, 'media', 'app://localpost', {}), false);
  assert.deepEqual([...ipcMain.handlers.keys()].sort(), Object.keys(methods).sort());

  const [window] = recorded.windows;
  assert.deepEqual(window!.loadedUrls, ['app://localpost/index.html']);
  assert.equal(window!.options.webPreferences.sandbox, true);
  assert.equal(window!.options.webPreferences.contextIsolation, true);
  assert.ok(window!.options.webPreferences.preload.endsWith(path.join('preload', 'index.cjs')));
  assert.deepEqual(recorded.errorBoxes, []);
});

test('an installed app: the window has no DevTools, and the default menu (Reload, DevTools) is replaced', () => {
  const [window] = recorded.windows;
  assert.equal(window!.options.webPreferences.devTools, false);
  assert.equal(recorded.applicationMenus.length, 1);
  const menu = recorded.applicationMenus[0];
  if (process.platform === 'darwin') assert.ok(menu);
  else assert.equal(menu, null);
});

test('the window\'s web contents is guarded', () => {
  const contents = recorded.windows[0]!.webContents;
  const away = new StandInEvent({ url: 'https://evil.example/' });
  contents.emit('will-navigate', away);
  assert.equal(away.defaultPrevented, true);
  assert.deepEqual(contents.windowOpenHandler!({ url: 'https://bsky.app/' }), { action: 'deny' });
});

test('a call from the app page reaches the real core; from anywhere else it is refused', async () => {
  const info = await call('app.info', fromApp);
  // No path crosses the bridge: Settings shows the data folder through the file manager instead.
  assert.deepEqual(info, { ok: true, value: { version: '0.1.0-standin', locale: 'en-US', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone } });
  const refused = await call('app.info', fromElsewhere);
  assert.equal(refused.error.code, 'untrusted_sender');
  const vault = await call('vault.status', fromApp);
  assert.equal(vault.value.backend, 'gnome_libsecret');
  assert.equal(vault.value.keyringProtects, true);
});

test('core events reach the window', async () => {
  const created = await call('profiles.create', fromApp, { name: 'Work' });
  assert.equal(created.ok, true);
  await call('profiles.switch', fromApp, { id: created.value.id });
  const sent = recorded.windows[0]!.webContents.sent;
  assert.deepEqual(sent.at(-1), { channel: 'profiles.changed', args: [{ activeId: created.value.id }] });
});

test('links.openExternal goes through the core to the system browser, https only', async () => {
  const openedBefore = recorded.openedExternally.length;
  assert.deepEqual(await call('links.openExternal', fromApp, { url: 'https://bsky.app/profile/alice.test' }), { ok: true, value: {} });
  const refused = await call('links.openExternal', fromApp, { url: 'file:///etc/passwd' });
  assert.equal(refused.error.code, 'invalid_input');
  assert.deepEqual(recorded.openedExternally.slice(openedBefore), ['https://bsky.app/profile/alice.test']);
});

test('a localpost:// link in argv is ignored, and not written to the log', () => {
  const log = fs.readFileSync(path.join(userData, 'logs', 'localpost.log'), 'utf8');
  assert.match(log, /\S/, 'the log has lines');
  assert.doesNotMatch(log, /stray-secret-code|localpost:\/\/|[Dd]eep link/);
});

test('preferences live in the data folder, readable by the user only', () => {
  const file = path.join(userData, 'preferences.json');
  assert.ok(fs.existsSync(file));
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
});

test('Your data: the data folder opens with shell.openPath, an export asks in the OS folder dialog', async () => {
  assert.deepEqual(await call('data.showFolder', fromApp), { ok: true, value: {} });
  assert.deepEqual(recorded.openedPaths, [userData]);

  control.openDialogAnswer = null;
  assert.deepEqual(await call('data.export', fromApp), { ok: true, value: { outcome: 'cancelled' } });
  const exportsTo = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-root-export-'));
  after(() => fs.rmSync(exportsTo, { recursive: true, force: true }));
  control.openDialogAnswer = exportsTo;
  const saved = await call('data.export', fromApp);
  assert.equal(saved.value.outcome, 'saved');
  assert.ok(fs.existsSync(path.join(exportsTo, saved.value.folderName, 'localpost-export.json')));
  // Modal to the app's window, for a folder (which the user may create there).
  assert.equal(recorded.openDialogs.at(-1)!.window, recorded.windows[0]);
  assert.deepEqual(recorded.openDialogs.at(-1)!.options.properties, ['openDirectory', 'createDirectory']);
});

test('Add video asks in the OS open-file dialog, for one video file, and the core copies what was chosen', async () => {
  const draft = await call('drafts.create', fromApp);
  control.openDialogAnswer = null;
  assert.deepEqual(await call('drafts.addVideo', fromApp, { draftId: draft.value.id }), { ok: true, value: { outcome: 'cancelled' } });
  const dialogShown = recorded.openDialogs.at(-1)!;
  assert.equal(dialogShown.window, recorded.windows[0]);
  const options = dialogShown.options as { properties?: string[]; filters?: Array<{ extensions: string[] }> };
  assert.deepEqual(options.properties, ['openFile']);
  assert.deepEqual(options.filters?.flatMap((filter) => filter.extensions), ['mp4', 'm4v', 'mov', 'webm']);
  const { videoFixtures } = await import('../fixtures/videos');
  control.openDialogAnswer = videoFixtures.mp4;
  const added = await call('drafts.addVideo', fromApp, { draftId: draft.value.id });
  assert.equal(added.value.outcome, 'added');
  assert.equal(added.value.video.videoCodec, 'avc');
  assert.ok(fs.existsSync(path.join(userData, 'media', draft.value.id, `${added.value.video.id}.mp4`)));
  // Probed in the media worker: a utility process, beside the main bundle.
  const worker = recorded.utilityProcesses.at(-1)!;
  assert.equal(path.basename(worker.modulePath), 'mediaWorker.js');
  assert.deepEqual(worker.options, { serviceName: 'Localpost media', stdio: 'ignore' });
  assert.deepEqual((worker.posted as Array<{ job: string }>).map((message) => message.job), ['probeVideo']);
  control.openDialogAnswer = null;
});

test('the local endpoint listens in the data folder, and a client with the token reaches the core', async () => {
  const { connectToLocalpost } = await import('../../src-cli/localpostClient');
  const socket = path.join(userData, 'endpoint', 'localpost.sock');
  await until(() => fs.existsSync(socket));
  assert.equal(fs.statSync(socket).mode & 0o777, 0o600);
  const client = await connectToLocalpost({ dataDir: userData, client: { name: 'composition-root-test', version: '1' } });
  assert.deepEqual(await client.call('accounts.list', {}), []);
  client.close();
});

test('Delete everything: the files go, Chromium\'s storage is cleared, then the app relaunches and exits', async () => {
  assert.equal((await call('data.eraseEverything', fromApp, { revokeAtPlatforms: true, confirmation: 'delete' })).error.code, 'invalid_input');
  assert.ok(fs.existsSync(path.join(userData, 'localpost.sqlite')));

  assert.deepEqual(await call('data.eraseEverything', fromApp, { revokeAtPlatforms: true, confirmation: 'DELETE' }), { ok: true, value: {} });
  await until(() => recorded.exitCodes.length > 0);
  assert.deepEqual(recorded.sessionClears.sort(), ['cache', 'storage']);
  assert.equal(recorded.relaunches, 1);
  assert.deepEqual(recorded.exitCodes, [0]);
  for (const gone of ['localpost.sqlite', 'localpost.sqlite-wal', 'media', 'logs', 'preferences.json']) {
    assert.ok(!fs.existsSync(path.join(userData, gone)), `${gone} is still there`);
  }
});

test('the assistants are told to start the installed launcher as `localpost mcp`', async () => {
  const setup = await call('aiClients.setup', fromApp);
  assert.equal(setup.ok, true);
  assert.deepEqual([setup.value.command, setup.value.args], [path.join('/opt/Localpost/resources', 'bin', 'localpost'), ['mcp']]);
});

test('a second instance focuses the window', () => {
  const window = recorded.windows[0]!;
  const focusesBefore = window.focusCount;
  app.emit('second-instance', new StandInEvent(), ['/usr/bin/localpost'], '/');
  assert.equal(window.focusCount, focusesBefore + 1);
});

test('closing the last window quits (outside macOS); quitting unregisters the bridge and removes the socket', async () => {
  recorded.windows[0]!.close();
  app.emit('window-all-closed');
  if (process.platform !== 'darwin') assert.equal(recorded.quitCalls, 1);
  app.emit('will-quit', new StandInEvent());
  assert.equal(ipcMain.handlers.size, 0);
  await until(() => !fs.existsSync(path.join(userData, 'endpoint', 'localpost.sock')));
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (recorded.errorBoxes.length > 0) throw new Error(`Startup failed: ${JSON.stringify(recorded.errorBoxes)}`);
    if (Date.now() > deadline) throw new Error('Timed out waiting for the app to start');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
