// Runs Electronegativity (doyensec) over one folder through its programmatic API, which (unlike
// the CLI's file modes) also returns the files it failed to parse. The findings are in the CSV
// report it writes; a JSON summary { scannedFiles, parseErrors, findingCount } goes to a second
// file. Run as a child process by electronegativity.test.ts; usage:
//   node electronegativityRun.cjs <input folder> <report.csv> <summary.json> <electron version>
//
// Two workarounds, both confined to this process:
// - Its parser dependency @typescript-eslint/typescript-estree is hoisted to the top of
//   node_modules and there loads the project's TypeScript 7, which has no JS API
//   (`SyntaxKind` is undefined, the import crashes). Electronegativity ships its own TypeScript
//   4.2; requests for `typescript` from typescript-estree are pointed at that copy.
// - It writes the CSV header and the rows with two concurrent fs.writeFile calls
//   (util/file.js: writeCsvHeader, then an append), so rows can land before the truncating
//   header write and be lost. Writes are serialized here, and awaited before the summary.
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');

const [input, report, summaryFile, electronVersion] = process.argv.slice(2);
if (!input || !report || !summaryFile || !electronVersion) {
  console.error('usage: node electronegativityRun.cjs <input folder> <report.csv> <summary.json> <electron version>');
  process.exit(2);
}

const packageDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const bundledTypescript = require.resolve('typescript', { paths: [packageDir] });
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveTypescriptForEstree(request, parent, ...rest) {
  if (request === 'typescript' && parent && parent.filename && parent.filename.includes(`${path.sep}@typescript-eslint${path.sep}`)) {
    return bundledTypescript;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

const writeFile = fs.writeFile;
let pendingWrites = Promise.resolve();
fs.writeFile = function serializedWriteFile(file, data, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  const writeOptions = typeof options === 'function' ? {} : options;
  pendingWrites = pendingWrites.then(
    () =>
      new Promise((resolve) => {
        writeFile(file, data, writeOptions, (error) => {
          resolve();
          if (done) done(error);
        });
      }),
  );
};

async function main() {
  const run = require(path.join(packageDir, 'dist/runner.js'));
  const { list_files: listFiles } = require(path.join(packageDir, 'dist/util'));
  const result = await run(
    {
      input: path.resolve(input),
      output: report,
      isSarif: false,
      isRelative: true,
      electronVersionOverride: electronVersion,
      customScan: [],
      // It downloads Electron's release list from GitHub: a network-dependent verdict (and a
      // long timeout offline). Keeping Electron current is checklist 16, done by upgrading.
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      parserPlugins: [],
    },
    false,
  );
  await pendingWrites;
  const scannedFiles = (await listFiles(path.resolve(input))).map((file) => path.relative(input, file).split(path.sep).join('/'));
  const parseErrors = result.errors.map((error) => ({
    file: path.relative(input, error.file).split(path.sep).join('/'),
    message: error.message,
    tolerable: error.tolerable,
  }));
  fs.writeFileSync(summaryFile, JSON.stringify({ scannedFiles, parseErrors, findingCount: result.issues.length }, null, 2));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
