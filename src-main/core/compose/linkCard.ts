// Link cards are built on this machine from the page's Open Graph tags, like Bluesky's own app
// (which asks its card service; we ask the page itself, so no third party sees the link). The
// fetch runs in the main process with a timeout and size caps: a page is untrusted input.
import { Parser } from 'htmlparser2';
import { AppError } from '../errors';
import type { HttpFetch } from '../ports';

const pageByteCap = 1024 * 1024;
const imageByteCap = 5 * 1024 * 1024;
const fetchTimeoutMs = 8000;

export interface FetchedLinkCard {
  url: string;
  title: string;
  description: string;
  image: { bytes: Buffer; mime: string } | null;
}

export async function fetchLinkCard(fetch: HttpFetch, url: string): Promise<FetchedLinkCard> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new AppError('link_card_unavailable', 'Only web pages get link cards.');
  }
  const page = await readCapped(fetch, target.href, pageByteCap, 'text/html');
  if (!page.type.includes('html')) throw new AppError('link_card_unavailable', 'That link is not a web page.');
  const meta = parseOpenGraph(page.bytes.toString('utf8'));
  const title = (meta.title ?? '').trim().slice(0, 300);
  if (!title) throw new AppError('link_card_unavailable', 'That page has no title to show.');
  let image: FetchedLinkCard['image'] = null;
  if (meta.image) {
    try {
      const imageUrl = new URL(meta.image, page.finalUrl).href;
      const fetched = await readCapped(fetch, imageUrl, imageByteCap, 'image/*');
      if (fetched.type.startsWith('image/')) image = { bytes: fetched.bytes, mime: fetched.type };
    } catch {
      // A card without its picture is still a card.
    }
  }
  return { url: target.href, title, description: (meta.description ?? '').trim().slice(0, 1000), image };
}

async function readCapped(fetch: HttpFetch, url: string, cap: number, accept: string) {
  const response = await fetch(url, {
    headers: { accept, 'user-agent': 'Localpost link preview' },
    redirect: 'follow',
    signal: AbortSignal.timeout(fetchTimeoutMs),
  }).catch((error: unknown) => {
    throw new AppError('link_card_unavailable', 'The page for the link card could not be reached.', { cause: error });
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new AppError('link_card_unavailable', `The page answered ${response.status}.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      // A page's <head> comes first: what was read is enough for its tags. An image is not.
      if (accept !== 'text/html') throw new AppError('link_card_unavailable', 'The card image is too large.');
      break;
    }
    chunks.push(Buffer.from(value));
  }
  return { bytes: Buffer.concat(chunks), type: (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase(), finalUrl: response.url || url };
}

export function parseOpenGraph(html: string): { title?: string; description?: string; image?: string } {
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
