// What happened on each account after Publish. A target that failed keeps its code and message
// here; the draft stays open with only the failed accounts chosen, ready to try again.
import { useAppStore } from '../../state/store';
import { PostTargetLine } from '../history/PostTargetLine';

export function PublishResult() {
  const post = useAppStore((s) => s.publishResult);
  const dismiss = useAppStore((s) => s.dismissPublishResult);
  if (!post) return null;

  const published = post.targets.filter((t) => t.status === 'published').length;
  const total = post.targets.length;
  const allPublished = published === total;

  return (
    <section className="card publish-result" aria-label="Publish result" data-outcome={allPublished ? 'published' : 'partial'}>
      <header className="publish-result-header">
        <p className="publish-result-title">
          {allPublished
            ? publishedEverywhere(total)
            : `Published to ${published} of ${total} accounts. The draft is still open so you can try again.`}
        </p>
        <button type="button" className="button button-ghost button-small" onClick={dismiss}>
          Dismiss
        </button>
      </header>
      <ul className="target-results">
        {post.targets.map((target) => (
          <PostTargetLine key={target.accountId} target={target} />
        ))}
      </ul>
    </section>
  );
}

function publishedEverywhere(total: number): string {
  if (total === 1) return 'Published.';
  if (total === 2) return 'Published to both accounts.';
  return `Published to all ${total} accounts.`;
}
