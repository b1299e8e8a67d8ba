// What `electron-vite build` produces (the test command builds before running the tests):
// main, a single-file CommonJS preload for the sandbox, and a minified renderer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out');

describe('the build', () => {
  it('produces main, preload and renderer', () => {
    for (const file of ['main/index.js', 'preload/index.cjs', 'renderer/index.html']) {
      assert.ok(fs.existsSync(path.join(out, file)), `out/${file}`);
    }
  });

  it('bundles the preload into one CommonJS file that requires only electron', () => {
    const preload = fs.readFileSync(path.join(out, 'preload/index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(required)], ['electron']);
    assert.doesNotMatch(preload, /^\s*import\s/m);
  });

  it('keeps the sandboxed preload to channel names: no schema library inside', () => {
    const preload = fs.readFileSync(path.join(out, 'preload/index.cjs'), 'utf8');
    // With the contract's zod schemas bundled in, it was 185 KB; names alone are about 3 KB.
    assert.doesNotMatch(preload, /\bZodError\b|\bzod\b/i);
    assert.ok(preload.length < 16 * 1024, `the preload is ${preload.length} bytes`);
  });

  it('minifies the renderer', () => {
    const assets = path.join(out, 'renderer/assets');
    const scripts = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
    assert.ok(scripts.length > 0);
    for (const script of scripts) {
      const code = fs.readFileSync(path.join(assets, script), 'utf8');
      const lines = code.split('\n').length;
      // Minified code is a handful of very long lines (a small chunk, one line); unminified React
      // alone is thousands, and an unminified component dozens.
      assert.ok(lines <= 3 || code.length / lines > 1000, `${script}: ${lines} lines for ${code.length} bytes`);
    }
  });

  it('leaves the core-js polyfills twitter-text imports out of the renderer: Chromium has them all', () => {
    const assets = path.join(out, 'renderer/assets');
    for (const script of fs.readdirSync(assets).filter((f) => f.endsWith('.js'))) {
      assert.doesNotMatch(fs.readFileSync(path.join(assets, script), 'utf8'), /__core-js_shared__/, script);
    }
  });
});
