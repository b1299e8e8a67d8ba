// Discord through a channel webhook the user pastes: no app, no OAuth
// (discord.com/developers/docs/resources/webhook). The webhook URL carries its token, so it is a
// secret: vault only, never shown back in full.
import type { Account } from '../../../../src-preload/contract';
import { AppError } from '../../errors';
import { multipartBody, multipartInit, type MultipartPart } from '../../http/multipartStream';
import { classifyHttpFailure, type HttpFailure, type PlatformFailureRules } from '../../http/platformFailure';
import { quotaExhaustedUntil } from '../../http/rateLimit';
import type { Clock, HttpFetch } from '../../ports';
import { asConnectError, type CredentialStore } from '../credentialStore';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost, type VerifiedConnection } from '../adapter';

export interface DiscordCredential {
  webhookId: string;
  webhookToken: string;
  guildId: string | null;
}

const webhookUrlShape = /^https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/(\d{5,25})\/([\w-]{20,200})\/?$/;

/** `https://discord.com/api/webhooks/{id}/{token}` (or discordapp.com, ptb., canary., /api/v10). */
export function parseDiscordWebhookUrl(input: string): { webhookId: string; webhookToken: string } {
  const match = webhookUrlShape.exec(input.trim());
  if (!match) {
    throw new AppError('invalid_input', 'That is not a Discord webhook URL.', {
      action: 'In Discord: channel settings → Integrations → Webhooks → Copy Webhook URL. It starts with https://discord.com/api/webhooks/.',
    });
  }
  return { webhookId: match[1]!, webhookToken: match[2]! };
}

export class DiscordAdapter implements PlatformAdapter {
  readonly platform = 'discord' as const;

  constructor(
    private readonly deps: {
      credentials: CredentialStore<DiscordCredential>;
      fetch: HttpFetch;
      clock: Clock;
      /** `https://discord.com/api`, or LOCALPOST_DISCORD_API_BASE (tests, proxies). */
      apiBase: string;
    },
  ) {}

  async verify(webhookUrl: string): Promise<VerifiedConnection<DiscordCredential>> {
    const { webhookId, webhookToken } = parseDiscordWebhookUrl(webhookUrl);
    // Get Webhook with Token: proves the webhook exists and names it, without posting anything.
    const response = await this.#request(webhookId, webhookToken, '', { method: 'GET' }).catch(asConnectError);
    const webhook = (await response.json()) as { id: string; name?: string | null; guild_id?: string | null; channel_id?: string };
    return {
      remoteId: webhook.id,
      handle: webhook.name?.trim() || `Discord webhook ${webhook.id}`,
      service: 'discord.com',
      credential: { webhookId, webhookToken, guildId: webhook.guild_id ?? null },
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      const credential = this.deps.credentials.read(account);
      await this.#request(credential.webhookId, credential.webhookToken, '', { method: 'GET' });
    }, 'revoked');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const credential = this.deps.credentials.read(account);
    let init: RequestInit;
    if (post.images.length === 0 && !post.video) {
      init = { method: 'POST', body: JSON.stringify({ content: post.text }), headers: { 'content-type': 'application/json' } };
    } else {
      // Execute Webhook with files: `files[n]` parts plus `payload_json`, whose attachments carry
      // each image's alt text as its description (Discord docs, "Uploading Files"). A video is one
      // more attachment, which Discord plays inline; it is streamed from disk, never read whole.
      const files: MultipartPart[] = post.images.map((image, index) => ({
        name: `files[${index}]`,
        filename: fileNameFor(index, image.mime),
        contentType: image.mime,
        streamed: image.body(),
      }));
      if (post.video) {
        files.push({
          name: `files[${files.length}]`,
          filename: `video.${videoExtensions[post.video.mime] ?? 'mp4'}`,
          contentType: post.video.mime,
          path: post.video.path,
          size: post.video.bytes,
        });
      }
      const attachments = files.map((file, index) => ({
        id: index,
        filename: 'filename' in file ? file.filename : '',
        ...(index < post.images.length ? { description: post.images[index]!.alt.slice(0, 1024) } : {}),
      }));
      const body = multipartBody([{ name: 'payload_json', value: JSON.stringify({ content: post.text, attachments }) }, ...files], post.video ? post.reportProgress : undefined);
      init = multipartInit(body);
    }
    // wait=true: Discord answers with the message, so its id is recorded (and a refusal is an
    // error instead of a silent 204).
    const response = await this.#request(credential.webhookId, credential.webhookToken, '?wait=true', init);
    const message = (await response.json()) as { id: string; channel_id: string };
    const url = credential.guildId ? `https://discord.com/channels/${credential.guildId}/${message.channel_id}/${message.id}` : null;
    const quotaResetAt = quotaExhaustedUntil(response.headers, this.deps.clock.now());
    return { uri: message.id, cid: null, url, ...(quotaResetAt ? { quotaResetAt } : {}) };
  }

  async disconnect(account: Account): Promise<void> {
    // Deleting the webhook would break it for everyone else using it: only our copy goes.
    this.deps.credentials.forget(account.id);
  }

  async #request(webhookId: string, webhookToken: string, suffix: string, init: RequestInit): Promise<Response> {
    const response = await this.deps.fetch(`${this.deps.apiBase}/webhooks/${webhookId}/${webhookToken}${suffix}`, init);
    if (response.ok) return response;
    const problem = (await response.json().catch(() => ({}))) as { code?: number; message?: string; retry_after?: number };
    const now = this.deps.clock.now();
    throw classifyHttpFailure(
      {
        status: response.status,
        headers: response.headers,
        said: problem.message,
        // A 429's body gives `retry_after` in seconds, more precise than the Retry-After header
        // (discord.com/developers/docs/topics/rate-limits).
        retryAt: problem.retry_after === undefined ? undefined : now + problem.retry_after * 1000,
        means: discordErrorMeaning[problem.code ?? 0],
      },
      discordFailureRules,
      now,
    );
  }
}

const discordFailureRules: PlatformFailureRules = {
  platformName: 'Discord',
  authFailed: [401, 404],
  tooLarge: [413],
  lostAccess: {
    message: 'Discord no longer knows this webhook: it was deleted or its URL was reset.',
    action: 'Copy the webhook URL again in Discord and reconnect.',
  },
};

/** Discord's JSON error codes that say more than the status (discord.com/developers/docs/topics/
 *  opcodes-and-status-codes): 10015 Unknown Webhook and 50027 Invalid Webhook Token (deleted, or
 *  its token was reset), 40005 Request entity too large. */
const discordErrorMeaning: Record<number, HttpFailure['means']> = { 10015: 'auth_failed', 50027: 'auth_failed', 40005: 'too_large' };

/** Discord picks the player by the attachment's file name. */
const videoExtensions: Record<string, string> = { 'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm' };

function fileNameFor(index: number, mime: string): string {
  return `image-${index + 1}.${mime.split('/')[1] ?? 'jpg'}`;
}
