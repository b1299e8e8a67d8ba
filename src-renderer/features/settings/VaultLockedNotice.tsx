// A banner on every screen while the OS key store keeps the vault locked: posts wait and sign-ins
// cannot be used, and the user may be writing a post and never look at Settings. It says why and
// leads to Settings → Sign-in storage, where Try again is.
import { useAppStore } from '../../state/store';
import { LockIcon } from '../../ui/icons';

export function VaultLockedNotice() {
  const reason = useAppStore((s) => (s.vault?.locked ? s.vault.lockedReason : null));
  const view = useAppStore((s) => s.view);
  const showSettingsSection = useAppStore((s) => s.showSettingsSection);
  if (reason?.code !== 'key_store_unavailable') return null;

  return (
    <div className="notice notice-warning account-alert vault-locked-notice" role="status" aria-labelledby="vault-locked-notice-title">
      <LockIcon />
      <div className="account-alert-body">
        <p id="vault-locked-notice-title" className="notice-title">
          Your sign-ins are locked
        </p>
        <p className="account-alert-reason">Posts wait in the queue until they open again. Nothing was deleted.</p>
      </div>
      {view !== 'settings' && (
        <button type="button" className="button button-small" onClick={() => showSettingsSection('vault')}>
          Open sign-in storage
        </button>
      )}
    </div>
  );
}
