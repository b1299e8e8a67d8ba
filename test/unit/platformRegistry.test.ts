// A platform is registered once per side, and fully: every id in platformIds has a core module
// (its adapter and connect), shared rules, a connect shape in the contract and a renderer record.
// The compiler checks that each registry has every id (each is keyed by Platform); this checks
// what it cannot: that each entry is the platform it is filed under, and that the registries agree
// with each other (a browser sign-in platform's grants are tracked for refresh).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createPlatforms } from '../../src-main/core/platforms/createPlatforms';
import { platformModules } from '../../src-main/core/platforms/platformModules';
import type { PlatformModule } from '../../src-main/core/platforms/platformModule';
import { createLogger, silentSink } from '../../src-main/core/log/logger';
import { methodNames } from '../../src-preload/channels';
import { connectInputs, connectInputSchema, type Platform } from '../../src-preload/contract';
import { platformIds } from '../../src-shared/platformIds';
import { platformRules } from '../../src-shared/platforms';

// The renderer's registry, loaded in Node with an empty bridge: its components are not rendered
// here (the end-to-end tests open every connect form in Chromium), only read. Imported by a path
// the main-side type check does not follow: the file is page code (JSX, DOM types).
interface RendererRegistry {
  platformUi: Record<Platform, { description: string; Logo: unknown; ConnectForm: unknown; disconnectNote: string; signsInThroughBrowser: boolean }>;
  connectablePlatforms: Array<{ id: Platform }>;
  connectablePlatformList: string;
}
(globalThis as { window?: unknown }).window = { localpost: {} };
const rendererRegistry = '../../src-renderer/features/accounts/platforms';
const { connectablePlatformList, connectablePlatforms, platformUi } = (await import(rendererRegistry)) as RendererRegistry;

const registered: { [P in Platform]: PlatformModule<P> } = platformModules;

/** The platforms as createPlatforms builds them, with nothing behind them: only their shape is
 *  read, and which platforms' saved accounts it looks up to track their OAuth grants. */
function buildPlatforms() {
  const unused = new Proxy({}, { get: (_target, name) => assert.fail(`building a platform used ${String(name)}`) });
  const trackedPlatforms = new Set<Platform>();
  const platforms = createPlatforms({
    // Locked: tracking stops before reading tokens, after asking for the platform's accounts.
    vault: { status: () => ({ locked: true }) } as never,
    accounts: {
      listPlatform: (platform: Platform) => {
        trackedPlatforms.add(platform);
        return [];
      },
    } as never,
    fetch: unused as never,
    ports: { clock: { now: () => 0 }, notifier: unused, urlOpener: unused, network: {} } as never,
    env: {},
    addressPolicy: unused as never,
    log: createLogger('test', [silentSink]),
    activeProfileId: () => 'p1',
    avatars: unused as never,
    media: unused as never,
    emit: () => {},
    accountChanged: () => {},
    settings: unused as never,
  });
  return { platforms, trackedPlatforms };
}

describe('every platform is registered on every side', () => {
  it('the core: a module filed under its own id, whose adapter says it is that platform and which connects', () => {
    const { platforms } = buildPlatforms();
    try {
      for (const id of platformIds) {
        assert.equal(registered[id].id, id);
        assert.equal(platforms.adapters[id].platform, id);
        assert.equal(typeof platforms.connect[id], 'function', id);
      }
      assert.deepEqual(Object.keys(platformModules).sort(), [...platformIds].sort());
    } finally {
      platforms.stop();
    }
  });

  it('the contract: one accounts.connect, whose union has a shape for each platform and no other', () => {
    assert.deepEqual(methodNames.filter((name) => name.startsWith('accounts.connect')), ['accounts.connect']);
    const named = connectInputSchema.options.map((option) => option.shape.platform.value);
    assert.deepEqual([...named].sort(), [...platformIds].sort());
    for (const id of platformIds) assert.equal(connectInputs[id].shape.platform.value, id);
    assert.equal(connectInputSchema.safeParse({ platform: 'myspace' }).success, false);
  });

  it('the shared rules: a name and how its handles read', () => {
    for (const id of platformIds) {
      assert.ok(platformRules[id].name.trim() !== '', id);
      assert.ok(['at', 'plain'].includes(platformRules[id].handleStyle), id);
    }
  });

  it('the renderer: a record with words for each screen, and every platform on the Add account list', () => {
    for (const id of platformIds) {
      const ui = platformUi[id];
      assert.ok(ui.description.trim() !== '' && ui.disconnectNote.trim() !== '', id);
      assert.equal(typeof ui.Logo, 'function', id);
      assert.equal(typeof ui.ConnectForm, 'function', id);
      assert.ok(connectablePlatformList.includes(platformRules[id].name), id);
    }
    assert.deepEqual(connectablePlatforms.map((platform) => platform.id), [...platformIds]);
  });

  it('a platform that signs in through the browser has its saved OAuth grants tracked for refresh', () => {
    const { platforms, trackedPlatforms } = buildPlatforms();
    platforms.stop();
    for (const id of platformIds) {
      assert.equal(trackedPlatforms.has(id), platformUi[id].signsInThroughBrowser, id);
      assert.equal(registered[id].oauth !== undefined, platformUi[id].signsInThroughBrowser, id);
    }
  });
});

describe('code outside a platform\'s folder never asks which platform it is', () => {
  it('no comparison with a platform id and no `case` on one in src-main, src-shared, src-preload or src-renderer, except in platforms/<id>/', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const ids = platformIds.join('|');
    const asksWhich = new RegExp(`(===|!==)\\s*'(${ids})'|'(${ids})'\\s*(===|!==)|\\bcase\\s+'(${ids})'\\s*:`);
    const ownFolder = new RegExp(`^src-main/core/platforms/(${ids})/`);
    const offenders: string[] = [];
    for (const dir of ['src-main', 'src-shared', 'src-preload', 'src-renderer']) {
      for (const entry of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })) {
        const file = `${dir}/${entry.split(path.sep).join('/')}`;
        if (!/\.tsx?$/.test(file) || ownFolder.test(file)) continue;
        fs.readFileSync(path.join(root, file), 'utf8')
          .split('\n')
          .forEach((line, index) => {
            if (asksWhich.test(line)) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
          });
      }
    }
    assert.deepEqual(offenders, [], 'Say it with a field of platformRules (src-shared/platforms.ts) or of the platform\'s record instead');
  });
});
