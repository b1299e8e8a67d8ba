// How sign-ins are protected on this computer. When the OS key store protects
// nothing (Linux `basic_text`, also after a switch to it), this says so plainly and lets the user
// choose, as VS Code does, rather than silently keeping secrets behind a key stored in the clear.
// When the key store refused the key this time, it says why and offers Try again; forgetting the
// sign-ins is a separate, deliberate choice.
import { useState } from 'react';
import { useAppStore } from '../../state/store';
import type { BridgeError, VaultStatus } from '../../bridge';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { LockIcon, ShieldIcon } from '../../ui/icons';
import { ForgetSignIns } from './ForgetSignIns';
import { PassphraseChoice } from './PassphraseChoice';
import { SessionOnlyChoice } from './SessionOnlyChoice';

const protectionNames: Record<VaultStatus['protection'], string> = {
  keyring: 'OS key store',
  passphrase: 'Your passphrase',
  session: 'This session only',
};

export function VaultSettings() {
  const vault = useAppStore((s) => s.vault);
  if (!vault) return null;
  const lockedByKeyStore = vault.locked && vault.lockedReason?.code === 'key_store_unavailable';

  return (
    <section className="card panel" aria-labelledby="vault-title">
      <h2 id="vault-title" className="panel-title" tabIndex={-1}>
        Sign-in storage
      </h2>
      <dl className="facts">
        <dt>Protection</dt>
        <dd data-protection={vault.protection}>{protectionNames[vault.protection]}</dd>
        <dt>OS key store</dt>
        <dd>
          <code>{vault.backend}</code>
          {!vault.keyringProtects && <span className="muted"> (does not protect the key)</span>}
        </dd>
      </dl>

      {lockedByKeyStore ? (
        <LockedByKeyStore reason={vault.lockedReason!.message} />
      ) : vault.keyringProtects ? (
        <p className="vault-summary">{vaultSummary(vault)}</p>
      ) : (
        <div className="warning-box">
          <p className="warning-title">
            <ShieldIcon />
            The OS keyring is not protecting your sign-ins
          </p>
          <p>
            Your system's key store is <code>{vault.backend}</code>, which would keep Localpost's key in a file anyone with access
            to this computer can read. {unprotectedSummary(vault)}
          </p>
        </div>
      )}

      {lockedByKeyStore ? (
        <div className="choice-grid">
          <ForgetSignIns />
        </div>
      ) : (
        (!vault.keyringProtects || vault.protection === 'passphrase') && (
          <div className="choice-grid">
            {vault.protection === 'passphrase' ? <PassphraseChoice change /> : <PassphraseChoice />}
            {!vault.keyringProtects && vault.protection !== 'session' && <SessionOnlyChoice />}
          </div>
        )
      )}
    </section>
  );
}

function LockedByKeyStore({ reason }: { reason: string }) {
  const retryVaultUnlock = useAppStore((s) => s.retryVaultUnlock);
  const [error, setError] = useState<BridgeError | null>(null);
  const [stillLocked, setStillLocked] = useState(false);
  const [busy, setBusy] = useState(false);

  const retry = async () => {
    setBusy(true);
    const failure = await retryVaultUnlock();
    setBusy(false);
    setError(failure);
    setStillLocked(!failure && (useAppStore.getState().vault?.locked ?? false));
  };

  return (
    <div className="warning-box" data-vault-locked>
      <p className="warning-title">
        <LockIcon />
        Your sign-ins are locked
      </p>
      <p>{reason}</p>
      {stillLocked && !busy && <p role="status">Still locked: the key store refused again.</p>}
      {error && <ErrorAlert error={error} />}
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void retry()}>
          Try again
        </button>
      </div>
    </div>
  );
}

function unprotectedSummary(vault: VaultStatus): string {
  switch (vault.protection) {
    case 'keyring':
      if (vault.backendChange) {
        return (
          `Localpost was started with it instead of ${vault.backendChange.from}, so your key was left as ${vault.backendChange.from} ` +
          `protects it and was not moved: it opens again when Localpost starts with ${vault.backendChange.from}. ` +
          'To keep your sign-ins in this setup, choose a passphrase or this session only.'
        );
      }
      return 'Choose how to protect your sign-ins instead.';
    case 'passphrase':
      return 'Your passphrase protects them instead.';
    case 'session':
      return 'So for now they are kept for this session only: in memory, and forgotten when Localpost quits. A passphrase keeps them across restarts.';
  }
}

function vaultSummary(vault: VaultStatus): string {
  switch (vault.protection) {
    case 'keyring':
      return `Sign-ins are encrypted with a key the OS key store (${vault.backend}) protects.`;
    case 'passphrase':
      return 'Sign-ins are encrypted with a key only your passphrase unlocks. Localpost asks for it when it starts.';
    case 'session':
      return 'Sign-ins are kept in memory only and forgotten when Localpost quits; you reconnect your accounts after a restart.';
  }
}
