// The installers' configuration (electron-builder.yml), checked with electron-builder's own code,
// since installers cannot be built here (Electron's archives are out of reach):
// - loaded by electron-builder's own config loader and validated against its own schema
//   (app-builder-lib/scheme.json) by its own validator, which must also refuse a wrong key;
// - the fuses go through electron-builder's own fuse step into a stand-in Electron binary
//   (a fuse sentinel and wire, the layout @electron/fuses reads), and are read back;
// - the files that would be packed are chosen by electron-builder's own file matcher over this
//   repository, and must be the built app only.
//
// Run: npx tsx --test test/shell/packaging.test.ts   (after `electron-vite build`)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

// electron-builder's internals, by path: the same functions `electron-builder` calls when it packs.
type Configuration = Record<string, any>;
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: Configuration | null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: { isEnabled: boolean }): Promise<void>;
};
const { getMainFileMatchers } = require('app-builder-lib/out/fileMatcher') as {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformSpecificBuildOptions: Configuration,
    platformPackager: unknown,
    outDir: string,
    isElectronCompile: boolean,
  ): Array<{ createFilter(): (file: string, stat: fs.Stats) => boolean }>;
};
const { PlatformPackager } = require('app-builder-lib') as { PlatformPackager: { prototype: Record<string, (...args: any[]) => any> } };
const { FuseV1Options, FuseState, getCurrentFuseWire } = await import('@electron/fuses');

const noDebugLog = { isEnabled: false };

// electron-builder's logger writes "  • ..." lines to process.stdout. Under `node --test` that is the
// pipe the test runner's serialized reports travel on, and a multi-byte write there can break their
// framing ("Unable to deserialize cloned data"), so its lines are kept here instead.
const { log: builderLog } = require('builder-util') as { log: { stream: { write(text: string): boolean } } };
const builderLogLines: string[] = [];
builderLog.stream = { write: (text: string) => builderLogLines.push(text) > 0 };
const packageJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

let config: Configuration;

before(async () => {
  config = await getConfig(root, null, null);
});

const validate = (candidate: Configuration) => validateConfiguration(structuredClone(candidate), noDebugLog);

describe('electron-builder.yml', () => {
  test('is the configuration electron-builder finds, and its schema accepts it', async () => {
    assert.equal(config.productName, 'Localpost');
    assert.match(config.appId, /^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/, 'appId is reverse-DNS');
    await validate(config);
  });

  test('the schema check can fail: a misspelt key, a misspelt fuse, a wrong type are refused', async () => {
    await assert.rejects(validate({ ...config, npmRebuilt: false }), /unknown property 'npmRebuilt'/);
    // (electron-builder's message names the fuses object, whose schema is "the fuses, or null")
    await assert.rejects(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }), /configuration\.electronFuses/);
    await assert.rejects(validate({ ...config, asar: 'yes please' }), /configuration\.asar/);
  });

  test('native modules are not rebuilt, and the app is one asar archive with sharp unpacked', () => {
    assert.equal(config.npmRebuild, false);
    assert.equal(config.asar, true);
    assert.notEqual(config.disableAsarIntegrity, true, 'the asar integrity hash must be recorded for its fuse');
    assert.deepEqual(config.asarUnpack, ['**/node_modules/sharp/**/*', '**/node_modules/@img/**/*']);
  });

  test('builds dmg and zip for macOS, NSIS for Windows, AppImage and deb for Linux, with the icon from resources/', () => {
    assert.deepEqual(config.mac.target, ['dmg', 'zip']);
    assert.deepEqual(config.win.target, ['nsis']);
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    for (const platform of ['mac', 'win', 'linux']) {
      assert.equal(config[platform].icon, 'resources/icon.png', platform);
    }
    assert.ok(fs.existsSync(path.join(root, 'resources/icon.png')));
  });

  test('declares no URL scheme (localpost:// is not registered by the app either)', () => {
    for (const scope of [config, config.mac, config.win, config.linux]) {
      assert.equal(scope.protocols, undefined);
    }
    assert.doesNotMatch(JSON.stringify(config), /x-scheme-handler|localpost:/);
  });

  test('npm run dist builds the app, then the installers, and publishes nothing', () => {
    const dist: string = packageJson.scripts.dist;
    assert.match(dist, /^npm run build && electron-builder\b.*--publish never/);
    assert.match(packageJson.scripts.build, /electron-vite build/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the Electron fuses', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-fuses-'));
  after(() => fs.rmSync(workDir, { recursive: true, force: true }));

  const expected = {
    RunAsNode: false,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    EnableCookieEncryption: true,
    GrantFileProtocolExtraPrivileges: false,
  } as const;

  /**
   * A stand-in Electron binary: some bytes, the fuse sentinel, wire version 1, the wire length and
   * one byte per fuse ('0' off, '1' on), as @electron/fuses finds them in a real build. The wire
   * holds Electron's defaults (fuses tutorial): the insecure ones on.
   */
  function standInBinary(file: string): void {
    const defaults = '101100011'; // RunAsNode ... WasmTrapHandlers, in FuseV1Options order
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.alloc(4096, 0x90),
        Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
        Buffer.from([1, defaults.length]),
        Buffer.from(defaults),
        Buffer.alloc(4096, 0x90),
      ]),
    );
  }

  test('electron-builder turns the configuration into exactly these fuse settings', async () => {
    const fuseConfig = await PlatformPackager.prototype.generateFuseConfig!.call({}, config.electronFuses);
    for (const [name, value] of Object.entries(expected)) {
      assert.equal(fuseConfig[FuseV1Options[name as keyof typeof expected]], value, name);
    }
    assert.equal(fuseConfig[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot], undefined, 'left as Electron ships it');
  });

  test('electron-builder\'s fuse step flips them in the packaged binary', async () => {
    const appOutDir = path.join(workDir, 'win-unpacked');
    fs.mkdirSync(appOutDir);
    const binary = path.join(appOutDir, 'Localpost.exe');
    standInBinary(binary);
    const before = await getCurrentFuseWire(binary);
    assert.equal(before[FuseV1Options.RunAsNode], FuseState.ENABLE, 'the stand-in starts with Electron\'s defaults');

    // The packager as doAddElectronFuses sees it: the configuration and the app's file name.
    const packager = {
      config,
      appInfo: { productFilename: 'Localpost' },
      generateFuseConfig: PlatformPackager.prototype.generateFuseConfig,
      addElectronFuses: PlatformPackager.prototype.addElectronFuses,
    };
    await PlatformPackager.prototype.doAddElectronFuses!.call(packager, { appOutDir, electronPlatformName: 'win32' });
    assert.match(builderLogLines.join(''), /executing @electron\/fuses/, 'electron-builder says it ran its fuse step');

    const wire = await getCurrentFuseWire(binary);
    for (const [name, value] of Object.entries(expected)) {
      assert.equal(wire[FuseV1Options[name as keyof typeof expected]], value ? FuseState.ENABLE : FuseState.DISABLE, name);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('the packed files', () => {
  const ignoredFolders = new Set(['node_modules', '.git', 'dist']);

  /** The repository's files electron-builder's matcher would copy into the app for a platform. */
  function packedFiles(candidate: Configuration, platformOptions: Configuration): string[] {
    const packager = {
      info: { projectDir: root, buildResourcesDir: 'build', config: candidate, isPrepackedAppAsar: false, debugLogger: noDebugLog },
    };
    const [matcher] = getMainFileMatchers(root, '/app', (pattern) => pattern, platformOptions, packager, path.join(root, 'dist'), false);
    const accepts = matcher!.createFilter();
    const packed: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir)) {
        if (dir === root && ignoredFolders.has(entry)) continue;
        const full = path.join(dir, entry);
        const stat = fs.statSync(full);
        if (!accepts(full, stat)) continue;
        if (stat.isDirectory()) walk(full);
        else packed.push(path.relative(root, full).split(path.sep).join('/'));
      }
    };
    walk(root);
    return packed.sort();
  }

  const isBuiltApp = (file: string) =>
    /^out\/(main|preload|renderer)\//.test(file) || file === 'resources/icon.png' || file === 'package.json';
  const isSourceOrTest = (file: string) => /^(src-[a-z]+|test|bench|scripts)\//.test(file);

  test('are the built app only: out/, the icon, package.json; no sources, tests, benchmarks or scripts', () => {
    for (const platform of ['mac', 'win', 'linux']) {
      const packed = packedFiles(config, config[platform]);
      for (const needed of ['out/main/entry.js', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'resources/icon.png', 'package.json']) {
        assert.ok(packed.includes(needed), `${platform}: ${needed} is packed (run electron-vite build first)`);
      }
      assert.deepEqual(packed.filter((file) => !isBuiltApp(file)), [], `${platform}: only the built app`);
      assert.deepEqual(packed.filter(isSourceOrTest), [], platform);
    }
  });

  test('the check can fail: electron-builder\'s default (everything) would pack the sources and tests', () => {
    const { files: _files, ...everything } = config;
    const packed = packedFiles(everything, {});
    assert.ok(packed.includes('src-main/index.ts'));
    assert.ok(packed.some((file) => file.startsWith('test/')));
  });
});

// ---------------------------------------------------------------------------------------------

// Skipped, with its reason, until package.json carries them: values only the project owner can give.
const debMetadataMissing = !packageJson.homepage || !packageJson.author?.email;
test('the deb has the homepage and maintainer e-mail electron-builder requires', {
  skip: debMetadataMissing && 'package.json has no "homepage" and "author": { "name", "email" } yet; electron-builder refuses to build the .deb without them',
}, () => {
  assert.match(packageJson.homepage, /^https:\/\//);
  assert.match(packageJson.author.email, /^[^@\s]+@[^@\s]+$/);
  assert.ok(packageJson.author.name);
});
