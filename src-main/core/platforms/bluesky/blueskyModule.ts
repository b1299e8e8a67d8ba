// Bluesky's registration: an app password signs in to the account's PDS, whose session the vault keeps.
//
// The adapter loads at the first thing done with Bluesky (a connect, a check, a publish), not when
// the app starts; the AT Protocol's identity libraries (DID and handle resolution, some 15 MB once
// loaded) only at a connect, the one step that checks whose account a session is. Record keys are
// TIDs from @atproto/common-web's own small module, which the adapter shares.
import { TID } from '@atproto/common-web/dist/tid.js';
import type { PlatformModule } from '../platformModule';
import type { AccountIdentity } from './accountIdentity';
import type { BlueskyAdapter } from './blueskyAdapter';

export const blueskyModule = {
  id: 'bluesky',
  create(ctx) {
    let identity: Promise<AccountIdentity> | undefined;
    const loadIdentity = () =>
      (identity ??= import('./accountIdentity').then(
        ({ AccountIdentity, defaultPlcDirectory }) => new AccountIdentity({ fetch: ctx.fetch, addressPolicy: ctx.addressPolicy, plcUrl: ctx.env.LOCALPOST_PLC_URL ?? defaultPlcDirectory }),
      ));
    let loading: Promise<BlueskyAdapter> | undefined;
    const loaded = () =>
      (loading ??= import('./blueskyAdapter').then(
        ({ BlueskyAdapter }) =>
          new BlueskyAdapter({
            vault: ctx.vault,
            accounts: ctx.accounts,
            fetch: ctx.fetch,
            clock: ctx.clock,
            log: ctx.log,
            onAccountChanged: (account) => ctx.accountChanged(account.profileId),
            identity: loadIdentity,
            addressPolicy: ctx.addressPolicy,
            avatars: ctx.avatars,
          }),
      ));
    return {
      adapter: {
        platform: 'bluesky',
        // The record key the post is written under, so a retry after a lost answer finds it.
        newIdempotencyKey: () => TID.nextStr(),
        checkConnection: async (account) => (await loaded()).checkConnection(account),
        publish: async (account, post) => (await loaded()).publish(account, post),
        findPublished: async (account, post) => (await loaded()).findPublished(account, post),
        disconnect: async (account) => (await loaded()).disconnect(account),
      },
      connect: async (input, profileId) => (await loaded()).connect(input, profileId),
    };
  },
} satisfies PlatformModule<'bluesky'>;
