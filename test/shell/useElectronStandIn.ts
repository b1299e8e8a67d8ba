// Call before importing anything that imports `electron`: from then on, `electron` resolves to
// ./electronStandIn.ts in this process (including inside node_modules, e.g. electron-store).
// Modules must be imported dynamically after this call, because static imports are resolved
// before any code of the importing module runs.
import { register } from 'node:module';

let registered = false;

export function useElectronStandIn(): void {
  if (registered) return;
  register('./electronStandInLoader.mjs', import.meta.url);
  registered = true;
}
