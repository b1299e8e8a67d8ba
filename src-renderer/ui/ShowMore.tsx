// The end of a list that comes a page at a time (the Queue, the drafts): how many are shown of
// how many there are, and a button for the next page. A button rather than loading on scroll
// where rows hold forms the user may be filling in, which a virtual list would unmount.
export function ShowMore({ shown, total, loading, onMore, what }: { shown: number; total: number | null; loading: boolean; onMore(): void; what: string }) {
  return (
    <div className="show-more">
      <p className="muted" aria-live="polite">
        {total !== null && total > shown ? `Showing ${shown.toLocaleString()} of ${total.toLocaleString()} ${what}` : `Showing ${shown.toLocaleString()} ${what}`}
      </p>
      <button type="button" className="button button-small" onClick={onMore} disabled={loading} aria-busy={loading || undefined}>
        {loading ? 'Loading…' : 'Show more'}
      </button>
    </div>
  );
}
