// What the History's search box and page cursor become in SQL: a full-text expression the user
// cannot turn into FTS5 syntax, and an opaque cursor naming the last post a page showed.
import { decodePageCursor, encodePageCursor } from '../db/pageCursor';

/** A word has at least one letter or digit; "-", "*", '"' alone are not something to look for. */
const wordlike = /[\p{L}\p{N}]/u;

/**
 * The FTS5 MATCH expression for what the user typed, or null when it has no word to look for.
 * Each whitespace-separated term becomes a quoted string (a `"` inside doubled), so operators
 * (AND, OR, NOT, NEAR), column filters, `^`, `*` and parentheses are only ever text; each is a
 * prefix query, so a word being typed already finds its posts; terms are all required.
 * https://www.sqlite.org/fts5.html#full_text_query_syntax
 */
export function ftsMatchExpression(query: string): string | null {
  const terms = query
    .normalize('NFC')
    .split(/\s+/u)
    .filter((term) => wordlike.test(term));
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term.replaceAll('"', '""')}"*`).join(' ');
}

/** A page ends at a post; the next starts below its history key (see migration 0190). */
export function encodeCursor(historyKey: number): string {
  return encodePageCursor([historyKey]);
}

export function decodeCursor(cursor: string): number {
  return decodePageCursor(cursor, ['integer'], 'history')[0];
}
