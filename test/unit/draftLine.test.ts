// What a row of the drafts list shows of a draft's text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shownCharacters, shownLine } from '../../src-renderer/features/drafts/draftLine';

describe('shownLine', () => {
  it('is the first line that is not blank, trimmed', () => {
    assert.equal(shownLine('\n   \n  Big news from the bakery!  \nSecond line'), 'Big news from the bakery!');
    assert.equal(shownLine('One line'), 'One line');
  });

  it('is null for a text with nothing but blanks', () => {
    assert.equal(shownLine(''), null);
    assert.equal(shownLine(' \n\t\n  '), null);
  });

  it('keeps only the start of a long first line, so typing on at its end changes nothing', () => {
    const start = 'a'.repeat(shownCharacters);
    assert.equal(shownLine(start + 'bcd'), start);
    assert.equal(shownLine(start + 'bcde'), shownLine(start + 'b'));
    assert.equal(shownLine(start.slice(1) + 'b'), start.slice(1) + 'b');
  });

  it('never ends in half of an emoji', () => {
    const text = 'a'.repeat(shownCharacters - 1) + '👍 and more';
    assert.equal(shownLine(text), 'a'.repeat(shownCharacters - 1));
  });
});
