// One post in the calendar: its time, the accounts it goes to (their pictures, or their platform's
// mark), the start of its text and its phase. A click (or Enter) opens it. A post still waiting
// for its time can be dragged to another day or hour, or moved with Alt and the arrow keys.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { Account, Post } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { PlatformLogo } from '../accounts/platforms';
import { calendarTime, clockTime } from './calendarGrid';

/** The drag's data type: a post id, and nothing a drop elsewhere would understand. */
export const postDragType = 'application/x-localpost-post';

export type KeyboardMove = { days: number; hours: number };

export function canMove(post: Post): boolean {
  return post.phase === 'scheduled' || post.phase === 'missed';
}

export function PostChip({
  post,
  zone,
  focusRequested,
  onOpen,
  onKeyboardMove,
  onFocused,
}: {
  post: Post;
  zone: string;
  /** Takes the focus when shown (it was moved by keyboard and is now in another cell). */
  focusRequested: boolean;
  onOpen(post: Post): void;
  onKeyboardMove(post: Post, move: KeyboardMove): void;
  onFocused(): void;
}) {
  const accounts = useAppStore((s) => s.accounts);
  const mode = useAppStore((s) => s.calendarMode);
  const movable = canMove(post);
  const ref = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (focusRequested) {
      ref.current?.focus();
      onFocused();
    }
  }, [focusRequested, onFocused]);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (!movable || !event.altKey) return;
    const moves: Record<string, KeyboardMove> = {
      ArrowLeft: { days: -1, hours: 0 },
      ArrowRight: { days: 1, hours: 0 },
      // Up and down: an hour in a week view (its rows are hours), a week in a month view.
      ArrowUp: mode === 'week' ? { days: 0, hours: -1 } : { days: -7, hours: 0 },
      ArrowDown: mode === 'week' ? { days: 0, hours: 1 } : { days: 7, hours: 0 },
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    onKeyboardMove(post, move);
  };

  const time = clockTime(calendarTime(post), zone);
  const text = post.text.trim() || '(no text)';
  return (
    <button
      ref={ref}
      type="button"
      className="calendar-chip"
      data-phase={post.phase}
      data-post-id={post.id}
      draggable={movable}
      aria-keyshortcuts={movable ? 'Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown' : undefined}
      onClick={() => onOpen(post)}
      onKeyDown={onKeyDown}
      onDragStart={(event) => {
        event.dataTransfer.setData(postDragType, post.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
    >
      <span className="calendar-chip-time">{time}</span>
      <span className="calendar-chip-accounts">
        {post.targets.map((target) => (
          <TargetMark key={target.accountId} account={accounts?.find((a) => a.id === target.accountId)} target={target} />
        ))}
      </span>
      <span className="calendar-chip-text">{text}</span>
      <span className="calendar-chip-phase" data-phase={post.phase}>
        {post.phase}
      </span>
    </button>
  );
}

/** The account's picture when it has one, its platform's mark otherwise; named for screen readers. */
function TargetMark({ account, target }: { account: Account | undefined; target: Post['targets'][number] }) {
  const label = targetLabel(target);
  return (
    <span className="calendar-chip-account" title={label}>
      {account?.avatar ? <img src={account.avatar} alt="" width={18} height={18} /> : <PlatformLogo platform={target.platform} small />}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
