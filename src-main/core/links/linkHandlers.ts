// The bridge's `links.*` group: a link the user clicked in Localpost opens in the system browser,
// never inside the app (Electron security checklist 15), and only if it is safe to follow.
import type { HandlersFor } from '../bridge/dispatch';
import { AppError } from '../errors';
import type { CorePorts } from '../ports';

/** The address to hand the system browser, or an `invalid_input` saying why this one does not open:
 *  only https, and never with a user name, which a person misreads as the host. */
export function externalLinkTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('invalid_input', 'That is not a web address.');
  }
  if (parsed.protocol !== 'https:') throw new AppError('invalid_input', 'Only https:// links open from Localpost.');
  // `https://bsky.app@evil.example` reads as bsky.app to a person but goes to evil.example.
  if (parsed.username || parsed.password) throw new AppError('invalid_input', 'Links with a user name in them do not open.');
  return parsed.href;
}

export function createLinkHandlers(deps: { ports: Pick<CorePorts, 'urlOpener'> }): HandlersFor<'links'> {
  return {
    'links.openExternal': async ({ url }) => {
      await deps.ports.urlOpener.open(externalLinkTarget(url));
      return {};
    },
  };
}
