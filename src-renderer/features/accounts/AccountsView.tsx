// The Accounts screen: the list, or one step of adding an account. While a form is open it takes
// the whole screen, so the user sees one task at a time (and "Connect" is the only such button).
import { useState } from 'react';
import type { Platform } from '../../bridge';
import type { ConnectedAccount } from '../../state/accountsSlice';
import { PlusIcon } from '../../ui/icons';
import { ViewHeader } from '../../ui/ViewHeader';
import { AccountList } from './AccountList';
import { BlueskyConnectForm, type ConnectPrefill } from './BlueskyConnectForm';
import { PlatformChoice } from './PlatformChoice';

type Step = { kind: 'list' } | { kind: 'choosePlatform' } | { kind: 'connect'; platform: Platform; prefill?: ConnectPrefill };

export function AccountsView() {
  const [step, setStep] = useState<Step>({ kind: 'list' });
  const [justConnected, setJustConnected] = useState<string | null>(null);

  const backToList = () => setStep({ kind: 'list' });
  const onConnected = ({ account, updatedExisting }: ConnectedAccount) => {
    setJustConnected(updatedExisting ? `@${account.handle} is reconnected.` : `@${account.handle} is connected.`);
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
          <AccountList
            onReconnect={(account) => {
              setJustConnected(null);
              setStep({
                kind: 'connect',
                platform: account.platform,
                prefill: { handle: account.handle, service: account.service },
              });
            }}
          />
        </>
      )}
      {step.kind === 'choosePlatform' && (
        <PlatformChoice onChoose={(platform) => setStep({ kind: 'connect', platform })} onCancel={backToList} />
      )}
      {step.kind === 'connect' && step.platform === 'bluesky' && (
        <BlueskyConnectForm prefill={step.prefill} onConnected={onConnected} onCancel={backToList} />
      )}
    </div>
  );
}
