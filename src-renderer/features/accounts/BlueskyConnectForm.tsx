// Connect a Bluesky account with an app password. The password lives only
// in this component's state and the one bridge call; every field keeps its value on an error so
// the user fixes one thing and presses Connect again.
import { useId, useRef, useState } from 'react';
import type { BridgeError, ConnectConfirmation, ConnectInput } from '../../bridge';
import type { ConnectedAccount } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { looksLikeAppPassword } from '../../../src-shared/platforms';
import { ExternalLink } from '../../ui/ExternalLink';
import { ConnectField } from './ConnectField';
import { withConfirmation } from './connectConfirmation';
import { ConnectPanel, runConnect } from './ConnectPanel';

export const defaultBlueskyService = 'https://bsky.social';
export const appPasswordSettingsUrl = 'https://bsky.app/settings/app-passwords';

export interface ConnectPrefill {
  handle: string;
  service: string;
}

export function BlueskyConnectForm({
  prefill,
  onConnected,
  onCancel,
}: {
  prefill?: ConnectPrefill;
  onConnected(connected: ConnectedAccount): void;
  onCancel(): void;
}) {
  const connect = useAppStore((s) => s.connect);
  const [handle, setHandle] = useState(prefill?.handle ?? '');
  const [appPassword, setAppPassword] = useState('');
  const [service, setService] = useState(prefill?.service ?? defaultBlueskyService);
  const [emailCode, setEmailCode] = useState('');
  const [askForEmailCode, setAskForEmailCode] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const [connecting, setConnecting] = useState(false);
  const ids = useId();
  // What the last Connect sent, so Connect anyway sends exactly that again.
  const lastInput = useRef<ConnectInput<'bluesky'> | null>(null);

  const send = (input: ConnectInput<'bluesky'>) => {
    lastInput.current = input;
    void runConnect(
      () => connect(input),
      {
        setConnecting,
        setError(failure) {
          setError(failure);
          // The PDS sent a sign-in code by email: ask for it, keep everything typed, try again.
          if (failure?.code === 'auth_factor_required') setAskForEmailCode(true);
        },
        onConnected,
      },
    );
  };

  const submit = () => {
    const code = emailCode.trim();
    // A yes already given for this handle on this server still holds (say, before an email code).
    const last = lastInput.current;
    const confirmed = last && last.handle === handle && last.service === service ? last.confirm : undefined;
    send({ platform: 'bluesky', handle, appPassword, service, ...(askForEmailCode && code ? { authFactorToken: code } : {}), ...(confirmed ? { confirm: confirmed } : {}) });
  };

  const connectAnyway = (confirmation: ConnectConfirmation) => {
    if (lastInput.current) send(withConfirmation(lastInput.current, confirmation));
  };

  const passwordLooksWrong = appPassword !== '' && !looksLikeAppPassword(appPassword);

  return (
    <ConnectPanel
      platform="bluesky"
      titleId={`${ids}-title`}
      reconnecting={prefill !== undefined}
      intro="Localpost signs in from this computer. Nothing goes through a server of ours."
      error={error}
      connecting={connecting}
      onSubmit={submit}
      onCancel={onCancel}
      onConfirm={connectAnyway}
      onDismissQuestion={() => setError(null)}
    >
      <ConnectField
        id={`${ids}-handle`}
        label="Handle"
        value={handle}
        onChange={setHandle}
        placeholder="alice.bsky.social"
        autoComplete="username"
        hints={['Your full handle, with its domain.']}
      />
      <ConnectField
        id={`${ids}-password`}
        label="App password"
        value={appPassword}
        onChange={setAppPassword}
        secret
        placeholder="xxxx-xxxx-xxxx-xxxx"
        hints={[
          <>
            Format <code>xxxx-xxxx-xxxx-xxxx</code>.{' '}
            <ExternalLink href={appPasswordSettingsUrl}>Create an app password in Bluesky settings</ExternalLink>
          </>,
          'An app password lets Localpost post for you without ever knowing your main password, and you can revoke it at any time.',
        ]}
        warning={
          passwordLooksWrong
            ? 'This does not look like an app password. If it is your main password, create an app password instead; you can still try to connect.'
            : null
        }
      />
      <ConnectField
        id={`${ids}-service`}
        label="Hosting provider"
        value={service}
        onChange={setService}
        inputMode="url"
        hints={['Leave as it is unless your account lives on another server (PDS).']}
      />
      {askForEmailCode && (
        <ConnectField
          id={`${ids}-email-code`}
          label="Email code"
          value={emailCode}
          onChange={setEmailCode}
          autoComplete="one-time-code"
          autoFocus
          hints={['Bluesky emailed you a sign-in code. Type it here and press Connect again.']}
        />
      )}
    </ConnectPanel>
  );
}
