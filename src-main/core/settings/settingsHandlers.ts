// The bridge's `settings.*` group.
import type { HandlersFor } from '../bridge/dispatch';
import type { SettingsService } from './settingsService';

export function createSettingsHandlers(deps: { settings: Pick<SettingsService, 'get' | 'update'> }): HandlersFor<'settings'> {
  return {
    'settings.get': () => deps.settings.get(),
    'settings.update': (changes) => deps.settings.update(changes),
  };
}
