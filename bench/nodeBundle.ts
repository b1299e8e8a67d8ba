// Bench children bundled as electron.vite.config.ts bundles the app's main process: packages load
// from node_modules at run time, what the core imports only when needed stays in chunks of its
// own, and twitter-text, built without its polyfills as twitterText.js beside the entries, loads
// on demand. A child then loads what the app loads, not tsx compiling TypeScript as it goes.
import { build as esbuild, type Plugin } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { twitterTextBuild } from '../scripts/twitterTextBuild';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles each entry (a path from the repository root) into `outdir` (emptied first); returns the
 * built files, entry by entry. With `mediaWorker`, the core's media worker is built too, as
 * mediaWorker.js beside them, where the app's build puts it beside its main process.
 */
export async function bundleForNode(entries: string[], outdir: string, options: { mediaWorker?: boolean } = {}): Promise<string[]> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const workerEntry = options.mediaWorker ? [path.join(repoRoot, 'src-main/core/media/mediaWorker.ts')] : [];
  const twitterTextEntry = { in: twitterTextBuild.library, out: 'twitterText' };
  await esbuild({
    // Named, so that every entry lands at the top of `outdir` whatever folder it comes from
    // (entries from several folders otherwise keep their paths below the folder they share).
    entryPoints: [
      ...[...entries.map((entry) => path.join(repoRoot, entry)), ...workerEntry].map((file) => ({ in: file, out: path.basename(file, path.extname(file)) })),
      twitterTextEntry,
    ],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    plugins: [packagesExternalButTwitterText],
    outdir,
    logLevel: 'warning',
  });
  return entries.map((entry) => path.join(outdir, `${path.basename(entry, path.extname(entry))}.js`));
}

/**
 * Every package external, as the app's main build leaves them, but twitter-text, whose imports
 * follow the app's rules (twitterTextBuild.ts) and are bundled into its file as that build does.
 */
const packagesExternalButTwitterText: Plugin = {
  name: 'packages-external-but-twitter-text',
  setup(build) {
    build.onResolve({ filter: twitterTextBuild.imported }, () => ({ path: twitterTextBuild.onDemand }));
    build.onResolve({ filter: twitterTextBuild.polyfills }, () => ({ path: twitterTextBuild.noPolyfill }));
    build.onResolve({ filter: /^punycode$/ }, () => ({ path: twitterTextBuild.punycode }));
    // Left to esbuild's own resolution (bundled) when twitter-text imports it.
    build.onResolve({ filter: /^[^./]/ }, ({ path: specifier, importer }) => (importer.startsWith(twitterTextBuild.libraryDir) ? undefined : { path: specifier, external: true }));
  },
};
