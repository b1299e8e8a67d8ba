// A module-resolution hook (node:module register) that answers every import of `electron` with
// the recording stand-in. The real package would try to download the Electron binary on first
// import, which cannot work on a build machine with no network beyond the package registry, and
// the shell must be tested without it anyway.
const standInUrl = new URL('./electronStandIn.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier.startsWith('electron/')) {
    return { url: standInUrl, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
