// A packaged app ignores LOCALPOST_* endpoint overrides: src-main/index.ts started against the
// recording stand-in for `electron` with app.isPackaged true and an override in its environment
// that would send a Discord webhook token to another host. The connect goes to Discord's own
// address (answered here by a stand-in fetch, so nothing leaves this machine).
//
// Its own file (so its own process): importing index.ts starts the app once, with module state.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { useElectronStandIn } from './useElectronStandIn';

useElectronStandIn();
const { app, control, ipcMain, recorded } = await import('./electronStandIn');

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-packaged-'));
after(() => fs.rmSync(userData, { recursive: true, force: true }));
control.userDataDir = userData;
control.packaged = true;
process.env.LOCALPOST_DISCORD_API_BASE = 'http://attacker.example';

// Every request the core makes, answered as Discord answers a webhook GET.
const requested: string[] = [];
globalThis.fetch = async (input) => {
  requested.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  return Response.json({ id: '123456789012345678', type: 1, name: 'Announcements', channel_id: '42', guild_id: '7' });
};

before(async () => {
  await import('../../src-main/index');
  app.becomeReady();
  const deadline = Date.now() + 10_000;
  while (recorded.windows.length === 0) {
    if (recorded.errorBoxes.length > 0) throw new Error(`Startup failed: ${JSON.stringify(recorded.errorBoxes)}`);
    if (Date.now() > deadline) throw new Error('Timed out waiting for the app to start');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});

test('a packaged app sends a webhook only to Discord, whatever LOCALPOST_DISCORD_API_BASE says', async () => {
  const fromApp = { senderFrame: { url: 'app://localpost/index.html' } };
  const webhookUrl = 'https://discord.com/api/webhooks/123456789012345678/secret-token-abcdefghijklmnopqrstuvwxyz0123456789';
  await ipcMain.handlers.get('accounts.connect')!(fromApp, { platform: 'discord', webhookUrl });
  assert.ok(requested.length > 0, 'the connect made a request');
  for (const url of requested) assert.match(url, /^https:\/\/discord\.com\/api\//);
});
