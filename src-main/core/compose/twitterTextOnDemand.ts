// twitter-text as the core loads it: at the first X post counted, not when the app starts. The
// library (with its core-js polyfills and Unicode tables) holds some 11 MB once loaded, which an
// idle Localpost, or one only reading its history, never needs. The main build resolves
// `twitter-text` to this module (electron.vite.config.ts), so the shared length rules
// (src-shared/compose/textLength.ts) stay one synchronous function for the renderer and the
// core alike; Node's require loads the package synchronously at that first call.
import { createRequire } from 'node:module';
import type TwitterText from 'twitter-text';

const require = createRequire(import.meta.url);
let library: typeof TwitterText | undefined;

const twitterTextOnDemand: Pick<typeof TwitterText, 'parseTweet'> = {
  parseTweet: (text, options) => (library ??= require('twitter-text') as typeof TwitterText).parseTweet(text, options),
};

export default twitterTextOnDemand;
