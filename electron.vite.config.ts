// Three builds from three roots (electron-vite's layout, with our folder names): main and preload
// for Node, the renderer for the browser. The preload is one CommonJS file because a sandboxed
// preload cannot load modules (Electron security checklist 4).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    // The core loads twitter-text at its first use (src-main/core/compose/twitterTextOnDemand.ts).
    resolve: { alias: { 'twitter-text': resolve(__dirname, 'src-main/core/compose/twitterTextOnDemand.ts') } },
    build: {
      // Bundled, so that the alias above applies; the module it names requires the package itself.
      externalizeDeps: { exclude: ['twitter-text'] },
      outDir: 'out/main',
      rollupOptions: {
        // The media worker runs in a utility process of its own (src-main/shell/mediaWorkerProcess.ts).
        input: { index: resolve(__dirname, 'src-main/index.ts'), mediaWorker: resolve(__dirname, 'src-main/core/media/mediaWorker.ts') },
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
    resolve: { alias: [{ find: /^core-js\/modules\/.*$/, replacement: resolve(__dirname, 'src-renderer/nativeBuiltins.ts') }] },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // LOCALPOST_UNMINIFIED=1 keeps the names readable in a profile or trace (bench/typing.ts).
      minify: process.env.LOCALPOST_UNMINIFIED !== '1',
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
