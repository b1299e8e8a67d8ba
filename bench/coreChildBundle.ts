// A benchmark's core child, bundled as electron.vite.config.ts bundles the app's main process:
// packages load from node_modules at run time, what the core imports only when needed stays in
// chunks of its own, and twitter-text loads on demand. Run from the bundle, the child's memory is
// the app's, without tsx's loader and its transpiled sources.
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles bench/<name>.ts into out/<folder>/ (emptied first) and returns the bundle's path; with
 * `mediaWorker`, the core's media worker too, as out/<folder>/mediaWorker.js beside it (as the
 * app's build puts it beside its main process).
 */
export async function bundleCoreChild(name: string, folder: string, options: { mediaWorker?: boolean } = {}): Promise<string> {
  const outdir = path.join(repoRoot, 'out', folder);
  fs.rmSync(outdir, { recursive: true, force: true });
  await esbuild({
    entryPoints: {
      [name]: path.join(repoRoot, 'bench', `${name}.ts`),
      ...(options.mediaWorker ? { mediaWorker: path.join(repoRoot, 'src-main/core/media/mediaWorker.ts') } : {}),
    },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    alias: { 'twitter-text': path.join(repoRoot, 'src-main/core/compose/twitterTextOnDemand.ts') },
    outdir,
    logLevel: 'warning',
  });
  return path.join(outdir, `${name}.js`);
}
