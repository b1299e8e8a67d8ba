// Telegram's registration: a bot token and the chat the bot posts to.
import { CredentialStore } from '../credentialStore';
import type { PlatformModule } from '../platformModule';
import { saveVerifiedConnection } from '../saveVerifiedConnection';
import { TelegramAdapter, type TelegramCredential } from './telegramAdapter';

const secretFields = ['botToken'] as const satisfies ReadonlyArray<keyof TelegramCredential>;

export const telegramModule = {
  id: 'telegram',
  secretFields,
  create(ctx) {
    const credentials = new CredentialStore<TelegramCredential>(ctx.vault, secretFields);
    const adapter = new TelegramAdapter({ credentials, fetch: ctx.fetch, clock: ctx.clock, apiBase: ctx.apiBase('https://api.telegram.org') });
    return {
      adapter,
      connect: async ({ botToken, chatId }, profileId) =>
        saveVerifiedConnection(ctx.saveVerified, { platform: 'telegram', profileId }, await adapter.verify(botToken, chatId), credentials),
    };
  },
} satisfies PlatformModule<'telegram'>;
