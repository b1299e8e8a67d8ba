// What a row of the drafts list shows of a draft: the start of its first line that is not blank,
// cut off by an ellipsis at the column's edge (264 px, a few dozen characters). A row is given only
// the line's first `shownCharacters`, far more than the column shows: once the open draft's first
// line is longer than that, typing on at its end leaves the row as it is, so a keystroke does not
// lay out, paint and composite the drafts column as well as the composer (bench/typing.ts).

/** More characters than the drafts column shows on one line, whatever the characters. */
export const shownCharacters = 120;

/** The start of the text's first line that is not blank, or null: what a row shows of a draft. */
export function shownLine(text: string): string | null {
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).trim();
    if (line !== '') {
      const shown = line.slice(0, shownCharacters);
      // Not half of a character written as two UTF-16 units (an emoji).
      return /[\uD800-\uDBFF]$/.test(shown) && line.length > shownCharacters ? shown.slice(0, -1) : shown;
    }
    if (end === -1) break;
    start = end + 1;
  }
  return null;
}
