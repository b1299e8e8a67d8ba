// What the core tells the renderer on its own: another window or a background check changed
// something, and the store reloads just that part. Events for another profile are ignored. A
// sign-in that was refused or is about to end also raises a banner (the core sends the OS
// notification itself).
import { api } from '../bridge';
import { useAppStore } from './store';

export function subscribeToBridgeEvents(): () => void {
  const store = useAppStore.getState;
  const isActiveProfile = (profileId: string) => profileId === store().activeProfileId;
  const unsubscribers = [
    api.on('accounts.changed', ({ profileId }) => {
      if (isActiveProfile(profileId)) void store().loadAccounts();
    }),
    api.on('history.changed', ({ profileId }) => {
      if (!isActiveProfile(profileId)) return;
      void store().loadHistory();
      if (store().view === 'calendar') void store().loadCalendar();
    }),
    api.on('outbox.changed', ({ profileId, waiting }) => {
      if (!isActiveProfile(profileId)) return;
      store().setWaitingCount(waiting);
      void store().loadOutbox();
      if (store().view === 'calendar') void store().loadCalendar();
    }),
    api.on('approvals.changed', ({ profileId, waiting }) => {
      if (!isActiveProfile(profileId)) return;
      store().setApprovalsWaiting(waiting);
      void store().loadApprovals();
    }),
    // Sent only for the active profile; a post of another one is simply not on screen.
    api.on('upload.progress', (tick) => store().applyUploadProgress(tick)),
    api.on('token.revoked', ({ accountId, profileId, handle, reason }) => {
      if (!isActiveProfile(profileId)) return;
      store().raiseAccountAlert({ accountId, handle, kind: 'revoked', reason, expiresAt: null });
      void store().loadAccounts();
    }),
    api.on('token.expiring', ({ accountId, profileId, handle, reason, expiresAt }) => {
      if (!isActiveProfile(profileId)) return;
      store().raiseAccountAlert({ accountId, handle, kind: 'expiring', reason, expiresAt });
      void store().loadAccounts();
    }),
    api.on('vault.changed', (status) => void store().applyVaultStatus(status)),
    api.on('profiles.changed', ({ activeId }) => {
      const switched = activeId !== store().activeProfileId;
      void store()
        .loadProfiles()
        .then(() => (switched ? store().reloadProfileData() : undefined));
    }),
  ];
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
