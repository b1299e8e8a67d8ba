// Languages offered for a post (BCP 47 tags, as Bluesky's `langs` field takes them). Names come
// from the browser in the user's own language, so no translation table is kept here.
export const commonLanguageTags: readonly string[] =
  'en es pt fr de it nl sv da nb fi pl cs uk ru tr el ar he fa hi id th vi ja ko zh ca eu gl'.split(' ');

const displayNames = new Intl.DisplayNames(undefined, { type: 'language' });

export function languageName(tag: string): string {
  try {
    return displayNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The common tags, plus `current` when it is something else (a region tag like `en-GB`). */
export function languageOptions(current: string): string[] {
  const tags = [...commonLanguageTags];
  if (current && !tags.includes(current)) tags.unshift(current);
  return tags;
}
