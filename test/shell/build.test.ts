// What `electron-vite build` produces (the test command builds before running the tests):
// main, a single-file CommonJS preload for the sandbox, and a minified renderer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type TwitterText from 'twitter-text';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../out');

describe('the build', () => {
  it('produces main, preload and renderer', () => {
    for (const file of ['main/entry.js', 'main/index.js', 'preload/index.cjs', 'renderer/index.html']) {
      assert.ok(fs.existsSync(path.join(out, file)), `out/${file}`);
    }
  });

  it("starts the main process at entry.js, which sets V8's tiers before anything of the app loads", () => {
    const packageJson = JSON.parse(fs.readFileSync(path.join(out, '../package.json'), 'utf8')) as { main: string };
    assert.equal(packageJson.main, 'out/main/entry.js');
    const entry = fs.readFileSync(path.join(out, 'main/entry.js'), 'utf8');
    // Static imports load before the module's first line: the entry's are Node's v8 alone.
    const staticImports = [...entry.matchAll(/^\s*import\s[^;(]*?["']([^"']+)["']/gm)].map((m) => m[1]);
    assert.deepEqual(staticImports, ['node:v8']);
    const flagsSet = entry.indexOf('setFlagsFromString(');
    const rootLoaded = entry.indexOf('await import("./index.js")');
    assert.ok(flagsSet > 0 && rootLoaded > flagsSet, 'the flags are set, then the composition root is imported and awaited');
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

  it("builds twitter-text for the core beside main, without polyfills or Node's punycode, loaded at the first count", () => {
    const libraryFile = path.join(out, 'main/twitterText.js');
    const library = fs.readFileSync(libraryFile, 'utf8');
    // The main process's code (its entries and the chunks beside them) names the library's file
    // and holds none of it (its emoji and TLD tables).
    const mainFiles = fs.readdirSync(path.join(out, 'main')).filter((file) => file.endsWith('.js') && file !== 'twitterText.js');
    const main = mainFiles.map((file) => fs.readFileSync(path.join(out, 'main', file), 'utf8')).join('\n');
    assert.match(main, /new URL\("\.\/twitterText\.js", import\.meta\.url\)/);
    assert.doesNotMatch(main, /twemoji|xn--vermgensberater/);
    // Self-contained: nothing left for Node to resolve but its own modules (not the deprecated
    // punycode), and no core-js.
    assert.doesNotMatch(library, /__core-js_shared__/);
    const imported = [...library.matchAll(/^\s*import\s[^;]*?["']([^"']+)["']|\brequire\(["']([^"']+)["']\)/gm)].map((m) => m[1] ?? m[2]);
    assert.deepEqual(imported.filter((specifier) => !specifier!.startsWith('node:')), []);
    const require = createRequire(import.meta.url);
    const built = (require(libraryFile) as { default: typeof TwitterText }).default;
    const twitterText = require('twitter-text') as typeof TwitterText;
    // An internationalised domain takes the punycode path; emoji and CJK their weights.
    for (const text of ['hello', 'héllo 東京 🎉', `see https://example.com/${'x'.repeat(200)}`, 'at https://bücher.de and münchen.de', '👩‍👩‍👧'.repeat(50), '']) {
      const { weightedLength, valid, validRangeEnd } = built.parseTweet(text);
      const expected = twitterText.parseTweet(text);
      assert.deepEqual({ weightedLength, valid, validRangeEnd }, { weightedLength: expected.weightedLength, valid: expected.valid, validRangeEnd: expected.validRangeEnd }, JSON.stringify(text));
    }
  });
});
