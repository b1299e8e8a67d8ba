// launchApp(): the whole app without Electron. It builds the real core exactly as
// src-main/index.ts does (createCore), with test implementations of the shell's ports only,
// serves the built renderer over http://127.0.0.1, opens it in Chromium through playwright-core,
// and binds the bridge to the core with the preload's own buildApi. A test then clicks and types
// as a user would.
import './node22';
import { build as esbuild } from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCore, type Core, type CoreOptions } from '../../src-main/core/createCore';
import { chromiumArgs, chromiumPath, rendererDir, serveRenderer } from './rendererServer';
import { createTestPorts, type TestPortControls } from './testPorts';
import { waitFor } from './waitFor';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LaunchedApp {
  page: Page;
  /** Every URL the app asked the OS to open in the system browser. */
  openedUrls: string[];
  /** Every request the page made outside the app (refused). close() fails when there is one. */
  outsideRequests: string[];
  dataDir: string;
  close(): Promise<void>;
  /** The real core behind the page, for assertions a user cannot make. */
  core: Core;
  /** Every bridge response and event the renderer received, for secret scans. */
  bridgeTraffic: string[];
  /** The name of every method the renderer called, in order (how often it reloads a list). */
  bridgeCalls: string[];
  notifications: TestPortControls['notifications'];
  setOnline(online: boolean): void;
  /** Every folder the app asked the OS file manager to show. */
  shownFolders: string[];
  /** What the OS folder dialog answers next: a folder, or null (Cancel, also when unset). */
  answerFolderDialog(folder: string | null): void;
  /** What the OS open-file dialog answers next: a file, or null (Cancel, also when unset). */
  answerFileDialog(file: string | null): void;
  /**
   * Resolves once the core has asked for a fresh start ("Delete everything") and the harness has
   * done what Electron's relaunch does: a new core on the same data folder, the page loaded again.
   * `core` is then the new one.
   */
  whenRestarted(): Promise<void>;
  /** The test key store's switch (LOCALPOST_TEST_KEYRING_LOCKED=1 starts it failing). */
  keyStore: TestPortControls['keyStore'];
  /**
   * Moves the core's clock forward (the page's stays real), as if Localpost had been closed or
   * asleep meanwhile; `core.outbox.wake()` then looks at what fell due.
   */
  advanceClock(ms: number): void;
}

/** Accounts → Add account → the platform: its connect form, as a user opens it. */
export async function openConnectForm(page: Page, platform: string): Promise<void> {
  await page.getByRole('button', { name: 'Accounts', exact: true }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  await page.getByRole('button', { name: platform, exact: true }).click();
}

/**
 * Answers yes to the question a connect asks about a server on a non-public address, as a
 * self-hoster would: the tests' PDS and Mastodon mock run on 127.0.0.1.
 */
export async function connectAnyway(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Connect anyway' }).click();
}

export async function launchApp(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    /** The test's own fixture servers, exempt from the address policy (see CoreOptions). */
    allowPrivateAddressesFor?: string[];
    publicWeb?: CoreOptions['publicWeb'];
    /** Where MCP clients' configuration files are (Settings → AI assistants): a test's temporary home. */
    userFolders?: CoreOptions['userFolders'];
    localpostCommand?: CoreOptions['localpostCommand'];
    /** Another Chromium build, or more switches, than every browser test's (a benchmark's). */
    browser?: { executablePath: string; args: string[] };
  } = {},
): Promise<LaunchedApp> {
  ensureBuilt();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-data-'));
  const env = { ...process.env, ...options.env };
  let clockOffsetMs = 0;
  const clock = { now: () => Date.now() + clockOffsetMs };
  let controls = createTestPorts(dataDir, env, { clock });

  // Never the real home: a click on "Add to <client>" in a test writes into a temporary one.
  const userFolders = options.userFolders ?? { home: fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-home-')), platform: 'linux' as const };
  const server = await serveRenderer();
  const appOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const startCore = (ports: typeof controls.ports) =>
    createCore({
      dataDir,
      ports,
      appOrigin,
      version: 'test',
      env,
      ...(options.allowPrivateAddressesFor ? { allowPrivateAddressesFor: options.allowPrivateAddressesFor } : {}),
      ...(options.publicWeb ? { publicWeb: options.publicWeb } : {}),
      userFolders,
      ...(options.localpostCommand ? { localpostCommand: options.localpostCommand } : {}),
    });
  let core = await startCore(controls.ports);

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch(options.browser ?? { executablePath: chromiumPath, args: chromiumArgs });
    const page = await browser.newPage();
    // Fonts or anything else from outside: the app must not ask for it. Such a request is refused
    // and recorded, and close() fails the test with the list (an abort alone goes unnoticed).
    const outsideRequests: string[] = [];
    await page.route(
      (url) => !url.href.startsWith(`${appOrigin}/`) && !url.href.startsWith('data:'),
      (route) => {
        outsideRequests.push(route.request().url());
        return route.abort();
      },
    );
    const bridgeTraffic: string[] = [];
    const bridgeCalls: string[] = [];
    await page.exposeBinding('__localpostInvoke', async (source, method: string, input: unknown) => {
      bridgeCalls.push(method);
      const result = await core.dispatch(method, input, source.frame.url());
      bridgeTraffic.push(JSON.stringify(result));
      return result;
    });
    await page.addInitScript({ content: await pageBridgeScript() });
    const forwardEvents = (from: Core) =>
      from.onEvent((event, payload) => {
        bridgeTraffic.push(JSON.stringify({ event, payload }));
        void page
          .evaluate(([e, p]) => (globalThis as unknown as { __localpostEmit(e: string, p: unknown): void }).__localpostEmit(e, p), [event, payload] as const)
          .catch(() => {});
      });
    let unsubscribe = forwardEvents(core);
    await page.goto(`${appOrigin}/index.html`);

    // Electron's app.relaunch() + app.exit(0), in-process: the erased core already closed itself;
    // fresh ports (nothing remembered in memory) and a fresh core open the same data folder, and
    // the page starts again as a new window would.
    let restarted: Promise<void> | undefined;
    const listenForRestart = () =>
      controls.onRestart(() => {
        restarted = (async () => {
          unsubscribe();
          core.close();
          controls = createTestPorts(dataDir, env, { clock });
          listenForRestart();
          core = await startCore(controls.ports);
          unsubscribe = forwardEvents(core);
          await page.reload();
        })();
      });
    listenForRestart();

    return {
      page,
      get openedUrls() {
        return controls.openedUrls;
      },
      outsideRequests,
      dataDir,
      get core() {
        return core;
      },
      bridgeTraffic,
      bridgeCalls,
      get notifications() {
        return controls.notifications;
      },
      setOnline: (online) => controls.setOnline(online),
      get shownFolders() {
        return controls.shownFolders;
      },
      answerFolderDialog: (folder) => controls.answerFolderDialog(folder),
      answerFileDialog: (file) => controls.answerFileDialog(file),
      async whenRestarted() {
        await waitFor(() => restarted, 'the app to ask for a fresh start');
      },
      get keyStore() {
        return controls.keyStore;
      },
      advanceClock(ms) {
        clockOffsetMs += ms;
      },
      async close() {
        unsubscribe();
        await browser?.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        core.close();
        if (outsideRequests.length > 0) {
          throw new Error(`The page requested addresses outside the app:\n${outsideRequests.join('\n')}`);
        }
      },
    };
  } catch (error) {
    await browser?.close();
    server.close();
    core.close();
    throw error;
  }
}

/** Builds the app once when no renderer build exists (the test command always rebuilds first). */
function ensureBuilt(): void {
  if (fs.existsSync(path.join(rendererDir, 'index.html'))) return;
  execFileSync(path.join(repoRoot, 'node_modules/.bin/electron-vite'), ['build'], { cwd: repoRoot, stdio: 'inherit' });
}

let bridgeScript: Promise<string> | undefined;
/** test/harness/pageBridge.ts as the init script every page of a launch runs. */
export function pageBridgeScript(): Promise<string> {
  bridgeScript ??= esbuild({
    entryPoints: [path.join(repoRoot, 'test/harness/pageBridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]!.text);
  return bridgeScript;
}
