import type { Account } from '../../bridge';
import { useAppStore } from '../../state/store';
import { LoadError } from '../../ui/ErrorAlert';
import { AccountCard } from './AccountCard';
import { connectablePlatformList } from './platforms';

export function AccountList({ onReconnect }: { onReconnect(account: Account): void }) {
  const accounts = useAppStore((s) => s.accounts);
  const error = useAppStore((s) => s.accountsError);
  const loadAccounts = useAppStore((s) => s.loadAccounts);

  if (error) {
    return <LoadError error={error} onRetry={() => void loadAccounts()} />;
  }
  if (accounts === null) return <p className="muted">Loading accounts…</p>;
  if (accounts.length === 0) {
    return (
      <div className="empty-state">
        <p className="empty-title">No accounts yet</p>
        <p className="muted">Add a {connectablePlatformList} account to start posting from this profile.</p>
      </div>
    );
  }
  return (
    <ul className="account-list">
      {accounts.map((account) => (
        <AccountCard key={account.id} account={account} onReconnect={() => onReconnect(account)} />
      ))}
    </ul>
  );
}
