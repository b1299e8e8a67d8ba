import { languageName, languageOptions } from './languages';

export function LanguageSelect({
  id,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  value: string;
  onChange(tag: string): void;
  describedBy?: string;
}) {
  return (
    <select id={id} className="select" value={value} aria-describedby={describedBy} onChange={(e) => onChange(e.target.value)}>
      {languageOptions(value).map((tag) => (
        <option key={tag} value={tag}>
          {languageName(tag)} ({tag})
        </option>
      ))}
    </select>
  );
}
