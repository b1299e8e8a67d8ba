// User settings, kept in the small preferences store (electron-store in the app).
import type { Settings } from '../../../src-preload/contract';
import { defaultMetaGraphApiVersion } from '../../../src-shared/metaGraphApi';
import type { PreferencesStore } from '../ports';

export class SettingsService {
  constructor(
    private readonly preferences: PreferencesStore,
    private readonly locale: string,
  ) {}

  get(): Settings {
    return {
      requireAltText: this.preferences.get<boolean>('requireAltText') ?? false,
      // Posts are tagged with a language (BCP 47) so feeds and translation work; the default is
      // the language of the OS locale ("en-GB" → "en"), changeable per post and here.
      defaultLanguage: this.preferences.get<string>('defaultLanguage') ?? languageOf(this.locale),
      // A post whose time passed while the app was closed may be stale: by default, ask.
      missedSchedule: this.preferences.get<Settings['missedSchedule']>('missedSchedule') ?? 'ask',
      metaGraphApiVersion: this.preferences.get<string>('metaGraphApiVersion') ?? defaultMetaGraphApiVersion,
      theme: this.preferences.get<Settings['theme']>('theme') ?? 'system',
    };
  }

  update(changes: Partial<Settings>): Settings {
    for (const [key, value] of Object.entries(changes)) {
      if (value !== undefined) this.preferences.set(key, value);
    }
    return this.get();
  }
}

export function languageOf(locale: string): string {
  const language = locale.split(/[-_]/)[0]?.toLowerCase();
  return language && /^[a-z]{2,3}$/.test(language) ? language : 'en';
}
