// Every platform's preview in Chromium, on a page of their own (test/harness/previewGallery.tsx):
// the thirteen platforms with the post that shows off what each does, in both themes. axe finds
// no serious or critical violation in either; each preview is photographed; and what each must
// show is there: Bluesky's thread and card, the grid's count of hidden images, Instagram's cut
// caption, the content warning, the video's title and privacy, the pin's board, Slack's mrkdwn.
// (The composer's own Preview panel, with accounts connected through the UI, is previews.e2e.test.ts.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { platformIds } from '../../src-shared/platforms';
import { chromiumPath } from '../harness/rendererServer';
import { seriousViolations } from '../harness/axe';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshots = path.resolve(here, '../../test-results');
fs.mkdirSync(screenshots, { recursive: true });
async function galleryPage(): Promise<string> {
  const built = await esbuild({
    entryPoints: [path.join(here, '../harness/previewGallery.tsx')],
    bundle: true,
    write: false,
    outdir: '/tmp/localpost-preview-gallery',
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff2': 'dataurl', '.woff': 'dataurl', '.webp': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const script = built.outputFiles.find((file) => file.path.endsWith('.js'))!.text;
  const style = built.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Previews</title><style>${style}</style></head>
<body><div id="root"></div><script>${script.replaceAll('</script', '<\\/script')}</script></body></html>`;
}

describe('every platform’s preview (Chromium)', () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 720, height: 900 } });
    await page.setContent(await galleryPage());
    await page.getByRole('heading', { name: 'Previews' }).waitFor();
  });
  after(() => browser?.close());

  const section = (platform: string) => page.locator(`#gallery-${platform}`);

  it('shows what each platform shows', async () => {
    assert.equal(await page.locator('.post-preview').count(), platformIds.length);
    // Bluesky: a thread of three, the card under the first post, a handle with dots as a mention.
    assert.equal(await section('bluesky').locator('.preview-post').count(), 3);
    await section('bluesky').getByText('We open on Saturday').waitFor();
    assert.deepEqual(await section('bluesky').locator('[data-kind="mention"]').allTextContents(), ['@carol.bsky.social']);
    assert.deepEqual(await section('bluesky').locator('[data-kind="link"]').allTextContents(), ['https://alicebakes.com/news/opening', 'alicebakes.com/menu']);
    // X: four images, the three with alt text wearing ALT; its thread of two.
    assert.equal(await section('x').getByText('ALT', { exact: true }).count(), 3);
    assert.equal(await section('x').locator('.preview-post').count(), 2);
    // Facebook: five of six images, the last saying one more; its long text cut.
    assert.equal(await section('facebook').locator('.preview-image').count(), 5);
    await section('facebook').getByLabel('1 more images').waitFor();
    await section('facebook').getByRole('button', { name: '… See more' }).waitFor();
    // Instagram: a carousel of 3 with its count; the caption after the name, cut with "more".
    await section('instagram').getByText('1/3', { exact: true }).waitFor();
    await section('instagram').getByRole('button', { name: 'Next image' }).click();
    await section('instagram').getByText('2/3', { exact: true }).waitFor();
    await section('instagram').getByRole('button', { name: '… more' }).waitFor();
    // Threads: one topic tag a post, its first; the second post has its own.
    assert.deepEqual(await section('threads').locator('[data-kind="hashtag"]').allTextContents(), ['#bakery', '#tag']);
    // Mastodon: only the content warning until opened.
    assert.equal(await section('mastodon').locator('.preview-text').count(), 0);
    await section('mastodon').getByRole('button', { name: 'Show more' }).click();
    assert.equal(await section('mastodon').getByText('ALT', { exact: true }).count(), 2);
    // YouTube: the title, who sees it, the description cut.
    await section('youtube').getByText('A day at the bakery', { exact: true }).waitFor();
    await section('youtube').getByText('Unlisted', { exact: true }).waitFor();
    await section('youtube').getByRole('button', { name: '...more' }).waitFor();
    await section('youtube').getByText('1:23', { exact: true }).waitFor();
    // Pinterest: its title, board and link.
    await section('pinterest').getByText('Sourdough for beginners').waitFor();
    await section('pinterest').getByText('Saved to Launch ideas').waitFor();
    await section('pinterest').getByText('alicebakes.com', { exact: true }).waitFor();
    // Slack's and Discord's formatting.
    assert.deepEqual(await section('slack').locator('strong, em, s, code').allTextContents(), ['Opening day', 'Saturday', 'Friday', '7:00']);
    assert.deepEqual(await section('discord').locator('strong, em, s, code').allTextContents(), ['Opening day', 'Saturday', 'Friday', '7:00']);
    // TikTok: the caption cut with "more".
    await section('tiktok').getByRole('button', { name: '… more' }).waitFor();
  });

  it('passes axe in both themes, and each preview is photographed', async () => {
    const found: string[] = [];
    for (const theme of ['light', 'dark'] as const) {
      // Reduced motion: no colour is caught mid-transition when the theme changes.
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      found.push(...(await seriousViolations(page, theme)));
      for (const platform of platformIds) await section(platform).screenshot({ path: path.join(screenshots, `preview-gallery-${platform}-${theme}.png`) });
    }
    assert.deepEqual(found, [], `axe found serious or critical violations:\n${found.join('\n')}`);
  });
});
