// Where a page of a list ended, as an opaque string for the renderer to hand back: the sort key
// of the page's last row (keyset pagination: the next page is the rows after that key, one seek
// down an index, and rows added meanwhile never shift a later page).
import { AppError } from '../errors';

export type CursorPart = 'integer' | 'string';
type PartValue<P extends CursorPart> = P extends 'integer' ? number : string;

export function encodePageCursor(key: ReadonlyArray<number | string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key a cursor of this shape carries; any other string is `invalid_input` (reload the list). */
export function decodePageCursor<const S extends readonly CursorPart[]>(
  cursor: string,
  shape: S,
  list: string,
): { [K in keyof S]: PartValue<S[K]> } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === shape.length &&
      shape.every((part, i) => (part === 'integer' ? Number.isSafeInteger(value[i]) : typeof value[i] === 'string'))
    ) {
      return value as { [K in keyof S]: PartValue<S[K]> };
    }
  } catch {
    // Falls through to the error below: a cursor is only ever one the core wrote.
  }
  throw new AppError('invalid_input', `This page of the ${list} is no longer valid; reload the ${list}.`);
}
