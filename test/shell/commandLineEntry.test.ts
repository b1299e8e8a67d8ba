// The installed app as the `localpost` command: src-main/index.ts started against the recording
// stand-in for `electron` with `--localpost-cli` and a command in argv. The command runs and the
// process exits with its code, before the single-instance lock and without any window or data
// folder of its own: it only talks to a running app, and here none runs (a development build
// starts none), so it says so with exit code 3.
//
// Its own file (so its own process): importing index.ts starts the app once, with module state.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { useElectronStandIn } from './useElectronStandIn';

useElectronStandIn();
const { control, recorded } = await import('./electronStandIn');

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-cli-entry-'));
const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-cli-none-'));
after(() => {
  fs.rmSync(userData, { recursive: true, force: true });
  fs.rmSync(elsewhere, { recursive: true, force: true });
});
control.userDataDir = userData;
process.env.LOCALPOST_DATA_DIR = elsewhere;
process.argv.push('--localpost-cli', '--json', 'accounts', 'list');

const printed: string[] = [];
before(async () => {
  // What the command prints goes to a list, not into the test runner's own output.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    await import('../../src-main/index');
    const deadline = Date.now() + 10_000;
    while (recorded.exitCodes.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.stdout.write = write;
  }
});

test('the command runs and exits with its code: no app answers, so 3 and the JSON envelope saying so', () => {
  assert.deepEqual(recorded.exitCodes, [3]);
  // The command's parser loads when a command runs (not with the app), and meanwhile the test
  // runner's own messages to its parent pass through process.stdout too: only text lines are the command's.
  const lines = printed.join('').split('\n').filter((line) => line.startsWith('{'));
  assert.equal(lines.length, 1);
  assert.deepEqual(JSON.parse(lines[0]!), {
    ok: false,
    error: { code: 'app_not_running', message: 'Localpost is not running.', action: 'Start Localpost, then run this again.' },
  });
});

test('it took no single-instance lock, opened no window and wrote nothing into the app’s data folder', () => {
  assert.equal(recorded.singleInstanceLockRequests, 0);
  assert.equal(recorded.windows.length, 0);
  assert.deepEqual(fs.readdirSync(userData), []);
  assert.deepEqual(fs.readdirSync(elsewhere), [], 'not even the endpoint folder: the command never creates one');
});
