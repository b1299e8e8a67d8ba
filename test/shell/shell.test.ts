// The Electron shell, exercised against the recording stand-in for `electron`
// (./electronStandIn.ts, wired in by ./useElectronStandIn.ts): what each module registers,
// refuses and allows. The real Electron binary cannot run here; this proves the wiring, and the
// flags it passes are the ones the Electron security checklist asks for.
//
// Run: npx tsx --test test/shell/shell.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useElectronStandIn } from './useElectronStandIn';

useElectronStandIn();

// Everything that imports `electron` is imported after the stand-in is in place.
const standIn = await import('./electronStandIn');
const electronAsResolved = await import('electron');
const { app, ipcMain, recorded, control, session, createWebContents, StandInEvent } = standIn;
const { appEntryUrl, appOrigin } = await import('../../src-main/shell/appAddress');
const appProtocol = await import('../../src-main/shell/appProtocol');
const { hardenedWindowOptions, createMainWindow } = await import('../../src-main/shell/mainWindow');
const applicationMenu = await import('../../src-main/shell/applicationMenu');
const { installIpcBridge, IpcBridgeAlreadyInstalledError } = await import('../../src-main/shell/ipcBridge');
const guards = await import('../../src-main/shell/webContentsGuards');
const externalLinks = await import('../../src-main/shell/externalLinks');
const { createSafeStorageKeyWrapper } = await import('../../src-main/shell/safeStorageKeyWrapper');
const { createElectronPreferences } = await import('../../src-main/shell/preferences');
const lifecycle = await import('../../src-main/shell/lifecycle');
const { createElectronNetworkState } = await import('../../src-main/shell/networkState');
const { createElectronNotifier } = await import('../../src-main/shell/notifier');
const { createMediaWorkerLauncher } = await import('../../src-main/shell/mediaWorkerProcess');
const { quitWithStartupError } = await import('../../src-main/shell/startupFailure');
const { buildApi } = await import('../../src-preload/buildApi');
const { methods, events, bridgeGlobalName } = await import('../../src-preload/contract');
const { createDispatch } = await import('../../src-main/core/bridge/dispatch');
const { AppError } = await import('../../src-main/core/errors');
const { createLogger, silentSink } = await import('../../src-main/core/log/logger');
const { keyStoreProtects } = await import('../../src-main/core/vault/vault');
const { contentSecurityPolicy } = await import('../../src-main/core/bridge/contentSecurityPolicy');

type Handlers = import('../../src-main/core/bridge/dispatch').Handlers;
type UrlOpener = import('../../src-main/core/ports').UrlOpener;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-shell-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const contractMethodNames = Object.keys(methods).sort();
const untrustedSenders = [
  'https://evil.example/',
  'app://localpost.evil.com/',
  'app://evil/index.html',
  'file:///tmp/index.html',
  'http://localpost/index.html',
  'about:blank',
];

test('the electron module resolves to the recording stand-in, never the real package', () => {
  assert.equal(electronAsResolved.default, standIn.default);
  assert.equal(electronAsResolved.app, app);
});

// ---------------------------------------------------------------------------------------------
// Before ready: what Electron only accepts at start.

describe('before app is ready', () => {
  test('the app:// scheme is registered as privileged, before ready, without CORS', () => {
    appProtocol.registerAppSchemeAsPrivileged();
    assert.equal(recorded.privilegedSchemes.length, 1);
    const [registration] = recorded.privilegedSchemes;
    assert.equal(registration!.appWasReady, false);
    assert.deepEqual(registration!.schemes, [
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  test('the single-instance lock is requested, and the app quits when another instance holds it', () => {
    const quitsBefore = recorded.quitCalls;
    control.singleInstanceLockAvailable = true;
    assert.equal(lifecycle.claimSingleInstance(), true);
    assert.equal(recorded.quitCalls, quitsBefore);

    control.singleInstanceLockAvailable = false;
    assert.equal(lifecycle.claimSingleInstance(), false);
    assert.equal(recorded.quitCalls, quitsBefore + 1);
    assert.equal(recorded.singleInstanceLockRequests, 2);
    control.singleInstanceLockAvailable = true;
  });

  test('the protocol handler cannot be installed before ready (the stand-in enforces Electron\'s order)', () => {
    assert.throws(() => appProtocol.serveRendererFromAppScheme(scratch), /after app is ready/);
  });
});

// ---------------------------------------------------------------------------------------------
// From here on the app is ready.

describe('the app:// protocol handler', () => {
  const rendererDir = path.join(scratch, 'renderer');
  const secretOutside = path.join(scratch, 'secret.txt');
  let serve: (request: Request) => Promise<Response> | Response;

  before(() => {
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Localpost</title>');
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
    fs.writeFileSync(secretOutside, 'the secret outside the renderer folder');
    app.becomeReady();
    appProtocol.serveRendererFromAppScheme(rendererDir);
    serve = recorded.protocolHandlers.get('app')!;
    assert.ok(serve, 'protocol.handle was called for app');
  });

  test('serves index.html with the strict CSP header', async () => {
    const response = await serve(new Request('app://localpost/index.html'));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(
      response.headers.get('content-security-policy'),
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(await response.text(), '<!doctype html><title>Localpost</title>');
  });

  test('the CSP header is identical to the renderer\'s meta CSP', () => {
    const html = fs.readFileSync(path.resolve(import.meta.dirname, '../../src-renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    assert.ok(meta, 'src-renderer/index.html has a CSP meta tag');
    assert.equal(meta[1], contentSecurityPolicy);
    assert.doesNotMatch(contentSecurityPolicy, /unsafe-eval|unsafe-inline|https?:/);
  });

  test('serves the root as index.html, and scripts as JavaScript', async () => {
    assert.equal((await serve(new Request('app://localpost/'))).status, 200);
    const script = await serve(new Request('app://localpost/assets/app.js'));
    assert.equal(script.status, 200);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.ok(script.headers.get('content-security-policy'));
  });

  test('refuses path traversal, literal or encoded', async () => {
    for (const url of [
      'app://localpost/../../etc/passwd',
      'app://localpost/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      'app://localpost/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      'app://localpost/..%2fsecret.txt',
      'app://localpost/assets/..%2f..%2fsecret.txt',
      'app://localpost/..%5csecret.txt',
      `app://localpost/${encodeURIComponent(secretOutside)}`,
      'app://localpost/index.html%00.png',
    ]) {
      const response = await serve(new Request(url));
      assert.notEqual(response.status, 200, url);
      const body = await response.text();
      assert.doesNotMatch(body, /secret outside|root:/, url);
    }
    // The encoded form really points outside: without the check it would have been served.
    assert.equal(appProtocol.fileForUrl(rendererDir, 'app://localpost/..%2fsecret.txt'), null);
    assert.ok(fs.existsSync(path.resolve(rendererDir, '../secret.txt')));
  });

  test('does not follow a link inside the renderer folder to a file outside it', async () => {
    // A symbolic link planted in the renderer folder (a tampered install, a careless build step):
    // the name is inside, the file it reaches is not.
    fs.symlinkSync(secretOutside, path.join(rendererDir, 'assets', 'linked.js'));
    const response = await serve(new Request('app://localpost/assets/linked.js'));
    assert.equal(response.status, 403);
    assert.doesNotMatch(await response.text(), /secret outside/);
    fs.symlinkSync(path.join(rendererDir, 'assets', 'app.js'), path.join(rendererDir, 'assets', 'alias.js'));
    assert.equal((await serve(new Request('app://localpost/assets/alias.js'))).status, 200, 'a link that stays inside is served');
  });

  test('answers only its own host, only GET and HEAD, and 404 for what is missing', async () => {
    assert.equal((await serve(new Request('app://localpost.evil.com/index.html'))).status, 403);
    assert.equal((await serve(new Request('app://other/index.html'))).status, 403);
    assert.equal((await serve(new Request('app://localpost/index.html', { method: 'POST', body: 'x' }))).status, 405);
    assert.equal((await serve(new Request('app://localpost/missing.js'))).status, 404);
    assert.equal((await serve(new Request('app://localpost/assets'))).status, 404);
    const head = await serve(new Request('app://localpost/index.html', { method: 'HEAD' }));
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  test('an unknown file type is served as opaque bytes', async () => {
    fs.writeFileSync(path.join(rendererDir, 'assets', 'data.bin'), 'x');
    const response = await serve(new Request('app://localpost/assets/data.bin'));
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
  });
});

describe('the main window', () => {
  test('its options carry every hardening flag', () => {
    const options = hardenedWindowOptions('/app/out/preload/index.cjs');
    const web = options.webPreferences!;
    assert.equal(web.contextIsolation, true);
    assert.equal(web.sandbox, true);
    assert.equal(web.nodeIntegration, false);
    assert.equal(web.nodeIntegrationInWorker, false);
    assert.equal(web.nodeIntegrationInSubFrames, false);
    assert.equal(web.webSecurity, true);
    assert.equal(web.allowRunningInsecureContent, false);
    assert.equal(web.experimentalFeatures, false);
    assert.equal(web.webviewTag, false);
    assert.equal(web.preload, '/app/out/preload/index.cjs');
    assert.equal('enableBlinkFeatures' in web, false);
    assert.equal('disableBlinkFeatures' in web, false);
  });

  test('DevTools are off in an installed app and on in development', () => {
    control.packaged = true;
    assert.equal(hardenedWindowOptions('/app/out/preload/index.cjs').webPreferences!.devTools, false);
    control.packaged = false;
    assert.equal(hardenedWindowOptions('/app/out/preload/index.cjs').webPreferences!.devTools, true);
  });

  test('the factory builds the window from those options, loads the app page, shows it when painted', () => {
    const failures: unknown[] = [];
    const window = createMainWindow({
      preloadPath: '/app/out/preload/index.cjs',
      entryUrl: appEntryUrl,
      onLoadFailed: (error) => failures.push(error),
    });
    const created = recorded.windows.at(-1)!;
    assert.equal(created, window as unknown);
    assert.deepEqual(created.options, hardenedWindowOptions('/app/out/preload/index.cjs'));
    assert.deepEqual(created.loadedUrls, ['app://localpost/index.html']);
    assert.equal(created.shown, false);
    created.emit('ready-to-show');
    assert.equal(created.shown, true);
    assert.deepEqual(failures, []);
  });
});

describe('the application menu', () => {
  type Item = { role?: string; type?: string; label?: string; submenu?: Item[] };
  const forbiddenRoles = ['toggleDevTools', 'reload', 'forceReload', 'viewMenu'];
  /** Every role in a template, submenus included. */
  const rolesIn = (items: Item[]): string[] => items.flatMap((item) => [...(item.role ? [item.role] : []), ...rolesIn(item.submenu ?? [])]);
  const lastMenu = () => recorded.applicationMenus.at(-1) as InstanceType<typeof standIn.Menu> | null;

  test('in development, Electron\'s default menu (Reload, Toggle Developer Tools) stays', () => {
    const before = recorded.applicationMenus.length;
    for (const platform of ['darwin', 'win32', 'linux'] as const) applicationMenu.installApplicationMenu({ packaged: false, platform });
    assert.equal(recorded.applicationMenus.length, before, 'setApplicationMenu not called');
  });

  test('an installed app on Windows and Linux has no menu at all (and so none of its shortcuts)', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const before = recorded.applicationMenus.length;
      applicationMenu.installApplicationMenu({ packaged: true, platform });
      assert.equal(recorded.applicationMenus.length, before + 1, platform);
      assert.equal(lastMenu(), null, platform);
    }
  });

  test('an installed app on macOS has the app menu with Quit, Edit (copy and paste) and Window, and nothing that reloads or opens DevTools', () => {
    applicationMenu.installApplicationMenu({ packaged: true, platform: 'darwin' });
    const menu = lastMenu();
    assert.ok(menu, 'a menu was set');
    const template = menu.template as Item[];
    assert.deepEqual(template.map((item) => item.label), ['Localpost', 'Edit', 'Window']);
    const roles = rolesIn(template);
    for (const role of ['quit', 'hide', 'copy', 'paste', 'cut', 'selectAll', 'undo', 'redo', 'minimize', 'close']) {
      assert.ok(roles.includes(role), `${role} is in the menu`);
    }
    for (const role of forbiddenRoles) assert.equal(roles.includes(role), false, `${role} is not in the menu`);
    assert.deepEqual(
      [...new Set(roles)].sort(),
      ['about', 'close', 'copy', 'cut', 'delete', 'front', 'hide', 'hideOthers', 'minimize', 'paste', 'pasteAndMatchStyle', 'quit', 'redo', 'selectAll', 'services', 'undo', 'unhide', 'zoom'],
      'exactly these roles: a new one must be added here on purpose',
    );
  });

  test('installs according to app.isPackaged and the running platform by default', () => {
    control.packaged = false;
    const before = recorded.applicationMenus.length;
    applicationMenu.installApplicationMenu();
    assert.equal(recorded.applicationMenus.length, before);
    control.packaged = true;
    applicationMenu.installApplicationMenu();
    assert.equal(recorded.applicationMenus.length, before + 1);
    if (process.platform !== 'darwin') assert.equal(lastMenu(), null);
    control.packaged = false;
  });
});

// ---------------------------------------------------------------------------------------------

describe('the IPC bridge', () => {
  const forwarded: Array<(event: string, payload: unknown) => void> = [];
  const fakeCore = {
    dispatch: createDispatch(stubHandlers(), { appOrigin, log: createLogger('test', [silentSink]) }),
    onEvent(listener: (event: any, payload: any) => void) {
      forwarded.push(listener);
      return () => forwarded.splice(forwarded.indexOf(listener), 1);
    },
  };
  let window: InstanceType<typeof standIn.BrowserWindow> | null = null;
  let uninstall: () => void;

  before(() => {
    uninstall = installIpcBridge({ core: fakeCore, currentWindow: () => window as never });
  });

  const invoke = (method: string, senderUrl: string | null, input: unknown = {}) =>
    ipcMain.handlers.get(method)!({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, input) as Promise<any>;

  test('registers exactly one handler per contract method, each a named function', () => {
    assert.deepEqual([...ipcMain.handlers.keys()].sort(), contractMethodNames);
    for (const handler of ipcMain.handlers.values()) assert.equal(handler.name, 'handleBridgeCall');
  });

  test('every method refuses a sender that is not the app\'s own page', async () => {
    for (const method of contractMethodNames) {
      for (const sender of [...untrustedSenders, null]) {
        const result = await invoke(method, sender);
        assert.equal(result.ok, false, `${method} from ${sender}`);
        assert.equal(result.error.code, 'untrusted_sender', `${method} from ${sender}`);
      }
    }
  });

  test('every method accepts the app page as sender', async () => {
    for (const method of contractMethodNames) {
      const result = await invoke(method, 'app://localpost/index.html');
      assert.notEqual(result.ok === false && result.error.code, 'untrusted_sender', method);
    }
    assert.deepEqual(await invoke('app.info', 'app://localpost/index.html'), {
      ok: true,
      value: { version: '1.2.3', locale: 'en-US', timeZone: 'Europe/Berlin' },
    });
  });

  test('a second installation is refused; uninstalling removes every handler', () => {
    assert.throws(() => installIpcBridge({ core: fakeCore, currentWindow: () => null }), IpcBridgeAlreadyInstalledError);
    uninstall();
    assert.equal(ipcMain.handlers.size, 0);
    assert.equal(forwarded.length, 0);
    uninstall = installIpcBridge({ core: fakeCore, currentWindow: () => window as never });
    assert.equal(ipcMain.handlers.size, contractMethodNames.length);
  });

  test('core events reach the window on the channel named by the event', () => {
    assert.equal(forwarded.length, 1);
    forwarded[0]!('accounts.changed', { profileId: 'p1' }); // no window yet: dropped, no throw
    window = new standIn.BrowserWindow({});
    forwarded[0]!('accounts.changed', { profileId: 'p1' });
    assert.deepEqual(window.webContents.sent, [{ channel: 'accounts.changed', args: [{ profileId: 'p1' }] }]);
    window.close();
    forwarded[0]!('accounts.changed', { profileId: 'p2' });
    assert.equal(window.webContents.sent.length, 1);
  });

  after(() => uninstall());
});

function stubHandlers(): Handlers {
  const notFound = () => {
    throw new AppError('not_found', 'stub');
  };
  const handlers: Record<string, () => unknown> = Object.fromEntries(contractMethodNames.map((name) => [name, notFound]));
  handlers['app.info'] = () => ({ version: '1.2.3', locale: 'en-US', timeZone: 'Europe/Berlin' });
  return handlers as unknown as Handlers;
}

// ---------------------------------------------------------------------------------------------

describe('the web contents guards', () => {
  const opened: string[] = [];
  const refusals: string[] = [];
  const recordingOpener: UrlOpener = {
    async open(url) {
      opened.push(url);
    },
  };
  let contents: InstanceType<typeof standIn.WebContents>;

  before(() => {
    guards.installWebContentsGuards({ urlOpener: recordingOpener, onRefused: (what) => refusals.push(what) });
    contents = createWebContents();
  });

  test('are installed for every web contents Electron creates', () => {
    assert.equal(app.listenerCount('web-contents-created'), 1);
    assert.equal(contents.listenerCount('will-navigate'), 1);
    assert.ok(contents.windowOpenHandler);
  });

  test('navigation to another origin is prevented; within the app it is allowed', () => {
    for (const url of [...untrustedSenders, 'javascript:alert(1)', 'not a url']) {
      const event = new StandInEvent({ url });
      contents.emit('will-navigate', event);
      assert.equal(event.defaultPrevented, true, url);
    }
    for (const url of ['app://localpost/index.html', 'app://localpost/index.html#compose']) {
      const event = new StandInEvent({ url });
      contents.emit('will-navigate', event);
      assert.equal(event.defaultPrevented, false, url);
    }
  });

  test('new windows are denied; https links open in the system browser instead', async () => {
    for (const url of ['https://bsky.app/profile/alice.test', 'http://example.com/', 'file:///etc/passwd', 'app://localpost/index.html', 'javascript:alert(1)']) {
      assert.deepEqual(contents.windowOpenHandler!({ url }), { action: 'deny' }, url);
    }
    await Promise.resolve();
    assert.deepEqual(opened, ['https://bsky.app/profile/alice.test']);
  });

  test('<webview> attachment is prevented', () => {
    const event = new StandInEvent();
    contents.emit('will-attach-webview', event, {}, {});
    assert.equal(event.defaultPrevented, true);
  });

  test('every permission request is denied and every permission check fails', () => {
    for (const target of [contents.session, session.defaultSession]) {
      if (target === session.defaultSession) guards.denyAllPermissionsInDefaultSession();
      for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read', 'fullscreen', 'unknown']) {
        const answers: boolean[] = [];
        target.permissionRequestHandler!(contents, permission, (granted) => answers.push(granted), {});
        assert.deepEqual(answers, [false], permission);
        assert.equal(target.permissionCheckHandler!(contents, permission, appOrigin, {}), false, permission);
      }
    }
  });

  test('refusals are reported, without the URL', () => {
    assert.ok(refusals.includes('navigation'));
    assert.ok(refusals.includes('new window'));
    assert.ok(refusals.includes('webview'));
  });
});

// ---------------------------------------------------------------------------------------------

describe('external links', () => {
  const opener = externalLinks.createExternalLinkOpener();

  test('https links open in the system browser', async () => {
    const before = recorded.openedExternally.length;
    await opener.open('https://bsky.app/profile/alice.test');
    await opener.open('HTTPS://Example.COM/a b');
    assert.deepEqual(recorded.openedExternally.slice(before), ['https://bsky.app/profile/alice.test', 'https://example.com/a%20b']);
  });

  test('every other scheme, user info and garbage are refused without reaching the OS', async () => {
    const before = recorded.openedExternally.length;
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'localpost://oauth/callback',
      'https://bsky.app@evil.example/',
      ' https ://bsky.app',
      'not a url',
      '',
    ]) {
      await assert.rejects(opener.open(url), externalLinks.RefusedExternalLinkError, url);
    }
    assert.equal(recorded.openedExternally.length, before);
  });

  test('the refusal names the scheme, not the URL (it may carry a token)', async () => {
    await assert.rejects(opener.open('http://example.com/?token=s3cr3t-value'), (error: Error) => {
      assert.doesNotMatch(error.message, /s3cr3t/);
      assert.match(error.message, /http:/);
      return true;
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('the safeStorage key wrapper', () => {
  test('round-trips through the async safeStorage API, and the wrapped bytes are not the plaintext', async () => {
    const wrapper = createSafeStorageKeyWrapper('linux');
    const wrapped = await wrapper.wrap('data-key-base64==');
    assert.ok(Buffer.isBuffer(wrapped));
    assert.equal(wrapped.includes(Buffer.from('data-key-base64==')), false);
    assert.deepEqual(await wrapper.unwrap(wrapped), { plaintext: 'data-key-base64==', shouldRewrap: false });
    control.shouldReEncrypt = true;
    assert.deepEqual(await wrapper.unwrap(wrapped), { plaintext: 'data-key-base64==', shouldRewrap: true });
    control.shouldReEncrypt = false;
    await assert.rejects(wrapper.unwrap(Buffer.from('not wrapped by us')));
  });

  test('reports the Linux backend, and basic_text is not treated as protection', async () => {
    const wrapper = createSafeStorageKeyWrapper('linux');
    control.storageBackend = 'gnome_libsecret';
    assert.deepEqual(await wrapper.describe(), { available: true, backend: 'gnome_libsecret' });
    assert.equal(keyStoreProtects(await wrapper.describe()), true);
    control.storageBackend = 'basic_text';
    assert.deepEqual(await wrapper.describe(), { available: true, backend: 'basic_text' });
    assert.equal(keyStoreProtects(await wrapper.describe()), false);
    control.asyncEncryptionAvailable = false;
    control.storageBackend = 'kwallet6';
    assert.deepEqual(await wrapper.describe(), { available: false, backend: 'kwallet6' });
    control.asyncEncryptionAvailable = true;
    control.storageBackend = 'gnome_libsecret';
  });

  test('names the single store of macOS and Windows', async () => {
    assert.equal((await createSafeStorageKeyWrapper('darwin').describe()).backend, 'keychain');
    assert.equal((await createSafeStorageKeyWrapper('win32').describe()).backend, 'dpapi');
  });
});

// ---------------------------------------------------------------------------------------------

describe('preferences over electron-store', () => {
  const dataDir = path.join(scratch, 'data');

  before(() => {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    control.userDataDir = dataDir;
  });

  test('stores JSON values by literal key, in a file only the user can read', () => {
    const preferences = createElectronPreferences(dataDir);
    assert.equal(preferences.get('activeProfileId'), undefined);
    preferences.set('activeProfileId', 'p1');
    preferences.set('a.b', true);
    preferences.set('list', [1, 2]);
    assert.equal(preferences.get('activeProfileId'), 'p1');
    assert.equal(preferences.get('a.b'), true);
    assert.equal(preferences.get('a'), undefined);
    preferences.set('list', undefined);
    assert.equal(preferences.get('list'), undefined);

    const file = path.join(dataDir, 'preferences.json');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { activeProfileId: 'p1', 'a.b': true });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(createElectronPreferences(dataDir).get('activeProfileId'), 'p1');
  });

  test('electron-store\'s own sync IPC channel is the only ipcMain.on listener in main', () => {
    // electron-store answers 'electron-store-get-data' (userData path, app version) for renderer
    // instances; our page has no ipcRenderer to ask it, and nothing else may listen this way:
    // bridge calls go through ipcMain.handle and the sender check.
    assert.deepEqual([...ipcMain.listeners.keys()], ['electron-store-get-data']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the second instance', () => {
  let window: InstanceType<typeof standIn.BrowserWindow>;

  before(() => {
    window = new standIn.BrowserWindow({});
    lifecycle.bringWindowForwardOnSecondInstance(() => window as never);
  });

  test('a second start brings the running window back, whatever its arguments', () => {
    window.minimized = true;
    app.emit('second-instance', new StandInEvent(), ['/usr/bin/localpost', 'localpost://oauth/callback?state=x'], '/home');
    assert.equal(window.minimized, false);
    assert.equal(window.shown, true);
    assert.equal(window.focusCount, 1);
    app.emit('second-instance', new StandInEvent(), ['/usr/bin/localpost'], '/home');
    assert.equal(window.focusCount, 2);
  });

  test('a closed window is left alone', () => {
    window.close();
    app.emit('second-instance', new StandInEvent(), ['/usr/bin/localpost'], '/home');
    assert.equal(window.focusCount, 2);
  });

  test('no URL scheme is claimed and no OS link is listened for', () => {
    assert.deepEqual(recorded.defaultProtocolClients, []);
    assert.equal(app.listenerCount('open-url'), 0);
    assert.equal('registerAsDeepLinkHandler' in lifecycle, false);
    assert.equal('receiveDeepLinks' in lifecycle, false);
  });
});

// ---------------------------------------------------------------------------------------------

describe('network state, notifications, startup failure', () => {
  test('network state is net.isOnline()', () => {
    const network = createElectronNetworkState();
    control.online = false;
    assert.equal(network.isOnline(), false);
    control.online = true;
    assert.equal(network.isOnline(), true);
  });

  test('the outbox hears of a change of connectivity (polled) and of the system waking up', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const network = createElectronNetworkState();
    let calls = 0;
    const stop = network.onChange!(() => void calls++);
    t.mock.timers.tick(5_000);
    assert.equal(calls, 0, 'no change, no call');
    control.online = false;
    t.mock.timers.tick(5_000);
    assert.equal(calls, 1);
    control.online = true;
    t.mock.timers.tick(5_000);
    assert.equal(calls, 2);
    standIn.powerMonitor.emit('resume');
    assert.equal(calls, 3);
    stop();
    standIn.powerMonitor.emit('resume');
    control.online = false;
    t.mock.timers.tick(10_000);
    assert.equal(calls, 3, 'nothing after unsubscribing');
    control.online = true;
  });

  test('notifications are shown where the OS supports them', () => {
    const notifier = createElectronNotifier();
    notifier.notify('Published', 'Your post is live on 2 accounts.');
    control.notificationsSupported = false;
    notifier.notify('Not shown', 'no notification server');
    control.notificationsSupported = true;
    assert.deepEqual(recorded.notificationsShown, [{ title: 'Published', body: 'Your post is live on 2 accounts.' }]);
  });

  test('a startup failure shows one dialog without internals, and exits', () => {
    quitWithStartupError(new Error('SQLITE_CORRUPT at /home/alice/.config/localpost/db.sqlite'));
    quitWithStartupError(new AppError('internal', 'The database is from a newer Localpost.', { action: 'Update Localpost.' }));
    assert.equal(recorded.errorBoxes.length, 2);
    assert.doesNotMatch(recorded.errorBoxes[0]!.content, /SQLITE|alice/);
    assert.equal(recorded.errorBoxes[1]!.content, 'The database is from a newer Localpost.\n\nUpdate Localpost.');
    assert.deepEqual(recorded.exitCodes, [1, 1]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the preload bridge', () => {
  function fakeTransport() {
    const invoked: Array<{ channel: string; args: unknown[] }> = [];
    const listeners = new Map<string, Array<(event: unknown, ...args: unknown[]) => void>>();
    return {
      invoked,
      listeners,
      async invoke(channel: string, ...args: unknown[]) {
        invoked.push({ channel, args });
        return { ok: true, value: channel };
      },
      on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
        listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      },
      removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
        listeners.set(channel, (listeners.get(channel) ?? []).filter((candidate) => candidate !== listener));
      },
    };
  }

  test('exposes exactly the contract\'s methods, grouped, plus on()', () => {
    const api = buildApi(fakeTransport()) as unknown as Record<string, unknown>;
    const exposed: string[] = [];
    for (const [group, members] of Object.entries(api)) {
      if (group === 'on') continue;
      for (const [member, value] of Object.entries(members as Record<string, unknown>)) {
        assert.equal(typeof value, 'function');
        exposed.push(`${group}.${member}`);
      }
    }
    assert.deepEqual(exposed.sort(), contractMethodNames);
    assert.equal(typeof api.on, 'function');
    for (const forbidden of ['invoke', 'send', 'ipcRenderer', 'sendSync', 'removeAllListeners']) {
      assert.equal(forbidden in api, false, forbidden);
    }
  });

  test('each method invokes its own channel with the input, and nothing else', async () => {
    const transport = fakeTransport();
    const api = buildApi(transport);
    const input = { platform: 'bluesky' as const, handle: 'alice.test', appPassword: 'abcd-efgh-ijkl-mnop', service: 'https://bsky.social' };
    assert.deepEqual(await api.accounts.connect(input), { ok: true, value: 'accounts.connect' });
    await api.drafts.list({});
    assert.deepEqual(transport.invoked, [
      { channel: 'accounts.connect', args: [input] },
      { channel: 'drafts.list', args: [{}] },
    ]);
  });

  test('a failed channel becomes an internal error result, never an exception', async () => {
    const transport = { ...fakeTransport(), invoke: () => Promise.reject(new Error('No handler registered for app.info')) };
    const result = await buildApi(transport).app.info({});
    assert.deepEqual(result, { ok: false, error: { code: 'internal', message: 'Localpost could not reach its core.' } });
  });

  test('on() subscribes to contract events only, hands over the payload without the IPC event, and unsubscribes', () => {
    const transport = fakeTransport();
    const api = buildApi(transport);
    const payloads: unknown[][] = [];
    const unsubscribe = api.on('accounts.changed', (...args: unknown[]) => payloads.push(args));
    const [deliver] = transport.listeners.get('accounts.changed')!;
    const ipcEvent = { sender: { send() {}, invoke() {} }, senderId: 0 };
    deliver!(ipcEvent, { profileId: 'p1' });
    assert.deepEqual(payloads, [[{ profileId: 'p1' }]]);
    unsubscribe();
    assert.deepEqual(transport.listeners.get('accounts.changed'), []);

    for (const name of ['not.an.event', 'accounts.list', '__proto__', 'toString', 'electron-store-get-data']) {
      assert.throws(() => api.on(name as never, () => {}), /Not a Localpost event/, name);
    }
    assert.deepEqual([...transport.listeners.keys()], ['accounts.changed']);
    assert.ok(Object.keys(events).length > 0);
  });

  test('a dropped video crosses as its path on disk, found by the preload; the page never names one', async () => {
    const transport = fakeTransport();
    const dropped = new File([new Uint8Array(8)], 'holiday.mp4');
    const madeByThePage = new File([new Uint8Array(8)], 'secret.mp4');
    const paths = new Map<File, string>([[dropped, '/home/me/Videos/holiday.mp4']]);
    const api = buildApi(transport, (file) => paths.get(file) ?? '');

    assert.deepEqual(await api.drafts.addVideoFile({ draftId: 'd1', file: dropped }), { ok: true, value: 'drafts.addVideoFile' });
    assert.deepEqual(transport.invoked, [{ channel: 'drafts.addVideoFile', args: [{ draftId: 'd1', path: '/home/me/Videos/holiday.mp4' }] }]);

    // A File the page built itself has no path; a string or anything else is not a File at all.
    const refused = await api.drafts.addVideoFile({ draftId: 'd1', file: madeByThePage });
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.error.code, 'media_unsupported');
    for (const notAFile of ['/etc/passwd', { path: '/etc/passwd' }, undefined]) {
      const throwing = buildApi(transport, (file) => {
        if (!(file instanceof File)) throw new TypeError('Expected a File');
        return paths.get(file) ?? '';
      });
      const result = await throwing.drafts.addVideoFile({ draftId: 'd1', file: notAFile as never });
      assert.equal(!result.ok && result.error.code, 'media_unsupported', JSON.stringify(notAFile));
    }
    // Without Electron's webUtils (a page in a plain browser), the same clear refusal.
    const withoutDisk = await buildApi(transport).drafts.addVideoFile({ draftId: 'd1', file: dropped });
    assert.equal(!withoutDisk.ok && withoutDisk.error.code, 'media_unsupported');
    assert.equal(transport.invoked.length, 1, 'nothing but the one real drop reached main');
  });

  test('the preload entry exposes buildApi over ipcRenderer under the contract\'s global name', async () => {
    await import('../../src-preload/index');
    assert.equal(recorded.exposedInMainWorld.length, 1);
    const [{ key, api }] = recorded.exposedInMainWorld as [{ key: string; api: any }];
    assert.equal(key, bridgeGlobalName);
    await api.app.info({});
    assert.deepEqual(standIn.ipcRenderer.invocations.at(-1), { channel: 'app.info', args: [{}] });
    // The entry hands Electron's webUtils to the bridge: a dropped file's path reaches main.
    const dropped = new File([new Uint8Array(8)], 'clip.webm');
    standIn.webUtils.paths.set(dropped, '/tmp/clip.webm');
    await api.drafts.addVideoFile({ draftId: 'd1', file: dropped });
    assert.deepEqual(standIn.ipcRenderer.invocations.at(-1), { channel: 'drafts.addVideoFile', args: [{ draftId: 'd1', path: '/tmp/clip.webm' }] });
  });
});

// ---------------------------------------------------------------------------------------------

describe('the media worker', () => {
  test('starts as a utility process from the path given, silent, and carries messages and its exit both ways', () => {
    if (!app.isReady()) app.becomeReady();
    const launcher = createMediaWorkerLauncher('/opt/Localpost/resources/app.asar/out/main/mediaWorker.js');
    const before = recorded.utilityProcesses.length;
    const worker = launcher.start();
    assert.equal(recorded.utilityProcesses.length, before + 1);
    const forked = recorded.utilityProcesses.at(-1)!;
    assert.equal(forked.modulePath, '/opt/Localpost/resources/app.asar/out/main/mediaWorker.js');
    assert.deepEqual(forked.options, { serviceName: 'Localpost media', stdio: 'ignore' });

    worker.postMessage({ id: 1, job: 'fitImage', args: [new Uint8Array([1, 2, 3])] });
    assert.deepEqual(forked.posted, [{ id: 1, job: 'fitImage', args: [new Uint8Array([1, 2, 3])] }]);
    const received: unknown[] = [];
    const exits: Array<number | null> = [];
    worker.onMessage((message) => received.push(message));
    worker.onExit((code) => exits.push(code));
    forked.emit('message', { id: 1, ok: true, value: 'done' });
    assert.deepEqual(received, [{ id: 1, ok: true, value: 'done' }]);
    worker.kill();
    assert.equal(forked.killed, true);
    forked.emit('exit', 0);
    assert.deepEqual(exits, [0]);
  });
});
