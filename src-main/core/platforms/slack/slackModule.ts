// Slack's registration: an incoming webhook URL and the channel name the user gives it.
import { CredentialStore } from '../credentialStore';
import type { PlatformModule } from '../platformModule';
import { saveVerifiedConnection } from '../saveVerifiedConnection';
import { SlackAdapter, type SlackCredential } from './slackAdapter';

const secretFields = ['webhookPath'] as const satisfies ReadonlyArray<keyof SlackCredential>;

export const slackModule = {
  id: 'slack',
  secretFields,
  create(ctx) {
    const credentials = new CredentialStore<SlackCredential>(ctx.vault, secretFields);
    const adapter = new SlackAdapter({ credentials, fetch: ctx.fetch, clock: ctx.clock, apiBase: ctx.apiBase('https://hooks.slack.com') });
    return {
      adapter,
      connect: async ({ webhookUrl, label }, profileId) =>
        saveVerifiedConnection(ctx.saveVerified, { platform: 'slack', profileId }, await adapter.verify(webhookUrl, label), credentials),
    };
  },
} satisfies PlatformModule<'slack'>;
