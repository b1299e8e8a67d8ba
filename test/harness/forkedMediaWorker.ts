// The MediaWorkerLauncher port for Node, as tests and benchmarks run the core: the media worker
// (src-main/core/media/mediaWorker.ts) in a child process of its own, what Electron's utility
// process is to the app (src-main/shell/mediaWorkerProcess.ts). Messages cross as structured
// clones (advanced serialization), as they do between Electron's processes.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaWorkerLauncher } from '../../src-main/core/ports';

const workerSource = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src-main/core/media/mediaWorker.ts');

export interface ForkedMediaWorker extends MediaWorkerLauncher {
  /** Every worker started so far, by process id. */
  readonly pids: number[];
}

/** `entry`: the worker's source (through tsx) by default, or a built file (no loader then). */
export function forkedMediaWorker(entry: string = workerSource): ForkedMediaWorker {
  const pids: number[] = [];
  return {
    pids,
    start() {
      const child = fork(entry, [], {
        execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      pids.push(child.pid!);
      return {
        postMessage: (message) => void child.send(message as never),
        onMessage: (listener) => void child.on('message', listener),
        onExit: (listener) => void child.once('exit', (code) => listener(code)),
        kill: () => void child.kill(),
      };
    },
  };
}
