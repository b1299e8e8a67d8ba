// The real app in the real Electron, where an Electron binary exists. Electron 45 downloads its
// binary on first launch; where it cannot (no internet, as on our build machines) this test
// reports itself skipped with the reason instead of pretending to pass.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { methods } from '../../src-preload/contract';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The Electron binary, found without require('electron'), which would try to download it. */
function electronBinary(): { path: string } | { missing: string } {
  const override = process.env.LOCALPOST_ELECTRON;
  if (override) return fs.existsSync(override) ? { path: override } : { missing: `LOCALPOST_ELECTRON=${override} does not exist` };
  const pathFile = path.join(repoRoot, 'node_modules/electron/path.txt');
  if (!fs.existsSync(pathFile)) {
    return { missing: 'the Electron binary was never downloaded (node_modules/electron/path.txt is absent; Electron fetches it on first launch, which needs internet access)' };
  }
  const binary = path.join(repoRoot, 'node_modules/electron/dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? { path: binary } : { missing: `${binary} does not exist` };
}

const binary = electronBinary();
const skip = 'missing' in binary ? `no Electron binary here: ${binary.missing}` : false;

describe('the app in Electron', () => {
  it('opens a hardened window on app://localpost with exactly the contract on window.localpost', { skip }, async () => {
    if (!('path' in binary)) return;
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-electron-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [repoRoot, `--user-data-dir=${userData}`],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '0' },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      assert.match(page.url(), /^app:\/\/localpost\//);
      assert.equal(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
      assert.equal(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined');
      const groups = [...new Set(Object.keys(methods).map((name) => name.split('.')[0]))].sort();
      const exposed = await page.evaluate(() => Object.keys((globalThis as unknown as { localpost: object }).localpost).sort());
      assert.deepEqual(exposed, [...groups, 'on'].sort());
      assert.equal(await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com') === null), true);
      const profiles = await page.evaluate(() => (globalThis as any).localpost.profiles.list({}));
      assert.equal(profiles.ok, true);
    } finally {
      await app.close();
    }
  });
});
