// Every post of this profile, newest first, with each account's outcome: published, still going
// out, scheduled, or failed. A post with failed targets can queue those again from here.
// Tens of thousands of posts stay quick: the core searches and pages (history.page), the next
// page loads as the end comes into view, and only the rows on screen are in the DOM
// (@tanstack/react-virtual, measuring each row, since a post's height depends on its text).
import { useVirtualizer } from '@tanstack/react-virtual';
import { DateTime } from 'luxon';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Platform, Post, TargetStatus } from '../../bridge';
import { platformNames } from '../accounts/platforms';
import { calendarZone } from '../../state/calendarSlice';
import { useAppStore } from '../../state/store';
import { ErrorAlert, LoadError } from '../../ui/ErrorAlert';
import { formatDateTime, formatInZone, formatRelativeTime } from '../../ui/formatTime';
import { StatusBadge } from '../../ui/StatusBadge';
import { ViewHeader } from '../../ui/ViewHeader';
import { usePostAction } from '../queue/usePostAction';
import { RetryFailedButton } from '../queue/RetryFailedButton';
import { PostTargetLine } from './PostTargetLine';

const statuses: TargetStatus[] = ['published', 'queued', 'publishing', 'failed_retryable', 'failed_permanent', 'unknown', 'cancelled'];

export function HistoryView() {
  const posts = useAppStore((s) => s.posts);
  const error = useAppStore((s) => s.historyError);
  const loadHistory = useAppStore((s) => s.loadHistory);
  const filter = useAppStore((s) => s.historyFilter);
  const filtered =
    filter.query.trim() !== '' || filter.accountId !== '' || filter.platform !== '' || filter.status !== '' || filter.fromDay !== '' || filter.toDay !== '';

  return (
    <div className="view">
      <ViewHeader title="History" description="Every post from this profile, and where each one went." />
      <section aria-label="History" className="history">
        <HistoryFilters />
        {error && <LoadError error={error} onRetry={() => void loadHistory()} />}
        {!error && posts === null && <p className="muted">Loading history…</p>}
        {posts?.length === 0 && filtered && <p className="muted history-no-match">No post matches these filters.</p>}
        {posts?.length === 0 && !filtered && (
          <div className="empty-state">
            <p className="empty-title">Nothing published yet</p>
            <p className="muted">Posts you publish or schedule from Compose appear here, with a link to each one.</p>
          </div>
        )}
        {posts && posts.length > 0 && <HistoryList posts={posts} />}
      </section>
    </div>
  );
}

function HistoryFilters() {
  const filter = useAppStore((s) => s.historyFilter);
  const setFilter = useAppStore((s) => s.setHistoryFilter);
  const accounts = useAppStore((s) => s.accounts) ?? [];
  const zone = useAppStore(calendarZone);
  const [query, setQuery] = useState(filter.query);
  const search = useRef<HTMLInputElement>(null);
  const searchRequested = useAppStore((s) => s.focusRequest === 'historySearch');
  const takeFocusRequest = useAppStore((s) => s.takeFocusRequest);
  // Ctrl+F or / asked for the search: focused once this screen shows it.
  useEffect(() => {
    if (searchRequested && takeFocusRequest('historySearch')) search.current?.focus();
  }, [searchRequested, takeFocusRequest]);
  // Days are the user's days: from the first one's midnight in their zone to the midnight after
  // the last (luxon carries the zone's rules, a day of 23 or 25 hours included).
  const setDays = (days: { fromDay?: string; toDay?: string }) => {
    const { fromDay, toDay } = { fromDay: filter.fromDay, toDay: filter.toDay, ...days };
    const start = (day: string) => DateTime.fromISO(day, { zone });
    void setFilter({
      fromDay,
      toDay,
      from: fromDay && start(fromDay).isValid ? start(fromDay).toMillis() : null,
      to: toDay && start(toDay).isValid ? start(toDay).plus({ days: 1 }).toMillis() : null,
    });
  };
  // The core is asked once typing pauses, not at every key.
  useEffect(() => {
    if (query === filter.query) return;
    const timer = setTimeout(() => void setFilter({ query }), 200);
    return () => clearTimeout(timer);
  }, [query, filter.query, setFilter]);
  const platforms = [...new Set(accounts.map((a) => a.platform))];

  return (
    <div className="history-filters" role="search">
      <input
        ref={search}
        type="search"
        className="input history-search"
        aria-label="Search history"
        placeholder="Search posts"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <select className="select" aria-label="Account" value={filter.accountId} onChange={(e) => void setFilter({ accountId: e.target.value })}>
        <option value="">All accounts</option>
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.handle} ({platformNames[a.platform]})
          </option>
        ))}
      </select>
      <select className="select" aria-label="Platform" value={filter.platform} onChange={(e) => void setFilter({ platform: e.target.value as Platform | '' })}>
        <option value="">All platforms</option>
        {platforms.map((p) => (
          <option key={p} value={p}>
            {platformNames[p]}
          </option>
        ))}
      </select>
      <select className="select" aria-label="Status" value={filter.status} onChange={(e) => void setFilter({ status: e.target.value as TargetStatus | '' })}>
        <option value="">All statuses</option>
        {statuses.map((status) => (
          <option key={status} value={status}>
            {status}
          </option>
        ))}
      </select>
      <label className="history-day history-day-from">
        <span>From</span>
        <input type="date" className="input" aria-label="Posted from" value={filter.fromDay} max={filter.toDay || undefined} onChange={(e) => setDays({ fromDay: e.target.value })} />
      </label>
      <label className="history-day history-day-to">
        <span>To</span>
        <input type="date" className="input" aria-label="Posted until" value={filter.toDay} min={filter.fromDay || undefined} onChange={(e) => setDays({ toDay: e.target.value })} />
      </label>
    </div>
  );
}

function HistoryList({ posts }: { posts: Post[] }) {
  const listRef = useRef<HTMLOListElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  const cursor = useAppStore((s) => s.historyCursor);
  const loadingMore = useAppStore((s) => s.historyLoadingMore);
  const loadMore = useAppStore((s) => s.loadMoreHistory);
  // The app's main pane is what scrolls; the list starts below the header and the filters.
  const scrollElement = () => listRef.current?.closest<HTMLElement>('.main') ?? null;
  useLayoutEffect(() => {
    const list = listRef.current;
    const main = scrollElement();
    if (list && main) setScrollMargin(list.getBoundingClientRect().top - main.getBoundingClientRect().top + main.scrollTop);
  }, []);
  const virtualizer = useVirtualizer({
    count: posts.length,
    getScrollElement: scrollElement,
    estimateSize: () => 160,
    overscan: 4,
    gap: 12,
    scrollMargin,
    getItemKey: (index) => posts[index]!.id,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (cursor && !loadingMore && lastShown >= posts.length - 5) void loadMore();
  }, [cursor, loadingMore, lastShown, posts.length, loadMore]);

  return (
    <>
      <ol ref={listRef} className="history-list" style={{ height: virtualizer.getTotalSize(), position: 'relative' }} data-loaded={posts.length}>
        {items.map((item) => (
          <HistoryPost
            key={item.key}
            post={posts[item.index]!}
            index={item.index}
            // Only the visible rows are in the page: each says where it stands among all (ARIA's
            // listitem set size; -1 while more pages remain to load, as the count is not known).
            setSize={cursor ? -1 : posts.length}
            measure={virtualizer.measureElement}
            top={item.start - scrollMargin}
          />
        ))}
      </ol>
      {loadingMore && <p className="muted">Loading more…</p>}
    </>
  );
}

function HistoryPost({ post, index, setSize, measure, top }: { post: Post; index: number; setSize: number; measure: (el: Element | null) => void; top: number }) {
  const { busy, error, run, dismissError } = usePostAction<'retry'>();
  const scheduled = post.scheduledAt !== null && post.scheduleZone !== null;
  const waitsForTime = post.phase === 'scheduled' || post.phase === 'missed';

  return (
    <li
      ref={measure}
      data-index={index}
      aria-posinset={index + 1}
      aria-setsize={setSize}
      className="card history-post"
      data-phase={post.phase}
      style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${top}px)` }}
    >
      <header className="history-post-header">
        <time dateTime={new Date(post.createdAt).toISOString()} title={formatDateTime(post.createdAt)}>
          {formatRelativeTime(post.createdAt)}
        </time>
        {scheduled && <span>· {waitsForTime ? 'scheduled for' : 'was scheduled for'} {formatInZone(post.scheduledAt!, post.scheduleZone!)}</span>}
        {post.phase !== 'done' && <StatusBadge status={post.phase} />}
        <RetryFailedButton post={post} action={{ busy, run }} className="history-post-action" />
      </header>
      <p className="history-post-text">{post.text || <span className="muted">(no text)</span>}</p>
      <ul className="target-results">
        {post.targets.map((target) => (
          <PostTargetLine key={target.accountId} target={target} scheduled={waitsForTime} />
        ))}
      </ul>
      {error && <ErrorAlert error={error} onDismiss={dismissError} />}
    </li>
  );
}
