// The events the core sends to the renderer, and the announcements several parts of the core
// make: an account changed, the outbox changed, an upload moved on.
import { events, type EventName, type EventPayload } from '../../src-preload/contract';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
export type CoreEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface EventHub {
  emit: Emit;
  onEvent(listener: CoreEventListener): () => void;
  /** Drops every listener: nothing is heard once the core is closed. */
  clear(): void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  return {
    emit(event, payload) {
      // Events cross the bridge like method results: checked against the contract on the way out.
      const checked = events[event].parse(payload);
      for (const listener of listeners) listener(event, checked);
    },
    onEvent(listener) {
      const wrapped = listener as (event: EventName, payload: unknown) => void;
      listeners.add(wrapped);
      return () => listeners.delete(wrapped);
    },
    clear: () => listeners.clear(),
  };
}

/**
 * "An account of this profile changed" (connected, checked, refused, disconnected): the renderer
 * reloads its list, and the outbox looks again, since a reconnected account may release posts held
 * for it. Listeners hear it in the order they subscribed.
 */
export interface AccountChanges {
  announce(profileId: string): void;
  onDidChange(listener: (profileId: string) => void): void;
}

export function createAccountChanges(): AccountChanges {
  const listeners: Array<(profileId: string) => void> = [];
  return {
    announce(profileId) {
      for (const listener of listeners) listener(profileId);
    },
    onDidChange(listener) {
      listeners.push(listener);
    },
  };
}

/**
 * While the outbox drains it changes many times a second; the renderer hears of it at most every
 * 100 ms per profile, with the count as it is then.
 */
export function throttledOutboxAnnouncer(emit: Emit, waitingCount: (profileId: string) => number): { announce(profileId: string): void; stop(): void } {
  const changedProfiles = new Set<string>();
  let changeTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    announce(profileId) {
      changedProfiles.add(profileId);
      if (changeTimer) return;
      changeTimer = setTimeout(() => {
        changeTimer = undefined;
        for (const id of changedProfiles) {
          emit('outbox.changed', { profileId: id, waiting: waitingCount(id) });
          emit('history.changed', { profileId: id });
        }
        changedProfiles.clear();
      }, 100);
      changeTimer.unref?.();
    },
    stop: () => clearTimeout(changeTimer),
  };
}

export type TargetUploadProgress = EventPayload<'upload.progress'>;

/**
 * An upload reports every piece it sends, thousands for a large video; the renderer hears of each
 * uploading target at most every 100 ms, with its figures as they are then. Apart from
 * `history.changed` on purpose: a moving bar is not a change of the post, and reloading History
 * and the queue for it would cost the renderer more than the upload. Only the active profile's
 * uploads are sent: the renderer shows no other.
 */
export function throttledProgressAnnouncer(emit: Emit, activeProfileId: () => string): { announce(profileId: string, progress: TargetUploadProgress): void; stop(): void } {
  const latest = new Map<string, { profileId: string; progress: TargetUploadProgress }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    announce(profileId, progress) {
      latest.set(`${progress.postId}\u0000${progress.accountId}`, { profileId, progress });
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        const active = activeProfileId();
        for (const { profileId: owner, progress: last } of latest.values()) if (owner === active) emit('upload.progress', last);
        latest.clear();
      }, 100);
      timer.unref?.();
    },
    stop: () => clearTimeout(timer),
  };
}
