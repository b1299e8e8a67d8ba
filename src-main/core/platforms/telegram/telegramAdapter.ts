// Telegram through a bot the user made with @BotFather (core.telegram.org/bots/api): a bot token
// and the chat to post in, both checked (getMe, getChat) before anything is saved. The token is a
// secret: vault only, never shown back.
import type { Account } from '../../../../src-preload/contract';
import { AppError } from '../../errors';
import { findAppError } from '../../http/httpClient';
import { classifyHttpFailure, type PlatformFailureRules } from '../../http/platformFailure';
import type { Clock, HttpFetch } from '../../ports';
import { asConnectError, type CredentialStore } from '../credentialStore';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost, type VerifiedConnection } from '../adapter';

export interface TelegramCredential {
  botToken: string;
  chatId: number | string;
  /** The public @username of the chat, when it has one: posts then have a t.me link. */
  chatUsername: string | null;
}

interface TelegramAnswer<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

interface TelegramMessage {
  message_id: number;
}

const botTokenShape = /^\d{3,20}:[A-Za-z0-9_-]{30,60}$/;
const chatIdShape = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

export function parseTelegramTarget(botToken: string, chatId: string): { botToken: string; chatId: string } {
  const token = botToken.trim();
  const chat = chatId.trim();
  if (!botTokenShape.test(token)) {
    throw new AppError('invalid_input', 'That is not a bot token.', {
      action: '@BotFather gives one like 123456789:AAH… (digits, a colon, then letters). Copy it whole.',
    });
  }
  if (!chatIdShape.test(chat)) {
    throw new AppError('invalid_input', 'That is not a chat id.', {
      action: 'Use the channel’s @username, or the numeric id (channels start with -100).',
    });
  }
  return { botToken: token, chatId: chat };
}

export class TelegramAdapter implements PlatformAdapter {
  readonly platform = 'telegram' as const;

  constructor(
    private readonly deps: {
      credentials: CredentialStore<TelegramCredential>;
      fetch: HttpFetch;
      clock: Clock;
      /** `https://api.telegram.org`, or LOCALPOST_TELEGRAM_API_BASE (tests, a local Bot API server). */
      apiBase: string;
    },
  ) {}

  async verify(botTokenInput: string, chatIdInput: string): Promise<VerifiedConnection<TelegramCredential>> {
    const { botToken, chatId } = parseTelegramTarget(botTokenInput, chatIdInput);
    const bot = await this.#call<{ id: number; username?: string }>(botToken, 'getMe', {}).catch(asConnectError);
    const chat = await this.#call<{ id: number; title?: string; username?: string; first_name?: string }>(botToken, 'getChat', { chat_id: chatId }).catch(
      (error: unknown) => {
        const mapped = findAppError(error);
        if ((mapped?.code === 'platform_rejected' && !mapped.transient) || mapped?.code === 'platform_auth_failed') {
          throw new AppError('platform_rejected', `Telegram says: ${mapped.message.replace(/^Telegram refused: /, '')}`, {
            action: `Add @${bot.username ?? 'your bot'} to the chat (as an admin, for a channel), or send it /start in a private chat, then connect again.`,
          });
        }
        throw error;
      },
    );
    const name = chat.title ?? (chat.username ? `@${chat.username}` : chat.first_name) ?? String(chat.id);
    return {
      remoteId: `${bot.id}:${chat.id}`,
      handle: name,
      service: 'Telegram',
      credential: { botToken, chatId: chat.id, chatUsername: chat.username ?? null },
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      const credential = this.deps.credentials.read(account);
      await this.#call(credential.botToken, 'getMe', {});
      await this.#call(credential.botToken, 'getChat', { chat_id: credential.chatId });
    }, 'revoked');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const { botToken, chatId, chatUsername } = this.deps.credentials.read(account);
    let message: TelegramMessage;
    if (post.images.length === 0) {
      message = await this.#call<TelegramMessage>(botToken, 'sendMessage', { chat_id: chatId, text: post.text });
    } else if (post.images.length === 1) {
      const form = formWith({ chat_id: String(chatId), caption: post.text });
      form.append('photo', new Blob([post.images[0]!.bytes], { type: post.images[0]!.mime }), 'photo');
      message = await this.#call<TelegramMessage>(botToken, 'sendPhoto', form);
    } else {
      // A media group shows the caption of its first item as the post's text.
      const media = post.images.map((_, index) => ({ type: 'photo', media: `attach://photo${index}`, ...(index === 0 && post.text ? { caption: post.text } : {}) }));
      const form = formWith({ chat_id: String(chatId), media: JSON.stringify(media) });
      post.images.forEach((image, index) => form.append(`photo${index}`, new Blob([image.bytes], { type: image.mime }), `photo${index}`));
      message = (await this.#call<TelegramMessage[]>(botToken, 'sendMediaGroup', form))[0]!;
    }
    const id = String(message.message_id);
    return { uri: id, cid: null, url: chatUsername ? `https://t.me/${chatUsername}/${id}` : null };
  }

  async disconnect(account: Account): Promise<void> {
    // A bot token cannot be revoked from here (only @BotFather can): our copy goes.
    this.deps.credentials.forget(account.id);
  }

  async #call<T>(botToken: string, method: string, body: Record<string, unknown> | FormData): Promise<T> {
    const init: RequestInit =
      body instanceof FormData ? { method: 'POST', body } : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const response = await this.deps.fetch(`${this.deps.apiBase}/bot${botToken}/${method}`, init);
    const answer = (await response.json().catch(() => ({ ok: false, description: `HTTP ${response.status}` }))) as TelegramAnswer<T>;
    if (answer.ok && answer.result !== undefined) return answer.result;
    // The Bot API reports the failure in its body: `error_code` (an HTTP status), `description`,
    // and for a 429 `parameters.retry_after` in seconds (core.telegram.org/bots/api, "Making requests").
    const status = answer.error_code ?? response.status;
    const retryAfter = answer.parameters?.retry_after;
    throw classifyHttpFailure(
      {
        status,
        headers: response.headers,
        said: answer.description ?? `HTTP ${response.status}`,
        retryAt: retryAfter === undefined ? undefined : this.deps.clock.now() + retryAfter * 1000,
      },
      // 403 Forbidden: the bot was removed from the chat, or is not allowed to post in it.
      { ...telegramFailureRules, refusedAction: status === 403 ? 'Add the bot back to the chat (as an admin, for a channel).' : undefined },
      this.deps.clock.now(),
    );
  }
}

const telegramFailureRules: PlatformFailureRules = {
  platformName: 'Telegram',
  // 401 Unauthorized: the token was revoked or regenerated in @BotFather.
  authFailed: [401, 404],
  tooLarge: [],
  lostAccess: {
    message: 'Telegram refused the bot token: it was revoked or regenerated.',
    action: 'Get the current token from @BotFather and reconnect.',
  },
};

function formWith(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}
