// Three builds from three roots (electron-vite's layout, with our folder names): main and preload
// for Node, the renderer for the browser. The preload is one CommonJS file because a sandboxed
// preload cannot load modules (Electron security checklist 4).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'vite';

/** twitter-text's own ES module build (the package's "module"), with its imports as below. */
const twitterTextLibrary = resolve(__dirname, 'node_modules/twitter-text/dist/esm/index.js');

/**
 * How twitter-text is built into each bundle: its core-js 2 polyfills left out (Chromium and Node
 * have every built-in they fill in) and, where `onDemand` names a module, `twitter-text` itself
 * resolved to it.
 */
function twitterTextAliases(onDemand: string | null) {
  return [
    { find: /^core-js\/modules\/.*$/, replacement: resolve(__dirname, 'src-shared/nativeBuiltins.ts') },
    ...(onDemand ? [{ find: /^twitter-text$/, replacement: resolve(__dirname, onDemand) }] : []),
  ];
}

/**
 * twitter-text's `punycode` in a Node bundle: the npm package it depends on, not Node's deprecated
 * built-in module of the same name, which a Node build keeps external (and which warns when
 * loaded). Rewritten in its source, since built-in names are made external before any alias applies.
 */
function twitterTextOwnPunycode(): Plugin {
  const punycodeFile = JSON.stringify(createRequire(twitterTextLibrary).resolve('punycode/'));
  const twitterTextDir = dirname(twitterTextLibrary);
  return {
    name: 'twitter-text-own-punycode',
    enforce: 'pre',
    transform: (code, id) => (id.startsWith(twitterTextDir) ? code.replace(/from ["']punycode["']/g, `from ${punycodeFile}`) : null),
  };
}

export default defineConfig({
  main: {
    plugins: [twitterTextOwnPunycode()],
    resolve: { alias: twitterTextAliases('src-main/core/compose/twitterTextOnDemand.ts') },
    build: {
      // Bundled, so that the aliases above apply (twitter-text's own imports included).
      externalizeDeps: { exclude: ['twitter-text', '@babel/runtime'] },
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          // The media worker runs in a utility process of its own (src-main/shell/mediaWorkerProcess.ts).
          mediaWorker: resolve(__dirname, 'src-main/core/media/mediaWorker.ts'),
          // twitter-text, which the core loads at its first count (twitterTextOnDemand.ts).
          twitterText: twitterTextLibrary,
        },
        // Native and large Node packages load from node_modules at run time.
        external: ['better-sqlite3', 'sharp', 'electron-store'],
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
    resolve: { alias: twitterTextAliases(null) },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // LOCALPOST_UNMINIFIED=1 keeps the names readable in a profile or trace (bench/typing.ts).
      minify: process.env.LOCALPOST_UNMINIFIED !== '1',
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
