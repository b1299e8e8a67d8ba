// The addresses a platform answers with for the file itself (a part's URL, an S3 form's action,
// an upload URL): the video goes there, so they must be as trustworthy as the platform's own API.
// https, or this computer only where the API itself is on this computer (a test's or a developer's
// stand-in): an answer naming plain http, or this computer while the API is remote (a request into
// whatever listens locally), is refused before a byte is read.
import { isLoopbackHost } from './addressPolicy';

export function isTrustedUploadAddress(address: unknown, apiBase: string): address is string {
  if (typeof address !== 'string') return false;
  const url = URL.parse(address);
  if (!url || url.username || url.password) return false;
  const apiIsLocal = isLoopbackHost(URL.parse(apiBase)?.hostname ?? '');
  if (isLoopbackHost(url.hostname)) return apiIsLocal && (url.protocol === 'https:' || url.protocol === 'http:');
  return url.protocol === 'https:';
}

/** Whether a session address is on the API's own origin: where requests carry the account's token
 *  (Google's resumable session), nothing else may receive them. */
export function isSameOrigin(address: string, apiBase: string): boolean {
  const url = URL.parse(address);
  const api = URL.parse(apiBase);
  return Boolean(url && api && !url.username && !url.password && url.origin === api.origin);
}
