// What the approval card shows of an assistant's text: every hidden character named, every
// written link with its real address.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countHiddenCharacters, hasHiddenCharacters, hostAsResolved, revealHidden, revealLinks } from '../../src-shared/compose/revealText';

describe('revealHidden', () => {
  it('names zero-width and bidirectional characters and keeps the rest as it is', () => {
    assert.deepEqual(revealHidden('pay\u200Bpal \u202Egnp.exe'), [
      { kind: 'text', text: 'pay' },
      { kind: 'hidden', codePoint: 'U+200B', name: 'ZERO WIDTH SPACE' },
      { kind: 'text', text: 'pal ' },
      { kind: 'hidden', codePoint: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE' },
      { kind: 'text', text: 'gnp.exe' },
    ]);
  });

  it('covers every character the gate must show', () => {
    const listed = [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const cp of listed) {
      const [piece] = revealHidden(String.fromCodePoint(cp));
      assert.equal(piece?.kind, 'hidden', cp.toString(16));
    }
    assert.equal(countHiddenCharacters(listed.map((cp) => String.fromCodePoint(cp)).join('')), listed.length);
  });

  it('spells out tag characters, which can carry a whole hidden sentence', () => {
    const smuggled = [...'hi'].map((c) => String.fromCodePoint(0xe0000 + c.codePointAt(0)!)).join('');
    assert.deepEqual(revealHidden(`ok${smuggled}`), [
      { kind: 'text', text: 'ok' },
      { kind: 'hidden', codePoint: 'U+E0068', name: 'TAG h' },
      { kind: 'hidden', codePoint: 'U+E0069', name: 'TAG i' },
    ]);
  });

  it('names other format and control characters by their category', () => {
    assert.deepEqual(revealHidden('\u0007\u2064\u{1D173}'), [
      { kind: 'hidden', codePoint: 'U+0007', name: 'CONTROL CHARACTER' },
      { kind: 'hidden', codePoint: 'U+2064', name: 'INVISIBLE PLUS' },
      { kind: 'hidden', codePoint: 'U+1D173', name: 'FORMAT CHARACTER' },
    ]);
  });

  it('leaves line breaks, tabs, emoji and other scripts alone', () => {
    const plain = 'Line one\n\tLine two: مرحبا, 日本語, 🎉';
    assert.deepEqual(revealHidden(plain), [{ kind: 'text', text: plain }]);
    assert.equal(hasHiddenCharacters(plain), false);
    assert.equal(hasHiddenCharacters('a\uFEFF'), true);
    assert.deepEqual(revealHidden(''), []);
  });
});

describe('revealLinks', () => {
  it('takes Markdown and HTML links apart into their words and their address', () => {
    assert.deepEqual(revealLinks('See [your bank](https://evil.test/login) or <a href="https://evil.test/b">bank.com</a> now'), [
      { kind: 'text', text: 'See ' },
      { kind: 'link', written: '[your bank](https://evil.test/login)', words: 'your bank', address: 'https://evil.test/login' },
      { kind: 'text', text: ' or ' },
      { kind: 'link', written: '<a href="https://evil.test/b">bank.com</a>', words: 'bank.com', address: 'https://evil.test/b' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('finds bare addresses, and leaves text without links as one piece', () => {
    assert.deepEqual(revealLinks('Read https://example.com/a?b=1. [not a link]'), [
      { kind: 'text', text: 'Read ' },
      { kind: 'link', written: 'https://example.com/a?b=1.', words: 'https://example.com/a?b=1.', address: 'https://example.com/a?b=1.' },
      { kind: 'text', text: ' [not a link]' },
    ]);
    assert.deepEqual(revealLinks('Nothing to see'), [{ kind: 'text', text: 'Nothing to see' }]);
  });

  it('gives the host a look-alike address really goes to', () => {
    // Cyrillic а (U+0430) in place of Latin a.
    assert.equal(hostAsResolved('https://p\u0430ypal.com/login'), 'xn--pypal-4ve.com');
    assert.equal(hostAsResolved('https://Example.com/x'), null);
    assert.equal(hostAsResolved('https://user@example.com:8080/'), null);
    assert.equal(hostAsResolved('not a url'), null);
  });
});
