// LinkedIn reads a post's `commentary` as "little text", where \ | { } @ [ ] ( ) < > # * _ ~ start
// mentions, hashtags and templates; "Characters reserved for little elements must be escaped to be
// treated as plaintext" (learn.microsoft.com, linkedin/marketing/community-management/shares/
// little-text-format). Unescaped, LinkedIn cuts the post or mis-renders it.
const reserved = /[\\|{}@[\]()<>#*_~]/g;

/** The text as LinkedIn must receive it to show it exactly as typed. */
export function escapeLittleText(text: string): string {
  return text.replace(reserved, (character) => `\\${character}`);
}
