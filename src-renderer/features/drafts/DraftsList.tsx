// The profile's drafts, most recently edited first. The open draft shows its live text, which
// may be a keystroke ahead of what the core has saved. They come a page at a time; Show more
// asks the core for the next.
import { memo } from 'react';
import { useAppStore } from '../../state/store';
import { ShowMore } from '../../ui/ShowMore';
import type { Draft } from '../../bridge';
import { formatDateTime, formatRelativeTime } from '../../ui/formatTime';
import { PlusIcon } from '../../ui/icons';
import { shownLine } from './draftLine';

export function DraftsList() {
  const drafts = useAppStore((s) => s.drafts);
  const openId = useAppStore((s) => s.composer?.id ?? null);
  const openLine = useAppStore((s) => shownLine(s.composer?.text ?? ''));
  const openHasVideo = useAppStore((s) => Boolean(s.composer?.video));
  const openDraft = useAppStore((s) => s.openDraft);
  const createDraft = useAppStore((s) => s.createDraft);
  const deleteDraft = useAppStore((s) => s.deleteDraft);
  const cursor = useAppStore((s) => s.draftsCursor);
  const loadingMore = useAppStore((s) => s.draftsLoadingMore);
  const loadMore = useAppStore((s) => s.loadMoreDrafts);

  return (
    <section className="drafts-panel" aria-labelledby="drafts-title">
      <header className="drafts-header">
        <h2 id="drafts-title" className="drafts-title">
          Drafts
        </h2>
        <button type="button" className="button button-small" onClick={() => void createDraft()}>
          <PlusIcon />
          New draft
        </button>
      </header>
      {drafts === null && <p className="muted drafts-empty">Loading…</p>}
      {drafts?.length === 0 && <p className="muted drafts-empty">No drafts.</p>}
      <div className="drafts-scroll">
        <ul className="drafts-list">
          {(drafts ?? []).map((draft) => (
            <DraftRow
              key={draft.id}
              draft={draft}
              isOpen={draft.id === openId}
              line={draft.id === openId ? openLine : shownLine(draft.text)}
              hasVideo={draft.id === openId ? openHasVideo : draft.video !== null}
              onOpen={openDraft}
              onDelete={deleteDraft}
            />
          ))}
        </ul>
        {drafts && cursor && <ShowMore shown={drafts.length} total={null} loading={loadingMore} onMore={() => void loadMore()} what="drafts" />}
      </div>
    </section>
  );
}

/** Only the open draft's row renders again as its text is typed, and only while what it shows changes. */
const DraftRow = memo(function DraftRow({
  draft,
  isOpen,
  line,
  hasVideo,
  onOpen,
  onDelete,
}: {
  draft: Draft;
  isOpen: boolean;
  /** shownLine() of its text. */
  line: string | null;
  hasVideo: boolean;
  onOpen(id: string): Promise<void>;
  onDelete(id: string): Promise<void>;
}) {
  return (
    <li className="draft-row" aria-current={isOpen ? 'true' : undefined}>
      <p className={line ? 'draft-line' : 'draft-line draft-line-empty'}>{line ?? (hasVideo ? 'A video, no text yet' : 'Empty draft')}</p>
      <p className="draft-time">
        <time dateTime={new Date(draft.updatedAt).toISOString()} title={formatDateTime(draft.updatedAt)}>
          Edited {formatRelativeTime(draft.updatedAt)}
        </time>
      </p>
      <div className="draft-actions">
        <button type="button" className="button button-ghost button-small" onClick={() => void onOpen(draft.id)}>
          Open
        </button>
        <button type="button" className="button button-ghost button-small button-quiet-danger" onClick={() => void onDelete(draft.id)}>
          Delete
        </button>
      </div>
    </li>
  );
});
