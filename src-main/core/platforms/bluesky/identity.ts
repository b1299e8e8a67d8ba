// Handles, hosting providers and post links, checked before any network call.
import { AppError } from '../../errors';
import { isLoopbackHost } from '../../http/addressPolicy';

export const defaultBlueskyService = 'https://bsky.social';

// atproto handle syntax (atproto.com/specs/handle): dot-separated labels of letters, digits and
// hyphens, at least two labels, the last one not starting with a digit, 253 characters at most.
const handleSyntax = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** `@Alice.bsky.social ` → `alice.bsky.social`; a handle without a domain is refused. */
export function normalizeHandle(input: string): string {
  const handle = input.trim().replace(/^@/, '').toLowerCase();
  if (!handle) {
    throw new AppError('invalid_handle', 'Type your Bluesky handle.', { action: 'For example alice.bsky.social.' });
  }
  if (!handle.includes('.')) {
    throw new AppError('invalid_handle', `"${handle}" has no domain.`, {
      action: `Type the full handle, for example ${handle}.bsky.social.`,
    });
  }
  if (handle.length > 253 || !handleSyntax.test(handle)) {
    throw new AppError('invalid_handle', `"${handle}" is not a valid handle.`, {
      action: 'A handle looks like alice.bsky.social: letters, digits and hyphens, separated by dots.',
    });
  }
  return handle;
}

/** Any https URL; http only for a server on this machine (a PDS you run yourself). */
export function normalizeService(input: string): string {
  const text = input.trim() || defaultBlueskyService;
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `https://${text}`);
  } catch {
    throw new AppError('invalid_service_url', `"${text}" is not a web address.`, {
      action: `Use the address of your hosting provider, for example ${defaultBlueskyService}.`,
    });
  }
  // The app password and the session's tokens travel to this address: in clear text only on this
  // machine, spelled so that no DNS answer can move it (`127.evil.example` is a name, not loopback).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new AppError('invalid_service_url', 'The hosting provider must use https://.', {
      action: 'Plain http:// is accepted only for a server on this computer (localhost).',
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError('invalid_service_url', 'The hosting provider address must be a plain server address.', {
      action: `For example ${defaultBlueskyService}.`,
    });
  }
  return url.origin;
}

/** Accounts hosted by Bluesky itself have posts on bsky.app; others are shown by at:// URI. */
export function postWebUrl(service: string, uri: string): string | null {
  const host = new URL(service).hostname;
  const onBluesky = host === 'bsky.social' || host.endsWith('.bsky.network') || host.endsWith('.bsky.social');
  const match = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(uri);
  if (!onBluesky || !match) return null;
  return `https://bsky.app/profile/${match[1]}/post/${match[2]}`;
}
