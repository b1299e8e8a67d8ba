// How the authorization response gets back into Localpost, chosen per platform: each accepts
// different redirect URIs.
// Whatever the strategy, the callback URL ends in the same place: OAuthEngine's completion path,
// which checks the state against the pending store and exchanges the code.
//
// - 'loopback': ephemeral port on 127.0.0.1 (RFC 8252 §7.3), for platforms that accept any port.
// - { fixedPort }: the same listener on a port the user registered (X matches redirect URIs exactly).
// - { httpsPort }: the same listener speaking TLS on a port the user registered, as
//   `https://localhost:<port>/callback`, for platforms that register only https redirect URIs
//   (Meta's); its certificate is self-signed, so the browser warns first, and pasting the address
//   it landed on completes the sign-in as well.
// - 'paste': for platforms whose redirects must be HTTPS the app cannot serve; the browser lands on
//   the registered address and the user pastes that address into Localpost.
//
// No private-use URI scheme (RFC 8252 §7.1): no platform Localpost supports needs one, and a
// scheme registered with the OS lets any web page open the app with a link of its choosing.
import type { Logger } from '../log/logger';
import type { LoopbackCertificate } from './loopbackCertificate';
import { startLoopbackListener, type LoopbackListener } from './loopbackListener';
import { oauthError } from './oauthErrors';

export type RedirectStrategy = 'loopback' | { fixedPort: number } | { httpsPort: number } | 'paste';

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
  /** For { httpsPort }: the listener's key and certificate, made once per data folder. */
  loopbackCertificate?: () => Promise<LoopbackCertificate>;
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
  const port = strategy === 'loopback' ? 0 : 'httpsPort' in strategy ? strategy.httpsPort : strategy.fixedPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (strategy !== 'loopback' && port === 0)) {
    throw oauthError('invalid_input', `${port} is not a port number for the redirect URI.`, { action: 'Choose a port between 1024 and 65535.' });
  }
  let tls: LoopbackCertificate | undefined;
  if (strategy !== 'loopback' && 'httpsPort' in strategy) {
    if (!options.loopbackCertificate) throw oauthError('internal', 'The https sign-in listener has no certificate.');
    try {
      tls = await options.loopbackCertificate();
    } catch (error) {
      throw oauthError('internal', 'Localpost could not make the certificate for its https sign-in address.', {
        action: 'Check that the data folder can be written to, then connect again.',
        cause: error,
      });
    }
  }
  const listener = await startLoopbackListener({
    port,
    ...(tls ? { tls } : {}),
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

/**
 * The address the user pasted, as a URL, without the mark Meta's platforms add after the answer:
 * Instagram appends `#_` ("#_ will be appended to the end of the redirect URI, but it is not part
 * of the code itself", developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/
 * business-login), Facebook Login `#_=_`. The answer is in the query (RFC 6749 §4.1.2), so the mark
 * carries nothing; any other fragment is left as pasted. Null when it is not an address.
 */
export function readPastedAddress(pasted: string): URL | null {
  const url = URL.parse(pasted.trim());
  if (url && (url.hash === '#_' || url.hash === '#_=_')) url.hash = '';
  return url;
}
