// Links, @mentions and #hashtags in a post's text, found as Bluesky finds them: @atproto/api's own
// detection module (its rich-text/detection.js, with the top-level domains list it checks links
// and handles against), without the rest of that library. Offsets are UTF-8 bytes, as the
// app.bsky.richtext.facet lexicon has them.
import { detectFacets } from '@atproto/api/dist/rich-text/detection.js';
import type { UnicodeString } from '@atproto/api/dist/rich-text/unicode.js';

export interface Facet {
  $type?: 'app.bsky.richtext.facet';
  index: { byteStart: number; byteEnd: number };
  features: FacetFeature[];
}

export type FacetFeature =
  | { $type: 'app.bsky.richtext.facet#link'; uri: string }
  /** `did` holds the handle as typed until it is resolved. */
  | { $type: 'app.bsky.richtext.facet#mention'; did: string }
  | { $type: 'app.bsky.richtext.facet#tag'; tag: string };

const encoder = new TextEncoder();

/** The text's facets in the order they appear; none when it has none. */
export function facetsOf(text: string): Facet[] {
  // Detection reads only the UTF-16 text and converts its indices to UTF-8 ones.
  const unicode = { utf16: text, utf16IndexToUtf8Index: (index: number) => encoder.encode(text.slice(0, index)).byteLength } as UnicodeString;
  const facets = (detectFacets(unicode) ?? []) as Facet[];
  return facets.sort((a, b) => a.index.byteStart - b.index.byteStart);
}

/** The first link in the text, as a link facet would carry it. */
export function firstLinkOf(text: string): string | undefined {
  for (const facet of facetsOf(text)) {
    for (const feature of facet.features) if (feature.$type === 'app.bsky.richtext.facet#link') return feature.uri;
  }
  return undefined;
}
