// Bluesky's registration: an app password signs in to the account's PDS, whose session the vault keeps.
//
// The AT Protocol libraries (@atproto/api, identity) weigh some 35 MB once loaded: they load at
// the first thing done with Bluesky (a connect, a check, a publish), not when the app starts, so
// an idle Localpost, or one reading its history, does without them. Record keys are TIDs from the
// library's own small module, which the adapter shares.
import { TID } from '@atproto/common-web/dist/tid.js';
import type { PlatformModule } from '../platformModule';
import type { BlueskyAdapter } from './blueskyAdapter';

export const blueskyModule = {
  id: 'bluesky',
  create(ctx) {
    let loading: Promise<BlueskyAdapter> | undefined;
    const loaded = () =>
      (loading ??= Promise.all([import('./blueskyAdapter'), import('./accountIdentity')]).then(
        ([{ BlueskyAdapter }, { AccountIdentity, defaultPlcDirectory }]) =>
          new BlueskyAdapter({
            vault: ctx.vault,
            accounts: ctx.accounts,
            fetch: ctx.fetch,
            clock: ctx.clock,
            log: ctx.log,
            onAccountChanged: (account) => ctx.accountChanged(account.profileId),
            identity: new AccountIdentity({ fetch: ctx.fetch, addressPolicy: ctx.addressPolicy, plcUrl: ctx.env.LOCALPOST_PLC_URL ?? defaultPlcDirectory }),
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
