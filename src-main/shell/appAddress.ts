// Where the app's own pages live. The renderer is served from a privileged custom scheme rather
// than file:// (Electron security checklist 18), so it has a real origin, `app://localpost`, that
// the bridge, the navigation guard and the CSP can all compare against.
//
// Runtime: main. No electron import: the composition root and every shell module share these.
import { isTrustedSender } from '../core/bridge/dispatch';

export const appScheme = 'app';
export const appHost = 'localpost';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * True when `url` is one of the app's own pages. The same rule the bridge applies to every
 * sender (checklist 13 and 17): parsed scheme and host, never a string prefix, so
 * `app://localpost.evil.com` does not pass.
 */
export function isAppUrl(url: string): boolean {
  return isTrustedSender(url, appOrigin);
}
