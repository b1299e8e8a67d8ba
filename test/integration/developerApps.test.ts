// The developer apps through the core's real dispatch, with a real vault: one app per platform
// that needs one (X, LinkedIn, Pinterest), each under its own vault key, the secret never crossing
// the bridge, and X's app as earlier versions saved it still read as it was.
//
// Run: npx tsx --test test/integration/developerApps.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src-main/core/db/openDatabase';
import { createLogger } from '../../src-main/core/log/logger';
import { systemClock } from '../../src-main/core/ports';
import { Vault } from '../../src-main/core/vault/vault';
import { startCore } from '../harness/coreClient';
import { testKeyWrapper } from '../harness/testPorts';

describe('developer apps', () => {
  it('reads the X app an earlier version saved, under the same vault key', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-devapps-'));
    const db = openDatabase(dataDir);
    try {
      const vault = new Vault({ db, keyWrapper: testKeyWrapper(dataDir), clock: systemClock, log: createLogger('test', []), onLostSecrets: () => {} });
      await vault.open();
      // The record exactly as the X-only store wrote it.
      vault.put('developer-app:x', JSON.stringify({ clientId: 'earlier-client', clientSecret: 'earlier-secret-0123456789', redirectPort: 41234 }));
    } finally {
      db.close();
    }
    const app = await startCore({ dataDir });
    assert.deepEqual(await app.call('developerApps.get', { platform: 'x' }), {
      platform: 'x',
      clientId: 'earlier-client',
      hasClientSecret: true,
      redirectPort: 41234,
      redirectUri: 'http://127.0.0.1:41234/callback',
      switches: {},
    });
    app.close();
  });

  it('keeps one app per platform, each with its own redirect URI, and never lets a secret cross the bridge', async () => {
    const app = await startCore();
    const linkedinSecret = 'linkedin-secret-0123456789-abcdef';
    const pinterestSecret = 'pinterest-secret-0123456789-abcdef';
    assert.deepEqual(await app.call('developerApps.get', { platform: 'linkedin' }), {
      platform: 'linkedin',
      clientId: null,
      hasClientSecret: false,
      redirectPort: 53682,
      redirectUri: 'http://127.0.0.1:53682/callback',
      switches: {},
    });
    await app.call('developerApps.save', { platform: 'x', clientId: 'x-client', clientSecret: '', redirectPort: 50001 });
    const linkedin = await app.call('developerApps.save', { platform: 'linkedin', clientId: 'li-client', clientSecret: linkedinSecret, redirectPort: 50002 });
    const pinterest = await app.call('developerApps.save', { platform: 'pinterest', clientId: 'pin-client', clientSecret: pinterestSecret, redirectPort: 50003 });
    assert.deepEqual(linkedin, {
      platform: 'linkedin',
      clientId: 'li-client',
      hasClientSecret: true,
      redirectPort: 50002,
      redirectUri: 'http://127.0.0.1:50002/callback',
      switches: {},
    });
    assert.equal(pinterest.redirectUri, 'http://127.0.0.1:50003/callback');
    assert.deepEqual(pinterest.switches, { sandbox: false }, "Pinterest's sandbox switch is off until turned on");
    app.close();

    // After a restart each platform reads its own app back, and X's is untouched by the others.
    const again = await startCore({ dataDir: app.dataDir });
    assert.deepEqual(await again.call('developerApps.get', { platform: 'x' }), {
      platform: 'x',
      clientId: 'x-client',
      hasClientSecret: false,
      redirectPort: 50001,
      redirectUri: 'http://127.0.0.1:50001/callback',
      switches: {},
    });
    assert.deepEqual(await again.call('developerApps.get', { platform: 'linkedin' }), linkedin);
    assert.deepEqual(await again.call('developerApps.get', { platform: 'pinterest' }), pinterest);
    again.close();

    for (const message of [...app.traffic, ...again.traffic]) {
      assert.ok(!message.includes(linkedinSecret) && !message.includes(pinterestSecret), `a secret crossed the bridge: ${message.slice(0, 200)}`);
    }
    for (const entry of fs.readdirSync(app.dataDir, { recursive: true })) {
      const file = path.join(app.dataDir, entry.toString());
      if (!fs.statSync(file).isFile()) continue;
      const content = fs.readFileSync(file).toString('latin1');
      assert.ok(!content.includes(linkedinSecret) && !content.includes(pinterestSecret), `a secret is in ${file}`);
    }
  });

  it('refuses a Client ID without the secret where the platform needs one, and keeps what was saved', async () => {
    const app = await startCore();
    await assert.rejects(app.call('developerApps.save', { platform: 'linkedin', clientId: 'li-client', redirectPort: 53682 }), (error: { code: string; message: string }) => {
      assert.equal(error.code, 'invalid_input');
      assert.match(error.message, /LinkedIn needs your app's Client secret/);
      return true;
    });
    await app.call('developerApps.save', { platform: 'pinterest', clientId: 'pin-client', clientSecret: 'pin-secret-0123456789', redirectPort: 53682 });
    // Removing the secret of a platform that needs it is refused; the saved app stays whole.
    await assert.rejects(app.call('developerApps.save', { platform: 'pinterest', clientId: 'pin-client', clientSecret: '', redirectPort: 53682 }), {
      code: 'invalid_input',
    });
    assert.equal((await app.call('developerApps.get', { platform: 'pinterest' })).hasClientSecret, true);
    // An empty Client ID clears the app, secret or not.
    assert.equal((await app.call('developerApps.save', { platform: 'linkedin', clientId: '', redirectPort: 53682 })).clientId, null);
    app.close();
  });

  it("keeps a platform's switches with its app, keeps them when a save leaves them out, and refuses another platform's", async () => {
    const app = await startCore();
    const base = { platform: 'pinterest' as const, clientId: 'pin-client', clientSecret: 'pin-secret-0123456789', redirectPort: 53682 };
    assert.deepEqual((await app.call('developerApps.save', { ...base, switches: { sandbox: true } })).switches, { sandbox: true });
    // Removing nothing but the secret (the form's other button) leaves the switch as it was.
    assert.deepEqual((await app.call('developerApps.save', { platform: 'pinterest', clientId: 'pin-client', redirectPort: 53682 })).switches, { sandbox: true });
    app.close();
    const again = await startCore({ dataDir: app.dataDir });
    assert.deepEqual((await again.call('developerApps.get', { platform: 'pinterest' })).switches, { sandbox: true });
    assert.deepEqual((await again.call('developerApps.save', { ...base, switches: { sandbox: false } })).switches, { sandbox: false });
    // X has no sandbox switch: the bridge refuses it rather than keep a setting nothing reads.
    await assert.rejects(again.call('developerApps.save', { platform: 'x', clientId: 'x-client', redirectPort: 53682, switches: { sandbox: true } }), {
      code: 'invalid_input',
    });
    assert.deepEqual((await again.call('developerApps.get', { platform: 'x' })).switches, {});
    again.close();
  });
});
