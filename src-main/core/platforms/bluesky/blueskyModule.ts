// Bluesky's registration: an app password signs in to the account's PDS, whose session the vault keeps.
import type { PlatformModule } from '../platformModule';
import { AccountIdentity, defaultPlcDirectory } from './accountIdentity';
import { BlueskyAdapter } from './blueskyAdapter';

export const blueskyModule = {
  id: 'bluesky',
  create(ctx) {
    const adapter = new BlueskyAdapter({
      vault: ctx.vault,
      accounts: ctx.accounts,
      fetch: ctx.fetch,
      clock: ctx.clock,
      log: ctx.log,
      onAccountChanged: (account) => ctx.accountChanged(account.profileId),
      identity: new AccountIdentity({ fetch: ctx.fetch, addressPolicy: ctx.addressPolicy, plcUrl: ctx.env.LOCALPOST_PLC_URL ?? defaultPlcDirectory }),
      addressPolicy: ctx.addressPolicy,
      avatars: ctx.avatars,
    });
    return { adapter, connect: (input, profileId) => adapter.connect(input, profileId) };
  },
} satisfies PlatformModule<'bluesky'>;
