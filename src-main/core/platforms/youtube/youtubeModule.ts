// YouTube's registration: Google's installed-app OAuth flow through the user's own Google Cloud
// OAuth client (saved in Settings), the client secret in the token request's body, PKCE S256.
import { connectsWithDeveloperApp } from '../developerAppSignIn';
import type { PlatformModule } from '../platformModule';
import { YouTubeAdapter, youTubeTokenPolicy } from './youtubeAdapter';

export const youTubeModule = {
  id: 'youtube',
  oauth: { tokenPolicy: youTubeTokenPolicy },
  create(ctx) {
    const deps = ctx.developerAppDeps('youtube');
    const adapter = new YouTubeAdapter(deps);
    const signIn = connectsWithDeveloperApp(deps, () => adapter.developerAppSignIn());
    return {
      adapter,
      testDeveloperApp: signIn.testDeveloperApp,
      connect: async (input, profileId) => {
        const connected = await signIn.connect(input, profileId);
        adapter.afterConnect(connected.account);
        return { ...connected, account: ctx.accounts.findAny(connected.account.id) ?? connected.account };
      },
    };
  },
} satisfies PlatformModule<'youtube'>;
