// History, Queue and drafts with a real creator's archive: 50,000 posts across 13 accounts (2,000
// of them scheduled, in the Queue) and 500 drafts, in one run, each figure against a baseline
// measured in the same run:
//
//   - History in Chromium: the real built renderer with the bridge bound to a core in this
//     process (as the e2e harness runs it). Opening History until its first page is painted, with
//     the archive, against opening it on a blank profile (its empty state painted); and a filter
//     chosen until the page the core answers is painted (renderer, bridge, core and React all in
//     it), against the same on the blank profile. Goal < 2×.
//   - Scrolling 1,000 rows of History (the next pages load as the end comes near) with a
//     PerformanceObserver on long tasks. Goal: none over 50 ms.
//   - At the core, through the bridge's own dispatch: the first page of History (goal < 100 ms)
//     and a typical search (goal < 5 ms); the Queue's and the drafts' first pages, and a search
//     with filters, for the record. Each against the same call on the blank profile.
//   - The core's idle RSS, in a child process that only starts the core over the data folder,
//     answers what the renderer asks at start (the first History page among it), then idles.
//     Goal < 100 MB; the baseline is the same child over a blank data folder.
//
// Medians; no assertion fails the run, the table says which goals are met.
//
//   npm run bench            (all benchmarks)
//   npx tsx bench/history.ts (this one; BENCH_HISTORY_POSTS=50000 is the default)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchApp } from '../test/harness/app';
import { mb, median, met, ms, reportBench, times, type BenchRow } from './benchTable';
import { seedArchive, type Archive } from './historyArchive';
import { bundleForNode } from './nodeBundle';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const archive: Archive = { posts: Number(process.env.BENCH_HISTORY_POSTS ?? 50_000), accounts: 13, scheduled: 2_000, drafts: 500 };
const rowsScrolled = 1_000;
const typicalSearch = 'garden than';

async function medianOf(work: () => unknown, rounds = 31): Promise<number> {
  for (let i = 0; i < 5; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

// What runs in the page, as source text: the page has the DOM, this process does not (and tsx's
// helpers must not be serialised into it).

/** Sidebar button → the view's content painted: the click, React's render, then the frame after it. */
const timeOpeningInPage = `async ([section, selector]) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const button = [...document.querySelectorAll('nav[aria-label="Sections"] button')].find((b) => b.textContent.trim().startsWith(section));
  const start = performance.now();
  button.click();
  while (!document.querySelector(selector)) await frame();
  // The frame that shows it: the next animation frame starts once it is painted.
  await frame();
  return performance.now() - start;
}`;

/** Scrolls History's list down until row `target` is on screen, counting long tasks meanwhile. */
const scrollHistoryInPage = `async (target) => {
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  const main = document.querySelector('.main');
  const list = document.querySelector('.history-list');
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const start = performance.now();
  const lastShown = () => Math.max(-1, ...[...list.querySelectorAll('[data-index]')].map((row) => Number(row.dataset.index)));
  while (lastShown() < target) {
    // About a screen every frame: far faster than anyone reads, slow enough that each frame renders.
    main.scrollBy(0, 600);
    await frame();
    if (performance.now() - start > 120000) throw new Error('Scrolling stopped at row ' + lastShown());
  }
  await frame();
  observer.disconnect();
  return { seconds: (performance.now() - start) / 1000, longTasks, loaded: Number(list.dataset.loaded) };
}`;

/**
 * History's Status filter set to `status` → the page the core answers painted: the renderer asks
 * history.page, the bridge carries it, the core reads it, React draws it. `painted` is what shows
 * then; the list on screen before is marked, so only a list drawn anew counts.
 */
const timeFilteringInPage = `async ([status, painted]) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const select = document.querySelector('select[aria-label="Status"]');
  for (const old of document.querySelectorAll('.history-list, .history-no-match, .empty-state')) old.dataset.before = '1';
  const start = performance.now();
  select.value = status;
  select.dispatchEvent(new Event('change', { bubbles: true }));
  const drawn = () => [...document.querySelectorAll(painted)].some((element) => !element.closest('[data-before]') && !element.dataset.before);
  while (!drawn()) await frame();
  await frame();
  return performance.now() - start;
}`;

async function timeFiltering(page: Page, painted: { filtered: string; all: string }, rounds = 15): Promise<number> {
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const times: number[] = [];
  for (let i = 0; i < rounds + 3; i++) {
    const ms = await page.evaluate<number>(`(${timeFilteringInPage})(${JSON.stringify(['published', painted.filtered])})`);
    if (i >= 3) times.push(ms);
    await page.evaluate(`(${timeFilteringInPage})(${JSON.stringify(['', painted.all])})`);
  }
  return median(times);
}

async function timeOpening(page: Page, section: string, painted: string, rounds = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds + 3; i++) {
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    await page.getByRole('heading', { name: 'Write a post' }).waitFor();
    const ms = await page.evaluate<number>(`(${timeOpeningInPage})(${JSON.stringify([section, painted])})`);
    if (i >= 3) times.push(ms);
  }
  return median(times);
}

function scrollHistory(page: Page, rows: number): Promise<{ seconds: number; longTasks: number[]; loaded: number }> {
  return page.evaluate(`(${scrollHistoryInPage})(${rows})`);
}

/** The core alone in a child process (bench/historyCoreChild.ts), bundled as the app's main process is. */
async function idleCoreRss(dataDir: string): Promise<{ rssMb: number; startupMs: number }> {
  const [bundle] = await bundleForNode(['bench/historyCoreChild.ts'], path.join(repoRoot, 'out/bench'));
  // RSS moves by a few megabytes from one start to the next (when the collector ran, what malloc
  // kept): the median of three starts.
  const runs = [0, 1, 2].map(() => {
    const output = execFileSync(process.execPath, ['--expose-gc', bundle!, dataDir], { cwd: repoRoot, encoding: 'utf8' });
    return JSON.parse(output.trim().split('\n').pop()!) as { rssMb: number; startupMs: number };
  });
  return { rssMb: median(runs.map((run) => run.rssMb)), startupMs: median(runs.map((run) => run.startupMs)) };
}

console.log('Building the app (electron-vite build)…');
execFileSync(path.join(repoRoot, 'node_modules/.bin/electron-vite'), ['build'], { cwd: repoRoot, stdio: 'ignore' });

const app = await launchApp({ env: { LOCALPOST_TEST_OFFLINE: '1' } });
const { page } = app;
try {
  await page.getByRole('heading', { name: 'Write a post' }).waitFor();
  const blankRender = await timeOpening(page, 'History', '.empty-state');
  const blankFiltered = await timeFiltering(page, { filtered: '.history-no-match', all: '.empty-state' });
  const origin = page.url();
  const dispatch = async (method: string, input: unknown) => {
    const result = await app.core.dispatch(method, input, origin);
    if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  // The same calls on the blank profile: what they cost with nothing to read.
  const coreCalls = {
    firstPage: () => dispatch('history.page', { limit: 50 }),
    search: () => dispatch('history.page', { limit: 50, query: typicalSearch }),
    filteredSearch: () => dispatch('history.page', { limit: 50, query: typicalSearch, platforms: ['bluesky'], statuses: ['published'] }),
    queuePage: () => dispatch('outbox.page', { limit: 50 }),
    draftsPage: () => dispatch('drafts.page', { limit: 50 }),
  };
  const blank = {
    firstPage: await medianOf(coreCalls.firstPage),
    search: await medianOf(coreCalls.search),
    filteredSearch: await medianOf(coreCalls.filteredSearch),
    queuePage: await medianOf(coreCalls.queuePage),
    draftsPage: await medianOf(coreCalls.draftsPage),
  };

  const seedStart = performance.now();
  seedArchive(app.dataDir, archive, Date.now());
  const seedSeconds = (performance.now() - seedStart) / 1000;
  await page.reload();
  await page.getByRole('heading', { name: 'Write a post' }).waitFor();
  const archiveRender = await timeOpening(page, 'History', '.history-post');
  const archiveFiltered = await timeFiltering(page, { filtered: '.history-list', all: '.history-list' });

  await page.getByRole('button', { name: 'History', exact: true }).click();
  await page.locator('.history-post').first().waitFor();
  const scroll = await scrollHistory(page, rowsScrolled);

  const firstPage = await medianOf(coreCalls.firstPage);
  const search = await medianOf(coreCalls.search);
  const filteredSearch = await medianOf(coreCalls.filteredSearch);
  const queuePage = await medianOf(coreCalls.queuePage);
  const draftsPage = await medianOf(coreCalls.draftsPage);
  await app.close();

  const blankDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-bench-blank-'));
  const blankRss = await idleCoreRss(blankDir);
  const archiveRss = await idleCoreRss(app.dataDir);

  const ratio = times;
  const longest = Math.max(0, ...scroll.longTasks);
  const report: BenchRow[] = [
    { name: 'History first page painted (Chromium)', value: ms(archiveRender), baseline: `${ms(blankRender)} blank`, ratio: ratio(archiveRender, blankRender), goal: '< 2× blank', met: met(archiveRender < 2 * blankRender) },
    { name: 'History filtered: asked, read, painted', value: ms(archiveFiltered), baseline: `${ms(blankFiltered)} blank`, ratio: ratio(archiveFiltered, blankFiltered), goal: '< 2× blank', met: met(archiveFiltered < 2 * blankFiltered) },
    { name: `Scrolling ${rowsScrolled} rows: long tasks`, value: `${scroll.longTasks.length}, longest ${ms(longest)}`, baseline: `${scroll.seconds.toFixed(1)} s, ${scroll.loaded} loaded`, ratio: '', goal: 'none > 50 ms', met: met(scroll.longTasks.every((t) => t <= 50)) },
    { name: 'history.page, first 50 (core)', value: ms(firstPage), baseline: `${ms(blank.firstPage)} blank`, ratio: ratio(firstPage, blank.firstPage), goal: '< 100 ms', met: met(firstPage < 100) },
    { name: `search "${typicalSearch}", 50 (core)`, value: ms(search), baseline: `${ms(blank.search)} blank`, ratio: ratio(search, blank.search), goal: '< 5 ms', met: met(search < 5) },
    { name: 'search + platform + status (core)', value: ms(filteredSearch), baseline: `${ms(blank.filteredSearch)} blank`, ratio: ratio(filteredSearch, blank.filteredSearch), goal: '', met: '' },
    { name: `outbox.page, first 50 of ${archive.scheduled} (core)`, value: ms(queuePage), baseline: `${ms(blank.queuePage)} blank`, ratio: ratio(queuePage, blank.queuePage), goal: '', met: '' },
    { name: `drafts.page, first 50 of ${archive.drafts} (core)`, value: ms(draftsPage), baseline: `${ms(blank.draftsPage)} blank`, ratio: ratio(draftsPage, blank.draftsPage), goal: '', met: '' },
    { name: 'Core idle RSS after first History page', value: mb(archiveRss.rssMb), baseline: `${mb(blankRss.rssMb)} blank`, ratio: ratio(archiveRss.rssMb, blankRss.rssMb), goal: '< 100 MB', met: met(archiveRss.rssMb < 100) },
  ];
  reportBench(
    `History of ${archive.posts} posts across ${archive.accounts} accounts (${archive.scheduled} scheduled, ${archive.drafts} drafts; seeded in ${seedSeconds.toFixed(1)} s), medians, in one run; core start-up to first History page ${ms(archiveRss.startupMs)} (blank ${ms(blankRss.startupMs)})`,
    report,
  );
  fs.rmSync(blankDir, { recursive: true, force: true });
} finally {
  await app.close().catch(() => {});
  fs.rmSync(app.dataDir, { recursive: true, force: true });
}
