// Connect a Slack channel through an incoming-webhook URL. The URL is the
// credential, so it is typed into a password field and never shown back. Slack's
// webhooks do not say which channel they post to, so the user names it; and they take text only,
// which the form says before anyone finds out from a refused post.
import { useId, useState } from 'react';
import type { BridgeError } from '../../bridge';
import type { ConnectFormProps } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ExternalLink } from '../../ui/ExternalLink';
import { ConnectField } from './ConnectField';
import { ConnectPanel, runConnect } from './ConnectPanel';

export const slackWebhooksHelpUrl = 'https://api.slack.com/messaging/webhooks';
const channelNameMissing: BridgeError = {
  code: 'invalid_input',
  message: 'The channel needs a name.',
  action: 'Type how it should read in Localpost, for example #announcements.',
};
const webhookUrlPattern = /^https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+\/?$/;

export function SlackConnectForm({
  reconnecting = false,
  channelName = '',
  onConnected,
  onCancel,
}: ConnectFormProps & {
  /** The name the account had, when reconnecting: a label the user chose, not a secret. */
  channelName?: string;
}) {
  const connect = useAppStore((s) => s.connect);
  const [webhookUrl, setWebhookUrl] = useState('');
  const [label, setLabel] = useState(channelName);
  const [error, setError] = useState<BridgeError | null>(null);
  const [connecting, setConnecting] = useState(false);
  const ids = useId();

  const submit = () => {
    // The contract refuses an empty name with a schema message; this says it in words instead.
    if (label.trim() === '') return setError(channelNameMissing);
    void runConnect(() => connect({ platform: 'slack', webhookUrl: webhookUrl.trim(), label: label.trim() }), {
      setConnecting,
      setError,
      onConnected,
    });
  };

  const looksWrong = webhookUrl.trim() !== '' && !webhookUrlPattern.test(webhookUrl.trim());

  return (
    <ConnectPanel
      platform="slack"
      titleId={`${ids}-title`}
      reconnecting={reconnecting}
      intro={
        reconnecting
          ? 'Paste the channel’s webhook URL again: Localpost never shows the one it had.'
          : 'Localpost posts to one channel through an incoming webhook, straight from this computer.'
      }
      error={error}
      connecting={connecting}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <p className="notice notice-warning connect-note">
        Slack incoming webhooks take text only: images are not supported there. A post with images can still go to your other
        accounts.
      </p>
      <ConnectField
        id={`${ids}-webhook-url`}
        label="Webhook URL"
        value={webhookUrl}
        onChange={setWebhookUrl}
        secret
        inputMode="url"
        maxLength={512}
        placeholder="https://hooks.slack.com/services/…"
        hints={[
          <>
            In Slack: your app → <strong>Incoming Webhooks</strong> → Add New Webhook, choose the channel, then{' '}
            <strong>Copy</strong>. <ExternalLink href={slackWebhooksHelpUrl}>About incoming webhooks</ExternalLink>
          </>,
          'Anyone with this URL can post in the channel. Localpost keeps it in its vault and never shows it again.',
        ]}
        warning={
          looksWrong
            ? 'This does not look like a Slack incoming-webhook URL (it starts with https://hooks.slack.com/services/). You can still try to connect.'
            : null
        }
      />
      <ConnectField
        id={`${ids}-channel-name`}
        label="Channel name"
        value={label}
        onChange={setLabel}
        maxLength={80}
        placeholder="#announcements"
        hints={['How this channel reads in Localpost. Slack webhooks do not tell their channel, so name it yourself.']}
      />
    </ConnectPanel>
  );
}
