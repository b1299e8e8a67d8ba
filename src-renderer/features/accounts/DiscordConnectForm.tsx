// Connect a Discord channel through a webhook URL the user pastes. The URL holds
// the webhook's token, so it is a secret: a password field, kept only in this component's state
// and the one bridge call, and never shown again once the account is saved.
import { useId, useState } from 'react';
import type { BridgeError } from '../../bridge';
import type { ConnectFormProps } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ExternalLink } from '../../ui/ExternalLink';
import { ConnectField } from './ConnectField';
import { ConnectPanel, runConnect } from './ConnectPanel';

export const discordWebhooksHelpUrl = 'https://support.discord.com/hc/en-us/articles/228383668-Intro-to-Webhooks';
/** The shape the core accepts; anything else gets a warning before the user presses Connect. */
const webhookUrlPattern = /^https:\/\/((ptb|canary)\.)?discord(app)?\.com\/api\/(v\d+\/)?webhooks\/\d+\/[\w-]+\/?$/;

export function DiscordConnectForm({
  reconnecting = false,
  onConnected,
  onCancel,
}: ConnectFormProps) {
  const connect = useAppStore((s) => s.connect);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [connecting, setConnecting] = useState(false);
  const ids = useId();

  const submit = () =>
    void runConnect(() => connect({ platform: 'discord', webhookUrl: webhookUrl.trim() }), { setConnecting, setError, onConnected });

  const looksWrong = webhookUrl.trim() !== '' && !webhookUrlPattern.test(webhookUrl.trim());

  return (
    <ConnectPanel
      platform="discord"
      titleId={`${ids}-title`}
      reconnecting={reconnecting}
      intro={
        reconnecting
          ? 'Paste the channel’s webhook URL again: Localpost never shows the one it had.'
          : 'Localpost posts to one channel through its webhook, straight from this computer.'
      }
      error={error}
      connecting={connecting}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <ConnectField
        id={`${ids}-webhook-url`}
        label="Webhook URL"
        value={webhookUrl}
        onChange={setWebhookUrl}
        secret
        inputMode="url"
        maxLength={512}
        placeholder="https://discord.com/api/webhooks/…"
        hints={[
          <>
            In Discord: channel settings → <strong>Integrations</strong> → <strong>Webhooks</strong> → New Webhook (or pick one) →{' '}
            <strong>Copy Webhook URL</strong>. <ExternalLink href={discordWebhooksHelpUrl}>About Discord webhooks</ExternalLink>
          </>,
          'Anyone with this URL can post in the channel. Localpost keeps it in its vault and never shows it again.',
        ]}
        warning={
          looksWrong
            ? 'This does not look like a Discord webhook URL (it starts with https://discord.com/api/webhooks/). You can still try to connect.'
            : null
        }
      />
    </ConnectPanel>
  );
}
