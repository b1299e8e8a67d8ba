// Banners at the top of the window for sign-ins that need the user: a platform refused the grant
// (`token.revoked`) or it will end and cannot be renewed without them (`token.expiring`). The
// account's card says the same, but the user may be writing a post and never look there.
import { targetLabel } from '../../../src-shared/compose/preflight';
import type { AccountAlert } from '../../state/accountAlertsSlice';
import { useAppStore } from '../../state/store';
import { formatDateTime } from '../../ui/formatTime';
import { ShieldIcon } from '../../ui/icons';

export function AccountAlerts() {
  const alerts = useAppStore((s) => s.accountAlerts);
  if (alerts.length === 0) return null;
  return (
    <section className="account-alerts" aria-label="Account alerts">
      {alerts.map((alert) => (
        <AccountAlertBanner key={alert.accountId} alert={alert} />
      ))}
    </section>
  );
}

function AccountAlertBanner({ alert }: { alert: AccountAlert }) {
  const account = useAppStore((s) => s.accounts?.find((a) => a.id === alert.accountId));
  const requestReconnect = useAppStore((s) => s.requestReconnect);
  const dismiss = useAppStore((s) => s.dismissAccountAlert);
  // Until the account list has loaded, the platform (and so whether the handle takes an @) is
  // unknown: the handle as the event gave it.
  const label = account ? targetLabel(account) : alert.handle;
  const titleId = `account-alert-${alert.accountId}-title`;
  return (
    <div className="notice notice-warning account-alert" role="alert" aria-labelledby={titleId} data-kind={alert.kind}>
      <ShieldIcon />
      <div className="account-alert-body">
        <p id={titleId} className="notice-title">
          {alert.kind === 'expiring' && alert.expiresAt !== null
            ? `${label} needs to be reconnected before ${formatDateTime(alert.expiresAt)}`
            : `${label} needs to be reconnected`}
        </p>
        <p className="account-alert-reason">{alert.reason}</p>
      </div>
      <div className="account-alert-actions">
        <button
          type="button"
          className="button button-primary button-small"
          aria-describedby={titleId}
          onClick={() => requestReconnect(alert.accountId)}
        >
          Reconnect
        </button>
        <button type="button" className="button button-ghost button-small" aria-describedby={titleId} onClick={() => dismiss(alert.accountId)}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
