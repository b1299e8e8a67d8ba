// The post's language (Bluesky's `langs`), starting from the default in Settings.
import { memo } from 'react';
import { useAppStore } from '../../state/store';
import { LanguageSelect } from '../../ui/LanguageSelect';

export const LanguageField = memo(function LanguageField() {
  const lang = useAppStore((s) => s.composer?.langs[0] ?? s.settings?.defaultLanguage ?? 'en');
  const setLanguage = useAppStore((s) => s.setLanguage);
  return (
    <div className="inline-field">
      <label htmlFor="post-language" className="field-label">
        Language
      </label>
      <LanguageSelect id="post-language" value={lang} onChange={setLanguage} />
    </div>
  );
});
