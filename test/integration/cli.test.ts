// The localpost command as a user runs it: a separate process, its words and its exit codes,
// talking to the real core through the local endpoint, publishing to a real PDS. The command
// holds nothing: the app connects, drafts, checks and sends.
//
// Run: npm test -- test/integration/cli.test.ts
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src-cli/cli';
import { startLocalEndpoint, type LocalEndpoint } from '../../src-main/core/localEndpoint/localEndpoint';
import { startCore, type CoreClient } from '../harness/coreClient';
import { startPds, type TestPds } from '../harness/pds';
import { smallPng } from '../fixtures/images';

const repoRoot = path.resolve(import.meta.dirname, '../..');
let pds: TestPds;
let alice: Awaited<ReturnType<TestPds['createAccount']>>;
let app: CoreClient;
let endpoint: LocalEndpoint;

before(async () => {
  pds = await startPds();
  alice = await pds.createAccount('alice');
  app = await startCore();
  endpoint = await startLocalEndpoint({ dataDir: app.dataDir, handlers: app.core.handlers, log: app.core.log, aiClients: app.core.aiClients, appVersion: '0.0.0-test' });
});
after(async () => {
  await endpoint.close();
  app.close();
  await pds.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `localpost …` in its own process, against this test's app unless told another data folder. */
function localpost(args: string[], options: { env?: Record<string, string>; stdin?: string; dataDir?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src-cli/main.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOCALPOST_DATA_DIR: options.dataDir ?? app.dataDir, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

const envelope = (run: Run) => JSON.parse(run.stdout) as { ok: boolean; data?: any; error?: { code: string; message: string; action?: string; ruleIds?: string[] } };

describe('the localpost command', () => {
  it('says how to use it, and refuses a wrong command line with exit code 2', async () => {
    const help = await localpost(['--help']);
    assert.equal(help.code, 0);
    for (const command of ['accounts', 'post', 'preflight', 'posts', 'drafts', 'mcp']) assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`));
    assert.match(help.stdout, /Exit codes: 0 done/);
    assert.match((await localpost(['post', '--help'])).stdout, /--to <account\.\.\.>/);
    const wrong = await localpost(['frobnicate', '--json']);
    assert.equal(wrong.code, 2);
    assert.equal(envelope(wrong).error!.code, 'usage');
    assert.equal((await localpost(['post', '--text', 'no target'])).code, 2);
  });

  it('says the app is not running (exit code 3) where no app answers', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-none-'));
    const run = await localpost(['accounts', 'list'], { dataDir: empty });
    assert.equal(run.code, 3);
    assert.match(run.stderr, /Localpost is not running/);
    const json = await localpost(['--json', 'accounts', 'list'], { dataDir: empty });
    assert.deepEqual(envelope(json), { ok: false, error: { code: 'app_not_running', message: 'Localpost is not running.', action: 'Start Localpost, then run this again.' } });
  });

  it('inside the installed app, starts the app without a window when none runs, and waits for its door', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-autostart-'));
    let started: { core: CoreClient; endpoint: LocalEndpoint } | null = null;
    let starts = 0;
    const out: string[] = [];
    const code = await runCli(['--json', 'accounts', 'list'], {
      stdout: (text) => out.push(text),
      stderr: () => {},
      env: { LOCALPOST_DATA_DIR: dataDir },
      readStdin: async () => '',
      startApp() {
        starts++;
        // The app takes a moment to open its data folder and its door.
        setTimeout(async () => {
          const core = await startCore({ dataDir });
          started = { core, endpoint: await startLocalEndpoint({ dataDir, handlers: core.core.handlers, log: core.core.log, aiClients: core.core.aiClients, appVersion: '0' }) };
        }, 300);
      },
    });
    assert.equal(code, 0, out.join(''));
    assert.equal(starts, 1);
    assert.deepEqual(JSON.parse(out.join('')), { ok: true, data: [] });
    const { core, endpoint: door } = started!;
    await door.close();
    core.close();
  });

  it('connects a Bluesky account with the app password from the environment or stdin, never from a flag, and never prints it', async () => {
    const noPassword = await localpost(['accounts', 'connect', 'bluesky', '--handle', alice.handle, '--service', pds.url, '--allow-private-address']);
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.stderr, /LOCALPOST_APP_PASSWORD/);

    const wrong = await localpost(['--json', 'accounts', 'connect', 'bluesky', '--handle', alice.handle, '--service', pds.url, '--allow-private-address'], {
      env: { LOCALPOST_APP_PASSWORD: 'wrong-wrong-wrong-wrong' },
    });
    assert.equal(envelope(wrong).ok, false);
    assert.equal(envelope(wrong).error!.code, 'invalid_credentials');
    assert.equal(wrong.code, 6);

    const piped = await localpost(['--json', 'accounts', 'connect', 'bluesky', '--handle', alice.handle, '--service', pds.url, '--allow-private-address', '--app-password-stdin'], {
      stdin: `${alice.appPassword}\n`,
    });
    assert.equal(piped.code, 0, piped.stderr);
    const connected = envelope(piped).data;
    assert.equal(connected.account.handle, alice.handle);
    assert.equal(connected.account.avatar, undefined, 'no picture in a script’s output');
    assert.ok(!piped.stdout.includes(alice.appPassword) && !piped.stderr.includes(alice.appPassword));

    const list = await localpost(['accounts', 'list']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, new RegExp(`bluesky  ${alice.handle.replace(/\./g, '\\.')}  connected`));
    const status = await localpost(['--json', 'accounts', 'status', '--account', `@${alice.handle}`]);
    assert.equal(status.code, 0);
    assert.equal(envelope(status).data[0].status, 'connected');
  });

  it('publishes a post with an image and its alt text, waits for it, and shows it', async () => {
    const image = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-cli-')), 'square.png');
    fs.writeFileSync(image, await smallPng(64, 64));
    const run = await localpost(['--json', 'post', '--to', alice.handle, '--text', 'Posted from a script', '--image', image, '--alt', 'A small square', '--wait']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const post = envelope(run).data;
    assert.equal(post.targets[0].status, 'published');
    const record = (await pds.listPosts(alice.did)).find((p) => p.value.text === 'Posted from a script');
    assert.ok(record, 'the post is on the PDS');
    assert.equal(record.value.embed.images[0].alt, 'A small square');
    assert.equal(post.targets[0].uri, record.uri);

    const shown = await localpost(['posts', 'show', post.id]);
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, /Posted from a script/);
    assert.match(shown.stdout, new RegExp(`bluesky ${alice.handle.replace(/\./g, '\\.')}: published`));
    assert.match((await localpost(['posts', 'list'])).stdout, new RegExp(post.id));
  });

  it('publishes a thread: the text, then each --reply answering the one before', async () => {
    const run = await localpost(['post', '--to', alice.handle, '--text', 'CLI thread one', '--reply', 'CLI thread two', 'CLI thread three', '--wait']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`bluesky ${alice.handle.replace(/\./g, '\\.')}: published \\(3 of 3 posts\\)`));
    const posts = (await pds.listPosts(alice.did)).filter((p) => p.value.text.startsWith('CLI thread')).reverse();
    assert.deepEqual(posts.map((p) => p.value.text), ['CLI thread one', 'CLI thread two', 'CLI thread three']);
    assert.equal(posts[1]!.value.reply.parent.uri, posts[0]!.uri);
    assert.equal(posts[2]!.value.reply.parent.uri, posts[1]!.uri);
    assert.equal(posts[2]!.value.reply.root.uri, posts[0]!.uri);

    // --split cuts a text too long for one post into a thread instead of refusing it.
    const long = Array.from({ length: 10 }, (_, i) => `Sentence ${i + 1} of a text far too long for one post on Bluesky.`).join(' ');
    assert.equal((await localpost(['preflight', '--to', alice.handle, '--text', long])).code, 4);
    const split = await localpost(['--json', 'preflight', '--to', alice.handle, '--text', long, '--split']);
    assert.equal(split.code, 0, split.stdout + split.stderr);
  });

  it('a post preflight refuses is not sent (exit code 4, with the rule ids), and its draft is kept', async () => {
    const draftsBefore = (await app.call('drafts.list', {})).length;
    const preflight = await localpost(['--json', 'preflight', '--to', alice.handle, '--text', 'x'.repeat(301)]);
    assert.equal(preflight.code, 4);
    assert.deepEqual(envelope(preflight).data.map((issue: { ruleId: string }) => issue.ruleId), ['length.max']);
    assert.equal((await app.call('drafts.list', {})).length, draftsBefore, 'preflight keeps nothing');

    const run = await localpost(['--json', 'post', '--to', alice.handle, '--text', 'x'.repeat(301)]);
    assert.equal(run.code, 4);
    const { error } = envelope(run);
    assert.equal(error!.code, 'preflight_failed');
    assert.deepEqual(error!.ruleIds, ['length.max']);
    assert.match(error!.action!, /The draft is kept/);
    assert.equal((await app.call('drafts.list', {})).length, draftsBefore + 1);
    assert.ok(!(await pds.listPosts(alice.did)).some((p) => p.value.text === 'x'.repeat(301)));
  });

  it('schedules for a wall time in a zone, lists it, and cancels it', async () => {
    const run = await localpost(['--json', 'post', '--to', alice.handle, '--text', 'Later, from a script', '--at', '2099-06-01T09:30', '--tz', 'Europe/Paris']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const post = envelope(run).data;
    assert.equal(post.phase, 'scheduled');
    assert.equal(post.scheduleLocal, '2099-06-01T09:30');
    assert.equal(post.scheduleZone, 'Europe/Paris');
    const cancelled = await localpost(['--json', 'posts', 'cancel', post.id]);
    assert.equal(cancelled.code, 0);
    assert.equal(envelope(cancelled).data.targets[0].status, 'cancelled');
  });

  it('creates and lists drafts for the app to finish, and names an unknown account plainly', async () => {
    const created = await localpost(['--json', 'drafts', 'create', '--text', 'An idea for later']);
    assert.equal(created.code, 0);
    const id = envelope(created).data.id;
    assert.equal((await app.call('drafts.get', { id })).text, 'An idea for later');
    assert.match((await localpost(['drafts', 'list'])).stdout, new RegExp(`${id}  An idea for later`));

    const unknown = await localpost(['post', '--to', 'nobody.example', '--text', 'hi']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No account is nobody\.example/);
  });
});
