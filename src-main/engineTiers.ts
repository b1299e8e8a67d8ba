// How far V8 compiles the main process's JavaScript.
//
// Runtime: main. No electron import: the benchmarks' stand-ins for the main process apply the same.
import v8 from 'node:v8';

/**
 * V8 compiles a function in tiers: the Ignition interpreter, the Sparkplug baseline compiler, then,
 * for the code that runs hottest, the optimising compilers, Maglev and TurboFan. The main process's
 * JavaScript is the core: glue between waits on the disk and the network, around native code
 * (SQLite, HTTP parsing, crypto; images and videos are read in a process of their own). An
 * optimised compile gains it nothing measurable, yet each is made on a background thread in memory
 * of its own, which glibc keeps once freed, and pages in megabytes of the compiler. `--max-opt=1`
 * stops at Sparkplug (0 is the interpreter alone, 2 adds Maglev, 3 TurboFan). bench/memory.ts
 * measures what that saves after publishing, bench/publish-bluesky.ts that publishing is no slower.
 */
export const mainProcessEngineFlags = '--max-opt=1';

/**
 * Applies `mainProcessEngineFlags` to this process's V8: first thing at start, before any other
 * module loads (entry.ts), as what was optimised before stays so. Flags set after V8 started take
 * effect in Node and in Electron's main process alike: both start V8 with
 * `--no-freeze-flags-after-init`, so that `v8.setFlagsFromString` keeps working.
 */
export function limitEngineTiers(): void {
  v8.setFlagsFromString(mainProcessEngineFlags);
}
