// Runs inside the page (bundled by the harness into an init script): builds `window.localpost`
// with the preload's own buildApi, over Playwright bindings instead of ipcRenderer. The renderer
// cannot tell the difference, which is the point.
import { buildApi } from '../../src-preload/buildApi';
// From the channel names, as the preload takes it: the contract's schemas stay out of the page.
import { bridgeGlobalName } from '../../src-preload/channels';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

declare global {
  interface Window {
    __localpostInvoke(method: string, input: unknown): Promise<unknown>;
    __localpostEmit(event: string, payload: unknown): void;
  }
}

const listeners = new Map<string, Set<IpcListener>>();
window.__localpostEmit = (event, payload) => {
  for (const listener of listeners.get(event) ?? []) listener(null, payload);
};

Object.defineProperty(window, bridgeGlobalName, {
  value: buildApi({
    invoke: (channel, input) => window.__localpostInvoke(channel, input),
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set<IpcListener>();
      listeners.set(channel, set);
      set.add(listener);
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  }),
  writable: false,
});
