import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RichText } from '@atproto/api';
import { runPreflight, type PreflightInput } from '../../src-shared/compose/preflight';
import twitterText from 'twitter-text';
import { countGraphemes, rememberingCounts, xWeightedLength } from '../../src-shared/compose/textLength';
import type { PinFields } from '../../src-shared/pins';
import { platformRules } from '../../src-shared/platforms';

const target = { accountId: 'a1', handle: 'alice.test', platform: 'bluesky' as const, status: 'connected' as const };
const base: PreflightInput = { text: 'hello', images: [], hasLinkCard: false, targets: [target], requireAltText: false };
const ruleIds = (input: Partial<PreflightInput>) => runPreflight({ ...base, ...input }).map((issue) => issue.ruleId);

describe('counting like Bluesky', () => {
  it('counts graphemes exactly as @atproto/api does', () => {
    for (const text of ['hello', '👩‍👩‍👧‍👦 family', 'e\u0301', '🇫🇷🇩🇪', 'नमस्ते', 'a'.repeat(300)]) {
      assert.equal(countGraphemes(text), new RichText({ text }).graphemeLength, text);
    }
  });

  it('counts ASCII by its characters, with CR LF as one and controls each their own', () => {
    for (const text of ['', 'line one\r\nline two', '\r\n\r\n', '\n\r', 'tab\there\u0000\u007f', 'a\rb\nc\r\n', 'ascii then é', 'e\u0301 after ascii']) {
      assert.equal(countGraphemes(text), new RichText({ text }).graphemeLength, JSON.stringify(text));
    }
    assert.equal(countGraphemes('one\r\ntwo'), 7);
  });

  it('allows 300 graphemes and refuses 301 with length.max', () => {
    assert.deepEqual(ruleIds({ text: '👍'.repeat(300) }), []);
    assert.equal(platformRules.bluesky.length.count('👍'.repeat(300)), 300);
    assert.deepEqual(ruleIds({ text: '👍'.repeat(301) }), ['length.max']);
  });
});

describe('counts remembered for the composer', () => {
  it('counts a text asked again from memory, and still counts every new text', () => {
    const asked: string[] = [];
    const count = rememberingCounts((text) => {
      asked.push(text);
      return text.length;
    }, 2);
    assert.deepEqual([count('ab'), count('ab'), count('abc'), count('ab')], [2, 2, 3, 2]);
    assert.deepEqual(asked, ['ab', 'abc']);
    // Two texts remembered: a third makes it forget the oldest, which is then counted again.
    assert.equal(count('abcd'), 4);
    assert.equal(count('ab'), 2);
    assert.deepEqual(asked, ['ab', 'abc', 'abcd', 'ab']);
  });

  it('answers as the counts it remembers: graphemes, X, a text edited and back', () => {
    for (const text of ['👩‍👩‍👧‍👦 family', 'see https://example.com/a', 'see https://example.com/a', 'see https://example.com/ab', 'see https://example.com/a']) {
      assert.equal(countGraphemes(text), new RichText({ text }).graphemeLength, text);
      assert.equal(xWeightedLength(text), twitterText.parseTweet(text).weightedLength, text);
    }
  });
});

describe('preflight rules', () => {
  it('requires a target and some content', () => {
    assert.deepEqual(ruleIds({ targets: [] }), ['targets.none']);
    assert.deepEqual(ruleIds({ text: '   ' }), ['content.empty']);
  });

  it('limits images to 4 and requires alt text when the setting is on', () => {
    const image = { alt: '' };
    assert.deepEqual(ruleIds({ images: [image, image, image, image, image] }), ['media.count']);
    assert.equal(runPreflight({ ...base, images: [image, image, image, image, image] })[0]!.message, 'Bluesky takes at most 4 images a post.');
    assert.deepEqual(ruleIds({ images: [image] }), []);
    assert.deepEqual(ruleIds({ images: [image], requireAltText: true }), ['media.alt_text']);
    assert.deepEqual(ruleIds({ images: [{ alt: 'a cat' }], requireAltText: true }), []);
  });

  it('counts each target by its own platform: Telegram captions, Discord, Slack without images', () => {
    const on = (platform: 'discord' | 'slack' | 'telegram') => [{ accountId: platform, handle: platform, platform, status: 'connected' }];
    assert.deepEqual(ruleIds({ text: 'x'.repeat(2000), targets: on('discord') }), []);
    assert.deepEqual(ruleIds({ text: 'x'.repeat(2001), targets: on('discord') }), ['length.max']);
    assert.deepEqual(ruleIds({ text: 'x'.repeat(4096), targets: on('telegram') }), []);
    assert.deepEqual(ruleIds({ text: 'x'.repeat(1025), images: [{ alt: '' }], targets: on('telegram') }), ['length.max']);
    assert.deepEqual(ruleIds({ text: 'hi', images: [{ alt: '' }], targets: on('slack') }), ['media.unsupported']);
    // UTF-16: an emoji is two units on Discord, one grapheme on Bluesky.
    assert.deepEqual(ruleIds({ text: '👍'.repeat(1001), targets: on('discord') }), ['length.max']);
  });

  it('counts X by weight: 280 of them, CJK and emoji 2, any URL 23', () => {
    const x = [{ accountId: 'x1', handle: 'alice', platform: 'x' as const, status: 'connected', spendingCap: { limit: 50, used: 0 } }];
    assert.equal(xWeightedLength('a'.repeat(10)), 10);
    assert.equal(xWeightedLength('日本'), 4);
    assert.equal(xWeightedLength('👋'), 2);
    assert.equal(xWeightedLength(`see https://example.com/${'long/'.repeat(40)}`), 4 + 23);
    // The same count X's own library gives, on a mixed text.
    const mixed = 'Hello 👋 https://example.com/a/b 日本語 #tag @someone';
    assert.equal(xWeightedLength(mixed), twitterText.parseTweet(mixed).weightedLength);
    assert.deepEqual(ruleIds({ text: '日'.repeat(140), targets: x }), []);
    assert.deepEqual(ruleIds({ text: '日'.repeat(141), targets: x }), ['length.max']);
  });

  it('refuses an X post past its spending cap, and allows the last one', () => {
    const x = (used: number) => [{ accountId: 'x1', handle: 'alice', platform: 'x' as const, status: 'connected', spendingCap: { limit: 50, used } }];
    assert.deepEqual(ruleIds({ targets: x(49) }), []);
    assert.deepEqual(ruleIds({ targets: x(50) }), ['x.spending_cap']);
    const [issue] = runPreflight({ ...base, targets: x(50) });
    assert.equal(issue!.accountId, 'x1');
    assert.match(issue!.message, /@alice has used all 50 posts/);
  });

  it('limits alt text to what each platform takes (X 1000, a Mastodon instance its description_limit)', () => {
    const x = [{ accountId: 'x1', handle: 'alice', platform: 'x' as const, status: 'connected' }];
    assert.deepEqual(ruleIds({ images: [{ alt: 'a'.repeat(1000) }], targets: x }), []);
    assert.deepEqual(ruleIds({ images: [{ alt: 'a'.repeat(1001) }], targets: x }), ['media.alt_text_length']);
    const limits = { maxCharacters: 500, maxImages: 4, charactersReservedPerUrl: 23, altTextLimit: 200 };
    const mastodon = [{ accountId: 'm1', handle: 'a@m.test', platform: 'mastodon' as const, status: 'connected', limits }];
    assert.deepEqual(ruleIds({ images: [{ alt: 'a'.repeat(201) }], targets: mastodon }), ['media.alt_text_length']);
    // Bluesky sets no limit of its own.
    assert.deepEqual(ruleIds({ images: [{ alt: 'a'.repeat(5000) }] }), []);
  });

  it('counts a Mastodon content warning with the text, as the instance does', () => {
    const limits = { maxCharacters: 500, maxImages: 4, charactersReservedPerUrl: 23 };
    const mastodon = [{ accountId: 'm1', handle: 'a@m.test', platform: 'mastodon' as const, status: 'connected', limits }];
    assert.deepEqual(ruleIds({ text: 'a'.repeat(490), contentWarning: 'spoilers!', targets: mastodon }), []);
    assert.deepEqual(ruleIds({ text: 'a'.repeat(490), contentWarning: 'spoilers!!!', targets: mastodon }), ['length.max']);
    // Other platforms have no content warning: it does not count there.
    assert.deepEqual(ruleIds({ text: 'a'.repeat(300), contentWarning: 'spoilers' }), []);
  });

  it('calls a limit a caption only where the caption has a limit of its own', () => {
    const messages = (input: Partial<PreflightInput>) => runPreflight({ ...base, ...input }).map((issue) => issue.message);
    const limits = { maxCharacters: 500, maxImages: 4, charactersReservedPerUrl: 23 };
    const mastodon = [{ accountId: 'm1', handle: 'a@m.test', platform: 'mastodon' as const, status: 'connected', limits }];
    assert.deepEqual(messages({ text: 'a'.repeat(510), targets: mastodon }), ["10 characters over Mastodon's 500 for @a@m.test."]);
    const telegram = [{ accountId: 't1', handle: 'news', platform: 'telegram' as const, status: 'connected' }];
    const [captionOver] = messages({ text: 'x'.repeat(1030), images: [{ alt: '' }], targets: telegram });
    assert.match(captionOver!, /^6 characters over Telegram's 1024 as an image caption for /);
  });

  it('refuses a target that is not connected', () => {
    assert.deepEqual(ruleIds({ targets: [{ ...target, status: 'needs_reauth' }] }), ['account.status']);
  });
});

describe('Pinterest: a pin', () => {
  const pinterest = { accountId: 'p1', handle: 'alice', platform: 'pinterest' as const, status: 'connected' as const };
  const pin = (fields: Partial<PinFields> = {}) => ({ pinterest: { boards: { p1: 'b1' }, title: '', link: '', ...fields } });
  const pinIds = (input: Partial<PreflightInput>) => ruleIds({ targets: [pinterest], images: [{ alt: '' }], platformOptions: pin(), ...input });

  it('needs an image (media.required), takes one, a description of 500 and alt text of 500', () => {
    assert.deepEqual(ruleIds({ targets: [pinterest], platformOptions: pin() }), ['media.required']);
    assert.deepEqual(pinIds({ text: 'a'.repeat(500), images: [{ alt: 'b'.repeat(500) }] }), []);
    assert.deepEqual(pinIds({ text: 'a'.repeat(501) }), ['length.max']);
    assert.deepEqual(pinIds({ images: [{ alt: 'b'.repeat(501) }] }), ['media.alt_text_length']);
    assert.deepEqual(pinIds({ images: [{ alt: '' }, { alt: '' }] }), ['media.count']);
    const tooMany = runPreflight({ ...base, targets: [pinterest], images: [{ alt: '' }, { alt: '' }], platformOptions: pin() });
    assert.equal(tooMany[0]!.message, 'Pinterest takes at most one image a post.');
    // Only the Pinterest target needs the image.
    const issues = runPreflight({ ...base, targets: [target, pinterest], platformOptions: pin() });
    assert.deepEqual(issues.map((issue) => [issue.ruleId, issue.accountId]), [['media.required', 'p1']]);
    assert.match(issues[0]!.message, /Pinterest posts an image or a video with your text/);
  });

  it('takes a video in place of the image, with nothing beside it', () => {
    const video = { container: 'mp4' as const, videoCodec: 'avc', audioCodec: 'aac', durationSeconds: 5, width: 1080, height: 1920, frameRate: 30, bytes: 5_000_000, alt: '' };
    assert.deepEqual(ruleIds({ targets: [pinterest], platformOptions: pin(), video }), []);
    assert.deepEqual(pinIds({ video }), ['video.mix'], 'not with an image');
    assert.deepEqual(ruleIds({ targets: [pinterest], platformOptions: pin(), video: { ...video, durationSeconds: 3 } }), ['video.duration']);
  });

  it('needs a board for each Pinterest account (pinterest.board), a title of at most 100 and a web address as link', () => {
    assert.deepEqual(pinIds({ platformOptions: {} }), ['pinterest.board']);
    assert.deepEqual(pinIds({ platformOptions: pin({ boards: { other: 'b1' } }) }), ['pinterest.board']);
    assert.deepEqual(pinIds({ platformOptions: pin({ title: 'é'.repeat(100) }) }), []);
    assert.deepEqual(pinIds({ platformOptions: pin({ title: 't'.repeat(101) }) }), ['pinterest.title_length']);
    for (const link of ['https://example.com/a?b=c', 'http://example.com', '  https://example.com/  ']) {
      assert.deepEqual(pinIds({ platformOptions: pin({ link }) }), [], link);
    }
    for (const link of ['example.com', 'javascript:alert(1)', 'ftp://example.com/a', 'https://', `https://example.com/${'a'.repeat(2030)}`]) {
      assert.deepEqual(pinIds({ platformOptions: pin({ link }) }), ['pinterest.link'], link);
    }
  });

  it('says a shared field once for several Pinterest accounts, and a missing board for each account that has none', () => {
    const second = { ...pinterest, accountId: 'p2', handle: 'bob' };
    const issues = runPreflight({
      ...base,
      images: [{ alt: '' }],
      targets: [target, pinterest, second],
      platformOptions: pin({ title: 't'.repeat(120) }),
    });
    assert.deepEqual(
      issues.map((issue) => [issue.ruleId, issue.accountId]),
      [
        ['pinterest.title_length', null],
        ['pinterest.board', 'p2'],
      ],
    );
    assert.match(issues[1]!.message, /Choose a board for bob/);
  });
});
