// Connect a Telegram chat through the user's own bot: a bot token from
// @BotFather and the chat to post in. The core checks both (getMe, getChat) before saving. The
// token is a secret: a password field, never shown back.
import { useId, useState } from 'react';
import type { BridgeError } from '../../bridge';
import type { ConnectFormProps } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ExternalLink } from '../../ui/ExternalLink';
import { ConnectField } from './ConnectField';
import { ConnectPanel, runConnect } from './ConnectPanel';

export const botFatherUrl = 'https://t.me/BotFather';
const botTokenPattern = /^\d{3,20}:[A-Za-z0-9_-]{30,60}$/;
const chatIdPattern = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

export function TelegramConnectForm({
  reconnecting = false,
  onConnected,
  onCancel,
}: ConnectFormProps) {
  const connect = useAppStore((s) => s.connect);
  const [botToken, setBotToken] = useState('');
  const [chatId, setChatId] = useState('');
  const [error, setError] = useState<BridgeError | null>(null);
  const [connecting, setConnecting] = useState(false);
  const ids = useId();

  const submit = () =>
    void runConnect(() => connect({ platform: 'telegram', botToken: botToken.trim(), chatId: chatId.trim() }), {
      setConnecting,
      setError,
      onConnected,
    });

  const tokenLooksWrong = botToken.trim() !== '' && !botTokenPattern.test(botToken.trim());
  const chatLooksWrong = chatId.trim() !== '' && !chatIdPattern.test(chatId.trim());

  return (
    <ConnectPanel
      platform="telegram"
      titleId={`${ids}-title`}
      reconnecting={reconnecting}
      intro={
        reconnecting
          ? 'Enter the bot token and chat again: Localpost never shows the token it had.'
          : 'Localpost posts as your bot, straight from this computer. It checks the token and the chat before saving.'
      }
      error={error}
      connecting={connecting}
      onSubmit={submit}
      onCancel={onCancel}
    >
      <ConnectField
        id={`${ids}-bot-token`}
        label="Bot token"
        value={botToken}
        onChange={setBotToken}
        secret
        maxLength={256}
        placeholder="123456789:AAH…"
        hints={[
          <>
            Create a bot with <ExternalLink href={botFatherUrl}>@BotFather</ExternalLink> (<code>/newbot</code>); it answers with
            the token. Localpost keeps it in its vault and never shows it again.
          </>,
        ]}
        warning={tokenLooksWrong ? 'This does not look like a bot token (digits, a colon, then letters). You can still try to connect.' : null}
      />
      <ConnectField
        id={`${ids}-chat-id`}
        label="Chat ID"
        value={chatId}
        onChange={setChatId}
        maxLength={128}
        placeholder="@mychannel"
        hints={[
          <>
            The channel’s <code>@channelusername</code>, or the numeric id (channels and groups start with <code>-100</code>).
          </>,
          'First add the bot to the channel as an admin, or send it /start in a private chat.',
        ]}
        warning={chatLooksWrong ? 'This does not look like a chat id (@username, or a number). You can still try to connect.' : null}
      />
    </ConnectPanel>
  );
}
