// Each platform's preview rules, read from the renderer's registry: where its feed cuts a long
// post (LinkedIn after about 210 characters or 3 lines, Instagram 125, Facebook 480; Bluesky, X,
// Mastodon and Threads never, their limits being short), and which show links, mentions and
// tags. The registry is loaded in Node with an empty bridge, by a
// path the main-side type check does not follow (it is page code), as platformRegistry.test does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutForFeed, type FeedCut } from '../../src-shared/compose/feedTruncation';
import { tokenizeRichText, type RichTextSyntax } from '../../src-shared/compose/richText';
import type { Platform } from '../../src-preload/contract';
import { platformIds } from '../../src-shared/platformIds';

interface PreviewRecord {
  syntax: RichTextSyntax;
  feedCut?: FeedCut & { more: string };
  altBadge: boolean;
}
(globalThis as { window?: unknown }).window ??= { localpost: {} };
const registry = '../../src-renderer/features/composer/previews/previewPlatforms';
const { previewUi } = (await import(registry)) as { previewUi: Record<Platform, PreviewRecord> };

/** What the feed shows of `text` on `platform`, with the button's words where it cuts. */
function feedShows(platform: Platform, text: string): string {
  const cut = previewUi[platform].feedCut;
  if (!cut) return text;
  const shown = cutForFeed(text, cut);
  return shown.cut ? `${shown.shown}${cut.more}` : shown.shown;
}

describe('preview rules', () => {
  it('has a record for every platform', () => {
    assert.deepEqual(Object.keys(previewUi).sort(), [...platformIds].sort());
  });

  it('LinkedIn shows about 210 characters or 3 lines, then “…see more”', () => {
    assert.equal(feedShows('linkedin', 'x'.repeat(210)), 'x'.repeat(210));
    assert.equal(feedShows('linkedin', 'x'.repeat(211)), `${'x'.repeat(210)}…see more`);
    assert.equal(feedShows('linkedin', 'one\ntwo\nthree\nfour'), 'one\ntwo\nthree…see more');
  });

  it('Instagram cuts a caption after about 125 characters, Facebook a post after about 480', () => {
    assert.equal(feedShows('instagram', 'y'.repeat(126)), `${'y'.repeat(125)}… more`);
    assert.equal(feedShows('facebook', 'z'.repeat(480)), 'z'.repeat(480));
    assert.equal(feedShows('facebook', 'z'.repeat(481)), `${'z'.repeat(480)}… See more`);
  });

  it('Bluesky, X, Mastodon, Threads and the chats show the whole text', () => {
    const long = 'word '.repeat(1000);
    for (const platform of ['bluesky', 'x', 'mastodon', 'threads', 'discord', 'slack', 'telegram'] as const) {
      assert.equal(feedShows(platform, long), long, platform);
    }
  });

  it('Bluesky, X and Mastodon mark links, mentions and tags, and wear ALT badges; LinkedIn marks neither mentions nor tags', () => {
    const text = '@alice.bsky.social @bob #tag https://example.com';
    const kinds = (platform: Platform) => [...new Set(tokenizeRichText(text, previewUi[platform].syntax).map((token) => token.kind))].filter((kind) => kind !== 'text').sort();
    for (const platform of ['bluesky', 'x', 'mastodon'] as const) {
      assert.deepEqual(kinds(platform), ['hashtag', 'link', 'mention'], platform);
      assert.equal(previewUi[platform].altBadge, true, platform);
    }
    assert.deepEqual(kinds('linkedin'), ['link']);
  });
});
