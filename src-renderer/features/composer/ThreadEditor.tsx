// A post as the user writes it: its first post, and the replies that follow it when it is a
// reply chain (a thread on Bluesky, X, Mastodon and Threads; one post joined by blank lines
// elsewhere). Used for the main text and for each platform's or account's own text alike.
import type { TextVariant } from '../../../src-shared/compose/postParts';

export function ThreadEditor({
  id,
  name,
  value,
  placeholder,
  autoFocus = false,
  compact = false,
  onChangePost,
  onAddPost,
  onRemovePost,
}: {
  /** The first post's textarea id; the replies' ids follow from it. */
  id: string;
  /** What the text is, for screen readers: "Post text", "Text for X". */
  name: string;
  value: TextVariant;
  placeholder?: string;
  autoFocus?: boolean;
  /** A second text beside the main one (a platform's own): smaller boxes. */
  compact?: boolean;
  onChangePost(index: number, text: string): void;
  onAddPost(): void;
  onRemovePost(index: number): void;
}) {
  const posts = [value.text, ...value.replies];
  const chain = posts.length > 1;
  return (
    <div className="thread-editor" data-chain={chain}>
      <ol className="thread-posts" aria-label={chain ? `${name}: a thread of ${posts.length} posts` : undefined}>
        {posts.map((text, index) => {
          const postId = index === 0 ? id : `${id}-reply-${index}`;
          const label = chain ? `${name}, post ${index + 1} of ${posts.length}` : name;
          return (
            <li key={index} className="thread-post">
              <label htmlFor={postId} className="visually-hidden">
                {label}
              </label>
              {chain && (
                <span className="thread-post-number" aria-hidden="true">
                  {index + 1}
                </span>
              )}
              <textarea
                id={postId}
                className="post-text"
                value={text}
                placeholder={index === 0 ? placeholder : 'The next post of the thread'}
                rows={compact ? 3 : index === 0 ? 7 : 4}
                autoFocus={autoFocus && index === 0}
                onChange={(e) => onChangePost(index, e.target.value)}
              />
              {index > 0 && (
                <button type="button" className="button button-ghost button-small thread-post-remove" aria-label={`Remove post ${index + 1}`} onClick={() => onRemovePost(index)}>
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" className="button button-ghost button-small thread-add" onClick={onAddPost}>
        Add a post to the thread
      </button>
    </div>
  );
}

/** The variant with post `index` changed (0 is the first post). */
export function withPost(value: TextVariant, index: number, text: string): TextVariant {
  return index === 0 ? { ...value, text } : { ...value, replies: value.replies.map((reply, i) => (i === index - 1 ? text : reply)) };
}

export function withoutPost(value: TextVariant, index: number): TextVariant {
  return { ...value, replies: value.replies.filter((_, i) => i !== index - 1) };
}
