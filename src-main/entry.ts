// The main process's entry: how far V8 compiles (engineTiers.ts) set first, then the composition
// root (index.ts). The root comes by a dynamic import because a module's static imports all load
// before its first line runs, and Node's module loader, busy with the hundreds of files of the
// core's packages, runs hot enough to be optimised meanwhile: set after them, the limit comes too
// late for its compiles. Electron emits `ready` only once the entry module has finished, this
// awaited import included, so the root still does its work before ready (the app scheme's
// privileges, Chromium's data folder) in time.
//
// Runtime: main. No electron import: index.ts brings the shell.
import { limitEngineTiers } from './engineTiers';

limitEngineTiers();
await import('./index');
