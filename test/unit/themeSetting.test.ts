// The theme setting: the system's choice until the user picks one, kept as picked, and nothing
// else crosses the bridge.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SettingsService } from '../../src-main/core/settings/settingsService';
import { settingsSchema } from '../../src-preload/contract';

function memoryPreferences() {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string) => values.get(key) as T | undefined, set: (key: string, value: unknown) => void values.set(key, value) };
}

describe('the theme setting', () => {
  it('follows the system by default and keeps the theme the user picks', () => {
    const preferences = memoryPreferences();
    const settings = new SettingsService(preferences as never, 'en-GB');
    assert.equal(settings.get().theme, 'system');
    assert.equal(settings.update({ theme: 'dark' }).theme, 'dark');
    assert.equal(new SettingsService(preferences as never, 'en-GB').get().theme, 'dark');
    assert.equal(settings.update({ theme: 'system' }).theme, 'system');
  });

  it('the bridge refuses a theme that does not exist', () => {
    const update = settingsSchema.partial().strict();
    for (const bad of ['blue', 'Dark', '', null, 1]) assert.equal(update.safeParse({ theme: bad }).success, false, String(bad));
    for (const good of ['system', 'light', 'dark']) assert.equal(update.safeParse({ theme: good }).success, true, good);
  });
});
