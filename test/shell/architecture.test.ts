// The layering rule, made mechanical (house style 7b): only the shell imports `electron`.
// Allowed: src-main/shell/**, src-main/index.ts (the composition root) and src-preload/index.ts.
// Everywhere else a value import of electron fails this test; `import type` is fine, because the
// compiler erases it. The renderer also must not import Node built-ins or main-process code,
// and takes from the preload's contract its types only.
//
// Run: npx tsx --test test/shell/architecture.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import { blankComments, electronValueImports, findImports } from './moduleImports';

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

const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const isNodeBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);
/** Where a relative import lands, relative to the repository root. */
const target = (file: string, specifier: string) =>
  path.relative(root, path.resolve(root, path.dirname(file), specifier)).split(path.sep).join('/');

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

describe('only the shell imports electron', () => {
  const layers = ['src-main', 'src-preload', 'src-shared', 'src-renderer'];
  const files = layers.flatMap(sourceFiles);

  test('the walk sees every layer, and the shell files it exempts really import electron', () => {
    for (const layer of ['src-main', 'src-preload', 'src-shared']) {
      assert.ok(files.some((file) => file.startsWith(`${layer}/`)), `no source files found in ${layer}`);
    }
    for (const file of ['src-main/index.ts', 'src-main/shell/mainWindow.ts', 'src-preload/index.ts']) {
      assert.ok(files.includes(file), file);
      assert.ok(electronValueImports(read(file)).length > 0, `${file} is expected to import electron`);
    }
  });

  test('no value import of electron outside src-main/shell, src-main/index.ts and src-preload/index.ts', () => {
    const offenders = files
      .filter((file) => !mayImportElectron(file))
      .flatMap((file) => electronValueImports(read(file)).map((entry) => `${file}:${entry.line} imports '${entry.specifier}'`));
    assert.deepEqual(offenders, [], 'Move the Electron call into src-main/shell and inject it through a port');
  });
});

describe('the renderer stays a web page', () => {
  const files = sourceFiles('src-renderer');

  test('imports no Node built-in and no main-process code', () => {
    const offenders = files.flatMap((file) =>
      findImports(read(file))
        .filter((entry) => isNodeBuiltin(entry.specifier) || (entry.specifier.startsWith('.') && target(file, entry.specifier).startsWith('src-main/')))
        .map((entry) => `${file}:${entry.line} imports '${entry.specifier}'`),
    );
    assert.deepEqual(offenders, []);
  });

  test('takes only types from the preload (the contract\'s zod schemas stay out of the page)', () => {
    const offenders = files.flatMap((file) =>
      findImports(read(file))
        .filter((entry) => entry.specifier.startsWith('.') && target(file, entry.specifier).startsWith('src-preload/') && entry.kind === 'value')
        .map((entry) => `${file}:${entry.line} imports '${entry.specifier}' as a value`),
    );
    assert.deepEqual(offenders, []);
  });

  test('the rules would catch an offender', () => {
    const sample = `import fs from 'node:fs';\nimport path from 'path';\nimport { methods } from '../src-preload/contract';\nimport { x } from '../src-main/core/x';`;
    const entries = findImports(sample);
    assert.deepEqual(entries.filter((entry) => isNodeBuiltin(entry.specifier)).map((entry) => entry.specifier), ['node:fs', 'path']);
    assert.equal(target('src-renderer/bridge.ts', '../src-main/core/x'), 'src-main/core/x');
    assert.equal(target('src-renderer/bridge.ts', '../src-preload/contract'), 'src-preload/contract');
    assert.equal(entries[2]!.kind, 'value');
  });
});

describe('src-shared is shared with the page', () => {
  test('imports no Node built-in and no main-process code', () => {
    const offenders = sourceFiles('src-shared').flatMap((file) =>
      findImports(read(file))
        .filter((entry) => isNodeBuiltin(entry.specifier) || (entry.specifier.startsWith('.') && target(file, entry.specifier).startsWith('src-main/')))
        .map((entry) => `${file}:${entry.line} imports '${entry.specifier}'`),
    );
    assert.deepEqual(offenders, []);
  });
});
