// The bridge's `mediaStorage.*` group: the user's own bucket for public media (mediaStorage.ts).
import type { HandlersFor } from '../bridge/dispatch';
import type { MediaStorage } from './mediaStorage';
import { describeBucket, type MediaStorageStore } from './mediaStorageStore';

export function createMediaStorageHandlers(deps: { store: MediaStorageStore; mediaStorage: Pick<MediaStorage, 'test'> }): HandlersFor<'mediaStorage'> {
  const { store, mediaStorage } = deps;
  return {
    'mediaStorage.get': () => store.describe(),
    'mediaStorage.save': (input) => describeBucket(store.save(input)),
    'mediaStorage.test': (input) => mediaStorage.test(store.withChanges(input)),
    'mediaStorage.remove': () => {
      store.remove();
      return {};
    },
  };
}
