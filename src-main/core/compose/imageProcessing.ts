// Images are fitted to the strictest target before they are stored: Bluesky takes at most 1,000,000
// bytes an image on older PDSes (lexicon app.bsky.embed.images: `maxSize` 2000000 now, "formerly
// limited to 1 MB", and a self-hosted PDS may still have the old lexicon). sharp (libvips) does the
// decoding and encoding; re-encoding also drops EXIF metadata such as GPS position, which a creator
// rarely means to publish.
//
// Images are untrusted input decoded in the main process (a link card's picture comes from any
// web page, without a click), so libvips sees only the formats a post can carry, recognised from
// the decoded header rather than from a content-type, and no more pixels than a photo needs:
// sharp's own default allows 268 megapixels, a gigabyte of memory for one decode.
import type { Metadata, OutputInfo, SharpOptions } from 'sharp';
import { AppError } from '../errors';

// libvips is loaded at the first image, not when the app starts: it holds tens of megabytes
// that an idle app, or one that only reads its history, never needs.
let sharpModule: Promise<typeof import('sharp').default> | undefined;
export const loadSharp = () =>
  (sharpModule ??= import('sharp').then(({ default: sharp }) => {
    // libvips keeps the results of recent operations (up to 50 MB and 100 of them by default) to
    // reuse them; each image here is read once, so that cache would only hold memory.
    sharp.cache(false);
    return sharp;
  }));

export const maxImageBytes = 1_000_000;
/** About 40 megapixels: any phone photo (a 200 MP sensor bins to 12-50 MP) fits. */
export const maxInputPixels = 40_000_000;
// failOn 'warning' is sharp's strictest level, the one its documentation asks for with untrusted
// input ('error' would accept more damaged data).
const untrustedInput: SharpOptions = { limitInputPixels: maxInputPixels, failOn: 'warning' };

/** What a web page's picture may be: the formats every platform shows (no SVG: it is a program). */
export const webImageFormats: ReadonlySet<string> = new Set(['jpeg', 'png', 'webp', 'gif']);
/** What the user may attach from their own files: the web's formats and AVIF. */
export const userImageFormats: ReadonlySet<string> = new Set([...webImageFormats, 'avif']);
// Bluesky's app resizes to 2000 px on the long side; larger only costs bytes.
const maxDimension = 2000;

export interface ProcessedImage {
  data: Buffer;
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  width: number;
  height: number;
}

export async function fitImage(input: Uint8Array, formats: ReadonlySet<string> = userImageFormats, limitBytes = maxImageBytes): Promise<ProcessedImage> {
  const unsupported = (cause?: unknown) =>
    new AppError('media_unsupported', 'That file is not an image Localpost can read.', {
      action: formats.has('avif') ? 'Use a JPEG, PNG, WebP, GIF or AVIF image.' : 'Use a JPEG, PNG, WebP or GIF image.',
      cause,
    });
  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    // Only the header is read here, so the pixel limit waits for the check below, which can say
    // "too large" rather than "not an image".
    metadata = await sharp(input, { ...untrustedInput, limitInputPixels: false }).metadata();
  } catch (error) {
    throw unsupported(error);
  }
  if (!formats.has(formatOf(metadata))) throw unsupported();
  if (!metadata.width || !metadata.height) {
    throw new AppError('media_unsupported', 'That image has no size.', { action: 'Use another image.' });
  }
  if (metadata.width * metadata.height > maxInputPixels) {
    throw new AppError('media_too_large', `That image is ${metadata.width} × ${metadata.height} pixels, more than Localpost opens.`, {
      action: 'Use an image of at most 40 megapixels.',
    });
  }
  // Transparency survives as PNG (or WebP when PNG is too large); everything else becomes JPEG.
  const keepAlpha = Boolean(metadata.hasAlpha);
  let dimension = maxDimension;
  for (let round = 0; round < 8; round++) {
    const base = () => sharp(input, { ...untrustedInput, animated: false }).rotate().resize({ width: dimension, height: dimension, fit: 'inside', withoutEnlargement: true });
    const candidates: Array<() => Promise<{ data: Buffer; info: OutputInfo }>> = keepAlpha
      ? [
          () => base().png({ compressionLevel: 9 }).toBuffer({ resolveWithObject: true }),
          ...[90, 75, 60].map((quality) => () => base().webp({ quality }).toBuffer({ resolveWithObject: true })),
        ]
      : [90, 80, 70, 60, 50].map((quality) => () => base().jpeg({ quality, mozjpeg: true }).toBuffer({ resolveWithObject: true }));
    for (const encode of candidates) {
      // A file can have a valid header and broken data: that fails here, not at metadata().
      const { data, info } = await encode().catch((error: unknown) => {
        throw new AppError('media_unsupported', 'That image is damaged and cannot be read.', { action: 'Use another image.', cause: error });
      });
      if (data.length <= limitBytes) {
        const mime = info.format === 'png' ? 'image/png' : info.format === 'webp' ? 'image/webp' : 'image/jpeg';
        return { data, mime, width: info.width, height: info.height };
      }
    }
    dimension = Math.round(dimension * 0.75);
  }
  throw new AppError('media_too_large', 'That image could not be made small enough for Bluesky.', {
    action: 'Use a smaller image.',
  });
}

/** The image as PNG, for a platform that takes no WebP (Pinterest: JPEG and PNG only); keeps transparency. */
export async function asPng(data: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(data, untrustedInput).png({ compressionLevel: 9 }).toBuffer();
}

/** The image as JPEG, for a platform that takes nothing else (Instagram's content publishing:
 *  "JPEG is the only image format supported"); transparency is laid on white, as Instagram's own
 *  app shows it. */
export async function asJpeg(data: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(data, untrustedInput).flatten({ background: '#ffffff' }).jpeg({ quality: 90, mozjpeg: true }).toBuffer();
}

/** A small JPEG preview as a data: URL, so the renderer never reads the data folder. */
export async function previewDataUrl(data: Buffer): Promise<string> {
  const sharp = await loadSharp();
  const preview = await sharp(data, untrustedInput).resize({ width: 320, height: 320, fit: 'inside' }).jpeg({ quality: 70 }).toBuffer();
  return `data:image/jpeg;base64,${preview.toString('base64')}`;
}

/** An account's picture, square and small (a few KB), as a data: URL to keep with the account. */
export async function avatarDataUrl(data: Buffer): Promise<string> {
  const sharp = await loadSharp();
  const square = await sharp(data, untrustedInput).resize({ width: 96, height: 96, fit: 'cover' }).webp({ quality: 80 }).toBuffer();
  return `data:image/webp;base64,${square.toString('base64')}`;
}

/** sharp names AVIF and HEIC both `heif`; only AVIF (AV1 inside) is one of ours. */
function formatOf(metadata: Metadata): string {
  if (metadata.format === 'heif') return metadata.compression === 'av1' ? 'avif' : 'heic';
  return metadata.format ?? '';
}
