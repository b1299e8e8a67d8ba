import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const engineTiersModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src-main/engineTiers.ts');

// Bits of V8's %GetOptimizationStatus (src/runtime/runtime.h, OptimizationStatus).
const optimized = 1 << 4;
const baseline = 1 << 15;

/**
 * Runs a hot function in a fresh Node, with the main process's tiers limited first or not, long
 * enough for V8 to optimise it (with a turn of the event loop between rounds, for a concurrent
 * compile to land); its optimisation status and what the process wrote to stderr.
 */
function hotFunctionStatus(limited: boolean): { status: number; stderr: string } {
  const script = `
    const { limitEngineTiers } = await import(${JSON.stringify(engineTiersModule)});
    if (${limited}) limitEngineTiers();
    const statusOf = new Function('f', 'return %GetOptimizationStatus(f)');
    function hot(n) { let sum = 0; for (let i = 0; i < n; i++) sum += i % 7; return sum; }
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 2000; i++) hot(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    console.log(statusOf(hot));
  `;
  const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return { status: Number(child.stdout.trim()), stderr: child.stderr };
}

describe('the main process compiles with V8 up to its baseline tier', () => {
  it('a hot function is optimised with every tier, and stays at the baseline compiler once limited', () => {
    const everyTier = hotFunctionStatus(false);
    assert.ok(everyTier.status & optimized, `with every tier, the hot function is optimised (status ${everyTier.status})`);

    const limited = hotFunctionStatus(true);
    assert.equal(limited.status & optimized, 0, `limited, the hot function is not optimised (status ${limited.status})`);
    assert.ok(limited.status & baseline, `limited, the hot function runs Sparkplug's code (status ${limited.status})`);
    // V8 reports a flag it does not know on stderr and carries on: the flag must be one it knows.
    assert.equal(limited.stderr, '');
  });
});
