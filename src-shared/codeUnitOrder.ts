// Strings in the order of their UTF-16 code units, the order of `<` between strings
// (ECMAScript's IsLessThan): the same on every machine whatever the user's locale, and for ASCII
// ids the order of SQLite's BINARY collation. For ids and handles whose order need only be stable:
// `localeCompare` follows the locale, and its collator pages in megabytes of ICU's code and data.

/** A sort comparator: negative, zero or positive as `a` comes before, with or after `b`. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
