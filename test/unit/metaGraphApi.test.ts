// The Graph API version is one setting, kept and refused like every setting, and named on each
// call Facebook Pages and Instagram make.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { graphApiBase } from '../../src-main/core/platforms/meta/graphApi';
import { SettingsService } from '../../src-main/core/settings/settingsService';
import { settingsSchema } from '../../src-preload/contract';
import { defaultMetaGraphApiVersion } from '../../src-shared/metaGraphApi';
import { AppError } from '../../src-main/core/errors';

function memoryPreferences() {
  const values = new Map<string, unknown>();
  return { get: <T>(key: string) => values.get(key) as T | undefined, set: (key: string, value: unknown) => void values.set(key, value) };
}

describe('the Graph API version setting', () => {
  it('defaults to the version Localpost is built against, and keeps the one the user names', () => {
    const settings = new SettingsService(memoryPreferences() as never, 'en-GB');
    assert.equal(settings.get().metaGraphApiVersion, defaultMetaGraphApiVersion);
    assert.equal(settings.update({ metaGraphApiVersion: 'v25.0' }).metaGraphApiVersion, 'v25.0');
    assert.equal(settings.get().metaGraphApiVersion, 'v25.0');
  });

  it('the bridge refuses a version Meta would not recognise', () => {
    const update = settingsSchema.partial().strict();
    for (const bad of ['latest', '24.0', 'v24', 'v24.0/../me', ' v24.0', 'v24.0?x=1']) {
      assert.equal(update.safeParse({ metaGraphApiVersion: bad }).success, false, bad);
    }
    assert.equal(update.safeParse({ metaGraphApiVersion: 'v19.0' }).success, true);
  });

  it('each call names the version on the host it goes to', () => {
    assert.equal(graphApiBase('https://graph.facebook.com', 'v24.0'), 'https://graph.facebook.com/v24.0');
    assert.equal(graphApiBase('http://127.0.0.1:4000/', 'v25.1'), 'http://127.0.0.1:4000/v25.1');
    assert.throws(() => graphApiBase('https://graph.facebook.com', 'v24.0/../../me'), (error: unknown) => error instanceof AppError && error.code === 'invalid_input');
  });
});
