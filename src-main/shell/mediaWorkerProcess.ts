// The MediaWorkerLauncher port: the media worker (core/media/mediaWorker.ts, built as
// out/main/mediaWorker.js beside index.js) as an Electron utility process, the kind Electron
// provides for Node work kept out of the main process (a child_process fork would need
// ELECTRON_RUN_AS_NODE, which the packaged app's fuses turn off).
//
// Runtime: main (shell).
import { utilityProcess } from 'electron';
import type { MediaWorkerLauncher } from '../core/ports';

export function createMediaWorkerLauncher(workerPath: string): MediaWorkerLauncher {
  return {
    start() {
      // Its output goes nowhere: the core logs what happens to a job, and a decoder's own chatter
      // could name the user's files.
      const worker = utilityProcess.fork(workerPath, [], { serviceName: 'Localpost media', stdio: 'ignore' });
      return {
        postMessage: (message) => worker.postMessage(message),
        onMessage: (listener) => void worker.on('message', listener),
        onExit: (listener) => void worker.once('exit', (code: number) => listener(code)),
        kill: () => void worker.kill(),
      };
    },
  };
}
