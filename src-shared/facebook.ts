// What a Facebook Page post takes, for the live counter and preflight.
//
// The message: 63,206 characters, the longest a Page post's text has been measured to take
// (Meta documents no number; the figure is the one posting tools enforce). Photos: Meta's Page
// photo reference takes JPEG, PNG, GIF (and BMP, TIFF) up to 4 MB, "smaller than 4 MB" as its
// refusal (1366046) says (developers.facebook.com/docs/graph-api/reference/page/photos).
//
// Runtime: std (no DOM, no Node).
import { countGraphemes, type LengthRule } from './compose/textLength';
import type { OptionIssue } from './pins';

export const facebookTextLimit = 63_206;
export const facebookPhotoMaxBytes = 4 * 1024 * 1024;
/** The photo types a Page takes as a `source` upload. */
export const facebookPhotoTypes: readonly string[] = ['image/jpeg', 'image/png', 'image/gif'];

export const facebookLength: LengthRule = { count: countGraphemes, limit: facebookTextLimit, unit: 'characters' };

/** A photo over Facebook's 4 MB, named, so it is refused before any upload. */
export function checkFacebookPhotos(images: ReadonlyArray<{ bytes?: number }>, label: string): OptionIssue[] {
  const over = images.filter((image) => (image.bytes ?? 0) > facebookPhotoMaxBytes).length;
  if (over === 0) return [];
  return [{ ruleId: 'facebook.photo_size', message: `Facebook takes photos of at most 4 MB, and ${over === 1 ? 'one photo is' : `${over} photos are`} larger: make ${over === 1 ? 'it' : 'them'} smaller for ${label}.`, wholePost: true }];
}
