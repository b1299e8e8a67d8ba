// One connected account: who it is, where it lives, whether it can post, and what to do about it.
import { useState } from 'react';
import type { Account, BridgeError } from '../../bridge';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatRelativeTime } from '../../ui/formatTime';
import { StatusBadge } from '../../ui/StatusBadge';
import { platformLogos, platformNames } from './platforms';

export function AccountCard({ account, onReconnect }: { account: Account; onReconnect(): void }) {
  const checkAccount = useAppStore((s) => s.checkAccount);
  const disconnectAccount = useAppStore((s) => s.disconnectAccount);
  const [busy, setBusy] = useState<'checking' | 'disconnecting' | null>(null);
  const [confirmingDisconnect, setConfirmingDisconnect] = useState(false);
  const [error, setError] = useState<BridgeError | null>(null);
  const statusId = `account-${account.id}-status`;

  const run = async (kind: 'checking' | 'disconnecting', action: () => Promise<BridgeError | null>) => {
    setBusy(kind);
    setError(null);
    const failure = await action();
    setBusy(null);
    setError(failure);
  };

  const canReconnect = account.status === 'needs_reauth' || account.nextAction === 'reconnect';

  return (
    <li className="card account-card" data-status={account.status}>
      <div className="account-identity">
        <span className="platform-logo" data-platform={account.platform}>
          {platformLogos[account.platform]}
        </span>
        <div className="account-names">
          <p className="account-handle">@{account.handle}</p>
          <p className="account-meta">
            {account.displayName && <span>{account.displayName} · </span>}
            <span>{platformNames[account.platform]}</span> · <span className="account-service">{account.service}</span>
          </p>
        </div>
      </div>

      <div className="account-status" id={statusId}>
        <StatusBadge status={account.status} />
        {account.statusReason && <span className="account-reason">{account.statusReason}</span>}
        {account.checkedAt !== null && <span className="account-checked">Checked {formatRelativeTime(account.checkedAt)}</span>}
      </div>

      <div className="account-actions">
        {canReconnect && (
          <button type="button" className="button button-primary button-small" onClick={onReconnect} aria-describedby={statusId}>
            Reconnect
          </button>
        )}
        <button
          type="button"
          className="button button-small"
          disabled={busy !== null}
          aria-busy={busy === 'checking'}
          onClick={() => void run('checking', () => checkAccount(account.id))}
        >
          {busy === 'checking' ? 'Checking…' : 'Check connection'}
        </button>
        {!confirmingDisconnect && (
          <button
            type="button"
            className="button button-small button-quiet-danger"
            disabled={busy !== null}
            onClick={() => setConfirmingDisconnect(true)}
          >
            Disconnect
          </button>
        )}
      </div>

      {confirmingDisconnect && (
        <div className="confirm" role="group" aria-label={`Disconnect @${account.handle}?`}>
          <p>
            Disconnect <strong>@{account.handle}</strong>? Localpost signs out and forgets the app password. Posts you published
            stay in History.
          </p>
          <div className="confirm-actions">
            <button type="button" className="button button-small" onClick={() => setConfirmingDisconnect(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-small button-danger"
              disabled={busy !== null}
              onClick={() =>
                void run('disconnecting', async () => {
                  const failure = await disconnectAccount(account.id);
                  if (!failure) setConfirmingDisconnect(false);
                  return failure;
                })
              }
            >
              Disconnect
            </button>
          </div>
        </div>
      )}

      {error && <ErrorAlert error={error} onDismiss={() => setError(null)} />}
    </li>
  );
}
