// The previews' text rules: which runs each platform's syntax makes links, mentions and tags;
// Discord's and Slack's inline formatting; and where a feed cuts a long post.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cutForFeed } from '../../src-shared/compose/feedTruncation';
import { parseInlineMarkup } from '../../src-shared/compose/inlineMarkup';
import { shortDisplayUrl, tokenizeRichText, type RichTextSyntax, type RichToken } from '../../src-shared/compose/richText';

const bluesky: RichTextSyntax = { links: 'any', mentions: 'handle', hashtags: 'all' };
const mastodon: RichTextSyntax = { links: 'scheme', mentions: 'fediverse', hashtags: 'all' };
const x: RichTextSyntax = { links: 'any', mentions: 'username', hashtags: 'all' };
const plain: RichTextSyntax = { links: 'scheme', mentions: 'none', hashtags: 'none' };

/** Only the runs that are not plain text, as "kind:text". */
const marked = (tokens: RichToken[]) => tokens.filter((t) => t.kind !== 'text').map((t) => `${t.kind}:${t.text}`);

describe('tokenizeRichText', () => {
  it('joins back to the text exactly, whatever it holds', () => {
    for (const text of ['', 'plain', 'Hi @a.bsky.social, see https://example.com/x?y=1. #tag 👩‍👩‍👧 #日本語', '@@ ## http:// #1 a@b.com', 'end with a link example.org']) {
      for (const syntax of [bluesky, mastodon, x, plain]) {
        assert.equal(tokenizeRichText(text, syntax).map((t) => t.text).join(''), text);
      }
    }
  });

  it('Bluesky: handles with dots, bare domains and tags; a full stop after a handle stays outside', () => {
    const tokens = tokenizeRichText('Thanks @alice.bsky.social. Read example.com/post and #launch, not C#.', bluesky);
    assert.deepEqual(marked(tokens), ['mention:@alice.bsky.social', 'link:example.com/post', 'hashtag:#launch']);
    const link = tokens.find((t) => t.kind === 'link');
    assert.equal(link?.kind === 'link' && link.href, 'https://example.com/post');
  });

  it('Bluesky: an @ without a domain is no mention, an e-mail address neither', () => {
    assert.deepEqual(marked(tokenizeRichText('@alice and mail bob@example.com', bluesky)), []);
  });

  it('Mastodon: local and remote mentions; only addresses with a scheme are links', () => {
    const tokens = tokenizeRichText('@bob and @carol@social.example: example.com vs https://example.com/a #Tag_1', mastodon);
    assert.deepEqual(marked(tokens), ['mention:@bob', 'mention:@carol@social.example', 'link:https://example.com/a', 'hashtag:#Tag_1']);
  });

  it('an address with a scheme is a link whatever its host; the sentence’s full stop or bracket is not part of it', () => {
    assert.deepEqual(marked(tokenizeRichText('See http://127.0.0.1:8080/post. Or (http://localhost/x)', mastodon)), ['link:http://127.0.0.1:8080/post', 'link:http://localhost/x']);
    assert.deepEqual(marked(tokenizeRichText('Go to https://example.com/a.', x)), ['link:https://example.com/a']);
  });

  it('X: usernames; a mention or a tag inside a link is part of the link', () => {
    const tokens = tokenizeRichText('@jack_d look https://example.com/@someone/#frag #ok', x);
    assert.deepEqual(marked(tokens), ['mention:@jack_d', 'link:https://example.com/@someone/#frag', 'hashtag:#ok']);
  });

  it('a tag is not all digits, and takes letters of any script', () => {
    assert.deepEqual(marked(tokenizeRichText('#1 #2024 #Año2024 #日本', x)), ['hashtag:#Año2024', 'hashtag:#日本']);
  });

  it('only the first tag where the platform takes one a post', () => {
    assert.deepEqual(marked(tokenizeRichText('#one #two', { links: 'any', mentions: 'username', hashtags: 'first' })), ['hashtag:#one']);
  });

  it('a syntax without mentions or tags leaves them as text', () => {
    assert.deepEqual(marked(tokenizeRichText('@team #launch https://example.com', plain)), ['link:https://example.com']);
  });

  it('a syntax without links leaves every address as text', () => {
    const caption: RichTextSyntax = { links: 'none', mentions: 'username', hashtags: 'all' };
    assert.deepEqual(marked(tokenizeRichText('@bob https://example.com example.org http://127.0.0.1/x #tag', caption)), ['mention:@bob', 'hashtag:#tag']);
  });
});

describe('shortDisplayUrl', () => {
  it('drops the scheme and www., and cuts a long address with an ellipsis', () => {
    assert.equal(shortDisplayUrl('https://www.example.com/a'), 'example.com/a');
    const shown = shortDisplayUrl('https://example.com/a/very/long/path/that/goes/on');
    assert.equal(shown, 'example.com/a/very/long/…');
    assert.equal([...shown].length, 25);
  });
});

describe('parseInlineMarkup', () => {
  it('Discord: bold, italic, underline, strike, code, spoiler', () => {
    const segments = parseInlineMarkup('**b** *i* __u__ ~~s~~ `c` ||x|| _j_', 'discord');
    assert.deepEqual(
      segments.filter((s) => s.mark).map((s) => `${s.mark}:${s.text}`),
      ['bold:b', 'italic:i', 'underline:u', 'strike:s', 'code:c', 'spoiler:x', 'italic:j'],
    );
    assert.equal(segments.map((s) => s.text).join(''), 'b i u s c x j');
  });

  it('Slack: single marks at word edges; 2*3*4 and snake_case_names stay as typed', () => {
    const segments = parseInlineMarkup('*bold* _it_ ~gone~ `x*y*` 2*3*4 snake_case_name', 'slack');
    assert.deepEqual(
      segments.filter((s) => s.mark).map((s) => `${s.mark}:${s.text}`),
      ['bold:bold', 'italic:it', 'strike:gone', 'code:x*y*'],
    );
    assert.ok(segments.map((s) => s.text).join('').endsWith('2*3*4 snake_case_name'));
  });

  it('no dialect, or a mark not closed: one plain run', () => {
    assert.deepEqual(parseInlineMarkup('**b**', 'none'), [{ text: '**b**', mark: null }]);
    assert.deepEqual(parseInlineMarkup('a ** b', 'discord'), [{ text: 'a ** b', mark: null }]);
    assert.deepEqual(parseInlineMarkup('', 'slack'), [{ text: '', mark: null }]);
  });
});

describe('cutForFeed', () => {
  it('leaves a short text whole', () => {
    assert.deepEqual(cutForFeed('short', { characters: 210, lines: 3 }), { shown: 'short', cut: false });
    assert.deepEqual(cutForFeed('x'.repeat(210), { characters: 210 }), { shown: 'x'.repeat(210), cut: false });
  });

  it('cuts at the character count, in user-perceived characters, dropping trailing spaces', () => {
    assert.deepEqual(cutForFeed('x'.repeat(211), { characters: 210 }), { shown: 'x'.repeat(210), cut: true });
    const family = '👩‍👩‍👧';
    assert.deepEqual(cutForFeed(`${family.repeat(3)}abc`, { characters: 2 }), { shown: family.repeat(2), cut: true });
    assert.deepEqual(cutForFeed('word   more', { characters: 6 }), { shown: 'word', cut: true });
  });

  it('cuts at the line count first when the lines are short', () => {
    assert.deepEqual(cutForFeed('one\ntwo\nthree\nfour', { characters: 210, lines: 3 }), { shown: 'one\ntwo\nthree', cut: true });
    assert.deepEqual(cutForFeed('one\ntwo\nthree', { characters: 210, lines: 3 }), { shown: 'one\ntwo\nthree', cut: false });
  });
});
