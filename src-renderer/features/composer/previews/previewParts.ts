// The text of the posts a preview shows for one account: the first post and its replies, as the
// account will publish them (its own text or its platform's, a reply chain where the platform
// takes one, one post elsewhere; postParts.ts decides, as it does for the counters, preflight
// and the outbox). The one place the previews ask, so they show exactly what is sent.
import type { Account } from '../../../bridge';
import { partsFor } from '../../../../src-shared/compose/postParts';
import type { OpenDraft } from '../../../state/composerSlice';

/** One element for a single post; the first post and then each reply for a reply chain. */
export function previewParts(draft: OpenDraft, account: Account): string[] {
  const hasMedia = draft.images.length > 0 || draft.video !== null;
  return partsFor(draft, { accountId: account.id, platform: account.platform, limits: account.limits }, hasMedia);
}
