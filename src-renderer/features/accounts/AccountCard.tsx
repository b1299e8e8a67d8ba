// One connected account: who it is, where it lives, whether it can post, and what to do about it.
import { useState } from 'react';
import type { Account, AccountStatus, BridgeError } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatRelativeTime } from '../../ui/formatTime';
import { StatusBadge } from '../../ui/StatusBadge';
import { PlatformLogo, platformNames, platformUi } from './platforms';
import { SpendingCapForm } from './SpendingCap';

/** Statuses only a new sign-in (or a new webhook URL or bot token) can fix. */
const reconnectStatuses: AccountStatus[] = ['needs_reauth', 'expired', 'revoked'];

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

  const canReconnect = reconnectStatuses.includes(account.status) || account.nextAction === 'reconnect';
  const label = targetLabel(account);
  const platformName = platformNames[account.platform];
  // Telegram's service is "Telegram": said once. The card shows names and hosts, never a secret.
  const showService = account.service.toLowerCase() !== platformName.toLowerCase();

  return (
    <li className="card account-card" data-status={account.status}>
      <div className="account-identity">
        {account.avatar ? (
          // The picture kept when the account was connected, with its platform's mark on its corner.
          <span className="account-avatar">
            <img src={account.avatar} alt="" width={40} height={40} />
            <PlatformLogo platform={account.platform} small />
          </span>
        ) : (
          <PlatformLogo platform={account.platform} />
        )}
        <div className="account-names">
          <p className="account-handle">{label}</p>
          <p className="account-meta">
            <span className="account-platform">{platformName}</span>
            {account.displayName && <span> · {account.displayName}</span>}
            {showService && (
              <>
                {' '}
                · <span className="account-service">{account.service}</span>
              </>
            )}
          </p>
        </div>
      </div>

      <div className="account-status" id={statusId}>
        <StatusBadge status={account.status} />
        {account.statusReason && <span className="account-reason">{account.statusReason}</span>}
        {account.checkedAt !== null && <span className="account-checked">Checked {formatRelativeTime(account.checkedAt)}</span>}
      </div>

      {account.spendingCap && <SpendingCapForm account={account} cap={account.spendingCap} />}

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
        <div className="confirm" role="group" aria-label={`Disconnect ${label}?`}>
          <p>
            Disconnect <strong>{label}</strong> ({platformName})? {platformUi[account.platform].disconnectNote} Posts you published stay in
            History.
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
