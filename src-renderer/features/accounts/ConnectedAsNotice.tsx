// After a sign-in in the system browser, the account that comes back is whoever was signed in
// there: a session someone else left open, or a sign-in another local user finished into
// Localpost's loopback listener (any process on this computer can reach it: RFC 8252 §8.3). So the
// new account is named, with its server, and one click undoes it: Undo disconnects it, which
// revokes the tokens Localpost was just given.
import { useState } from 'react';
import type { Account, BridgeError } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';

export function ConnectedAsNotice({ account, replacing }: { account: Account; replacing?: Account | undefined }) {
  const disconnectAccount = useAppStore((s) => s.disconnectAccount);
  const [undo, setUndo] = useState<'offered' | 'undoing' | 'done'>('offered');
  const [error, setError] = useState<BridgeError | null>(null);
  const label = targetLabel(account);

  if (undo === 'done') {
    return (
      <p className="notice notice-success" role="status">
        {label} is disconnected, and the sign-in Localpost was just given is revoked on {account.service}.
      </p>
    );
  }
  return (
    <>
      <p className="notice notice-success connected-as" role="status">
        <span>
          Connected as <strong>{account.displayName ? `${account.displayName} (${label})` : label}</strong> on {account.service}.
          {replacing && ` It is a new account: ${targetLabel(replacing)} is still listed.`} Not you?
        </span>
        <button
          type="button"
          className="button button-small"
          disabled={undo === 'undoing'}
          aria-busy={undo === 'undoing'}
          aria-label={`Undo: disconnect ${label}`}
          onClick={() => {
            setUndo('undoing');
            setError(null);
            void disconnectAccount(account.id).then((failure) => {
              setError(failure);
              setUndo(failure ? 'offered' : 'done');
            });
          }}
        >
          Undo
        </button>
      </p>
      {error && <ErrorAlert error={error} />}
    </>
  );
}
