// Slack through an incoming webhook the user pastes (docs.slack.dev, incoming webhooks): text only,
// since incoming webhooks take images by public URL and never as an upload from this computer. The
// URL is the credential: vault only.
import crypto from 'node:crypto';
import type { Account } from '../../../../src-preload/contract';
import { AppError } from '../../errors';
import { classifyHttpFailure, type PlatformFailureRules } from '../../http/platformFailure';
import type { Clock, HttpFetch } from '../../ports';
import { asConnectError, type CredentialStore } from '../credentialStore';
import { checkWith, type ConnectionCheck, type OutgoingPost, type PlatformAdapter, type PublishedPost, type VerifiedConnection } from '../adapter';

export interface SlackCredential {
  /** The path after hooks.slack.com: /services/T…/B…/secret. */
  webhookPath: string;
}

const webhookUrlShape = /^https:\/\/hooks\.slack\.com(\/services\/(T[A-Z0-9]+)\/(B[A-Z0-9]+)\/[A-Za-z0-9]{16,64})\/?$/;

export function parseSlackWebhookUrl(input: string): { webhookPath: string; team: string; hook: string } {
  const match = webhookUrlShape.exec(input.trim());
  if (!match) {
    throw new AppError('invalid_input', 'That is not a Slack incoming-webhook URL.', {
      action: 'In Slack: your app → Incoming Webhooks → Copy. It starts with https://hooks.slack.com/services/.',
    });
  }
  return { webhookPath: match[1]!, team: match[2]!, hook: match[3]! };
}

export class SlackAdapter implements PlatformAdapter {
  readonly platform = 'slack' as const;

  constructor(
    private readonly deps: {
      credentials: CredentialStore<SlackCredential>;
      fetch: HttpFetch;
      clock: Clock;
      /** `https://hooks.slack.com`, or LOCALPOST_SLACK_API_BASE (tests, proxies). */
      apiBase: string;
    },
  ) {}

  async verify(webhookUrl: string, label: string): Promise<VerifiedConnection<SlackCredential>> {
    const { webhookPath, team, hook } = parseSlackWebhookUrl(webhookUrl);
    await this.#probe(webhookPath).catch(asConnectError);
    return {
      // Team and hook ids are not secret; hashing in the path tells two webhooks of one hook apart.
      remoteId: `${team}/${hook}/${crypto.createHash('sha256').update(webhookPath).digest('hex').slice(0, 12)}`,
      handle: label,
      service: 'hooks.slack.com',
      credential: { webhookPath },
    };
  }

  checkConnection(account: Account): Promise<ConnectionCheck> {
    return checkWith(async () => {
      await this.#probe(this.deps.credentials.read(account).webhookPath);
    }, 'revoked');
  }

  async publish(account: Account, post: OutgoingPost): Promise<PublishedPost> {
    const { webhookPath } = this.deps.credentials.read(account);
    await this.#post(webhookPath, { text: post.text });
    // Incoming webhooks answer "ok" and nothing else: no message id, no link.
    return { uri: null, cid: null, url: null };
  }

  async disconnect(account: Account): Promise<void> {
    this.deps.credentials.forget(account.id);
  }

  /** Posting an empty message is refused with `no_text` by a live webhook, and with
   *  `no_service` / `invalid_token` by a dead one: a check that never posts. */
  async #probe(webhookPath: string): Promise<void> {
    try {
      await this.#post(webhookPath, {});
    } catch (error) {
      if (error instanceof AppError && error.code === 'platform_rejected' && error.message.includes('no_text')) return;
      throw error;
    }
    throw new AppError('platform_rejected', 'Slack accepted an empty message, which a webhook should refuse.');
  }

  async #post(webhookPath: string, payload: Record<string, unknown>): Promise<void> {
    const response = await this.deps.fetch(`${this.deps.apiBase}${webhookPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const answer = (await response.text()).trim();
    if (response.ok) return;
    const reason = refusalReasons[answer];
    throw classifyHttpFailure(
      {
        status: response.status,
        headers: response.headers,
        said: reason ? `${reason} (${answer})` : answer,
        means: lostWebhookAnswers.includes(answer) ? 'auth_failed' : undefined,
      },
      slackFailureRules,
      this.deps.clock.now(),
    );
  }
}

// Incoming webhooks answer a refusal as one word in plain text (docs.slack.dev, incoming webhooks,
// "Handling errors"): these say the webhook itself is gone, whatever the status.
const lostWebhookAnswers = ['no_service', 'invalid_token', 'no_team', 'team_disabled'];

const refusalReasons: Record<string, string> = {
  channel_is_archived: 'the channel is archived',
  channel_not_found: 'the channel no longer exists',
  action_prohibited: 'a workspace admin does not allow this',
  posting_to_general_channel_denied: 'only admins may post in this channel',
};

const slackFailureRules: PlatformFailureRules = {
  platformName: 'Slack',
  authFailed: [404],
  // Incoming webhooks carry text only: no upload to be too large.
  tooLarge: [],
  lostAccess: {
    message: 'Slack no longer accepts this webhook: it was removed or its app uninstalled.',
    action: 'Create a new incoming webhook in Slack and reconnect.',
  },
  refusedAction: 'Fix it in Slack and try again.',
};
