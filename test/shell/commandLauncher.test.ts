// The localpost launcher an installer ships (resources/bin/, electron-builder's extraResources):
// run for real through a link on PATH, in the layout of an installed app, it starts the app's own
// binary as the command with every argument as given; and the installer config ships it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const launcher = path.join(root, 'resources/bin/localpost');

/** An installed app whose "binary" prints the arguments it was given, one a line. */
function installedApp(binaryPath: string): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-installed-'));
  const binary = path.join(base, binaryPath);
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  fs.writeFileSync(binary, '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n', { mode: 0o755 });
  return base;
}

function runThroughLink(resources: string, args: string[]): string[] {
  fs.mkdirSync(path.join(resources, 'bin'), { recursive: true });
  fs.copyFileSync(launcher, path.join(resources, 'bin/localpost'));
  fs.chmodSync(path.join(resources, 'bin/localpost'), 0o755);
  const onPath = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-path-'));
  fs.symlinkSync(path.join(resources, 'bin/localpost'), path.join(onPath, 'localpost'));
  return execFileSync(path.join(onPath, 'localpost'), args, { encoding: 'utf8' }).trim().split('\n');
}

test('on Linux (/opt/Localpost/resources/bin), it runs /opt/Localpost/localpost as the command, arguments intact', { skip: process.platform === 'win32' && 'a POSIX shell script' }, () => {
  const base = installedApp('opt/Localpost/localpost');
  const args = runThroughLink(path.join(base, 'opt/Localpost/resources'), ['post', '--text', 'two words; and "quotes"', '--json']);
  assert.deepEqual(args, ['--localpost-cli', 'post', '--text', 'two words; and "quotes"', '--json']);
});

test('on macOS (Localpost.app/Contents/Resources/bin), it runs Contents/MacOS/Localpost', { skip: process.platform === 'win32' && 'a POSIX shell script' }, () => {
  const base = installedApp('Localpost.app/Contents/MacOS/Localpost');
  assert.deepEqual(runThroughLink(path.join(base, 'Localpost.app/Contents/Resources'), ['accounts', 'list']), ['--localpost-cli', 'accounts', 'list']);
});

test('the Windows launcher passes every argument to Localpost.exe as the command, and the installers ship both', () => {
  const cmd = fs.readFileSync(path.join(root, 'resources/bin/localpost.cmd'), 'utf8');
  assert.match(cmd, /"%~dp0\.\.\\\.\.\\Localpost\.exe" --localpost-cli %\*\r\n/);
  assert.ok(fs.statSync(launcher).mode & 0o100, 'the POSIX launcher is executable');
  const config = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
  assert.match(config, /extraResources:\n {2}- from: resources\/bin\n {4}to: bin\n/);
});
