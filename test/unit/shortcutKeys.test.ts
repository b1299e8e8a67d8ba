// The keyboard shortcuts: the platform's modifier, no clash with typing, and the help sheet's list.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMacPlatform, matchShortcut, shortcutList, takesText, type KeyPress } from '../../src-renderer/features/shortcuts/shortcutKeys';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code: /^[0-9]$/.test(key) ? `Digit${key}` : /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : key === '/' || key === '?' ? 'Slash' : key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  repeat: false,
  ...mods,
});
const linux = { mac: false, typing: false };
const mac = { mac: true, typing: false };

describe('matchShortcut', () => {
  it('publishes with Ctrl+Enter, and Cmd+Enter on macOS, even while typing in the post', () => {
    assert.deepEqual(matchShortcut(press('Enter', { ctrlKey: true }), { mac: false, typing: true }), { id: 'publish' });
    assert.deepEqual(matchShortcut(press('Enter', { metaKey: true }), { mac: true, typing: true }), { id: 'publish' });
    assert.deepEqual(matchShortcut(press('Enter', { ctrlKey: true, shiftKey: true }), linux), { id: 'schedule' });
    // The other platform's modifier is not this one's.
    assert.equal(matchShortcut(press('Enter', { metaKey: true }), linux), null);
    assert.equal(matchShortcut(press('Enter', { ctrlKey: true }), mac), null);
    assert.equal(matchShortcut(press('Enter'), linux), null);
  });

  it('switches view with Mod+1 to 9, also where the digit needs Shift (AZERTY: the key is &)', () => {
    assert.deepEqual(matchShortcut(press('1', { ctrlKey: true }), linux), { id: 'showView', position: 1 });
    assert.deepEqual(matchShortcut(press('4', { metaKey: true }), mac), { id: 'showView', position: 4 });
    assert.deepEqual(matchShortcut({ ...press('&', { ctrlKey: true }), code: 'Digit1' }, linux), { id: 'showView', position: 1 });
    assert.equal(matchShortcut(press('0', { ctrlKey: true }), linux), null);
    assert.equal(matchShortcut(press('1'), linux), null);
  });

  it('new draft, search and help with the modifier; ? and / only outside a text field', () => {
    assert.deepEqual(matchShortcut(press('n', { ctrlKey: true }), { mac: false, typing: true }), { id: 'newDraft' });
    assert.deepEqual(matchShortcut(press('f', { metaKey: true }), mac), { id: 'focusSearch' });
    assert.deepEqual(matchShortcut(press('/', { ctrlKey: true }), { mac: false, typing: true }), { id: 'help' });
    assert.deepEqual(matchShortcut(press('?', { shiftKey: true }), linux), { id: 'help' });
    assert.deepEqual(matchShortcut(press('/'), linux), { id: 'focusSearch' });
    assert.equal(matchShortcut(press('?', { shiftKey: true }), { mac: false, typing: true }), null);
    assert.equal(matchShortcut(press('/'), { mac: false, typing: true }), null);
  });

  it('never takes AltGr (Ctrl+Alt on Windows), a held key, or a plain letter', () => {
    assert.equal(matchShortcut(press('n', { ctrlKey: true, altKey: true }), linux), null);
    assert.equal(matchShortcut(press('Enter', { ctrlKey: true, altKey: true }), linux), null);
    assert.equal(matchShortcut(press('Enter', { ctrlKey: true, repeat: true }), linux), null);
    assert.equal(matchShortcut(press('n'), linux), null);
    assert.equal(matchShortcut(press('N', { ctrlKey: true, shiftKey: true }), linux), null);
    assert.equal(matchShortcut(press('?', { shiftKey: true, altKey: true }), linux), null);
  });
});

describe('takesText', () => {
  it('is true in the fields a character goes into, false on buttons and boxes', () => {
    assert.equal(takesText({ tagName: 'TEXTAREA' }), true);
    assert.equal(takesText({ tagName: 'INPUT', type: 'search' }), true);
    assert.equal(takesText({ tagName: 'INPUT', type: 'datetime-local' }), true);
    assert.equal(takesText({ tagName: 'SELECT' }), true);
    assert.equal(takesText({ tagName: 'DIV', isContentEditable: true }), true);
    assert.equal(takesText({ tagName: 'INPUT', type: 'checkbox' }), false);
    assert.equal(takesText({ tagName: 'BUTTON' }), false);
    assert.equal(takesText(null), false);
  });
});

describe('shortcutList', () => {
  it('writes the keys as the platform does, with one line per section in the sidebar', () => {
    const sections = ['Compose', 'Queue', 'History'];
    const onLinux = shortcutList(false, sections);
    assert.deepEqual(onLinux.find((line) => line.action === 'Publish the post')?.keys, [['Ctrl', 'Enter']]);
    assert.deepEqual(onLinux.find((line) => line.action === 'Go to History')?.keys, [['Ctrl', '3']]);
    assert.deepEqual(shortcutList(true, sections).find((line) => line.action === 'Publish the post')?.keys, [['⌘', 'Enter']]);
    assert.equal(onLinux.filter((line) => line.action.startsWith('Go to ')).length, 3);
  });

  it('knows macOS from the platform strings browsers report', () => {
    assert.equal(isMacPlatform('MacIntel'), true);
    assert.equal(isMacPlatform('macOS'), true);
    assert.equal(isMacPlatform('Linux x86_64'), false);
    assert.equal(isMacPlatform('Win32'), false);
  });
});
