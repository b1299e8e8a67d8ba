// Connect a Mastodon account: the user names an instance; the core
// registers Localpost there and opens the instance's sign-in page in the system browser (never in
// this window: RFC 8252 §8.12). While the browser is open the form says where the user has to go
// (useBrowserSignIn), and offers to finish with the address the browser landed on.
import { useId, useState } from 'react';
import type { ConnectInput } from '../../bridge';
import type { ConnectFormProps } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { ConnectField } from './ConnectField';
import { ConnectPanel } from './ConnectPanel';
import { useBrowserSignIn } from './useBrowserSignIn';

export function MastodonConnectForm({
  reconnecting = false,
  instance: initialInstance,
  onConnected,
  onCancel,
}: ConnectFormProps & {
  /** The account's instance when reconnecting (not a secret). */
  instance?: string | undefined;
}) {
  const connect = useAppStore((s) => s.connect);
  const [instance, setInstance] = useState(initialInstance ?? '');
  const signIn = useBrowserSignIn((input: ConnectInput<'mastodon'>) => connect(input), onConnected);
  const ids = useId();

  return (
    <ConnectPanel
      platform="mastodon"
      titleId={`${ids}-title`}
      reconnecting={reconnecting}
      intro="Localpost opens your instance’s sign-in page in your web browser. Allow access there, then come back."
      error={signIn.error}
      connecting={signIn.connecting}
      browserSignIn
      onSubmit={() => void signIn.start({ platform: 'mastodon', instance: instance.trim() })}
      onCancel={() => signIn.stopWaiting() || onCancel()}
      onConfirm={(confirmation) => void signIn.confirm(confirmation)}
      onDismissQuestion={signIn.dismissQuestion}
    >
      <ConnectField
        id={`${ids}-instance`}
        label="Instance"
        value={instance}
        onChange={setInstance}
        inputMode="url"
        maxLength={300}
        placeholder="mastodon.social"
        hints={['mastodon.social, a full address, or @you@instance.']}
      />
    </ConnectPanel>
  );
}
