// The History with thousands of posts, in Chromium against the real core: 2,000 posts seeded
// straight into the core's database (as years of use would leave them), then searched, filtered
// and scrolled as a user does. Only the rows on screen are in the DOM, and scrolling brings the
// next pages from the core.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { PostStore } from '../../src-main/core/outbox/postStore';
import { launchApp, type LaunchedApp } from '../harness/app';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

const postCount = 2_000;

/** Polls an async check of the page until it holds (10 s). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
let app: LaunchedApp | undefined;
afterEach(async () => {
  if (app) {
    await app.page.screenshot({ path: path.join(screenshots, `failure-history-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
    app = undefined;
  }
});

/** 2,000 posts across a Mastodon and a Discord account, one in ten about "lighthouse". */
function seed(dataDir: string): void {
  const db = openDatabase(dataDir);
  const profileId = (db.prepare('SELECT id FROM profiles LIMIT 1').get() as { id: string }).id;
  for (const [id, platform] of [['acct-masto', 'mastodon'], ['acct-hook', 'discord']] as const) {
    db.prepare(
      `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'https://example.test', 'connected', 0, 0)`,
    ).run(id, profileId, platform, `remote-${id}`, `@${platform}-seeded`);
  }
  const store = new PostStore(db);
  const start = Date.now() - postCount * 60_000;
  db.transaction(() => {
    for (let i = 0; i < postCount; i++) {
      const accountId = i % 2 ? 'acct-hook' : 'acct-masto';
      const postId = store.enqueue({
        profileId,
        draftId: `seed-${i}`,
        content: { text: `Seeded post number ${i}${i % 10 === 0 ? ' about the lighthouse' : ''}`, langs: [], contentWarning: '', visibility: 'public', images: [], linkCard: null },
        targets: [{ accountId, idempotencyKey: `seed-${i}` }],
        schedule: null,
        createdAt: start + i * 60_000,
      });
      // Already settled: the outbox has nothing to send.
      store.claim(postId, accountId, start);
      if (i % 7 === 0) store.setState(postId, accountId, { from: ['publishing'], to: 'failed_permanent', error: { code: 'invalid_input', message: 'Refused' } });
      else store.markPublished(postId, accountId, { uri: `u${i}`, cid: null, url: null }, start);
    }
  })();
  db.close();
}

describe('History with thousands of posts', () => {
  it('searches, filters and scrolls with only the visible rows in the DOM', async () => {
    app = await launchApp();
    seed(app.dataDir);
    const { page } = app;
    await page.reload();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.getByRole('region', { name: 'History' });
    const rows = history.locator('.history-post');
    await rows.first().waitFor();
    assert.match((await rows.first().textContent()) ?? '', /Seeded post number 1999\b/, 'newest first');
    const shown = await rows.count();
    assert.ok(shown > 0 && shown < 40, `${shown} rows in the DOM for ${postCount} posts`);
    await page.screenshot({ path: path.join(screenshots, 'history-search-start.png') });

    // Scrolling far down brings later pages, and still only a window of rows is in the DOM.
    const main = page.locator('.main');
    for (let i = 0; i < 12; i++) {
      await main.evaluate((el) => el.scrollBy(0, 4_000));
      await page.waitForTimeout(80);
    }
    await until(async () => (await history.locator('.history-list').getAttribute('data-loaded')) !== '50', 'the next page to load');
    const loaded = Number(await history.locator('.history-list').getAttribute('data-loaded'));
    assert.ok(loaded > 50, `${loaded} posts loaded after scrolling`);
    const afterScroll = await rows.count();
    assert.ok(afterScroll < 40, `${afterScroll} rows in the DOM after scrolling`);
    assert.doesNotMatch((await rows.first().textContent()) ?? '', /number 1999\b/, 'the first rows left the DOM');

    // A search asks the core: words and a prefix, every word required.
    await page.getByRole('searchbox', { name: 'Search history' }).fill('lightho');
    await until(async () => (await history.locator('.history-list').getAttribute('data-loaded').catch(() => null)) === '50', 'search results');
    for (const text of await rows.allTextContents()) assert.match(text, /lighthouse/);
    assert.match((await rows.first().textContent()) ?? '', /Seeded post number 1990 about/);

    // Filters combine with the search: Discord had only odd posts, none about the lighthouse.
    await page.getByRole('combobox', { name: 'Platform' }).selectOption({ label: 'Discord' });
    await history.getByText('No post matches these filters.').waitFor();
    await page.getByRole('combobox', { name: 'Platform' }).selectOption({ label: 'Mastodon' });
    await page.getByRole('combobox', { name: 'Status' }).selectOption('failed_permanent');
    // Lighthouse posts (every 10th) that failed (every 7th): multiples of 70.
    await until(async () => /number 1960 about/.test((await rows.first().textContent().catch(() => '')) ?? ''), 'filtered results');
    const count = Number(await history.locator('.history-list').getAttribute('data-loaded'));
    assert.equal(count, 29, 'posts 0, 70, …, 1960');
    for (const text of await rows.allTextContents()) assert.match(text, /lighthouse[\s\S]*failed_permanent/);
    await page.screenshot({ path: path.join(screenshots, 'history-search-filtered.png') });

    // Hostile input is only text.
    await page.getByRole('combobox', { name: 'Status' }).selectOption('');
    await page.getByRole('searchbox', { name: 'Search history' }).fill('NEAR( "lighthouse" OR *');
    await history.getByText('No post matches these filters.').waitFor();
  });

  it('shows the posts of the days chosen, in the user\'s days, with the search', async () => {
    app = await launchApp();
    // One post a day through March 2026, at noon UTC: the same date in any zone within ±11 hours.
    const db = openDatabase(app.dataDir);
    const profileId = (db.prepare('SELECT id FROM profiles LIMIT 1').get() as { id: string }).id;
    db.prepare(
      `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
       VALUES ('acct-masto', ?, 'mastodon', 'remote', '@dated', 'https://example.test', 'connected', 0, 0)`,
    ).run(profileId);
    const store = new PostStore(db);
    for (let day = 1; day <= 30; day++) {
      const postId = store.enqueue({
        profileId,
        draftId: `day-${day}`,
        content: { text: `March ${day}${day % 2 ? ' odd' : ''}`, langs: [], contentWarning: '', visibility: 'public', images: [], linkCard: null },
        targets: [{ accountId: 'acct-masto', idempotencyKey: `day-${day}` }],
        schedule: null,
        createdAt: Date.UTC(2026, 2, day, 12),
      });
      store.claim(postId, 'acct-masto', 0);
      store.markPublished(postId, 'acct-masto', { uri: `u${day}`, cid: null, url: null }, 0);
    }
    db.close();
    const { page } = app;
    await page.reload();
    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.getByRole('region', { name: 'History' });
    const rows = history.locator('.history-post');
    await rows.first().waitFor();

    await page.getByLabel('Posted from').fill('2026-03-10');
    await page.getByLabel('Posted until').fill('2026-03-12');
    await until(async () => (await rows.count()) === 3, 'three days of posts');
    const days = await rows.allTextContents();
    assert.deepEqual(days.map((text) => /March (\d+)/.exec(text)?.[1]), ['12', '11', '10']);
    await page.screenshot({ path: path.join(screenshots, 'history-days.png') });

    // With a search, both hold: the one odd day of the three.
    await page.getByRole('searchbox', { name: 'Search history' }).fill('odd');
    await until(async () => (await rows.count()) === 1, 'the odd day among them');
    assert.match((await rows.first().textContent()) ?? '', /March 11 odd/);

    // The range emptied: the whole month again.
    await page.getByRole('searchbox', { name: 'Search history' }).fill('');
    await page.getByLabel('Posted from').fill('');
    await page.getByLabel('Posted until').fill('');
    await until(async () => /March 30/.test((await rows.first().textContent()) ?? ''), 'the whole month');
  });
});
