// The core child's entry for bench/memory.ts, as src-main/entry.ts is the app's: V8's tiers set by
// asMainProcess.ts, then, by a dynamic import, memoryCoreChild.ts and every module of the core.
//
//   node --expose-gc out/bench-memory/memoryCoreEntry.js <dataDir>     (bundled by bench/memory.ts)
import './asMainProcess';

await import('./memoryCoreChild');
