// Moving one image in the composer's strip, and the core's check of a whole new order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReorderOf, moveItem } from '../../src-shared/compose/imageOrder';

describe('moveItem', () => {
  it('moves one item and keeps the others in their order', () => {
    assert.deepEqual(moveItem(['a', 'b', 'c', 'd'], 0, 2), ['b', 'c', 'a', 'd']);
    assert.deepEqual(moveItem(['a', 'b', 'c', 'd'], 3, 0), ['d', 'a', 'b', 'c']);
    assert.deepEqual(moveItem(['a', 'b', 'c'], 1, 2), ['a', 'c', 'b']);
  });

  it('clamps past either end, and a move to the same place changes nothing', () => {
    assert.deepEqual(moveItem(['a', 'b', 'c'], 0, -1), ['a', 'b', 'c']);
    assert.deepEqual(moveItem(['a', 'b', 'c'], 2, 3), ['a', 'b', 'c']);
    assert.deepEqual(moveItem(['a', 'b', 'c'], 1, 99), ['a', 'c', 'b']);
    assert.deepEqual(moveItem([], 0, 1), []);
    const items = ['a'];
    assert.notEqual(moveItem(items, 0, 0), items, 'always a new list');
  });
});

describe('isReorderOf', () => {
  it('takes exactly a permutation of the current images', () => {
    assert.equal(isReorderOf(['a', 'b', 'c'], ['c', 'a', 'b']), true);
    assert.equal(isReorderOf(['a', 'b', 'c'], ['a', 'b', 'c']), true);
    assert.equal(isReorderOf([], []), true);
  });

  it('refuses a list that drops, repeats or adds an image', () => {
    assert.equal(isReorderOf(['a', 'b', 'c'], ['a', 'b']), false);
    assert.equal(isReorderOf(['a', 'b', 'c'], ['a', 'b', 'b']), false);
    assert.equal(isReorderOf(['a', 'b', 'c'], ['a', 'b', 'c', 'd']), false);
    assert.equal(isReorderOf(['a', 'b', 'c'], ['a', 'b', 'x']), false);
    assert.equal(isReorderOf(['a', 'b'], ['a', 'a']), false);
  });
});
