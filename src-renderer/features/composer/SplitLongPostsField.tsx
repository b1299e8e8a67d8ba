// Whether a post longer than a platform takes becomes a thread there, cut at sentence boundaries
// at that platform's own limit (Bluesky's 300, X's 280 weighted, an instance's own). Shown while a
// chosen account's platform takes reply chains; elsewhere a long post is refused as before.
import { memo } from 'react';
import { takesReplyChains } from '../../../src-shared/compose/postParts';
import { useAppStore } from '../../state/store';
import { platformNames } from '../accounts/platforms';

const noTargets: string[] = [];

// Not the whole draft: the field is the same whatever is typed, so a keystroke leaves it alone.
export const SplitLongPostsField = memo(function SplitLongPostsField() {
  const open = useAppStore((s) => s.composer !== null);
  const splitLongPosts = useAppStore((s) => s.composer?.splitLongPosts ?? false);
  const targetIds = useAppStore((s) => s.composer?.targetAccountIds ?? noTargets);
  const accounts = useAppStore((s) => s.accounts);
  const setSplitLongPosts = useAppStore((s) => s.setSplitLongPosts);
  if (!open) return null;
  const platforms = [...new Set((accounts ?? []).filter((a) => targetIds.includes(a.id) && takesReplyChains(a.platform)).map((a) => a.platform))];
  if (platforms.length === 0) return null;
  return (
    <div className="check-field">
      <input
        id="split-long-posts"
        type="checkbox"
        className="checkbox"
        checked={splitLongPosts}
        aria-describedby="split-long-posts-hint"
        onChange={(e) => setSplitLongPosts(e.target.checked)}
      />
      <div>
        <label htmlFor="split-long-posts" className="check-label">
          Make a thread of a post that is too long
        </label>
        <p id="split-long-posts-hint" className="field-hint">
          Cut at sentence ends, at each platform’s own limit ({platforms.map((p) => platformNames[p]).join(', ')}).
        </p>
      </div>
    </div>
  );
});
