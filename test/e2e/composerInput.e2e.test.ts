// The composer by paste, drop and keyboard, in Chromium against the real core and a real PDS: an
// image pasted from the clipboard and images dropped from the file manager (real ClipboardEvent
// and DragEvent with a DataTransfer holding PNG files), the drop zone, a refused file, the images
// reordered with the mouse and with the keyboard (the core's order checked, and the order the PDS
// got), the help sheet opened and closed from the keyboard, and a post published with the
// keyboard alone, its outcome said by the live region.
//
// There is no preload here, so a dropped video has no path on disk: it is refused with a clear
// message (the path route is tested at the preload, test/shell/shell.test.ts, and in the core,
// test/integration/composerInput.test.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { connectAnyway, launchApp, openConnectForm, type LaunchedApp } from '../harness/app';
import { startPds, type TestPds } from '../harness/pds';
import { smallPng } from '../fixtures/images';
import { videoFixtures } from '../fixtures/videos';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const screenshots = path.join(repoRoot, 'test-results');
fs.mkdirSync(screenshots, { recursive: true });

let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
});
after(() => pds.close());

const openApps = new Set<LaunchedApp>();
afterEach(async () => {
  for (const app of openApps) {
    await app.page.screenshot({ path: path.join(screenshots, `composer-input-failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    await app.close();
  }
  openApps.clear();
});

interface FileSpec {
  name: string;
  type: string;
  base64: string;
}
const fileSpec = (name: string, type: string, bytes: Buffer): FileSpec => ({ name, type, base64: bytes.toString('base64') });

// Run in the page (this file is type-checked without the DOM's types, hence strings): a
// DataTransfer holding real File objects, as the clipboard or a drag from the file manager gives.
const makeTransfer = `(specs) => {
  const transfer = new DataTransfer();
  for (const spec of specs) {
    const bytes = Uint8Array.from(atob(spec.base64), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], spec.name, { type: spec.type }));
  }
  return transfer;
}`;

async function paste(page: Page, files: FileSpec[]): Promise<void> {
  await page.evaluate(`(() => {
    const transfer = (${makeTransfer})(${JSON.stringify(files)});
    const text = document.querySelector('#post-text');
    text.focus();
    text.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  })()`);
}

/** Drags files over the post text (the drop zone shows); `drop` then lets go of them. */
async function dragOver(page: Page, files: FileSpec[]): Promise<void> {
  await page.evaluate(`(() => {
    window.__dragged = (${makeTransfer})(${JSON.stringify(files)});
    const text = document.querySelector('#post-text');
    for (const type of ['dragenter', 'dragover']) {
      text.dispatchEvent(new DragEvent(type, { dataTransfer: window.__dragged, bubbles: true, cancelable: true }));
    }
  })()`);
}

async function drop(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const text = document.querySelector('#post-text');
    text.dispatchEvent(new DragEvent('drop', { dataTransfer: window.__dragged, bubbles: true, cancelable: true }));
  })()`);
}

/** The open draft's images in the core's order, by width (each test image has its own). */
async function coreOrder(app: LaunchedApp): Promise<number[]> {
  const drafts = await app.core.handlers['drafts.list']({});
  const draft = drafts.find((candidate) => candidate.images.length > 0);
  return draft ? draft.images.map((image) => image.width) : [];
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const activeElement = (page: Page) =>
  page.evaluate<{ id: string; label: string | null; inDialog: boolean; tag: string }>(
    `(() => { const e = document.activeElement; return { id: e?.id ?? '', label: e?.getAttribute('aria-label') ?? null, inDialog: Boolean(e?.closest('dialog')), tag: e?.tagName.toLowerCase() ?? '' }; })()`,
  );

/** Presses Tab until the focus is on what `matches` says, as a keyboard user moves through the page. */
async function tabTo(page: Page, matches: string, what: string): Promise<void> {
  for (let step = 0; step < 120; step++) {
    if (await page.evaluate<boolean>(`Boolean(document.activeElement?.matches(${JSON.stringify(matches)}))`)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${what}`);
}

async function connectAlice(page: Page): Promise<void> {
  await openConnectForm(page, 'Bluesky');
  await page.getByLabel('Handle').fill(alice.handle);
  await page.getByLabel('App password').fill(alice.appPassword);
  await page.getByLabel('Hosting provider').fill(pds.url);
  await page.getByRole('button', { name: 'Connect' }).click();
  await connectAnyway(page);
  await page.getByText(`@${alice.handle}`).first().waitFor();
}

describe('the composer by paste, drop and keyboard (Chromium)', () => {
  it('pastes and drops images, refuses what it cannot take, reorders by mouse and keyboard, and publishes from the keyboard alone', async () => {
    const app = await launchApp();
    openApps.add(app);
    const { page } = app;
    await connectAlice(page);
    await page.keyboard.press('Control+1');
    await page.getByRole('heading', { name: 'Write a post' }).waitFor();
    const tiles = page.locator('.image-tile');

    // A screenshot pasted from the clipboard: a PNG with no name and no text beside it.
    await paste(page, [fileSpec('image.png', 'image/png', await smallPng(64, 48))]);
    await until(async () => (await tiles.count()) === 1, 'the pasted image');

    // Two images dropped from the file manager, with a note and a video the page cannot reach.
    await dragOver(page, [
      fileSpec('beach.png', 'image/png', await smallPng(80, 48)),
      // A PNG with a wrong name and type is still a PNG: told by its bytes.
      fileSpec('hills.txt', 'text/plain', await smallPng(96, 48)),
      fileSpec('notes.png', 'image/png', Buffer.from('not a picture, whatever the name says')),
    ]);
    const zone = page.locator('.drop-zone');
    await zone.waitFor();
    assert.match((await zone.textContent()) ?? '', /Drop to attach/);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      // The colours ease from one theme to the other: the picture is taken once they have.
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(screenshots, `composer-drop-zone-${theme}.png`) });
    }
    await drop(page);
    await zone.waitFor({ state: 'detached' });
    const refusal = page.getByRole('alert').filter({ hasText: 'notes.png' });
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /media_unsupported/);
    assert.match((await refusal.textContent()) ?? '', /not an image or a video/);
    await until(async () => (await tiles.count()) === 3, 'the two dropped images');
    assert.deepEqual(await coreOrder(app), [64, 80, 96]);

    // A video needs its place on disk, which only Electron's preload can find: refused, nothing lost.
    await dragOver(page, [fileSpec('clip.mp4', 'video/mp4', fs.readFileSync(videoFixtures.mp4))]);
    await drop(page);
    await page.getByRole('alert').filter({ hasText: 'clip.mp4' }).filter({ hasText: 'cannot find that dropped video' }).waitFor();
    assert.equal(await tiles.count(), 3);

    // By mouse: the first image dragged onto the third.
    await tiles.nth(0).locator('.image-frame').dragTo(tiles.nth(2).locator('.image-frame'));
    await until(async () => JSON.stringify(await coreOrder(app)) === '[80,96,64]', 'the order after the drag');
    assert.equal(await tiles.nth(2).locator('img').getAttribute('alt'), 'Image 3');

    // By keyboard: the last image moved to the front with two presses of Enter on "Move earlier".
    await page.getByRole('button', { name: 'Move image 3 earlier' }).focus();
    await page.keyboard.press('Enter');
    await until(async () => JSON.stringify(await coreOrder(app)) === '[80,64,96]', 'the order after one move');
    assert.equal((await activeElement(page)).label, 'Move image 2 earlier', 'the focus stays with the moved image');
    await page.keyboard.press('Enter');
    await until(async () => JSON.stringify(await coreOrder(app)) === '[64,80,96]', 'the order after two moves');
    // At the front "earlier" is off, so the focus is on its "later".
    assert.equal((await activeElement(page)).label, 'Move image 1 later');
    assert.equal(await page.getByRole('status').filter({ hasText: 'Image moved to place 1 of 3.' }).count(), 1);
    await page.screenshot({ path: path.join(screenshots, 'composer-images-reordered-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });

    // Publish with the keyboard alone: Tab to the text, type, Tab to the account, Ctrl+Enter.
    await tabTo(page, '#post-text', 'the post text');
    await page.keyboard.type('Typed, ordered and sent without a mouse');
    await tabTo(page, '.target input[type="checkbox"]', 'the account');
    // A new draft targets every connected account; unticked and ticked again from the keyboard.
    await page.keyboard.press('Space');
    assert.equal(await page.getByRole('checkbox', { name: `@${alice.handle}` }).isChecked(), false);
    await page.keyboard.press('Space');
    assert.equal(await page.getByRole('checkbox', { name: `@${alice.handle}` }).isChecked(), true);
    await page.keyboard.press('Control+Enter');

    const announced = page.locator('[data-announcer="publish"]');
    await until(async () => ((await announced.textContent()) ?? '') !== '', 'the live region');
    assert.equal(await announced.textContent(), `Published to @${alice.handle}.`);
    assert.equal(await announced.getAttribute('aria-live'), 'polite');
    assert.equal(await page.locator('[data-announcer="publish-urgent"]').textContent(), '');

    const [record] = await pds.listPosts(alice.did);
    assert.equal(record?.value.text, 'Typed, ordered and sent without a mouse');
    assert.deepEqual(
      record?.value.embed.images.map((image: { aspectRatio: { width: number } }) => image.aspectRatio.width),
      [64, 80, 96],
      'the PDS got the images in the order the user chose',
    );

    // Schedule from the keyboard: with no time yet the shortcut goes to the date and says so.
    await page.locator('#post-text').focus();
    await page.keyboard.type('Later, from the keyboard');
    await page.keyboard.press('Control+Shift+Enter');
    await until(async () => (await activeElement(page)).id === 'schedule-local', 'the focus on the date and time');
    assert.match((await page.locator('[data-announcer="shortcut"]').textContent()) ?? '', /Choose a date and time/);
    await page.locator('#schedule-local').fill('2030-06-03T09:00');
    await page.keyboard.press('Control+Shift+Enter');
    await until(async () => /^Scheduled for /.test((await announced.textContent()) ?? ''), 'the schedule said');
    assert.match((await announced.textContent()) ?? '', /^Scheduled for .*2030.*, to 1 account\.$/);
    openApps.delete(app);
    await app.close();
  });

  it('opens the help sheet from the keyboard, keeps the focus in it, closes on Escape and gives the focus back', async () => {
    const app = await launchApp();
    openApps.add(app);
    const { page } = app;
    await page.getByRole('heading', { name: 'Write a post' }).waitFor();
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });

    // `?` is a character in the post text: no sheet; Ctrl+/ is meant to work there.
    await page.locator('#post-text').focus();
    await page.keyboard.type('Why?');
    assert.equal(await sheet.isVisible(), false);
    assert.equal(await page.locator('#post-text').inputValue(), 'Why?');
    // Ctrl+Enter with nothing to post to: nothing is sent, and the reason is said.
    await page.keyboard.press('Control+Enter');
    await until(async () => /Publish is not possible yet/.test((await page.locator('[data-announcer="shortcut"]').textContent()) ?? ''), 'the reason said');
    await page.keyboard.press('Control+/');
    await sheet.waitFor();
    assert.ok((await activeElement(page)).inDialog, 'the focus moved into the sheet');
    for (let step = 0; step < 6; step++) {
      await page.keyboard.press('Tab');
      assert.ok((await activeElement(page)).inDialog, `Tab ${step + 1} left the sheet`);
    }
    // The other shortcuts wait while the sheet is up.
    await page.keyboard.press('Control+4');
    await page.getByRole('heading', { name: 'Write a post' }).waitFor();
    assert.match((await sheet.textContent()) ?? '', /Publish the post.*Ctrl.*Enter/);
    assert.match((await sheet.textContent()) ?? '', /Go to History\s*Ctrl\+\d/);

    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(screenshots, `help-sheet-${theme}.png`) });
    }
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    assert.equal((await activeElement(page)).id, 'post-text', 'the focus went back to where it was');

    // `?` outside a text field, from the sidebar's button; Escape gives the focus back there.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).focus();
    await page.keyboard.press('Shift+Slash');
    await sheet.waitFor();
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate<string>('document.activeElement.textContent'), 'Keyboard shortcuts');

    // Views by number, and the History search by its shortcut.
    await page.keyboard.press('Control+3');
    await page.getByRole('heading', { level: 1, name: 'Queue' }).waitFor();
    await page.keyboard.press('Control+f');
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    await until(async () => (await activeElement(page)).label === 'Search history', 'the focus in the History search');
    // Ctrl+N starts a new draft with the focus in its text.
    await page.keyboard.press('Control+n');
    await page.getByRole('heading', { name: 'Write a post' }).waitFor();
    await until(async () => (await activeElement(page)).id === 'post-text', 'the focus in the new draft');
    assert.equal(await page.locator('#post-text').inputValue(), '');
    openApps.delete(app);
    await app.close();
  });

  it('puts the focus in the History search even when the History screen\'s code is slow to arrive', async () => {
    const app = await launchApp();
    openApps.add(app);
    const { page } = app;
    // A busy machine: History's chunk takes a second and a half, longer than a screen's first frames.
    let delayed = 0;
    await page.route(/\/assets\/HistoryView-[^/]+\.js$/, async (route) => {
      delayed++;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await route.continue();
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Write a post' }).waitFor();
    await page.keyboard.press('Control+f');
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    assert.ok(delayed > 0, 'History\'s code came through the slow route');
    await until(async () => (await activeElement(page)).label === 'Search history', 'the focus in the History search', 3_000);
    openApps.delete(app);
    await app.close();
  });
});
