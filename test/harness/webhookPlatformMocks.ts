// Contract mocks of the three webhook-and-bot platforms, on one loopback server, built from their
// documented APIs (discord.com/developers/docs/resources/webhook; Slack's incoming webhooks on
// docs.slack.dev; core.telegram.org/bots/api):
//   Discord  Get Webhook with Token, Execute Webhook (?wait=true; JSON, or multipart with
//            files[n] + payload_json, whose `attachments` name each file by id); the files of one
//            message together at most 10 MiB on a server without boosts, else 413
//            {code: 40005, message: "Request entity too large"}; 404 {code: 10015};
//            429 {retry_after, global}
//   Slack    incoming webhook: "ok"; 400 "no_text" for an empty message; 404 "no_service";
//            429 with Retry-After
//   Telegram Bot API getMe, getChat, sendMessage, sendPhoto, sendVideo (multipart `video`),
//            sendMediaGroup (photos and videos, each `attach://<part>`, 2-10 items); files up to
//            50 MB through the Bot API, else 413 {ok:false, error_code:413, description:
//            "Request Entity Too Large"}; {ok:false, error_code, description, parameters.retry_after}
// Multipart bodies are read as a stream: file parts are recorded as name, type, size and SHA-256,
// never kept, so a test can send a file of hundreds of megabytes.
// Each platform's base URL is what the app's LOCALPOST_<PLATFORM>_API_BASE is set to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { readMultipart, type ReceivedFile } from './multipartReader';

export const discordWebhook = { id: '112233445566778899', token: 'dIsCoRdWeBhOoKtOkEn_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ' };
export const discordWebhookUrl = `https://discord.com/api/webhooks/${discordWebhook.id}/${discordWebhook.token}`;
export const slackWebhookUrl = 'https://hooks.slack.com/services/T0LOCAL01/B0LOCAL01/sLaCkSeCrEtPaRt0123456789';
export const telegramBotToken = '987654321:AAHtElEgRaMbOtToKeN_abcdefghijklmno12';
export const telegramChat = { id: -1001234567890, title: 'Localpost news', username: 'localpostnews' };

export interface RecordedRequest {
  platform: 'discord' | 'slack' | 'telegram';
  method: string;
  path: string;
  contentType: string;
  /** Parsed JSON, or multipart fields (files as { filename, type, size, sha256 }). */
  body: Record<string, unknown>;
  /** The Content-Length the sender declared (null for a chunked body). */
  contentLength: number | null;
}

/** Discord's file upload limit for a server without boosts, for all of a message's files. */
export const discordUploadLimit = 10 * 1024 * 1024;
/** What a bot may upload through the Bot API (core.telegram.org/bots/api, "Sending files"). */
export const telegramUploadLimit = 50 * 1024 * 1024;

type Override = { status: number; body: unknown; headers?: Record<string, string> };

export interface WebhookPlatformMocks {
  env: Record<string, string>;
  requests: RecordedRequest[];
  /** The next request to that platform gets this answer instead (a failure, a rate limit). */
  answerNext(platform: RecordedRequest['platform'], override: Override): void;
  /**
   * The next request to that platform arrives and is recorded, then its connection is dropped
   * before any answer: the sender sees a reset and cannot tell whether it went through.
   */
  loseNextAnswer(platform: RecordedRequest['platform']): void;
  /** The next upload to that platform is cut off after its first MiB (the connection drops
   *  mid-body): it never arrives whole, so the platform never acts on it. */
  dropNextUploadMidway(platform: RecordedRequest['platform']): void;
  /** Creates one more Discord webhook (another channel) and returns its URL. */
  addDiscordWebhook(): string;
  /** Discord forgets the webhook (deleted in Discord); Telegram forgets the bot (token revoked). */
  revoke(platform: 'discord' | 'telegram' | 'slack'): void;
  /** The credential works again (the same bot token given back its rights, in the test's story). */
  restore(platform: 'discord' | 'telegram' | 'slack'): void;
  /** Reads request bodies at most this fast from now on (null: as fast as they come; 0: not at
   *  all until told again), so an upload takes long enough to be watched. A change applies to
   *  the chunk being read too. */
  throttleUploads(bytesPerSecond: number | null): void;
  close(): Promise<void>;
}

export async function startWebhookPlatformMocks(options: { telegramUploadLimit?: number } = {}): Promise<WebhookPlatformMocks> {
  // A local Bot API server (github.com/tdlib/telegram-bot-api) takes uploads up to 2000 MB.
  const telegramLimit = options.telegramUploadLimit ?? telegramUploadLimit;
  let uploadRate: number | null = null;
  const requests: RecordedRequest[] = [];
  const overrides = new Map<string, Array<Override | 'lose'>>();
  const dropMidway = new Set<string>();
  const revoked = new Set<string>();
  let messageId = 1000;
  const discordWebhooks = new Map([[discordWebhook.id, discordWebhook.token]]);

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const contentType = request.headers['content-type'] ?? '';
    const declared = request.headers['content-length'];
    const platform: RecordedRequest['platform'] = url.pathname.startsWith('/discord') ? 'discord' : url.pathname.startsWith('/slack') ? 'slack' : 'telegram';
    if (dropMidway.delete(platform)) {
      let received = 0;
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= 1024 * 1024) request.socket.destroy();
      });
      return;
    }
    const incoming = throttled(request, () => uploadRate);
    let body: Record<string, unknown>;
    if (contentType.startsWith('multipart/form-data')) {
      body = await readMultipart(contentType, incoming);
    } else {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk);
      body = parseBody(contentType, Buffer.concat(chunks));
    }
    requests.push({ platform, method: request.method ?? 'GET', path: url.pathname + url.search, contentType, body, contentLength: declared === undefined ? null : Number(declared) });
    const files = Object.entries(body).filter((entry): entry is [string, ReceivedFile] => typeof entry[1] === 'object' && entry[1] !== null && 'sha256' in entry[1]);
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      response.writeHead(status, { 'content-type': typeof value === 'string' ? 'text/plain' : 'application/json', ...headers }).end(text);
    };
    const override = overrides.get(platform)?.shift();
    if (override === 'lose') return void response.destroy();
    if (override) return send(override.status, override.body, override.headers);

    if (platform === 'discord') {
      const match = /^\/discord\/api\/webhooks\/(\d+)\/([\w-]+)$/.exec(url.pathname);
      if (!match || discordWebhooks.get(match[1]!) !== match[2] || revoked.has('discord')) {
        return send(404, { message: 'Unknown Webhook', code: 10015 });
      }
      if (request.method === 'GET') {
        return send(200, { type: 1, id: match[1], name: 'announcements', channel_id: '555', guild_id: '444', token: match[2] });
      }
      if (files.reduce((sum, [, file]) => sum + file.size, 0) > discordUploadLimit) {
        return send(413, { message: 'Request entity too large', code: 40005 });
      }
      const payload = (body.payload_json ? JSON.parse(String(body.payload_json)) : body) as { content?: string; attachments?: Array<{ id: number }> };
      if (!payload.content && files.length === 0) {
        return send(400, { message: 'Cannot send an empty message', code: 50006 });
      }
      // Each files[n] part is described by the attachment whose id is n.
      for (const [name] of files) {
        const id = /^files\[(\d+)\]$/.exec(name)?.[1];
        if (id === undefined || (payload.attachments && !payload.attachments.some((a) => String(a.id) === id))) {
          return send(400, { message: 'Invalid Form Body', code: 50035 });
        }
      }
      if (url.searchParams.get('wait') !== 'true') return send(204, '');
      return send(200, { id: String(++messageId), channel_id: '555', content: payload.content ?? '' });
    }

    if (platform === 'slack') {
      if (url.pathname !== `/slack${new URL(slackWebhookUrl).pathname}` || revoked.has('slack')) return send(404, 'no_service');
      if (!body.text && !body.blocks) return send(400, 'no_text');
      return send(200, 'ok');
    }

    const match = /^\/telegram\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!match || match[1] !== telegramBotToken || revoked.has('telegram')) {
      return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const chatKnown = (chat: unknown) => String(chat) === String(telegramChat.id) || chat === `@${telegramChat.username}`;
    if (files.some(([, file]) => file.size > telegramLimit)) {
      return send(413, { ok: false, error_code: 413, description: 'Request Entity Too Large' });
    }
    const fileNamed = (name: unknown) => files.find(([part]) => part === name)?.[1];
    switch (match[2]) {
      case 'getMe':
        return send(200, { ok: true, result: { id: 987654321, is_bot: true, first_name: 'Localpost', username: 'localpost_test_bot' } });
      case 'getChat':
        if (!chatKnown(body.chat_id)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
        return send(200, { ok: true, result: { ...telegramChat, type: 'channel' } });
      case 'sendMessage':
      case 'sendPhoto':
        if (!chatKnown(body.chat_id)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
        return send(200, { ok: true, result: { message_id: ++messageId, chat: telegramChat, date: 0 } });
      case 'sendVideo': {
        if (!chatKnown(body.chat_id)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
        const video = fileNamed('video');
        if (!video) return send(400, { ok: false, error_code: 400, description: 'Bad Request: there is no video in the request' });
        return send(200, { ok: true, result: { message_id: ++messageId, chat: telegramChat, date: 0, video: telegramVideo(body, video) } });
      }
      case 'sendMediaGroup': {
        if (!chatKnown(body.chat_id)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
        const media = JSON.parse(String(body.media)) as Array<{ type: string; media: string }>;
        if (media.length < 2 || media.length > 10) return send(400, { ok: false, error_code: 400, description: 'Bad Request: wrong number of messages in the media group' });
        for (const item of media) {
          if (item.type !== 'photo' && item.type !== 'video') return send(400, { ok: false, error_code: 400, description: `Bad Request: unsupported media type "${item.type}"` });
          if (!fileNamed(item.media.replace(/^attach:\/\//, ''))) return send(400, { ok: false, error_code: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' });
        }
        return send(200, { ok: true, result: media.map(() => ({ message_id: ++messageId, chat: telegramChat, date: 0 })) });
      }
      default:
        return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: {
      LOCALPOST_DISCORD_API_BASE: `${base}/discord/api`,
      LOCALPOST_SLACK_API_BASE: `${base}/slack`,
      LOCALPOST_TELEGRAM_API_BASE: `${base}/telegram`,
    },
    requests,
    answerNext(platform, override) {
      overrides.set(platform, [...(overrides.get(platform) ?? []), override]);
    },
    loseNextAnswer(platform) {
      overrides.set(platform, [...(overrides.get(platform) ?? []), 'lose']);
    },
    dropNextUploadMidway(platform) {
      dropMidway.add(platform);
    },
    addDiscordWebhook() {
      const id = String(BigInt(discordWebhook.id) + BigInt(discordWebhooks.size));
      const token = `${discordWebhook.token.slice(0, -8)}${String(discordWebhooks.size).padStart(8, '0')}`;
      discordWebhooks.set(id, token);
      return `https://discord.com/api/webhooks/${id}/${token}`;
    },
    revoke: (platform) => void revoked.add(platform),
    restore: (platform) => void revoked.delete(platform),
    throttleUploads(bytesPerSecond) {
      uploadRate = bytesPerSecond;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function parseBody(contentType: string, raw: Buffer): Record<string, unknown> {
  if (raw.length === 0) return {};
  if (contentType.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  return { raw: raw.toString('utf8') };
}

/** The Bot API's Video object for what arrived, with the facts the sender gave. */
function telegramVideo(body: Record<string, unknown>, file: ReceivedFile) {
  return {
    file_id: `video-${file.sha256.slice(0, 16)}`,
    width: Number(body.width ?? 0),
    height: Number(body.height ?? 0),
    duration: Number(body.duration ?? 0),
    mime_type: file.type,
    file_size: file.size,
  };
}

/** The request's chunks, paced to `rate()` bytes a second when it says so. The rate is read again
 *  every tick, so a chunk held at 0 goes on as soon as the rate is raised. */
async function* throttled(request: http.IncomingMessage, rate: () => number | null): AsyncGenerator<Buffer> {
  const tickMs = 20;
  for await (const chunk of request) {
    let unpaid = (chunk as Buffer).length;
    for (let perSecond = rate(); perSecond !== null && unpaid > 0; perSecond = rate()) {
      const waitMs = perSecond > 0 ? Math.min(tickMs, (unpaid / perSecond) * 1000) : tickMs;
      await sleep(waitMs);
      unpaid -= (perSecond * waitMs) / 1000;
    }
    yield chunk as Buffer;
  }
}
