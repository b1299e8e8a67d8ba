// Telegram through a bot the user made with @BotFather (core.telegram.org/bots/api): a bot token
// and the chat to post in, both checked (getMe, getChat) before anything is saved. The token is a
// secret: vault only, never shown back.
import type { Account } from '../../../../src-preload/contract';
import { AppError } from '../../errors';
import { findAppError } from '../../http/httpClient';
import { multipartBody, multipartInit, type MultipartPart } from '../../http/multipartStream';
import { classifyHttpFailure, type PlatformFailureRules } from '../../http/platformFailure';
import type { Clock, HttpFetch } from '../../ports';
import { asConnectError, type CredentialStore } from '../credentialStore';
import { checkWith, type ConnectionCheck, type OutgoingPost, type OutgoingVideo, type PlatformAdapter, type PublishedPost, type VerifiedConnection } from '../adapter';

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
    const video = post.video;
    const media = [...post.images.map((image, index) => ({ kind: 'photo' as const, index, image })), ...(video ? [{ kind: 'video' as const, video }] : [])];
    const progress = video ? post.reportProgress : undefined;
    let message: TelegramMessage;
    if (media.length === 0) {
      message = await this.#call<TelegramMessage>(botToken, 'sendMessage', { chat_id: chatId, text: post.text });
    } else if (media.length === 1 && video) {
      // sendVideo: the file as multipart `video`, with its size and length so clients lay it out
      // before it loads, and `supports_streaming` so they play it while it downloads.
      message = await this.#call<TelegramMessage>(
        botToken,
        'sendVideo',
        [...fields({ chat_id: String(chatId), caption: post.text, ...videoFacts(video) }), videoPart('video', video)],
        progress,
      );
    } else if (media.length === 1) {
      const image = post.images[0]!;
      message = await this.#call<TelegramMessage>(botToken, 'sendPhoto', [
        ...fields({ chat_id: String(chatId), caption: post.text }),
        { name: 'photo', filename: 'photo', contentType: image.mime, streamed: image.body() },
      ]);
    } else {
      // A media group (an album) takes photos and videos together and shows the caption of its
      // first item as the post's text.
      const items = media.map((item, position) => ({
        ...(item.kind === 'photo' ? { type: 'photo', media: `attach://photo${item.index}` } : { type: 'video', media: 'attach://video', ...videoFacts(item.video) }),
        ...(position === 0 && post.text ? { caption: post.text } : {}),
      }));
      const files: MultipartPart[] = media.map((item) =>
        item.kind === 'photo'
          ? { name: `photo${item.index}`, filename: `photo${item.index}`, contentType: item.image.mime, streamed: item.image.body() }
          : videoPart('video', item.video),
      );
      message = (await this.#call<TelegramMessage[]>(botToken, 'sendMediaGroup', [...fields({ chat_id: String(chatId), media: JSON.stringify(items) }), ...files], progress))[0]!;
    }
    const id = String(message.message_id);
    return { uri: id, cid: null, url: chatUsername ? `https://t.me/${chatUsername}/${id}` : null };
  }

  async disconnect(account: Account): Promise<void> {
    // A bot token cannot be revoked from here (only @BotFather can): our copy goes.
    this.deps.credentials.forget(account.id);
  }

  async #call<T>(botToken: string, method: string, body: Record<string, unknown> | MultipartPart[], onProgress?: (sent: number, total: number) => void): Promise<T> {
    const init: RequestInit = Array.isArray(body)
      ? multipartInit(multipartBody(body, onProgress))
      : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
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
  // 413 Request Entity Too Large: a file over what the Bot API takes (50 MB for an upload).
  tooLarge: [413],
  lostAccess: {
    message: 'Telegram refused the bot token: it was revoked or regenerated.',
    action: 'Get the current token from @BotFather and reconnect.',
  },
};

function fields(values: Record<string, string>): MultipartPart[] {
  return Object.entries(values).map(([name, value]) => ({ name, value }));
}

/** What sendVideo and an album's InputMediaVideo take besides the file. */
function videoFacts(video: OutgoingVideo): Record<string, string> {
  return {
    width: String(video.width),
    height: String(video.height),
    duration: String(Math.round(video.durationSeconds)),
    supports_streaming: 'true',
  };
}

function videoPart(name: string, video: OutgoingVideo): MultipartPart {
  return { name, filename: `video.${video.mime === 'video/quicktime' ? 'mov' : video.mime === 'video/webm' ? 'webm' : 'mp4'}`, contentType: video.mime, path: video.path, size: video.bytes };
}
