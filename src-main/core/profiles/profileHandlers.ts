// The bridge's `profiles.*` group: the user's profiles, and which one is active.
import type { HandlersFor } from '../bridge/dispatch';
import type { Emit } from '../coreEvents';
import type { ProfileStore } from './profileStore';

export function createProfileHandlers(deps: {
  profiles: Pick<ProfileStore, 'list' | 'activeId' | 'create' | 'rename' | 'switchTo'>;
  emit: Emit;
}): HandlersFor<'profiles'> {
  const { profiles } = deps;
  return {
    'profiles.list': () => ({ profiles: profiles.list(), activeId: profiles.activeId() }),
    'profiles.create': ({ name }) => profiles.create(name),
    'profiles.rename': ({ id, name }) => profiles.rename(id, name),
    'profiles.switch': ({ id }) => {
      profiles.switchTo(id);
      deps.emit('profiles.changed', { activeId: id });
      return { activeId: id };
    },
  };
}
