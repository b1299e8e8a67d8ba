// Texts of their own per platform and per account, and reply chains, through the real UI in
// Chromium, published to a real PDS: what each account posts is read back from its repo.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { connectAnyway, launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { seriousViolations } from '../harness/axe';
import { startPds, type TestPds } from '../harness/pds';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });

let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let bob: Awaited<ReturnType<TestPds['createAccount']>>;

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  bob = await pds.createAccount('bob');
});
after(() => pds.close());

const openApps = new Set<LaunchedApp>();
afterEach(async () => {
  for (const app of openApps) {
    await app.page.screenshot({ path: path.join(screenshots, `variants-failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
  }
  openApps.clear();
});

async function connect(page: Page, who: { handle: string; appPassword: string }) {
  await openConnectForm(page, 'Bluesky');
  await page.getByLabel('Handle').fill(who.handle);
  await page.getByLabel('App password').fill(who.appPassword);
  await page.getByLabel('Hosting provider').fill(pds.url);
  await page.getByRole('button', { name: 'Connect' }).click();
  await connectAnyway(page);
  await page.getByText(`@${who.handle}`).first().waitFor();
}

async function compose(page: Page, targets: Array<{ handle: string }>) {
  await page.getByRole('button', { name: 'Compose', exact: true }).click();
  for (const who of [alice, bob]) {
    const box = page.getByRole('checkbox', { name: `@${who.handle}`, exact: true });
    if ((await box.count()) === 0) continue;
    const wanted = targets.some((t) => t.handle === who.handle);
    if ((await box.isChecked()) !== wanted) await box.setChecked(wanted);
  }
}

async function publish(page: Page) {
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByRole('region', { name: 'Publish result' }).getByText('published', { exact: true }).first().waitFor();
}

/** Runs `look` with Settings → Appearance on Dark, back on Compose, then returns to Light. */
async function inDarkTheme(page: Page, look: () => Promise<void>) {
  const choose = async (theme: 'Dark' | 'Light') => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByRole('radio', { name: theme, exact: true }).check();
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
  };
  await choose('Dark');
  await look();
  await choose('Light');
}

/** The account's posts, oldest first, as records: text and the reply they point to. */
async function postsOf(did: string) {
  const posts = await pds.listPosts(did);
  return posts
    .map((post) => ({ uri: post.uri, text: post.value.text as string, reply: post.value.reply as { root: { uri: string }; parent: { uri: string } } | undefined, createdAt: post.value.createdAt as string }))
    .sort((a, b) => a.uri.localeCompare(b.uri));
}

describe('texts of their own (Chromium, real PDS)', () => {
  it('a platform variant follows the main text until edited, an account variant wins over it, and each account posts its own', async () => {
    const app = await launchApp();
    openApps.add(app);
    const { page } = app;
    await connect(page, alice);
    await connect(page, bob);
    await compose(page, [alice, bob]);

    await page.getByLabel('Post text').fill('Launch day for everyone');
    const section = page.getByRole('region', { name: 'Bluesky' });
    await section.getByText('Follows the main text.').waitFor();
    await section.getByRole('button', { name: 'Write a version for Bluesky' }).click();
    const blueskyText = section.getByLabel('Text for Bluesky', { exact: true });
    // Opened but not edited: it shows the main text and keeps following it.
    assert.equal(await blueskyText.inputValue(), 'Launch day for everyone');
    await section.getByText('Follows the main text until you change it.').waitFor();
    await page.getByLabel('Post text').fill('Launch day for everyone!');
    assert.equal(await blueskyText.inputValue(), 'Launch day for everyone!');

    // The first change makes it its own.
    await blueskyText.fill('Launch day, Bluesky edition 🦋');
    await section.getByText('Its own text for Bluesky.').waitFor();
    await page.getByLabel('Post text').fill('Launch day for everyone, main text');
    assert.equal(await blueskyText.inputValue(), 'Launch day, Bluesky edition 🦋');

    // Bob gets a text of his own; until then he follows Bluesky's.
    await section.getByRole('button', { name: `Write a version for @${bob.handle}` }).click();
    const bobText = section.getByLabel(`Text for @${bob.handle}`, { exact: true });
    assert.equal(await bobText.inputValue(), 'Launch day, Bluesky edition 🦋');
    await bobText.fill('Bob says: it is launch day');
    await section.getByText(`Its own text for @${bob.handle}.`).waitFor();

    // The counters and preflight read each target's own text: over 300 for Bluesky only.
    await blueskyText.fill('x'.repeat(310));
    const aliceRow = page.locator('.target', { has: page.getByRole('checkbox', { name: `@${alice.handle}`, exact: true }) });
    await aliceRow.getByText('310 / 300').waitFor();
    const bobRow = page.locator('.target', { has: page.getByRole('checkbox', { name: `@${bob.handle}`, exact: true }) });
    await bobRow.getByText('26 / 300').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
    await blueskyText.fill('Launch day, Bluesky edition 🦋');
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'variants-light.png'), fullPage: true });
    assert.deepEqual(await seriousViolations(page, 'variants-light'), []);

    // Saved in the core as the user left it.
    const draftId = (await app.core.handlers['drafts.list']({}))[0]!.id;
    const draft = await app.core.handlers['drafts.get']({ id: draftId });
    assert.equal(draft.text, 'Launch day for everyone, main text');
    assert.equal(draft.variants.platforms.bluesky?.text, 'Launch day, Bluesky edition 🦋');
    assert.equal(Object.values(draft.variants.accounts)[0]?.text, 'Bob says: it is launch day');

    await publish(page);
    assert.deepEqual((await postsOf(alice.did)).map((p) => p.text), ['Launch day, Bluesky edition 🦋']);
    assert.deepEqual((await postsOf(bob.did)).map((p) => p.text), ['Bob says: it is launch day']);
    await app.close();
    openApps.delete(app);
  });

  it('"Use the main text again" drops the variant', async () => {
    const app = await launchApp();
    openApps.add(app);
    const { page } = app;
    await connect(page, alice);
    await compose(page, [alice]);
    await page.getByLabel('Post text').fill('Main');
    const section = page.getByRole('region', { name: 'Bluesky' });
    await section.getByRole('button', { name: 'Write a version for Bluesky' }).click();
    await section.getByLabel('Text for Bluesky', { exact: true }).fill('Own');
    await section.getByRole('button', { name: 'Use the main text again' }).click();
    await section.getByText('Follows the main text.').waitFor();
    assert.equal(await section.getByLabel('Text for Bluesky', { exact: true }).count(), 0);
    await page.getByText('Saved', { exact: true }).waitFor();
    const draftId = (await app.core.handlers['drafts.list']({}))[0]!.id;
    assert.deepEqual((await app.core.handlers['drafts.get']({ id: draftId })).variants.platforms, {});
    await app.close();
    openApps.delete(app);
  });
});

describe('reply chains (Chromium, real PDS)', () => {
  it('a thread written post by post goes out in order, each post replying to the one before', async () => {
    const app = await launchApp();
    openApps.add(app);
    const { page } = app;
    await connect(page, alice);
    await compose(page, [alice]);
    const before = (await postsOf(alice.did)).length;

    await page.getByLabel('Post text').fill('A thread about local-first posting 🧵');
    await page.getByRole('button', { name: 'Add a post to the thread' }).first().click();
    await page.getByLabel('Post text, post 2 of 2').fill('Your tokens stay on your machine.');
    await page.getByRole('button', { name: 'Add a post to the thread' }).first().click();
    await page.getByLabel('Post text, post 3 of 3').fill('And your drafts too. Fin.');
    await page.locator('.target').getByText('thread of 3 · longest').waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'thread-composer-light.png'), fullPage: true });
    assert.deepEqual(await seriousViolations(page, 'thread-composer-light'), []);
    await inDarkTheme(page, async () => {
      await page.getByRole('region', { name: 'Bluesky' }).getByRole('button', { name: 'Write a version for Bluesky' }).click();
      await page.screenshot({ path: path.join(screenshots, 'thread-composer-dark.png'), fullPage: true });
      assert.deepEqual(await seriousViolations(page, 'thread-composer-dark'), []);
      await page.getByRole('region', { name: 'Bluesky' }).getByRole('button', { name: 'Close' }).click();
    });
    await publish(page);

    const posts = (await postsOf(alice.did)).slice(before);
    assert.deepEqual(
      posts.map((p) => p.text),
      ['A thread about local-first posting 🧵', 'Your tokens stay on your machine.', 'And your drafts too. Fin.'],
    );
    assert.equal(posts[0]!.reply, undefined);
    assert.equal(posts[1]!.reply?.root.uri, posts[0]!.uri);
    assert.equal(posts[1]!.reply?.parent.uri, posts[0]!.uri);
    assert.equal(posts[2]!.reply?.root.uri, posts[0]!.uri);
    assert.equal(posts[2]!.reply?.parent.uri, posts[1]!.uri);
    await app.close();
    openApps.delete(app);
  });

  it('a long text is cut at sentence ends into posts that each fit, when the user asks for it', async () => {
    const app = await launchApp();
    openApps.add(app);
    const { page } = app;
    await connect(page, alice);
    await compose(page, [alice]);
    const before = (await postsOf(alice.did)).length;
    const sentences = Array.from({ length: 12 }, (_, i) => `Sentence number ${i + 1} says a little more about why local-first matters.`);
    await page.getByLabel('Post text').fill(sentences.join(' '));
    assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true, 'too long for one post');
    await page.getByLabel('Make a thread of a post that is too long').check();
    await page.locator('.target').getByText('thread of 3 · longest').waitFor();
    await page.getByText('Saved', { exact: true }).waitFor();
    await publish(page);

    const posts = (await postsOf(alice.did)).slice(before);
    assert.equal(posts.length, 3);
    for (const post of posts) {
      assert.ok([...new Intl.Segmenter().segment(post.text)].length <= 300, `${post.text.length} over 300`);
      assert.match(post.text, /\.$/, 'each post ends at a sentence end');
    }
    assert.equal(posts.map((p) => p.text).join(' '), sentences.join(' '));
    assert.equal(posts[2]!.reply?.parent.uri, posts[1]!.uri);
    await app.close();
    openApps.delete(app);
  });
});
