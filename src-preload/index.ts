// The preload: exposes the bridge built from the contract as `window.localpost`, and nothing
// else. It runs sandboxed (checklist 4), bundled into one CommonJS file, out/preload/index.cjs.
//
// Runtime: preload.
import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from './buildApi';
import { bridgeGlobalName } from './channels';

contextBridge.exposeInMainWorld(bridgeGlobalName, buildApi(ipcRenderer));
