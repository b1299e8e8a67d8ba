// Reply chains before anything is sent: how a long text is cut (splitToFit), what each target
// says and how it becomes posts (partsFor), and what preflight says about chains and variants.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import twitterText from 'twitter-text';
import { partsFor, partSeparator, variantFor, type PostText } from '../../src-shared/compose/postParts';
import { runPreflight, type PreflightInput } from '../../src-shared/compose/preflight';
import { splitToFit } from '../../src-shared/compose/splitText';
import { countGraphemes, type LengthRule } from '../../src-shared/compose/textLength';
import { platformRules } from '../../src-shared/platforms';

/** At most `limit` graphemes, as Bluesky counts. */
const graphemesUpTo = (limit: number) => (part: string) => countGraphemes(part) <= limit;
/** The text's whitespace-separated words, as one line. */
const wordsOf = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');
const graphemesOf = (text: string) => Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);

describe('splitToFit', () => {
  it('gives back a text that fits whole, trimmed, and nothing for an empty one', () => {
    assert.deepEqual(splitToFit('  Short enough.  ', graphemesUpTo(300)), ['Short enough.']);
    assert.deepEqual(splitToFit(' \n ', graphemesUpTo(300)), []);
  });

  it('cuts English at sentence boundaries, each part as full as it can be, and knows "Dr." ends none', () => {
    const text = 'Dr. Smith went home early. He slept for a while. Then he woke up and made tea. The end.';
    const parts = splitToFit(text, graphemesUpTo(50));
    assert.deepEqual(parts, ['Dr. Smith went home early. He slept for a while.', 'Then he woke up and made tea. The end.']);
    assert.equal(parts.join(' '), text);
  });

  it('cuts Japanese after "。", where its sentences end without spaces', () => {
    const text = '今日は晴れです。明日は雨でしょう。週末は雪です。';
    const parts = splitToFit(text, graphemesUpTo(17));
    assert.deepEqual(parts, ['今日は晴れです。明日は雨でしょう。', '週末は雪です。']);
    assert.equal(parts.join(''), text);
  });

  it('cuts a sentence longer than a post between words, and keeps a link whole when it fits in a post of its own', () => {
    const text = 'This one sentence is much longer than the limit allows for sure';
    const parts = splitToFit(text, graphemesUpTo(20));
    assert.deepEqual(parts, ['This one sentence is', 'much longer than the', 'limit allows for', 'sure']);
    assert.equal(parts.join(' '), text);
    assert.deepEqual(splitToFit('Go to https://example.com/abcdefgh now', graphemesUpTo(30)), ['Go to', 'https://example.com/abcdefgh', 'now']);
  });

  it('cuts a word longer than a post between graphemes, never inside an emoji or a flag', () => {
    const family = '👩‍👩‍👧‍👦';
    const word = `${family.repeat(5)}🇫🇷🇫🇷🇫🇷`;
    const parts = splitToFit(word, graphemesUpTo(2));
    assert.ok(parts.every((part) => countGraphemes(part) <= 2));
    assert.equal(parts.join(''), word, 'nothing lost, nothing added');
    for (const part of parts) assert.ok(graphemesOf(part).every((g) => g === family || g === '🇫🇷'), `an emoji was cut: ${JSON.stringify(part)}`);
    const long = 'a'.repeat(25);
    assert.deepEqual(splitToFit(`Before ${long} after`, graphemesUpTo(10)), ['Before', 'aaaaaaaaaa', 'aaaaaaaaaa', 'aaaaa', 'after']);
  });

  it('loses nothing: joining the parts with single spaces gives the text’s words back, and every part fits', () => {
    const sentences = [
      'Local-first software keeps your data on your own machine.',
      'It syncs when it can, and works when it cannot!',
      'Is that not what we wanted all along?',
      'Some sentences run on and on without stopping for breath, piling clause upon clause, until no single post could ever hold them whole.',
      'Short.',
    ];
    const text = sentences.join('  \n');
    for (const limit of [20, 35, 60, 140, 300]) {
      const parts = splitToFit(text, graphemesUpTo(limit));
      assert.ok(parts.every((part) => countGraphemes(part) <= limit && part === part.trim() && part !== ''), `limit ${limit}`);
      // A word cut in two would come back as two words.
      assert.equal(wordsOf(parts.join(' ')), wordsOf(text), `limit ${limit}`);
    }
  });

  it('tells `fits` which part it asks about, so the first may have a limit of its own', () => {
    const text = 'One two three four five six seven eight nine ten.';
    const parts = splitToFit(text, (part, index) => countGraphemes(part) <= (index === 0 ? 10 : 30));
    assert.deepEqual(parts, ['One two', 'three four five six seven', 'eight nine ten.']);
  });
});

describe('partsFor', () => {
  const bluesky = { accountId: 'b1', platform: 'bluesky' as const };
  const ownBluesky = { accountId: 'b2', platform: 'bluesky' as const };
  const x = { accountId: 'x1', platform: 'x' as const };
  const linkedin = { accountId: 'l1', platform: 'linkedin' as const };
  const post: PostText = {
    text: 'Main text',
    replies: ['Main reply', '   ', 'Main last'],
    variants: {
      platforms: { bluesky: { text: 'Bluesky text', replies: ['Bluesky reply'] } },
      accounts: { b2: { text: 'Own text', replies: [] } },
    },
  };

  it('takes the account’s own text over its platform’s, and its platform’s over the main text', () => {
    assert.equal(variantFor(post, ownBluesky).scope, 'account');
    assert.deepEqual(partsFor(post, ownBluesky, false), ['Own text']);
    assert.equal(variantFor(post, bluesky).scope, 'platform');
    assert.deepEqual(partsFor(post, bluesky, false), ['Bluesky text', 'Bluesky reply']);
    assert.equal(variantFor(post, x).scope, 'main');
    assert.deepEqual(partsFor(post, x, false), ['Main text', 'Main reply', 'Main last'], 'the empty reply is dropped');
  });

  it('joins a chain into one post with a blank line where the platform has no replies', () => {
    assert.equal(partSeparator, '\n\n');
    assert.deepEqual(partsFor(post, linkedin, false), ['Main text\n\nMain reply\n\nMain last']);
    assert.deepEqual(partsFor({ ...post, splitLongPosts: true, text: 'a '.repeat(4000) }, linkedin, false).length, 1, 'and never cuts it');
  });

  it('cuts only with splitLongPosts, at each platform’s own limit', () => {
    const sentence = 'This sentence is exactly sixty characters long, more or less.';
    const text = Array.from({ length: 8 }, () => sentence).join(' ');
    assert.equal(partsFor({ text }, bluesky, false).length, 1, 'not asked to cut');
    const bskyParts = partsFor({ text, splitLongPosts: true }, bluesky, false);
    assert.ok(bskyParts.length >= 2 && bskyParts.every((part) => countGraphemes(part) <= 300), JSON.stringify(bskyParts));
    assert.equal(bskyParts.join(' '), text);
    // A Mastodon instance that allows 1,000 characters keeps it whole.
    const mastodon = { accountId: 'm1', platform: 'mastodon' as const, limits: { maxCharacters: 1000, maxImages: 4, charactersReservedPerUrl: 23 } };
    assert.deepEqual(partsFor({ text, splitLongPosts: true }, mastodon, false), [text]);
  });

  it('counts X’s weighted length: a chain of CJK text is cut at 140 characters, each weighing two', () => {
    const sentence = '日本語の文章はここで終わります。';
    const text = sentence.repeat(20);
    const parts = partsFor({ text, splitLongPosts: true }, x, false);
    assert.ok(parts.length > 1);
    for (const part of parts) {
      assert.ok(twitterText.parseTweet(part).weightedLength <= 280, `${part.length} characters weigh ${twitterText.parseTweet(part).weightedLength}`);
      assert.ok(part.endsWith('。'), 'cut at sentence boundaries');
    }
    assert.equal(parts.join(''), text);
    // Latin text weighs one a character: far fewer parts for as many characters.
    const latin = partsFor({ text: 'Word after word after word. '.repeat(40), splitLongPosts: true }, x, false);
    assert.ok(latin.every((part) => twitterText.parseTweet(part).weightedLength <= 280));
    assert.ok(latin.length < parts.length * 2);
  });

  describe('a first post carrying media', () => {
    // No platform with reply chains has a caption limit of its own today; a shorter one for X
    // shows the first post is held to it, and the rest to the usual limit.
    const original = platformRules.x.captionLength;
    afterEach(() => {
      if (original) platformRules.x.captionLength = original;
      else delete platformRules.x.captionLength;
    });

    it('is cut to the caption limit, and the posts after it to the usual one', () => {
      const caption: LengthRule = { count: (text: string) => [...text].length, limit: 40, unit: 'characters' };
      platformRules.x.captionLength = caption;
      const text = 'Word after word after word. '.repeat(10).trim();
      const withMedia = partsFor({ text, splitLongPosts: true }, x, true);
      assert.ok(withMedia[0]!.length <= 40, withMedia[0]);
      assert.ok(withMedia[1]!.length > 40, 'the replies carry no media');
      const without = partsFor({ text, splitLongPosts: true }, x, false);
      assert.ok(without[0]!.length > 40);
    });
  });
});

describe('preflight of chains and variants', () => {
  const target = { accountId: 'a1', handle: 'alice.test', platform: 'bluesky' as const, status: 'connected' as const };
  const base: PreflightInput = { text: 'hello', images: [], hasLinkCard: false, targets: [target], requireAltText: false };

  it('checks every post of a chain, and names the one too long', () => {
    assert.deepEqual(runPreflight({ ...base, replies: ['fine', 'also fine'] }), []);
    const issues = runPreflight({ ...base, replies: ['x'.repeat(320), 'fine'] });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.ruleId, 'length.max');
    assert.equal(issues[0]!.accountId, 'a1');
    assert.equal(issues[0]!.message, "Post 2 of 3: 20 characters over Bluesky's 300 for @alice.test.");
  });

  it('cut with splitLongPosts, a long text passes', () => {
    const text = 'A sentence that goes on for a while. '.repeat(20).trim();
    assert.equal(runPreflight({ ...base, text })[0]?.ruleId, 'length.max');
    assert.deepEqual(runPreflight({ ...base, text, splitLongPosts: true }), []);
  });

  it('joined into one post where there are no replies, the chain counts as one text', () => {
    const linkedin = { accountId: 'l1', handle: 'Alice', platform: 'linkedin' as const, status: 'connected' as const };
    const long = 'y'.repeat(2000);
    const issues = runPreflight({ ...base, targets: [linkedin], text: long, replies: [long] });
    assert.equal(issues.length, 1);
    assert.doesNotMatch(issues[0]!.message, /^Post \d/);
  });

  it('an empty text written for one platform is reported for its accounts alone', () => {
    const x = { accountId: 'x1', handle: 'alice', platform: 'x' as const, status: 'connected' as const };
    const issues = runPreflight({ ...base, targets: [target, x], variants: { platforms: { x: { text: '  ', replies: [] } }, accounts: {} } });
    assert.deepEqual(
      issues.map((issue) => [issue.ruleId, issue.accountId, issue.message]),
      [['content.empty', 'x1', 'The text written for @alice is empty: write it, or use the main text.']],
    );
  });

  it('a variant is checked against its own platform’s limit, not the main text’s', () => {
    const x = { accountId: 'x1', handle: 'alice', platform: 'x' as const, status: 'connected' as const };
    const variants = { platforms: {}, accounts: { x1: { text: 'z'.repeat(281), replies: ['ok'] } } };
    const issues = runPreflight({ ...base, targets: [target, x], variants });
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.accountId, 'x1');
    assert.match(issues[0]!.message, /^Post 1 of 2: 1 characters over X's 280/);
  });
});
