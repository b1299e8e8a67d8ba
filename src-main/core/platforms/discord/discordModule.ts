// Discord's registration: an incoming webhook URL, verified, then kept in the vault.
import { CredentialStore } from '../credentialStore';
import type { PlatformModule } from '../platformModule';
import { saveVerifiedConnection } from '../saveVerifiedConnection';
import { DiscordAdapter, type DiscordCredential } from './discordAdapter';

const secretFields = ['webhookToken'] as const satisfies ReadonlyArray<keyof DiscordCredential>;

export const discordModule = {
  id: 'discord',
  secretFields,
  create(ctx) {
    const credentials = new CredentialStore<DiscordCredential>(ctx.vault, secretFields);
    const adapter = new DiscordAdapter({ credentials, fetch: ctx.fetch, clock: ctx.clock, apiBase: ctx.apiBase('https://discord.com/api') });
    return {
      adapter,
      connect: async ({ webhookUrl }, profileId) =>
        saveVerifiedConnection(ctx.saveVerified, { platform: 'discord', profileId }, await adapter.verify(webhookUrl), credentials),
    };
  },
} satisfies PlatformModule<'discord'>;
