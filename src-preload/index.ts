// The preload: exposes the bridge built from the contract as `window.localpost`, and nothing
// else. It runs sandboxed (checklist 4), bundled into one CommonJS file, out/preload/index.cjs.
//
// Runtime: preload.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildApi } from './buildApi';
import { bridgeGlobalName } from './channels';

// webUtils reaches the page only through drafts.addVideoFile, which sends the dropped file's path to
// the core and never shows it to the page.
contextBridge.exposeInMainWorld(bridgeGlobalName, buildApi(ipcRenderer, (file) => webUtils.getPathForFile(file)));
