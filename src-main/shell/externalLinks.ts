// The only way a URL leaves the app: the system browser, for https: links only (Electron security
// checklist 15). Hosts are not allow-listed because a post may link anywhere; what is refused is
// every scheme that could run something locally (file:, javascript:, smb:, custom handlers) and
// plain http:.
//
// Runtime: main (shell).
import { shell } from 'electron';
import type { UrlOpener } from '../core/ports';

export class RefusedExternalLinkError extends Error {
  override name = 'RefusedExternalLinkError';
}

/**
 * The parsed https URL, or null. Parsed with the WHATWG parser, never matched by prefix.
 * A URL with user info (`https://bsky.app@evil.example`) is refused: it reads as the wrong host.
 */
export function externallyOpenableUrl(url: string): URL | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  return parsed;
}

export function isOpenableExternally(url: string): boolean {
  return externallyOpenableUrl(url) !== null;
}

export function createExternalLinkOpener(): UrlOpener {
  return {
    async open(url: string): Promise<void> {
      const parsed = externallyOpenableUrl(url);
      // The message names the scheme only: the URL itself may carry a token.
      if (!parsed) throw new RefusedExternalLinkError(`Refused to open a ${schemeOf(url)} link outside the app`);
      await shell.openExternal(parsed.href);
    },
  };
}

/** What a log line may say about a URL: its scheme. The rest may carry a token or a code. */
export function schemeOf(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'malformed';
  }
}
