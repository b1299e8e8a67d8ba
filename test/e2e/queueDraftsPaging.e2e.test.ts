// The Queue and the drafts with more than a page each, in Chromium against the real core: 130
// scheduled posts and 120 drafts seeded straight into the database, then shown a page at a time
// as a user goes through them: Show more, cancel a post from a later page, open a draft from a
// later page; the window title keeps counting every post waiting. Both screens pass axe with the
// Show more control on screen, in both themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DraftStore } from '../../src-main/core/compose/draftStore';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { PostStore } from '../../src-main/core/outbox/postStore';
import { launchApp, type LaunchedApp } from '../harness/app';
import { seriousViolations } from '../harness/axe';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });
const scheduledCount = 130;
const draftCount = 120;

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
    await app.page.screenshot({ path: path.join(screenshots, `failure-queue-drafts-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
    app = undefined;
  }
});

/** Posts scheduled an hour apart from 2030 on, and drafts edited a minute apart (the newest last). */
function seed(dataDir: string): void {
  const db = openDatabase(dataDir);
  const profileId = (db.prepare("SELECT id FROM profiles WHERE id = 'default'").get() as { id: string }).id;
  db.prepare(
    `INSERT INTO accounts (id, profile_id, platform, remote_id, handle, service, status, created_at, updated_at)
     VALUES ('acct-hook', ?, 'discord', 'remote-hook', '@discord-seeded', 'https://example.test', 'connected', 0, 0)`,
  ).run(profileId);
  const posts = new PostStore(db);
  const firstAt = Date.UTC(2030, 0, 1, 9);
  let now = Date.UTC(2026, 0, 1);
  const drafts = new DraftStore(db, { now: () => now });
  db.transaction(() => {
    for (let i = 0; i < scheduledCount; i++) {
      posts.enqueue({
        profileId,
        draftId: `seed-${i}`,
        content: { text: `Scheduled post ${i}`, langs: [], contentWarning: '', visibility: 'public', images: [], linkCard: null },
        targets: [{ accountId: 'acct-hook', idempotencyKey: `seed-${i}` }],
        schedule: { at: firstAt + i * 3_600_000, zone: 'UTC', local: '2030-01-01T09:00' },
        createdAt: now,
      });
    }
    for (let i = 0; i < draftCount; i++, now += 60_000) {
      const id = drafts.create(profileId, { targetAccountIds: ['acct-hook'], langs: ['en'] });
      drafts.save(profileId, { id, text: `Seeded draft ${i}`, targetAccountIds: ['acct-hook'], langs: ['en'] });
    }
  })();
  db.close();
}

describe('Queue and drafts a page at a time', () => {
  it('shows more on request, acts on posts and drafts from later pages, and counts every waiting post', async () => {
    app = await launchApp({ env: { LOCALPOST_TEST_OFFLINE: '1' } });
    seed(app.dataDir);
    const { page } = app;
    await page.reload();
    await until(async () => (await page.title()) === `Localpost (${scheduledCount} waiting)`, 'the window title to count every scheduled post');

    // Drafts: the newest first, a page of them, then the next.
    const draftsPanel = page.getByRole('region', { name: 'Drafts' });
    const draftRows = draftsPanel.locator('.draft-row');
    await until(async () => (await draftRows.count()) === 50, 'the first page of drafts');
    assert.match((await draftRows.first().textContent()) ?? '', /Seeded draft 119(?!\d)/);
    await draftsPanel.getByText('Showing 50 drafts').waitFor();
    await draftsPanel.getByRole('button', { name: 'Show more' }).click();
    await until(async () => (await draftRows.count()) === 100, 'the second page of drafts');
    await draftsPanel.getByRole('button', { name: 'Show more' }).click();
    await until(async () => (await draftRows.count()) === draftCount, 'every draft');
    assert.equal(await draftsPanel.getByRole('button', { name: 'Show more' }).count(), 0, 'no more to show');
    const texts = await draftRows.locator('.draft-line').allTextContents();
    assert.equal(new Set(texts).size, draftCount, 'no draft twice');
    // A draft from the last page opens in the composer.
    await draftRows.filter({ has: page.locator('.draft-line', { hasText: /^Seeded draft 3$/ }) }).getByRole('button', { name: 'Open' }).click();
    await until(async () => (await page.getByLabel('Post text').inputValue()) === 'Seeded draft 3', 'the draft from a later page to open');

    // The Queue: soonest first, a page at a time, with the count of all.
    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    const queue = page.getByRole('region', { name: 'Queue' });
    const items = queue.locator('.queue-list > li');
    await until(async () => (await items.count()) === 50, 'the first page of the Queue');
    assert.match((await items.first().textContent()) ?? '', /Scheduled post 0(?!\d)/);
    await queue.getByText(`Showing 50 of ${scheduledCount} posts`).waitFor();
    await queue.getByRole('button', { name: 'Show more' }).click();
    await until(async () => (await items.count()) === 100, 'the second page of the Queue');
    assert.match((await items.nth(50).textContent()) ?? '', /Scheduled post 50(?!\d)/);

    // Cancel a post from the second page: it leaves the Queue, the count follows.
    const later = items.filter({ hasText: 'Scheduled post 75' });
    await later.getByRole('button', { name: 'Cancel', exact: true }).click();
    await later.getByRole('button', { name: 'Cancel post' }).click();
    await later.waitFor({ state: 'detached' });
    await until(async () => (await page.title()) === `Localpost (${scheduledCount - 1} waiting)`, 'the window title to count one fewer');
    // The change reloads the posts shown, all 99 of them.
    await queue.getByText(`Showing 99 of ${scheduledCount - 1} posts`).waitFor();
    await queue.getByRole('button', { name: 'Show more' }).click();
    await until(async () => (await items.count()) === scheduledCount - 1, 'the rest of the Queue');
    assert.equal(await queue.getByRole('button', { name: 'Show more' }).count(), 0);
    assert.ok(!(await items.allTextContents()).some((text) => /Scheduled post 75(?!\d)/.test(text)), 'the cancelled post is gone');

    // Both screens, with Show more on them, in both themes.
    await page.reload();
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.getByRole('button', { name: 'Queue', exact: true }).click();
      await queue.getByRole('button', { name: 'Show more' }).waitFor();
      found.push(...(await seriousViolations(page, `Queue (${theme})`)));
      await queue.getByRole('button', { name: 'Show more' }).focus();
      await page.screenshot({ path: path.join(screenshots, `queue-show-more-${theme}.png`) });
      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      await draftsPanel.getByRole('button', { name: 'Show more' }).waitFor();
      found.push(...(await seriousViolations(page, `Compose (${theme})`)));
      await draftsPanel.locator('.drafts-scroll').evaluate((list) => list.scrollTo(0, list.scrollHeight));
      await page.screenshot({ path: path.join(screenshots, `drafts-show-more-${theme}.png`) });
    }
    assert.deepEqual(found, [], `axe found serious or critical violations:\n${found.join('\n')}`);
  });
});
