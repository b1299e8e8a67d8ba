// The inline formatting a chat platform draws from plain text: Discord's markdown (**bold**,
// *italic*, __underline__, ~~strike~~, `code`, ||spoiler||; support.discord.com, "Markdown Text
// 101") and Slack's mrkdwn (*bold*, _italic_, ~strike~, `code`; docs.slack.dev, "Formatting text
// for app surfaces"), which an incoming webhook's `text` is read as. Enough for a preview: one level,
// within a line; block quotes, headings and code blocks stay as typed.
//
// Runtime: std (no DOM, no Node).

export type MarkupDialect = 'discord' | 'slack' | 'none';
export type Mark = 'bold' | 'italic' | 'underline' | 'strike' | 'code' | 'spoiler';

export interface MarkupSegment {
  text: string;
  /** No mark: plain text. */
  mark: Mark | null;
}

// Each alternative: its delimiter, then at least one character that is not a space next to the
// delimiter, on one line. Order matters: `**` before `*`, `__` before `_`.
const inner = (d: string) => String.raw`${d}(?=\S)([^\n]*?\S)${d}`;
const grammars: Record<Exclude<MarkupDialect, 'none'>, { pattern: RegExp; marks: Mark[] }> = {
  discord: {
    pattern: new RegExp(
      [String.raw`\x60([^\x60\n]+)\x60`, inner(String.raw`\*\*`), inner('__'), inner('~~'), inner(String.raw`\|\|`), inner(String.raw`\*`), String.raw`(?<![\p{L}\p{N}])_(?=\S)([^\n]*?\S)_(?![\p{L}\p{N}])`].join('|'),
      'gu',
    ),
    marks: ['code', 'bold', 'underline', 'strike', 'spoiler', 'italic', 'italic'],
  },
  slack: {
    // Slack's marks must stand at word edges: "2*3*4" stays as typed.
    pattern: new RegExp(
      [String.raw`\x60([^\x60\n]+)\x60`, String.raw`(?<![\p{L}\p{N}])\*(?=\S)([^\n*]*?\S)\*(?![\p{L}\p{N}])`, String.raw`(?<![\p{L}\p{N}])_(?=\S)([^\n_]*?\S)_(?![\p{L}\p{N}])`, String.raw`(?<![\p{L}\p{N}])~(?=\S)([^\n~]*?\S)~(?![\p{L}\p{N}])`].join('|'),
      'gu',
    ),
    marks: ['code', 'bold', 'italic', 'strike'],
  },
};

/** The text cut into plain and formatted runs; the delimiters themselves are dropped. */
export function parseInlineMarkup(text: string, dialect: MarkupDialect): MarkupSegment[] {
  if (dialect === 'none') return [{ text, mark: null }];
  const { pattern, marks } = grammars[dialect];
  const segments: MarkupSegment[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    const group = match.slice(1).findIndex((value) => value !== undefined);
    if (match.index > at) segments.push({ text: text.slice(at, match.index), mark: null });
    segments.push({ text: match[group + 1]!, mark: marks[group]! });
    at = match.index + match[0].length;
  }
  if (at < text.length || segments.length === 0) segments.push({ text: text.slice(at), mark: null });
  return segments;
}
