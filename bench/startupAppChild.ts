// One start of Localpost, or of its floor, in a fresh Node process, for bench/startup.ts (which
// bundles it as the app's main process is bundled, and times from spawning it to its first line).
//
//   - `app`: what the Electron app does at start, with launchApp's stand-ins (test/harness/app.ts):
//     Chromium starts (Electron's "ready"), the core starts over the data folder (createCore, as
//     src-main/index.ts does before it opens the window), then a page shows the built renderer
//     with the bridge bound to that core (the preload's buildApi over Playwright bindings).
//   - `floor`: the same process and the same Chromium, started the same way, showing a page that
//     fetches the same initial files but runs none of them, and holds one focused text box.
//
// Both end at the same point, tested the same way: the text box labelled "Post text" is enabled
// and focused (the composer focuses it when it opens), every initial file of the renderer has
// arrived, and a key pressed then shows in the box. Then the child prints "interactive", and a
// JSON line with where the time went.
//
//   node out/bench-startup/startupAppChild.js '<JSON StartupChildInput>'
import './asMainProcess';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface StartupChildInput {
  mode: 'app' | 'floor';
  /** The folder served: the built renderer with the floor page beside index.html. */
  servedDir: string;
  /** index.html, or the floor page. */
  page: string;
  /** The renderer's initial files (entry script, its static imports, stylesheets), as index.html names them. */
  initialFiles: string[];
  dataDir: string;
  /** test/harness/pageBridge.ts bundled (the preload stand-in), built before the timing starts. */
  bridgeScriptFile: string;
}

// What runs in the page, as source text evaluated there (page.evaluate of a string is not the
// page's own eval, so the app's CSP, which forbids eval, still applies to everything else). Each
// checks at every animation frame until it holds.

/** The box is there, usable and focused, and every initial file arrived: what it holds then. */
const readyInPage = `(files) => new Promise((resolve) => {
  const check = () => {
    const box = [...document.querySelectorAll('textarea')].find((t) => t.labels && t.labels[0] && t.labels[0].textContent.trim() === 'Post text');
    const arrived = (file) => performance.getEntriesByName(new URL(file, location.href).href).some((entry) => entry.responseEnd > 0);
    if (box && !box.disabled && !box.readOnly && document.activeElement === box && files.every(arrived)) resolve(box.value);
    else requestAnimationFrame(check);
  };
  check();
})`;

/** The focused box shows something other than what it held before the key. */
const typedInPage = `(before) => new Promise((resolve) => {
  const check = () => {
    const box = document.activeElement;
    if (box instanceof HTMLTextAreaElement && box.value !== before) resolve(true);
    else requestAnimationFrame(check);
  };
  check();
})`;

const input = JSON.parse(process.argv[2]!) as StartupChildInput;
const marks: Record<string, number> = { node: performance.now() };
const since = (from: number) => performance.now() - from;

let started = performance.now();
const [{ chromium }, server, core] = await Promise.all([
  import('playwright-core'),
  import('../test/harness/rendererServer'),
  input.mode === 'app' ? import('./startupCore') : null,
]);
const bridgeScript = input.mode === 'app' ? fs.readFileSync(input.bridgeScriptFile, 'utf8') : '';
marks.modules = since(started);

const http = await server.serveRenderer(input.servedDir);
const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
started = performance.now();
const browser = await chromium.launch({ executablePath: server.chromiumPath, args: server.chromiumArgs });
marks.chromium = since(started);

started = performance.now();
const app = core ? await core.startBenchCore(input.dataDir, origin) : null;
marks.core = since(started);

started = performance.now();
const page = await browser.newPage();
marks.newPage = since(started);
const calls: Array<{ method: string; ms: number }> = [];
if (app) {
  await page.exposeBinding('__localpostInvoke', async (source, method: string, payload: unknown) => {
    const callStarted = performance.now();
    const result = await app.dispatch(method, payload, source.frame.url());
    calls.push({ method, ms: since(callStarted) });
    return result;
  });
  await page.addInitScript({ content: bridgeScript });
  app.onEvent((event, payload) => {
    void page.evaluate(([e, p]) => (globalThis as unknown as { __localpostEmit(e: string, p: unknown): void }).__localpostEmit(e, p), [event, payload] as const).catch(() => {});
  });
}
await page.goto(`${origin}/${input.page}`, { waitUntil: 'commit' });
marks.committed = since(started);
const before = await page.evaluate<string>(`(${readyInPage})(${JSON.stringify(input.initialFiles)})`);
marks.shown = since(started);
// The calls answered by the time the first screen showed: what it waited for.
const callsUntilShown = calls.length;
await page.keyboard.type('Q');
await page.evaluate(`(${typedInPage})(${JSON.stringify(before)})`);
marks.page = since(started);
process.stdout.write('interactive\n');

console.log(JSON.stringify({ marks, calls: calls.slice(0, callsUntilShown) }));
await browser.close();
http.close();
app?.close();
process.exit(0);
