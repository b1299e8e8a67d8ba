// Whether a post longer than a platform takes becomes a thread there, cut at sentence boundaries
// at that platform's own limit (Bluesky's 300, X's 280 weighted, an instance's own). Shown while a
// chosen account's platform takes reply chains; elsewhere a long post is refused as before.
import { takesReplyChains } from '../../../src-shared/compose/postParts';
import { useAppStore } from '../../state/store';
import { platformNames } from '../accounts/platforms';

export function SplitLongPostsField() {
  const composer = useAppStore((s) => s.composer);
  const accounts = useAppStore((s) => s.accounts);
  const setSplitLongPosts = useAppStore((s) => s.setSplitLongPosts);
  if (!composer) return null;
  const platforms = [
    ...new Set((accounts ?? []).filter((a) => composer.targetAccountIds.includes(a.id) && takesReplyChains(a.platform)).map((a) => a.platform)),
  ];
  if (platforms.length === 0) return null;
  return (
    <div className="check-field">
      <input
        id="split-long-posts"
        type="checkbox"
        className="checkbox"
        checked={composer.splitLongPosts}
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
}
