// The Accounts screen: the list, or one step of adding an account. While a form is open it takes
// the whole screen, so the user sees one task at a time (and "Connect" is the only such button).
import { Suspense, useEffect, useState } from 'react';
import type { Account, Platform } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import type { ConnectedAccount } from '../../state/accountsSlice';
import { useAppStore } from '../../state/store';
import { PlusIcon } from '../../ui/icons';
import { ViewHeader } from '../../ui/ViewHeader';
import { AccountList } from './AccountList';
import { ConnectedAsNotice } from './ConnectedAsNotice';
import { PlatformChoice } from './PlatformChoice';
import { platformUi } from './platforms';
import { platformRules } from '../../../src-shared/platforms';

/** "Connected 2 Pages: Corner Bakery, Town Choir." and one such sentence per further platform. */
function connectedByPlatform(accounts: Account[]): string[] {
  const byPlatform = new Map<Platform, Account[]>();
  for (const account of accounts) byPlatform.set(account.platform, [...(byPlatform.get(account.platform) ?? []), account]);
  return [...byPlatform].map(([platform, list]) => {
    const name = platformRules[platform].name;
    const noun = platformUi[platform].accountNoun ?? { one: `${name} account`, many: `${name} accounts` };
    const names = list.map((connected) => connected.displayName ?? connected.handle).join(', ');
    return `Connected ${list.length} ${list.length === 1 ? noun.one : noun.many}: ${names}.`;
  });
}

/** `reconnect` is the account being reconnected; its secret is never put back in a form. */
type Step = { kind: 'list' } | { kind: 'choosePlatform' } | { kind: 'connect'; platform: Platform; reconnect?: Account };

export function AccountsView() {
  const [step, setStep] = useState<Step>({ kind: 'list' });
  const [justConnected, setJustConnected] = useState<string | null>(null);
  // A new account from a browser sign-in, named with an Undo until the screen moves on.
  const [signedIn, setSignedIn] = useState<{ account: Account; replacing?: Account | undefined } | null>(null);
  const reconnectRequest = useAppStore((s) => s.reconnectRequest);
  const takeReconnectRequest = useAppStore((s) => s.takeReconnectRequest);
  const accounts = useAppStore((s) => s.accounts);

  // A banner's Reconnect opens that account's form here, once the account is known.
  useEffect(() => {
    if (reconnectRequest === null || accounts === null) return;
    const account = accounts.find((a) => a.id === takeReconnectRequest());
    if (!account) return;
    setJustConnected(null);
    setSignedIn(null);
    setStep({ kind: 'connect', platform: account.platform, reconnect: account });
  }, [reconnectRequest, accounts, takeReconnectRequest]);

  const backToList = () => setStep({ kind: 'list' });
  const onConnected = ({ account, updatedExisting, alsoConnected = [], notes = [] }: ConnectedAccount, replacing?: Account) => {
    const label = targetLabel(account);
    setSignedIn(null);
    if (alsoConnected.length > 0 || notes.length > 0) {
      // One sign-in brought several accounts (a Facebook login's Pages and the Instagram accounts
      // linked to them): named all at once, by platform.
      setJustConnected([...connectedByPlatform([account, ...alsoConnected]), ...notes].join(' '));
    } else if (platformUi[account.platform].signsInThroughBrowser && !updatedExisting) {
      setJustConnected(null);
      setSignedIn({ account, replacing: replacing && replacing.id !== account.id ? replacing : undefined });
    } else if (updatedExisting) setJustConnected(`${label} is reconnected.`);
    else if (replacing && replacing.id !== account.id) {
      // A new webhook or chat is a new account: the one being reconnected stays until removed.
      setJustConnected(
        `${label} is connected as a new account. ${targetLabel(replacing)} is still listed: disconnect it once you no longer need it.`,
      );
    } else setJustConnected(`${label} is connected.`);
    backToList();
  };

  return (
    <div className="view">
      <ViewHeader
        title="Accounts"
        description="The accounts this profile posts to. Sign-ins stay on this computer."
        actions={
          step.kind === 'list' && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setJustConnected(null);
                setSignedIn(null);
                setStep({ kind: 'choosePlatform' });
              }}
            >
              <PlusIcon />
              Add account
            </button>
          )
        }
      />
      {step.kind === 'list' && (
        <>
          {justConnected && (
            <p className="notice notice-success" role="status">
              {justConnected}
            </p>
          )}
          {signedIn && <ConnectedAsNotice key={signedIn.account.id} account={signedIn.account} replacing={signedIn.replacing} />}
          <AccountList
            onReconnect={(account) => {
              setJustConnected(null);
              setSignedIn(null);
              setStep({ kind: 'connect', platform: account.platform, reconnect: account });
            }}
          />
        </>
      )}
      {step.kind === 'choosePlatform' && (
        <PlatformChoice onChoose={(platform) => setStep({ kind: 'connect', platform })} onCancel={backToList} />
      )}
      {step.kind === 'connect' && (
        <ConnectForm step={step} onConnected={(connected) => onConnected(connected, step.reconnect)} onCancel={backToList} />
      )}
    </div>
  );
}

function ConnectForm({
  step: { platform, reconnect },
  onConnected,
  onCancel,
}: {
  step: Extract<Step, { kind: 'connect' }>;
  onConnected(connected: ConnectedAccount): void;
  onCancel(): void;
}) {
  const { ConnectForm: PlatformConnectForm } = platformUi[platform];
  // The form's code loads when it is first asked for (see the platform registry).
  return (
    <Suspense fallback={<div className="screen-loading" aria-busy="true" />}>
      <PlatformConnectForm reconnect={reconnect} onConnected={onConnected} onCancel={onCancel} />
    </Suspense>
  );
}
