// Main's end of the bridge: one `ipcMain.handle` per method in the contract, each passing the
// sender's frame URL to the core's dispatch, which refuses every sender that is not the app's own
// page (Electron security checklist 17) and validates the input before any core code runs. Core
// events go to the window with `webContents.send`, on the channel named by the event.
//
// Runtime: main (shell).
import { ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { methods } from '../../src-preload/contract';
import type { MethodName } from '../../src-preload/contract';
import type { Core } from '../core/createCore';

export interface IpcBridgeOptions {
  core: Pick<Core, 'dispatch' | 'onEvent'>;
  /** The window that receives core events; null while none is open. */
  currentWindow(): BrowserWindow | null;
}

export class IpcBridgeAlreadyInstalledError extends Error {
  override name = 'IpcBridgeAlreadyInstalledError';
}

let installed = false;

/** Registers every contract method and forwards core events. Returns the uninstaller. */
export function installIpcBridge(options: IpcBridgeOptions): () => void {
  // A second registration would throw half-way in ipcMain.handle and leave some channels bound
  // to the old core; refuse it up front (Signal's "already initialized" guard).
  if (installed) throw new IpcBridgeAlreadyInstalledError('The IPC bridge is already installed');
  installed = true;

  const channels = Object.keys(methods) as MethodName[];
  for (const method of channels) ipcMain.handle(method, bridgeHandlerFor(method, options.core));
  const stopForwarding = options.core.onEvent(function sendCoreEventToWindow(event, payload) {
    const window = options.currentWindow();
    if (window && !window.isDestroyed()) window.webContents.send(event, payload);
  });

  return function uninstallIpcBridge() {
    stopForwarding();
    for (const method of channels) ipcMain.removeHandler(method);
    installed = false;
  };
}

function bridgeHandlerFor(method: MethodName, core: Pick<Core, 'dispatch'>) {
  return function handleBridgeCall(event: IpcMainInvokeEvent, input: unknown) {
    // senderFrame is null when the frame has navigated away or gone: dispatch then refuses.
    return core.dispatch(method, input, event.senderFrame?.url);
  };
}
