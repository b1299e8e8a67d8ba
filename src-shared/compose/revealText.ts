// What an assistant asks to publish is read by a person before it goes out, so nothing in it may
// hide: characters that draw nothing (zero-width spaces and joiners, Unicode "tag" characters that
// can smuggle whole sentences) or that reorder what is drawn (bidirectional controls, the
// "Trojan Source" trick, https://trojansource.codes and Unicode UAX #9), and links whose words are
// not their address. This turns the text into pieces the approval card draws: plain text, each
// hidden character as a labelled marker, each link with its real address spelled out.

export type RevealedPiece =
  | { kind: 'text'; text: string }
  /** `codePoint` as U+XXXX; `name` the Unicode name (or the general category when not listed). */
  | { kind: 'hidden'; codePoint: string; name: string }
  /**
   * A link: written as words that point elsewhere (Markdown `[words](address)`, HTML `<a href>`),
   * or a bare address (`words` is then the address itself). `written` is exactly what the text holds.
   */
  | { kind: 'link'; written: string; words: string; address: string };

/** Names from the Unicode Character Database (UnicodeData.txt) for the invisible characters seen in practice. */
const names: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

/** Line breaks and tabs are control characters too, but they show as what they are. */
const shownAsThemselves = new Set([0x09, 0x0a]);

// Format (Cf) and control (Cc) characters, plus the listed ones of other categories that draw nothing.
const hiddenPattern = new RegExp(`[\\p{Cf}\\p{Cc}${Object.keys(names).map((cp) => `\\u{${Number(cp).toString(16)}}`).join('')}]`, 'u');

function describe(cp: number): string {
  const named = names[cp];
  if (named) return named;
  // Tag characters (U+E0020–U+E007E) mirror ASCII, which is how they carry hidden instructions.
  if (cp >= 0xe0020 && cp <= 0xe007e) return `TAG ${String.fromCodePoint(cp - 0xe0000)}`;
  if (cp === 0xe0001) return 'LANGUAGE TAG';
  if (cp === 0xe007f) return 'CANCEL TAG';
  return /\p{Cc}/u.test(String.fromCodePoint(cp)) ? 'CONTROL CHARACTER' : 'FORMAT CHARACTER';
}

export function codePointLabel(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function isHidden(char: string): boolean {
  return !shownAsThemselves.has(char.codePointAt(0)!) && hiddenPattern.test(char);
}

/** The text as plain runs and hidden characters, each of the latter named. */
export function revealHidden(text: string): Array<Extract<RevealedPiece, { kind: 'text' | 'hidden' }>> {
  const pieces: Array<Extract<RevealedPiece, { kind: 'text' | 'hidden' }>> = [];
  let run = '';
  for (const char of text) {
    if (!isHidden(char)) {
      run += char;
      continue;
    }
    if (run) pieces.push({ kind: 'text', text: run });
    run = '';
    const cp = char.codePointAt(0)!;
    pieces.push({ kind: 'hidden', codePoint: codePointLabel(cp), name: describe(cp) });
  }
  if (run) pieces.push({ kind: 'text', text: run });
  return pieces;
}

export function hasHiddenCharacters(text: string): boolean {
  for (const char of text) if (isHidden(char)) return true;
  return false;
}

// `[words](address)` (CommonMark inline links), `<a href="address">words</a>`, whose address a
// renderer that understands them would hide behind the words; and bare http(s) addresses, whose
// host may be written in look-alike letters.
const linkPattern = /\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)|<a\s[^>]*?href\s*=\s*["']([^"']{1,2000})["'][^>]*>([\s\S]{0,500}?)<\/a\s*>|\bhttps?:\/\/[^\s<>"'()\[\]]{1,2000}/giu;

/** The text as plain runs and links (each with its words and its real address), in order. */
export function revealLinks(text: string): Array<Extract<RevealedPiece, { kind: 'text' | 'link' }>> {
  const pieces: Array<Extract<RevealedPiece, { kind: 'text' | 'link' }>> = [];
  let last = 0;
  for (const match of text.matchAll(linkPattern)) {
    if (match.index > last) pieces.push({ kind: 'text', text: text.slice(last, match.index) });
    const written = match[0];
    if (match[1] !== undefined) pieces.push({ kind: 'link', written, words: match[1], address: match[2]! });
    else if (match[3] !== undefined) pieces.push({ kind: 'link', written, words: match[4]!, address: match[3] });
    else pieces.push({ kind: 'link', written, words: written, address: written });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ kind: 'text', text: text.slice(last) });
  return pieces;
}

/** How many hidden characters the text holds (for the warning above it). */
export function countHiddenCharacters(text: string): number {
  let count = 0;
  for (const char of text) if (isHidden(char)) count += 1;
  return count;
}

/**
 * The host an address really goes to, as DNS sees it (an internationalized name in its xn-- form,
 * RFC 3492 / UTS #46), when that differs from how it is written; null when they read the same or
 * the address is not a URL.
 */
export function hostAsResolved(address: string): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  const written = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#:]*)/iu.exec(address)?.[1] ?? '';
  return url.hostname !== written.toLowerCase() ? url.hostname : null;
}
