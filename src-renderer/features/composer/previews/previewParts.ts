// The text of the posts a preview shows for one platform: the first post and its replies. The one
// place that decides it, so the previews follow whatever the draft holds (per-platform variants,
// threads) without a change in any preview.
import type { Platform } from '../../../bridge';
import type { OpenDraft } from '../../../state/composerSlice';

/** One element for a single post; the first post and then each reply for a thread. */
export function previewParts(draft: OpenDraft, _platform: Platform): string[] {
  return [draft.text];
}
