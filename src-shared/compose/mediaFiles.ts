// What a file the user drops or pastes into the composer is, told from its first bytes (its
// "magic number"), never from its name or the type the OS guessed from the name: a photo saved
// as .txt is still a photo, and a program renamed .png is still not one. The composer reads only
// the head of a dropped file to decide whether its bytes go to the core (an image) or only its
// place on disk (a video, which can be gigabytes); the core sniffs again, as it trusts nothing
// the page says.
//
// Signatures: PNG (RFC 2083 §3.1), JPEG (ITU T.81 SOI marker FFD8 then a marker FF), GIF
// (GIF89a spec §17), WebP (RIFF container, Google's WebP Container Specification), ISO base
// media files (ISO/IEC 14496-12 §4.3 `ftyp` box, the brand naming MP4, QuickTime or AVIF), and
// Matroska/WebM (the EBML header's ID 1A45DFA3, RFC 8794 §8.1).
//
// Runtime: std (no DOM, no Node).

export type SniffedMedia =
  | { kind: 'image'; format: 'jpeg' | 'png' | 'gif' | 'webp' | 'avif' }
  | { kind: 'video'; container: 'mp4' | 'mov' | 'webm' }
  /** A known format Localpost does not take (HEIC photos from an iPhone), named for the message. */
  | { kind: 'other'; name: string };

/** How many bytes of a file sniffMedia needs to look at. */
export const sniffHeadBytes = 32;

/** The largest image file the composer hands to the core: far above any image a platform takes
 *  (the core shrinks it), and it keeps a runaway file from filling memory on both sides. */
export const maxImageFileBytes = 50 * 1024 * 1024;

const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((byte, index) => bytes[at + index] === byte);

/** QuickTime files from older cameras start with a movie atom, not `ftyp` (QuickTime File Format, "Atoms"). */
const quickTimeLeadAtoms: ReadonlySet<string> = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
const heifBrands: ReadonlySet<string> = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/** The media a file's first bytes say it is, or null when they match nothing Localpost knows. */
export function sniffMedia(head: Uint8Array): SniffedMedia | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
  if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return { kind: 'image', format: 'gif' };
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { kind: 'image', format: 'webp' };
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return { kind: 'video', container: 'webm' };
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (brand === 'avif' || brand === 'avis') return { kind: 'image', format: 'avif' };
    if (heifBrands.has(brand)) return { kind: 'other', name: 'HEIC' };
    if (brand === 'qt  ') return { kind: 'video', container: 'mov' };
    return { kind: 'video', container: 'mp4' };
  }
  if (head.length >= 8 && quickTimeLeadAtoms.has(ascii(head, 4, 8))) return { kind: 'video', container: 'mov' };
  return null;
}

/** The user's words for what a sniffed file is, for an error that says why it was refused. */
export function describeSniffed(sniffed: SniffedMedia | null): string {
  if (sniffed === null) return 'not an image or a video Localpost can read';
  if (sniffed.kind === 'other') return `a ${sniffed.name} image, which Localpost cannot read`;
  return sniffed.kind === 'image' ? 'an image' : 'a video';
}
