// twitter-text as the core loads it: at the first X post counted, not when the app starts (an
// idle Localpost, or one only reading its history, never needs it). The main build resolves
// `twitter-text` to this module (electron.vite.config.ts) and builds the library itself, without
// its polyfills, as twitterText.js beside the main entry, so the shared length rules
// (src-shared/compose/textLength.ts) stay one synchronous function for the renderer and the core
// alike: Node's require loads that ES module synchronously at the first count.
import { createRequire } from 'node:module';
import type TwitterText from 'twitter-text';

const require = createRequire(import.meta.url);
let library: typeof TwitterText | undefined;

/** The library's build beside this bundle's entry (out/main/twitterText.js beside index.js). */
const libraryFile = new URL('./twitterText.js', import.meta.url);

const twitterTextOnDemand: Pick<typeof TwitterText, 'parseTweet'> = {
  parseTweet: (text, options) => (library ??= (require(libraryFile.pathname) as { default: typeof TwitterText }).default).parseTweet(text, options),
};

export default twitterTextOnDemand;
