// Runs inside the page (bundled by the harness into an init script): builds `window.localpost`
// with the preload's own buildApi, but over Playwright bindings instead of ipcRenderer. The
// renderer cannot tell the difference, which is the point.
import { buildApi } from '../../src-preload/buildApi';
import { bridgeGlobalName } from '../../src-preload/contract';

type Listener = (payload: unknown) => void;

declare global {
  interface Window {
    __localpostInvoke(method: string, input: unknown): Promise<unknown>;
    __localpostEmit(event: string, payload: unknown): void;
  }
}

const listeners = new Map<string, Set<Listener>>();
window.__localpostEmit = (event, payload) => {
  for (const listener of listeners.get(event) ?? []) listener(payload);
};

Object.defineProperty(window, bridgeGlobalName, {
  value: buildApi({
    invoke: (method, input) => window.__localpostInvoke(method, input) as never,
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  }),
  writable: false,
});
