// How twitter-text goes into the core's bundles, the same for both bundlers that make them: Vite
// for the app (electron.vite.config.ts) and esbuild for the bench's children (bench/nodeBundle.ts).
// Each applies these rules with its own plugin API.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const library = path.join(repoRoot, 'node_modules/twitter-text/dist/esm/index.js');

export const twitterTextBuild = {
  /** twitter-text's own ES module build (the package's "module"), built as a file of its own. */
  library,
  /** Its files: where the rules below apply. */
  libraryDir: path.dirname(library),
  /** Its core-js 2 polyfills, which resolve to an empty module: Chromium and Node have every
   *  built-in they fill in. The whole specifier matches (an alias replaces what matched). */
  polyfills: /^core-js\/modules\/.*$/,
  noPolyfill: path.join(repoRoot, 'src-shared/nativeBuiltins.ts'),
  /** Its `punycode`: the npm package it depends on, not Node's deprecated built-in module of the
   *  same name, which a Node build keeps external (and which warns when loaded). */
  punycode: createRequire(library).resolve('punycode/'),
  /** The core's own imports of the library, by the package's name ... */
  imported: /^twitter-text$/,
  /** ... which resolve to the module that loads the library at its first count. */
  onDemand: path.join(repoRoot, 'src-main/core/compose/twitterTextOnDemand.ts'),
} as const;
