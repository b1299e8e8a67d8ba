// How the authorization response gets back into Localpost, chosen per platform: each accepts
// different redirect URIs.
// Whatever the strategy, the callback URL ends in the same place: OAuthEngine's completion path,
// which checks the state against the pending store and exchanges the code.
//
// - 'loopback': ephemeral port on 127.0.0.1 (RFC 8252 §7.3), for platforms that accept any port.
// - { fixedPort }: the same listener on a port the user registered (X matches redirect URIs exactly).
// - 'paste': for platforms whose redirects must be HTTPS the app cannot serve; the browser lands on
//   the registered address and the user pastes that address into Localpost.
//
// No private-use URI scheme (RFC 8252 §7.1): no platform Localpost supports needs one, and a
// scheme registered with the OS lets any web page open the app with a link of its choosing.
import type { Logger } from '../log/logger';
import { startLoopbackListener, type LoopbackListener } from './loopbackListener';
import { oauthError } from './oauthErrors';

export type RedirectStrategy = 'loopback' | { fixedPort: number } | 'paste';

export interface PreparedRedirect {
  kind: 'loopback' | 'paste';
  redirectUri: string;
  /** For loopback strategies: the listener's one valid callback. Others arrive from outside. */
  listener?: LoopbackListener;
  release(): Promise<void>;
}

export interface PrepareRedirectOptions {
  expectedState: string;
  /** Required for 'paste': the HTTPS address registered with the platform. */
  pasteRedirectUri?: string;
  /** For loopback strategies: the callback's path, when the platform wants its own. */
  loopbackPath?: string;
  listenerTimeoutMs?: number;
  signal?: AbortSignal;
  log?: Logger;
}

export async function prepareRedirect(strategy: RedirectStrategy, options: PrepareRedirectOptions): Promise<PreparedRedirect> {
  if (strategy === 'paste') {
    const redirectUri = options.pasteRedirectUri && URL.parse(options.pasteRedirectUri)?.href;
    if (!redirectUri) {
      throw oauthError('developer_app_missing', 'The paste sign-in needs the redirect address registered with the platform.', {
        action: 'Enter the redirect URI in the platform settings.',
      });
    }
    return { kind: 'paste', redirectUri, release: async () => {} };
  }
  const port = strategy === 'loopback' ? 0 : strategy.fixedPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (strategy !== 'loopback' && port === 0)) {
    throw oauthError('invalid_input', `${port} is not a port number for the redirect URI.`, { action: 'Choose a port between 1024 and 65535.' });
  }
  const listener = await startLoopbackListener({
    port,
    expectedState: options.expectedState,
    ...(options.loopbackPath ? { path: options.loopbackPath } : {}),
    ...(options.listenerTimeoutMs !== undefined ? { timeoutMs: options.listenerTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { kind: 'loopback', redirectUri: listener.redirectUri, listener, release: () => listener.close() };
}

/** Whether a callback URL arrived at `redirectUri`: same scheme, host, port and path. */
export function matchesRedirectUri(url: URL, redirectUri: string): boolean {
  const expected = URL.parse(redirectUri);
  return !!expected && url.protocol === expected.protocol && url.host === expected.host && url.pathname === expected.pathname;
}
