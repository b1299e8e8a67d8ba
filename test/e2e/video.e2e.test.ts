// A video in the composer through the real UI: Add video opens the OS dialog (the test port
// answers it), the video shows with a poster Chromium decoded from one key frame, its probe facts
// and Remove; preflight refuses a WebM on Telegram, which plays MP4 only; a file that is not a
// video is refused in an alert, the draft as it was; and an MP4 goes to Discord and Telegram with
// its upload's progress shown in the publish result and the Queue.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { largeMp4, textNamedMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { launchApp, openConnectForm } from '../harness/app';
import { discordWebhookUrl, startWebhookPlatformMocks, telegramBotToken, telegramChat, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

let mocks: WebhookPlatformMocks;
before(async () => {
  mocks = await startWebhookPlatformMocks();
});
after(() => mocks.close());

async function connectDiscord(page: Page) {
  await openConnectForm(page, 'Discord');
  await page.getByLabel('Webhook URL', { exact: true }).fill(discordWebhookUrl);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText('announcements', { exact: true }).first().waitFor();
  await page.getByRole('button', { name: 'Compose', exact: true }).click();
  const box = page.getByRole('checkbox', { name: 'announcements', exact: true });
  if (!(await box.isChecked())) await box.check();
}

async function connectTelegram(page: Page) {
  await openConnectForm(page, 'Telegram');
  await page.getByLabel('Bot token', { exact: true }).fill(telegramBotToken);
  await page.getByLabel('Chat ID', { exact: true }).fill(`@${telegramChat.username}`);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByText(telegramChat.title, { exact: true }).first().waitFor();
  await page.getByRole('button', { name: 'Compose', exact: true }).click();
  const box = page.getByRole('checkbox', { name: telegramChat.title, exact: true });
  if (!(await box.isChecked())) await box.check();
}

describe('a video in the composer (Chromium)', () => {
  it('attaches a WebM through the OS dialog, shows its poster and facts, and preflight refuses it on Telegram', async () => {
    const app = await launchApp({ env: mocks.env });
    const { page } = app;
    try {
      await connectDiscord(page);
      await connectTelegram(page);
      await page.getByLabel('Post text').fill('A short clip');
      app.answerFileDialog(videoFixtures.webm);
      await page.getByRole('button', { name: 'Add video' }).click();
      const video = page.getByRole('figure', { name: 'Video' });
      await video.waitFor();
      const facts = await video.locator('.video-facts').innerText();
      assert.match(facts, /Length\s+0:01/);
      assert.match(facts, /Picture\s+160 × 90, 25 fps/);
      assert.match(facts, /Format\s+WebM, VP9 \+ Opus/);
      assert.match(facts, /Size\s+6\.\d KB/);
      // The poster: decoded by Chromium from the one key frame the core handed over.
      const poster = video.getByRole('img', { name: 'Video poster frame' });
      await poster.waitFor();
      const size = await poster.evaluate((img) => [(img as unknown as { naturalWidth: number }).naturalWidth, (img as unknown as { naturalHeight: number }).naturalHeight]);
      assert.equal(size[0]! * 90, size[1]! * 160, `the video's 16:9 shape, got ${size.join(' × ')}`);
      // Discord plays WebM; Telegram takes MP4 only.
      const refusal = page.getByText(`Telegram for ${telegramChat.title} takes MP4 video, and this one is WebM: convert it.`);
      await refusal.waitFor();
      // With a video the text is Telegram's caption: its counter counts to 1024, not 4096.
      await page.getByText('12 / 1024').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Add video' }).isDisabled(), true, 'one video a post');
      // Its alt text, with where it shows.
      await video.getByLabel('Alt text for the video').fill('A kite loops over a beach.');
      await video.getByText('Bluesky, Mastodon, Pinterest and Threads show it with the video').waitFor();
      await page.getByText('Saved', { exact: true }).waitFor();
      await page.screenshot({ path: '/tmp/localpost-video-composer.png', fullPage: true });

      // Kept with the draft: the core has it, with the poster the page made and the alt text typed.
      const drafts = await app.core.dispatch('drafts.list', {}, page.url());
      assert.ok(drafts.ok);
      const stored = (drafts.value as Array<{ video: { posterDataUrl: string | null; alt: string } | null }>).find((draft) => draft.video);
      assert.match(stored?.video?.posterDataUrl ?? '', /^data:image\/jpeg;base64,/);
      assert.equal(stored?.video?.alt, 'A kite loops over a beach.');

      // A draft with only a video says so in the list, rather than "Empty draft".
      await page.getByLabel('Post text').fill('');
      await page.getByText('A video, no text yet').waitFor();
      await page.getByLabel('Post text').fill('A short clip');

      await video.getByRole('button', { name: 'Remove video' }).click();
      await video.waitFor({ state: 'detached' });
      await refusal.waitFor({ state: 'detached' });
      assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), false);
    } finally {
      await app.close();
    }
  });

  it('publishes an MP4 to Discord and Telegram, showing each upload\u2019s progress in the publish result and the Queue', async () => {
    const app = await launchApp({ env: mocks.env });
    const { page } = app;
    const scratch = videoScratchDir();
    try {
      await connectDiscord(page);
      await connectTelegram(page);
      await page.getByLabel('Post text').fill('Our launch clip');
      // 9 MB: under Discord's 10 MB for a server without boosts.
      app.answerFileDialog(largeMp4(scratch, 9 * 1024 * 1024, 'launch.mp4'));
      await page.getByRole('button', { name: 'Add video' }).click();
      await page.getByRole('figure', { name: 'Video' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), false, 'both platforms take it');
      // The platforms hold the uploads, then read them slowly while the bars are watched. The
      // sockets' buffers on loopback take megabytes at once and the sender's count moves in steps
      // of their size, so a 9 MB upload has only a few steps left to show: each watch spends as
      // few of them as it can, and the upload waits between the two.
      mocks.throttleUploads(0);
      await page.getByRole('button', { name: 'Publish' }).click();
      const result = page.getByRole('region', { name: 'Publish result' });
      const bars = result.getByRole('progressbar', { name: 'Upload progress' });
      await bars.first().waitFor();
      const words = result.getByText(/^\d+(\.\d)? MB of 9 MB$/).first();
      await words.waitFor();
      assert.match(await result.innerText(), /Sending…[\s\S]*Uploading…/);
      // It moves while the upload runs, from the progress events alone: History is not reloaded
      // for each of them (a reload per tick was up to ten a second of the whole list).
      const texts = async () => (await result.locator('.upload-progress-text').allInnerTexts()).join(' | ');
      const historyLoadsBefore = app.bridgeCalls.filter((method) => method === 'history.page').length;
      const ticksBefore = app.bridgeTraffic.filter((t) => t.includes('"event":"upload.progress"')).length;
      const first = await texts();
      const shown = new Set([first]);
      mocks.throttleUploads(1024 * 1024);
      for (let i = 0; i < 100 && shown.size < 3; i++) {
        await page.waitForTimeout(100);
        shown.add(await texts());
      }
      mocks.throttleUploads(0);
      assert.ok(shown.size >= 3, `the bars moved: ${[...shown].join(' → ')}`);
      const historyLoads = app.bridgeCalls.filter((method) => method === 'history.page').length - historyLoadsBefore;
      const ticks = app.bridgeTraffic.filter((t) => t.includes('"event":"upload.progress"')).length - ticksBefore;
      assert.ok(ticks >= 2, `${ticks} progress events`);
      assert.ok(historyLoads <= 1, `History reloaded ${historyLoads} times while the bars moved ${shown.size - 1} times`);
      await page.screenshot({ path: '/tmp/localpost-video-progress-composer.png', fullPage: true });

      await result.getByRole('button', { name: 'Open queue' }).click();
      const queued = page.getByRole('progressbar', { name: 'Upload progress' });
      await queued.first().waitFor();
      // The bar with the most still to send is watched: it has the most steps left to show.
      const queuedValues = await queued.evaluateAll((elements) => elements.map((bar) => Number(bar.getAttribute('value'))));
      const watched = queued.nth(queuedValues.indexOf(Math.min(...queuedValues)));
      const sent = Number(await watched.getAttribute('value'));
      const total = Number(await watched.getAttribute('max'));
      assert.ok(sent > 0 && sent < total && total > 9 * 1024 * 1024, `${sent} of ${total}`);
      // The Queue's bar moves the same way: no reload of the queue or History per tick.
      const loads = () => app.bridgeCalls.filter((method) => method === 'outbox.page' || method === 'history.page').length;
      const loadsBefore = loads();
      const values = new Set([sent]);
      mocks.throttleUploads(1024 * 1024);
      for (let i = 0; i < 100 && values.size < 2; i++) {
        await page.waitForTimeout(100);
        values.add(Number(await watched.getAttribute('value')));
      }
      assert.ok(values.size >= 2, `the Queue's bar moved: ${[...values].join(' → ')}`);
      assert.ok(loads() - loadsBefore <= 1, `${loads() - loadsBefore} list reloads while the Queue's bar moved`);
      await page.screenshot({ path: '/tmp/localpost-video-progress-queue.png', fullPage: true });
      mocks.throttleUploads(null);
      // Done: nothing left in the Queue, and the post shows published on both in History.
      await queued.first().waitFor({ state: 'detached', timeout: 30_000 });
      await page.getByRole('button', { name: 'History', exact: true }).click();
      const history = page.locator('.history-post').filter({ hasText: 'Our launch clip' });
      await history.getByText('published', { exact: true }).nth(1).waitFor();
      assert.equal(await history.getByRole('progressbar').count(), 0);
      await page.screenshot({ path: '/tmp/localpost-video-published.png', fullPage: true });
      const uploads = mocks.requests.filter((r) => r.method === 'POST' && JSON.stringify(r.body).includes('Our launch clip'));
      assert.deepEqual(uploads.map((r) => r.platform).sort(), ['discord', 'telegram']);
      for (const upload of uploads) {
        const file = (upload.body['files[0]'] ?? upload.body.video) as { size: number };
        assert.equal(file.size, 9 * 1024 * 1024);
      }
    } finally {
      mocks.throttleUploads(null);
      await app.close();
    }
  });

  it('refuses a text file named .mp4 in an alert, and keeps what was written', async () => {
    const app = await launchApp({ env: mocks.env });
    const { page } = app;
    try {
      await page.getByLabel('Post text').fill('Words that stay');
      app.answerFileDialog(textNamedMp4(videoScratchDir()));
      await page.getByRole('button', { name: 'Add video' }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'media_unsupported' });
      await alert.waitFor();
      assert.match(await alert.innerText(), /not a video Localpost can read/);
      await page.screenshot({ path: '/tmp/localpost-video-refused.png', fullPage: true });
      assert.equal(await page.getByRole('figure', { name: 'Video' }).count(), 0);
      assert.equal(await page.getByLabel('Post text').inputValue(), 'Words that stay');
    } finally {
      await app.close();
    }
  });
});
