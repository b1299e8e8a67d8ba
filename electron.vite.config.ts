// Three builds from three roots (electron-vite's layout, with our folder names): main and preload
// for Node, the renderer for the browser. The preload is one CommonJS file because a sandboxed
// preload cannot load modules (Electron security checklist 4).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { twitterTextBuild } from './scripts/twitterTextBuild';

/**
 * twitter-text's imports in each bundle (the rules in twitterTextBuild.ts): core-js's polyfills
 * left out and, in the main process, `twitter-text` itself the module that loads it on demand.
 */
function twitterTextAliases(target: 'main' | 'renderer') {
  return [
    { find: twitterTextBuild.polyfills, replacement: twitterTextBuild.noPolyfill },
    ...(target === 'main' ? [{ find: twitterTextBuild.imported, replacement: twitterTextBuild.onDemand }] : []),
  ];
}

/**
 * twitter-text's `punycode` in a Node bundle, rewritten in its source: a Node build makes built-in
 * names external before any alias applies.
 */
function twitterTextOwnPunycode(): Plugin {
  const punycodeFile = JSON.stringify(twitterTextBuild.punycode);
  return {
    name: 'twitter-text-own-punycode',
    enforce: 'pre',
    transform: (code, id) => (id.startsWith(twitterTextBuild.libraryDir) ? code.replace(/from ["']punycode["']/g, `from ${punycodeFile}`) : null),
  };
}

export default defineConfig({
  main: {
    plugins: [twitterTextOwnPunycode()],
    resolve: { alias: twitterTextAliases('main') },
    build: {
      // Bundled, so that the aliases above apply (twitter-text's own imports included).
      externalizeDeps: { exclude: ['twitter-text', '@babel/runtime'] },
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // The app's entry (package.json's main), which loads index.js once V8's tiers are set.
          entry: resolve(__dirname, 'src-main/entry.ts'),
          index: resolve(__dirname, 'src-main/index.ts'),
          // The media worker runs in a utility process of its own (src-main/shell/mediaWorkerProcess.ts).
          mediaWorker: resolve(__dirname, 'src-main/core/media/mediaWorker.ts'),
          // twitter-text, which the core loads at its first count (twitterTextOnDemand.ts).
          twitterText: twitterTextBuild.library,
        },
        // Native and large Node packages load from node_modules at run time.
        external: ['better-sqlite3', 'sharp', 'electron-store'],
        // Chunks beside the entries: a module finds its files by its own address (import.meta.url:
        // ../preload/index.cjs, ./twitterText.js), which then holds whichever chunk it lands in.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    resolve: { alias: twitterTextAliases('renderer') },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // LOCALPOST_UNMINIFIED=1 keeps the names readable in a profile or trace (bench/typing.ts).
      minify: process.env.LOCALPOST_UNMINIFIED !== '1',
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
