// Mastodon's registration: OAuth on the instance the user names, with an app registered there first.
import { connectConfirmations } from '../../../../src-preload/contract';
import { confirmServerAddress } from '../../http/addressPolicy';
import type { PlatformModule } from '../platformModule';
import { MastodonAppRegistry } from './appRegistration';
import { mastodonEndpoints } from './instanceEndpoints';
import { MastodonAdapter } from './mastodonAdapter';

export const mastodonModule = {
  id: 'mastodon',
  // Mastodon tokens normally carry no expiry (Mastodon's Doorkeeper sets no
  // `access_token_expires_in`), so tracking arms a timer only for a server that does send `expires_in`.
  oauth: {},
  create(ctx) {
    const adapter = new MastodonAdapter({
      oauth: ctx.oauth,
      oauthAccounts: ctx.oauthAccounts,
      accounts: ctx.accounts,
      avatars: ctx.avatars,
      apps: new MastodonAppRegistry({ vault: ctx.vault, fetch: ctx.fetch, clock: ctx.clock }),
      fetch: ctx.fetch,
      clock: ctx.clock,
      env: ctx.env,
      log: ctx.log,
    });
    return {
      adapter,
      async connect({ instance, confirm }, profileId) {
        // Where the requests really go (the instance, or a development override of its API).
        const server = new URL(mastodonEndpoints(instance, ctx.env).apiBase);
        await confirmServerAddress(ctx.addressPolicy, server, confirm?.includes(connectConfirmations.address_private) ?? false);
        return adapter.connect(instance, profileId);
      },
    };
  },
} satisfies PlatformModule<'mastodon'>;
