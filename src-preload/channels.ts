// The bridge's channel names and nothing else: all the sandboxed preload needs to build
// `window.localpost` (one function per method, `on` for these events only). The schemas behind
// them are in contract.ts, which checks that it describes exactly these names, no more and no
// fewer. Kept apart so that the preload bundle carries a list of names, not zod.
//
// Runtime: std, and imports nothing.

export const methodNames = [
  'app.info',
  'profiles.list', 'profiles.create', 'profiles.rename', 'profiles.switch',
  'accounts.list', 'accounts.connect', 'accounts.completeSignIn',
  'accounts.setSpendingCap', 'accounts.check', 'accounts.disconnect',
  'boards.list', 'boards.create',
  'creatorInfo.get',
  'drafts.list', 'drafts.page', 'drafts.create', 'drafts.get', 'drafts.save', 'drafts.delete', 'drafts.addImage',
  'drafts.setImageAlt', 'drafts.removeImage', 'drafts.reorderImages', 'drafts.addVideoFile', 'drafts.refreshLinkCard', 'drafts.removeLinkCard',
  'drafts.preflight', 'drafts.addVideo', 'drafts.setVideoAlt', 'drafts.removeVideo', 'drafts.videoPosterSource', 'drafts.setVideoPoster',
  'publish.now', 'publish.schedule',
  'history.list', 'history.page',
  'outbox.list', 'outbox.page', 'outbox.cancel', 'outbox.reschedule', 'outbox.edit', 'outbox.retry',
  'outbox.resolveUnknown', 'outbox.decideMissed',
  'calendar.range', 'postingSlots.list', 'postingSlots.set', 'postingSlots.addToQueue',
  'approvals.request', 'approvals.list', 'approvals.get', 'approvals.approve', 'approvals.reject',
  'aiClients.list', 'aiClients.setEnabled', 'aiClients.setup', 'aiClients.writeConfig',
  'developerApps.get', 'developerApps.save', 'developerApps.test',
  'mediaStorage.get', 'mediaStorage.save', 'mediaStorage.test', 'mediaStorage.remove',
  'settings.get', 'settings.update',
  'vault.status', 'vault.usePassphrase', 'vault.unlock', 'vault.useSessionOnly',
  'vault.acknowledgeBackendChange',
  'vault.retryUnlock', 'vault.forgetSignIns',
  'links.openExternal',
  'data.showFolder', 'data.export', 'data.eraseEverything',
] as const;

export const eventNames = [
  'accounts.changed',
  'history.changed',
  'outbox.changed',
  'upload.progress',
  'vault.changed',
  'profiles.changed',
  'token.expiring',
  'token.revoked',
  'approvals.changed',
] as const;

export type MethodName = (typeof methodNames)[number];
export type EventName = (typeof eventNames)[number];

/** The name under which the preload exposes the bridge on `window`. */
export const bridgeGlobalName = 'localpost';

/** Splits a method name into its group and member, as the `Api` type does. */
export function methodPath(name: MethodName): [group: string, member: string] {
  const [group, member] = name.split('.') as [string, string];
  return [group, member];
}
