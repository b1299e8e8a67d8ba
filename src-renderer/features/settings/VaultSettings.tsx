// How sign-ins are protected on this computer (issue 3, item 7). When the OS key store protects
// nothing (Linux `basic_text`), this says so plainly and lets the user choose, as VS Code does,
// rather than silently keeping secrets behind a key stored in the clear.
import { useAppStore } from '../../state/store';
import type { VaultStatus } from '../../bridge';
import { ShieldIcon } from '../../ui/icons';
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

  return (
    <section className="card panel" aria-labelledby="vault-title">
      <h2 id="vault-title" className="panel-title">
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

      {vault.keyringProtects ? (
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

      {!vault.keyringProtects && (
        <div className="choice-grid">
          {vault.protection !== 'passphrase' && <PassphraseChoice />}
          {vault.protection !== 'session' && <SessionOnlyChoice />}
        </div>
      )}
    </section>
  );
}

function unprotectedSummary(vault: VaultStatus): string {
  switch (vault.protection) {
    case 'keyring':
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
