// An account's picture as the app shows it: fetched once, when the account is connected, from the
// address the platform named (through the public-web path, so never a private address), made a
// small square WebP, and kept with the account as a data: URL. The renderer then shows it without
// a request of its own (its content policy allows none) and offline. A picture that cannot be had
// leaves the platform's logo in its place: it never fails a connect.
import type { PublicFetch } from '../http/publicFetch';
import type { Logger } from '../log/logger';
import type { MediaTools } from '../media/mediaTools';
import type { AccountStore } from './accountStore';

export interface AccountAvatars {
  /** Fetches and keeps the picture at `url` for the account; nothing when there is none. */
  keep(accountId: string, url: string | null | undefined): Promise<void>;
}

/** Profile pictures are small; anything larger than this is not one. */
const maxAvatarBytes = 2 * 1024 * 1024;
const avatarTimeoutMs = 10_000;

export function createAccountAvatars(deps: { fetchPublic: PublicFetch; accounts: Pick<AccountStore, 'setAvatar'>; log: Logger; media: Pick<MediaTools, 'avatarDataUrl'> }): AccountAvatars {
  return {
    async keep(accountId, url) {
      if (!url) return;
      try {
        const fetched = await deps.fetchPublic(url, { accept: 'image/*', maxBytes: maxAvatarBytes, signal: AbortSignal.timeout(avatarTimeoutMs) });
        if (fetched.status !== 200 || fetched.truncated) throw new Error(`HTTP ${fetched.status}${fetched.truncated ? ', too large' : ''}`);
        deps.accounts.setAvatar(accountId, await deps.media.avatarDataUrl(fetched.bytes));
      } catch (error) {
        // The address is the platform's CDN's, not a secret; the log keeps its host only.
        deps.log.warn('Account picture not kept', { account: accountId, host: URL.parse(url)?.host ?? null, error });
      }
    },
  };
}
