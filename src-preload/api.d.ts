// Types `window.localpost` for the renderer. Only the type of the contract is imported, so the
// renderer bundle never pulls zod or any main-process code through the bridge.
import type { Api } from './contract';

declare global {
  interface Window {
    localpost: Api;
  }
}

export {};
