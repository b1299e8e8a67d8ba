// Where a platform's feed cuts a long post and offers the rest behind "…see more" (LinkedIn),
// "See more" (Facebook) or "more" (Instagram, YouTube, TikTok). The platforms publish no number:
// the rules their records give are what their feeds show on a desktop browser, and the preview
// says "about".
//
// Runtime: std (no DOM, no Node).

export interface FeedCut {
  /** User-perceived characters shown before the cut. */
  characters: number;
  /** Lines shown before the cut, where the feed clamps lines as well. */
  lines?: number;
}

export interface CutText {
  shown: string;
  cut: boolean;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The start of the text the feed shows, cut at whichever comes first: the character count or the
 *  line count; trailing spaces before the marker dropped. Emoji and accents are never split. */
export function cutForFeed(text: string, rule: FeedCut): CutText {
  let end = text.length;
  if (rule.lines !== undefined) {
    let newlines = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n' && ++newlines === rule.lines) {
        end = i;
        break;
      }
    }
  }
  let count = 0;
  for (const { index } of segmenter.segment(text)) {
    if (index >= end) break;
    if (count === rule.characters) {
      end = index;
      break;
    }
    count++;
  }
  if (end >= text.length) return { shown: text, cut: false };
  return { shown: text.slice(0, end).trimEnd(), cut: true };
}
