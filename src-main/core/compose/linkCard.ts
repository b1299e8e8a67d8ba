// Link cards are built on this machine from the page's Open Graph tags, like Bluesky's own app
// (which asks its card service; we ask the page itself, so no third party sees the link). The page
// and its image are untrusted input fetched without a click, so both go through publicFetch (public
// addresses only, redirects checked hop by hop, size caps) within one deadline, and the image must
// be a JPEG, PNG, WebP or GIF (checked again on its decoded bytes when it is fitted).
//
// The HTML parser (htmlparser2, with its entity tables) loads at the first card, not when the app
// starts: most starts make no card.
import { AppError } from '../errors';
import type { PublicFetch } from '../http/publicFetch';

const pageByteCap = 1024 * 1024;
const imageByteCap = 5 * 1024 * 1024;
/** For the page and its image together, redirects included. */
const fetchTimeoutMs = 10_000;
const cardImageTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

export interface FetchedLinkCard {
  url: string;
  title: string;
  description: string;
  image: { bytes: Buffer; mime: string } | null;
}

export async function fetchLinkCard(fetchPublic: PublicFetch, url: string): Promise<FetchedLinkCard> {
  const target = URL.parse(url);
  if (!target || (target.protocol !== 'https:' && target.protocol !== 'http:')) {
    throw new AppError('link_card_unavailable', 'Only web pages get link cards.');
  }
  const signal = AbortSignal.timeout(fetchTimeoutMs);
  // A page's <head> comes first: its first megabyte is enough for its tags.
  const page = await fetchPublic(target.href, { accept: 'text/html,application/xhtml+xml', maxBytes: pageByteCap, signal });
  if (page.status < 200 || page.status > 299) throw new AppError('link_card_unavailable', `The page answered ${page.status}.`);
  if (!page.contentType.includes('html')) throw new AppError('link_card_unavailable', 'That link is not a web page.');
  const meta = await parseOpenGraph(page.bytes.toString('utf8'));
  const title = (meta.title ?? '').trim().slice(0, 300);
  if (!title) throw new AppError('link_card_unavailable', 'That page has no title to show.');
  let image: FetchedLinkCard['image'] = null;
  const imageUrl = meta.image ? URL.parse(meta.image, page.url) : null;
  if (imageUrl) {
    try {
      const fetched = await fetchPublic(imageUrl.href, { accept: [...cardImageTypes].join(','), maxBytes: imageByteCap, signal });
      if (fetched.status >= 200 && fetched.status <= 299 && !fetched.truncated && cardImageTypes.has(fetched.contentType)) {
        image = { bytes: fetched.bytes, mime: fetched.contentType };
      }
    } catch {
      // A card without its picture is still a card (also when the picture is on a private address).
    }
  }
  return { url: target.href, title, description: (meta.description ?? '').trim().slice(0, 1000), image };
}

export async function parseOpenGraph(html: string): Promise<{ title?: string; description?: string; image?: string }> {
  const { Parser } = await import('htmlparser2');
  const found: { title?: string; description?: string; image?: string; docTitle?: string; metaDescription?: string } = {};
  let inTitle = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'title') inTitle = true;
        if (name !== 'meta') return;
        const key = (attributes.property ?? attributes.name ?? '').toLowerCase();
        const content = attributes.content;
        if (!content) return;
        if (key === 'og:title' || (key === 'twitter:title' && !found.title)) found.title = content;
        else if (key === 'og:description' || (key === 'twitter:description' && !found.description)) found.description = content;
        else if (key === 'og:image' || (key === 'twitter:image' && !found.image)) found.image = content;
        else if (key === 'description') found.metaDescription = content;
      },
      ontext(text) {
        if (inTitle) found.docTitle = (found.docTitle ?? '') + text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return {
    ...(found.title || found.docTitle ? { title: found.title ?? found.docTitle } : {}),
    ...(found.description || found.metaDescription ? { description: found.description ?? found.metaDescription } : {}),
    ...(found.image ? { image: found.image } : {}),
  };
}
