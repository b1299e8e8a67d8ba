// A video in the composer through the real UI: Add video opens the OS dialog (the test port
// answers it), the video shows with a poster Chromium decoded from one key frame, its probe facts
// and Remove; preflight refuses it on Discord, where Localpost does not post video yet; a file
// that is not a video is refused in an alert, the draft as it was.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { textNamedMp4, videoFixtures, videoScratchDir } from '../fixtures/videos';
import { launchApp, openConnectForm } from '../harness/app';
import { discordWebhookUrl, startWebhookPlatformMocks, type WebhookPlatformMocks } from '../harness/webhookPlatformMocks';

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

describe('a video in the composer (Chromium)', () => {
  it('attaches a WebM through the OS dialog, shows its poster and facts, and preflight refuses it on Discord', async () => {
    const app = await launchApp({ env: mocks.env });
    const { page } = app;
    try {
      await connectDiscord(page);
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
      const refusal = page.getByText('Localpost cannot post video to Discord yet: remove the video or untick announcements.');
      await refusal.waitFor();
      assert.equal(await page.getByRole('button', { name: 'Publish' }).isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Add video' }).isDisabled(), true, 'one video a post');
      await page.screenshot({ path: '/tmp/localpost-video-composer.png', fullPage: true });

      // Kept with the draft: the core has it, with the poster the page made.
      const drafts = await app.core.dispatch('drafts.list', {}, page.url());
      assert.ok(drafts.ok);
      const stored = (drafts.value as Array<{ video: { posterDataUrl: string | null } | null }>).find((draft) => draft.video);
      assert.match(stored?.video?.posterDataUrl ?? '', /^data:image\/jpeg;base64,/);

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
