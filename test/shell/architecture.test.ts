// The layering rules, made mechanical, so that they cannot erode: a table of which layer may import
// which, in the manner of Signal Desktop's file-suffix lint rule and VS Code's code-layering rule.
//
//   electron          only src-main/shell/**, src-main/index.ts (the composition root) and
//                     src-preload/index.ts load it; `import type` is fine elsewhere outside the
//                     core, because the compiler erases it.
//   src-main/core     imports nothing from the shell, the composition root or electron (not even a
//                     type: the core reaches the OS through its own ports).
//   platforms/<id>/   imports nothing from another platform's folder; what platforms share lives
//                     directly in platforms/, or in a folder named for a family of platforms
//                     (platforms/meta/), and imports no platform's folder, except the one place
//                     that registers them all (platforms/platformModules.ts).
//   core/compose      imports nothing from core/outbox: the outbox drives compose, not the reverse.
//   IPC               `ipcMain` (and a page's own `webContents.ipc`) only in the shell's IPC
//                     registration; `contextBridge` and `ipcRenderer` only in the preload.
//   src-renderer      a web page: no Node built-in, nothing from src-main, and from the preload
//                     only types, only from its contract; state/types.ts only `import type`.
//   src-cli           the localpost command, a client of the running app: nothing from src-main
//                     but the client's half of the local endpoint (its wire format, its address,
//                     the token file, the private-file checks) and the error type; never the
//                     database, the vault or a platform; no electron.
//   src-shared        runs on both sides: no Node built-in, nothing from src-main or src-renderer,
//                     and from the preload types only.
//   packages          every run-time dependency is classified 'node' or 'anywhere'; src-shared
//                     and src-renderer load only the 'anywhere' ones.
//
// Each rule is a function from one file's source to its offending lines, tested on samples first:
// a rule whose detector sees nothing cannot fail.
//
// Run: npx tsx --test test/shell/architecture.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { platformIds } from '../../src-shared/platformIds';
import { blankComments, electronValueImports, findImports, isElectronSpecifier, type ModuleImport } from './moduleImports';

const root = path.resolve(import.meta.dirname, '../..');
const sourceExtensions = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);

const mayImportElectron = (file: string) =>
  file.startsWith('src-main/shell/') || file === 'src-main/index.ts' || file === 'src-preload/index.ts';

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (sourceExtensions.has(path.extname(entry.name)) && !entry.name.endsWith('.d.ts')) {
        found.push(path.relative(root, full).split(path.sep).join('/'));
      }
    }
  };
  if (fs.existsSync(path.join(root, folder))) walk(path.join(root, folder));
  return found.sort();
}

/** The source files a rule covers; never none, or the rule would pass by checking nothing. */
function filesUnder(folder: string): string[] {
  const files = sourceFiles(folder);
  assert.ok(files.length > 0, `no source files found in ${folder}: the rule for it would check nothing`);
  return files;
}

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
/** Where a relative import lands, relative to the repository root. */
const target = (file: string, specifier: string) =>
  path.relative(root, path.resolve(root, path.dirname(file), specifier)).split(path.sep).join('/');

/**
 * The module a relative import loads, relative to the repository root and without its extension
 * (`src-main/shell/appAddress`); a folder means its index (`src-main/index`). Null for a package.
 */
function moduleAt(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const landing = target(file, specifier).replace(/\.[cm]?[jt]sx?$/, '');
  const isFolder = fs.existsSync(path.join(root, landing)) && fs.statSync(path.join(root, landing)).isDirectory();
  return isFolder ? `${landing}/index` : landing;
}
const isInside = (module: string | null, folder: string) => module !== null && module.startsWith(`${folder}/`);

/** One file's source in, its offending lines out, each naming the file, the line and the import. */
type Rule = (file: string, source: string) => string[];

function importRule(isForbidden: (entry: ModuleImport, module: string | null, file: string) => string | false): Rule {
  return (file, source) =>
    findImports(source).flatMap((entry) => {
      const why = isForbidden(entry, moduleAt(file, entry.specifier), file);
      return why === false ? [] : [`${file}:${entry.line} imports '${entry.specifier}'${why ? ` (${why})` : ''}`];
    });
}

function offendersIn(files: string[], rule: Rule): string[] {
  return files.flatMap((file) => rule(file, read(file)));
}

function assertNoOffenders(offenders: string[], advice: string) {
  assert.ok(offenders.length === 0, `${advice}\n  ${offenders.join('\n  ')}`);
}

// ---------------------------------------------------------------------------------------------
// The rules.

const noValueElectron: Rule = (file, source) =>
  electronValueImports(source).map((entry) => `${file}:${entry.line} imports '${entry.specifier}'`);

const coreStaysBelowTheShell: Rule = importRule((entry, module) => {
  if (isElectronSpecifier(entry.specifier)) return entry.kind === 'type' ? 'a type from electron' : '';
  if (isInside(module, 'src-main/shell')) return 'the shell';
  if (module === 'src-main/index') return 'the composition root';
  return false;
});

/** The platform whose own folder holds this module; null for code the platforms share (a family's
 *  folder, such as meta/, is named for no platform id). */
const platformOf = (module: string | null) => {
  const folder = module?.match(/^src-main\/core\/platforms\/([^/]+)\//)?.[1];
  return folder !== undefined && (platformIds as readonly string[]).includes(folder) ? folder : null;
};

/** Where every platform is registered: the one file that knows them all. */
const platformRegistry = 'src-main/core/platforms/platformModules.ts';

const platformsStayApart: Rule = importRule((_entry, module, file) => {
  if (file === platformRegistry) return false;
  const from = platformOf(file);
  const to = platformOf(module);
  if (to === null || to === from) return false;
  return from === null ? `shared platform code reaching into ${to}'s folder` : `${from} reaching into ${to}'s folder`;
});

const composeStaysBelowTheOutbox: Rule = importRule((_entry, module) => isInside(module, 'src-main/core/outbox') && 'the outbox');

/**
 * The IPC entry points and the one place each may appear. Matched in the code with comments
 * blanked (strings kept, so that `electron['ipcMain']` counts). `webContents.ipc` is an IpcMain
 * scoped to one page (Electron's WebContents docs), so it is the same door as `ipcMain`.
 */
const ipcEntryPoints: Array<{ name: string; pattern: RegExp; mayAppearIn: (file: string) => boolean; home: string }> = [
  { name: 'ipcMain', pattern: /\bipcMain\b/, mayAppearIn: (file) => file === 'src-main/shell/ipcBridge.ts', home: 'src-main/shell/ipcBridge.ts' },
  { name: 'webContents.ipc', pattern: /\.ipc\b/, mayAppearIn: (file) => file === 'src-main/shell/ipcBridge.ts', home: 'src-main/shell/ipcBridge.ts' },
  { name: 'contextBridge', pattern: /\bcontextBridge\b/, mayAppearIn: (file) => file.startsWith('src-preload/'), home: 'src-preload/' },
  { name: 'ipcRenderer', pattern: /\bipcRenderer\b/, mayAppearIn: (file) => file.startsWith('src-preload/'), home: 'src-preload/' },
];

const ipcStaysAtTheBridge: Rule = (file, source) =>
  blankComments(source)
    .split('\n')
    .flatMap((line, index) =>
      ipcEntryPoints
        .filter((entry) => entry.pattern.test(line) && !entry.mayAppearIn(file))
        .map((entry) => `${file}:${index + 1} uses ${entry.name}, which belongs only in ${entry.home}`),
    );

/** What of src-main a client of the local endpoint may load: how to reach the app, nothing of the app. */
const clientSideOfTheEndpoint = new Set([
  'src-main/core/localEndpoint/wire',
  'src-main/core/localEndpoint/endpointAddress',
  'src-main/core/localEndpoint/clientToken',
  'src-main/core/localEndpoint/privatePaths',
  'src-main/core/errors',
]);

const cliIsAThinClient: Rule = importRule((entry, module) => {
  if (isElectronSpecifier(entry.specifier)) return 'electron';
  if (isInside(module, 'src-main') && !clientSideOfTheEndpoint.has(module!)) return 'the app itself: call it through the local endpoint';
  return false;
});

const rendererIsAWebPage: Rule = importRule((entry, module) => {
  if (isNodeBuiltin(entry.specifier)) return 'a Node built-in';
  if (isInside(module, 'src-main')) return 'main-process code';
  if (isInside(module, 'src-preload')) {
    if (module !== 'src-preload/contract') return 'the preload beyond its contract';
    if (entry.kind === 'value') return 'the contract as a value; use `import type`';
  }
  return false;
});

const onlyTypeImports: Rule = importRule((entry) => entry.kind === 'value' && 'as a value; use `import type`');

const sharedRunsOnBothSides: Rule = importRule((entry, module) => {
  if (isNodeBuiltin(entry.specifier)) return 'a Node built-in';
  if (isInside(module, 'src-main')) return 'main-process code';
  if (isInside(module, 'src-renderer')) return 'renderer code';
  if (isInside(module, 'src-preload') && entry.kind === 'value') return 'the preload as a value; use `import type`';
  return false;
});

/**
 * Where each run-time dependency can run. Every entry of package.json's `dependencies` is listed,
 * so that a new one is a decision rather than a default (Signal Desktop's lint fails the same way
 * on an "Uncategorized dependency"). 'node' means it needs Node's modules or native code.
 */
const dependencyRuntime: Record<string, 'node' | 'anywhere'> = {
  '@atproto/api': 'anywhere',
  '@atproto/common-web': 'anywhere',
  '@atproto/identity': 'node', // resolves handles through DNS TXT records (node:dns)
  '@atproto/lex-client': 'anywhere', // XRPC calls over fetch
  '@atproto/lex-password-session': 'anywhere', // an app-password session over fetch
  aws4fetch: 'anywhere', // SigV4 on WebCrypto and fetch's Request
  'better-sqlite3': 'node', // native addon
  commander: 'node', // the localpost command's parser: process.argv, process.exit
  '@tanstack/react-virtual': 'anywhere', // the renderer's long lists: DOM only
  '@modelcontextprotocol/sdk': 'node', // localpost mcp: the MCP server over stdio
  'electron-store': 'node', // electron and node:fs
  htmlparser2: 'anywhere',
  'ipaddr.js': 'anywhere',
  luxon: 'anywhere',
  mediabunny: 'anywhere', // pure TypeScript; its file-path source is the only part that needs Node
  oauth4webapi: 'anywhere',
  react: 'anywhere',
  'react-dom': 'anywhere',
  selfsigned: 'node', // node:crypto key generation
  sharp: 'node', // native addon
  'twitter-text': 'anywhere',
  zod: 'anywhere',
  zustand: 'anywhere',
};
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Built-ins and electron have rules of their own; this one is about npm packages. */
const pageSafePackagesOnly: Rule = importRule((entry, module) => {
  if (module !== null || entry.kind === 'type' || isNodeBuiltin(entry.specifier) || isElectronSpecifier(entry.specifier)) return false;
  const runtime = dependencyRuntime[packageOf(entry.specifier)];
  if (runtime === 'anywhere') return false;
  return runtime === 'node' ? 'a package that needs Node' : 'not a dependency classified in this test';
});

// ---------------------------------------------------------------------------------------------
// The detector first: a rule whose detector sees nothing cannot fail.

describe('the import detector', () => {
  test('finds every way of loading electron', () => {
    const loads = [
      `import { app } from 'electron';`,
      `import electron from "electron";`,
      `import * as electron from 'electron';`,
      `import 'electron';`,
      `import {\n  app,\n  BrowserWindow,\n} from 'electron';`,
      `import { type WebContents } from 'electron';`,
      `import type from 'electron';`,
      `export { app } from 'electron';`,
      `export * from 'electron';`,
      `const { app } = require('electron');`,
      `const electron = await import('electron');`,
      'const x = require(`electron`);',
      `import electron = require('electron');`,
      `import { ipcRenderer } from 'electron/renderer';`,
    ];
    for (const sample of loads) assert.equal(electronValueImports(sample).length, 1, sample);
  });

  test('lets type-only imports, comments, strings and look-alikes through', () => {
    const harmless = [
      `import type { BrowserWindow } from 'electron';`,
      `import type * as Electron from 'electron';`,
      `export type { WebContents } from 'electron';`,
      `// import { app } from 'electron';`,
      `/* const { app } = require('electron'); */`,
      `/**\n * import { app } from 'electron'\n */`,
      `import { app } from 'electron-store';`,
      `import x from './electron';`,
      `const url = 'https://example.com'; // require('electron')`,
      `const pattern = /\\/\\/ require('electron')/;`,
      `thing.require('electron');`,
      `const help = "use require('electron') only in the shell";`,
      'const help = `import { app } from "electron"`;',
    ];
    for (const sample of harmless) assert.deepEqual(electronValueImports(sample), [], sample);
  });

  test('keeps strings and line numbers while blanking comments', () => {
    const source = `const a = 'http://x'; // note\n/* one\ntwo */ const b = "/* not a comment */";`;
    const blanked = blankComments(source);
    assert.equal(blanked.split('\n').length, 3);
    assert.match(blanked, /'http:\/\/x'/);
    assert.match(blanked, /"\/\* not a comment \*\/"/);
    assert.doesNotMatch(blanked, /note|one|two \*\//);
    assert.deepEqual(findImports(`\n\nimport { app } from 'electron';`), [{ specifier: 'electron', kind: 'value', line: 3 }]);
  });
});

// ---------------------------------------------------------------------------------------------
// Each rule, shown an offender and its harmless neighbours, before it is trusted with the tree.

describe('each rule catches an offender', () => {
  const caught = (rule: Rule, file: string, source: string) => rule(file, source);

  test('the core importing the shell, the composition root or electron', () => {
    const file = 'src-main/core/compose/composeService.ts';
    assert.deepEqual(caught(coreStaysBelowTheShell, file, `import { appOrigin } from '../../shell/appAddress';`), [
      `${file}:1 imports '../../shell/appAddress' (the shell)`,
    ]);
    assert.equal(caught(coreStaysBelowTheShell, file, `import type { Core } from '../../index';`).length, 1);
    assert.equal(caught(coreStaysBelowTheShell, 'src-main/core/ports.ts', `export * from '../shell/notifier.ts';`).length, 1);
    assert.equal(caught(coreStaysBelowTheShell, 'src-main/core/ports.ts', `const main = await import('..');`).length, 1);
    assert.equal(caught(coreStaysBelowTheShell, file, `import type { BrowserWindow } from 'electron';`).length, 1);
    assert.deepEqual(caught(coreStaysBelowTheShell, file, `import { AppError } from '../errors';\nimport type { Clock } from '../ports';`), []);
  });

  test('a platform reaching into another platform\'s folder', () => {
    const file = 'src-main/core/platforms/mastodon/mastodonAdapter.ts';
    assert.deepEqual(caught(platformsStayApart, file, `import { mapXError } from '../x/xErrors';`), [
      `${file}:1 imports '../x/xErrors' (mastodon reaching into x's folder)`,
    ]);
    assert.equal(caught(platformsStayApart, 'src-main/core/platforms/adapter.ts', `import type { Identity } from './bluesky/identity';`).length, 1);
    assert.deepEqual(caught(platformsStayApart, platformRegistry, `import { XAdapter } from './x/xAdapter';`), [], 'the registry knows every platform');
    const harmless = `import { adapterFetch } from '../adapter';\nimport { registerApp } from './appRegistration';\nimport { AppError } from '../../errors';`;
    assert.deepEqual(caught(platformsStayApart, file, harmless), []);
    // A family's shared folder is no platform's: its members use it, and it uses none of them.
    const threads = 'src-main/core/platforms/threads/threadsAdapter.ts';
    assert.deepEqual(caught(platformsStayApart, threads, `import { metaGraphProblem } from '../meta/metaGraphErrors';`), []);
    assert.equal(caught(platformsStayApart, 'src-main/core/platforms/meta/graphApi.ts', `import { threadsEndpoints } from '../threads/threadsAdapter';`).length, 1);
  });

  test('compose depending on the outbox', () => {
    const file = 'src-main/core/compose/composeService.ts';
    assert.deepEqual(caught(composeStaysBelowTheOutbox, file, `import type { PostStore } from '../outbox/postStore';`), [
      `${file}:1 imports '../outbox/postStore' (the outbox)`,
    ]);
    assert.deepEqual(caught(composeStaysBelowTheOutbox, file, `import { DraftStore } from './draftStore';\nimport type { Post } from '../../../src-preload/contract';`), []);
  });

  test('IPC used outside the bridge', () => {
    const file = 'src-main/shell/mainWindow.ts';
    assert.deepEqual(caught(ipcStaysAtTheBridge, file, `import { app, ipcMain } from 'electron';`), [
      `${file}:1 uses ipcMain, which belongs only in src-main/shell/ipcBridge.ts`,
    ]);
    assert.equal(caught(ipcStaysAtTheBridge, file, `window.webContents.ipc.handle('x', () => 1);`).length, 1);
    assert.equal(caught(ipcStaysAtTheBridge, file, `const bus = electron['ipcMain'];`).length, 1);
    assert.equal(caught(ipcStaysAtTheBridge, 'src-main/index.ts', `import { ipcRenderer } from 'electron';`).length, 1);
    assert.equal(caught(ipcStaysAtTheBridge, 'src-renderer/bridge.ts', `const b = window.contextBridge;`).length, 1);
    assert.deepEqual(caught(ipcStaysAtTheBridge, 'src-main/shell/ipcBridge.ts', `import { ipcMain } from 'electron';`), []);
    assert.deepEqual(caught(ipcStaysAtTheBridge, 'src-preload/index.ts', `import { contextBridge, ipcRenderer } from 'electron';`), []);
    assert.deepEqual(caught(ipcStaysAtTheBridge, file, `// ipcMain lives in the bridge\nconst ipcMainly = 1;\ntype T = IpcRendererEvent;`), []);
  });

  test('the renderer importing Node, main-process code or the preload beyond its contract\'s types', () => {
    const file = 'src-renderer/bridge.ts';
    const offenders = caught(rendererIsAWebPage, file, [
      `import fs from 'node:fs';`,
      `import path from 'path';`,
      `import { x } from '../src-main/core/x';`,
      `import { methods } from '../src-preload/contract';`,
      `import type { BridgeApi } from '../src-preload/buildApi';`,
      `import { channels } from '../src-preload/channels.ts';`,
    ].join('\n'));
    assert.equal(offenders.length, 6, offenders.join('\n'));
    assert.match(offenders[3]!, /contract' \(the contract as a value/);
    assert.match(offenders[4]!, /buildApi' \(the preload beyond its contract\)/);
    assert.deepEqual(caught(rendererIsAWebPage, file, `import type { Api } from '../src-preload/contract';\nimport { useStore } from './state/store';\nimport { create } from 'zustand';`), []);
  });

  test('the command loading the app instead of calling it', () => {
    const file = 'src-cli/cli.ts';
    assert.deepEqual(caught(cliIsAThinClient, file, `import { AccountStore } from '../src-main/core/accounts/accountStore';`), [
      `${file}:1 imports '../src-main/core/accounts/accountStore' (the app itself: call it through the local endpoint)`,
    ]);
    assert.equal(caught(cliIsAThinClient, file, `import { app } from 'electron';`).length, 1);
    assert.deepEqual(caught(cliIsAThinClient, file, `import { frame } from '../src-main/core/localEndpoint/wire';\nimport type { Post } from '../src-preload/contract';\nimport { Command } from 'commander';`), []);
  });

  test('state/types.ts loading a slice at run time', () => {
    const file = 'src-renderer/state/types.ts';
    assert.deepEqual(caught(onlyTypeImports, file, `import type { AppSlice } from './appSlice';\nimport { type ComposerSlice } from './composerSlice';`), [
      `${file}:2 imports './composerSlice' (as a value; use \`import type\`)`,
    ]);
  });

  test('src-shared importing Node, main-process code, renderer code or the preload as a value', () => {
    const file = 'src-shared/compose/preflight.ts';
    const offenders = caught(sharedRunsOnBothSides, file, [
      `import crypto from 'node:crypto';`,
      `import { AppError } from '../../src-main/core/errors';`,
      `import { useStore } from '../../src-renderer/state/store';`,
      `import { methods } from '../../src-preload/contract';`,
    ].join('\n'));
    assert.equal(offenders.length, 4, offenders.join('\n'));
    assert.deepEqual(caught(sharedRunsOnBothSides, file, `import type { Platform } from '../../src-preload/contract';\nimport { lengthRuleFor } from '../platforms';\nimport twitter from 'twitter-text';`), []);
  });

  test('page code loading a package that needs Node, or one nobody classified', () => {
    const file = 'src-shared/platforms.ts';
    assert.deepEqual(caught(pageSafePackagesOnly, file, `import Database from 'better-sqlite3';\nimport { leftPad } from 'left-pad';`), [
      `${file}:1 imports 'better-sqlite3' (a package that needs Node)`,
      `${file}:2 imports 'left-pad' (not a dependency classified in this test)`,
    ]);
    assert.equal(caught(pageSafePackagesOnly, file, `const { HandleResolver } = await import('@atproto/identity/dist/handle');`).length, 1);
    const harmless = `import { z } from 'zod';\nimport { createRoot } from 'react-dom/client';\nimport type { Database } from 'better-sqlite3';\nimport './styles/base.css';`;
    assert.deepEqual(caught(pageSafePackagesOnly, file, harmless), []);
  });
});

// ---------------------------------------------------------------------------------------------
// The rules on today's tree.

describe('only the shell imports electron', () => {
  const layers = ['src-main', 'src-preload', 'src-shared', 'src-renderer'];
  const files = layers.flatMap(sourceFiles);

  test('the walk sees every layer, and the shell files it exempts really import electron', () => {
    for (const layer of layers) {
      assert.ok(files.some((file) => file.startsWith(`${layer}/`)), `no source files found in ${layer}`);
    }
    for (const file of ['src-main/index.ts', 'src-main/shell/mainWindow.ts', 'src-preload/index.ts']) {
      assert.ok(files.includes(file), file);
      assert.ok(electronValueImports(read(file)).length > 0, `${file} is expected to import electron`);
    }
  });

  test('no value import of electron outside src-main/shell, src-main/index.ts and src-preload/index.ts', () => {
    assertNoOffenders(
      offendersIn(files.filter((file) => !mayImportElectron(file)), noValueElectron),
      'Move the Electron call into src-main/shell and inject it through a port:',
    );
  });
});

describe('the core stays plain Node, below the shell', () => {
  test('no core module imports src-main/shell, src-main/index.ts or electron', () => {
    assertNoOffenders(
      offendersIn(filesUnder('src-main/core'), coreStaysBelowTheShell),
      'The core reaches the OS only through its ports (src-main/core/ports.ts), which src-main/index.ts fills:',
    );
  });

  test('a platform\'s folder imports nothing from another platform\'s folder', () => {
    const files = filesUnder('src-main/core/platforms');
    const platforms = new Set(files.map(platformOf).filter((name) => name !== null));
    assert.ok(platforms.size >= 2, `expected several platform folders, found ${[...platforms].join(', ')}`);
    assertNoOffenders(
      offendersIn(files, platformsStayApart),
      `Platforms share code only through src-main/core/platforms/*.ts (adapter.ts, credentialStore.ts) and family folders (meta/), which import no platform's folder; only ${platformRegistry} registers them all:`,
    );
  });

  test('compose does not depend on the outbox, which drives it', () => {
    assertNoOffenders(
      offendersIn(filesUnder('src-main/core/compose'), composeStaysBelowTheOutbox),
      'Compose sits below the outbox; move what both need into compose (as PostContent is in compose/postContent.ts):',
    );
  });
});

describe('IPC is registered in one place and exposed by the preload only', () => {
  test('ipcMain only in src-main/shell/ipcBridge.ts; contextBridge and ipcRenderer only in src-preload', () => {
    assert.ok(/\bipcMain\b/.test(blankComments(read('src-main/shell/ipcBridge.ts'))), 'src-main/shell/ipcBridge.ts is expected to register the IPC handlers');
    assert.ok(/\bcontextBridge\b/.test(blankComments(read('src-preload/index.ts'))), 'src-preload/index.ts is expected to expose the bridge');
    const files = ['src-main', 'src-preload', 'src-shared', 'src-renderer'].flatMap(filesUnder);
    assertNoOffenders(offendersIn(files, ipcStaysAtTheBridge), 'Every bridge method goes through the contract and src-main/shell/ipcBridge.ts:');
  });
});

describe('the renderer stays a web page', () => {
  test('imports no Node built-in and no main-process code, and from the preload only its contract\'s types', () => {
    assertNoOffenders(
      offendersIn(filesUnder('src-renderer'), rendererIsAWebPage),
      'The page talks to main only through the bridge: no Node, no main-process code, and from the preload only the contract\'s types (its zod schemas stay out of the bundle):',
    );
  });

  test('state/types.ts has only `import type`, so the slices\' type cycle never becomes a run-time one', () => {
    assertNoOffenders(offendersIn(['src-renderer/state/types.ts'], onlyTypeImports), 'The store\'s type file must not load a slice:');
  });
});

describe('the localpost command is a thin client of the app', () => {
  test('it loads of src-main only the client side of the local endpoint and the error type', () => {
    assertNoOffenders(offendersIn(filesUnder('src-cli'), cliIsAThinClient), 'The command holds no database, vault or platform: it calls the running app.');
  });
});

describe('src-shared runs on both sides', () => {
  test('imports no Node built-in, nothing from src-main or src-renderer, and from the preload types only', () => {
    assertNoOffenders(
      offendersIn(filesUnder('src-shared'), sharedRunsOnBothSides),
      'src-shared is loaded by main and by the page alike, so it depends on neither:',
    );
  });
});

describe('code that runs in the page loads only packages that can', () => {
  test('every run-time dependency in package.json is classified, and nothing else is', () => {
    const { dependencies } = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const unclassified = Object.keys(dependencies).filter((name) => !(name in dependencyRuntime));
    const stale = Object.keys(dependencyRuntime).filter((name) => !(name in dependencies));
    assertNoOffenders(unclassified.map((name) => `${name} is a dependency`), 'Say in dependencyRuntime whether each dependency needs Node:');
    assertNoOffenders(stale.map((name) => `${name} is no longer a dependency`), 'Remove from dependencyRuntime what package.json no longer lists:');
  });

  test('src-shared and src-renderer import no package that needs Node', () => {
    assertNoOffenders(
      offendersIn(['src-shared', 'src-renderer'].flatMap(filesUnder), pageSafePackagesOnly),
      'src-shared and the renderer run in the page; a Node package belongs in src-main/core:',
    );
  });
});
