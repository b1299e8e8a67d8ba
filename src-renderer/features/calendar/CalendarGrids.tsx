// The week and the month as tables: a week's columns are its days and its rows the hours; a
// month's rows are its weeks. Each cell takes a dragged post (a week's cell sets its day and hour,
// a month's its day) and shows the open posting slots that fall in it.
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { Account, OpenSlot, Post } from '../../bridge';
import { targetLabel } from '../../../src-shared/compose/preflight';
import { useAppStore } from '../../state/store';
import { calendarTime, clockTime, dayLabel, hourLabel, placeOf, weekdayNames, type CalendarGrid } from './calendarGrid';
import { PostChip, postDragType, type KeyboardMove } from './PostChip';

export interface GridProps {
  grid: CalendarGrid;
  posts: Post[];
  openSlots: OpenSlot[];
  zone: string;
  /** The post that should take the focus once shown (moved by keyboard). */
  focusPostId: string | null;
  onFocused(): void;
  onOpen(post: Post): void;
  onDrop(postId: string, target: { date: string; hour?: number }): void;
  onKeyboardMove(post: Post, move: KeyboardMove): void;
}

const hours = Array.from({ length: 24 }, (_, hour) => hour);

/** Posts and open slots by `date` or `date hour`, each list in time order. */
function byCell<T>(items: T[], at: (item: T) => number, zone: string, withHour: boolean): Map<string, T[]> {
  const cells = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => at(a) - at(b))) {
    const place = placeOf(at(item), zone);
    const key = withHour ? `${place.date} ${place.hour}` : place.date;
    cells.set(key, [...(cells.get(key) ?? []), item]);
  }
  return cells;
}

export function WeekGrid(props: GridProps) {
  const { grid, zone } = props;
  const posts = byCell(props.posts, calendarTime, zone, true);
  const slots = byCell(props.openSlots, (slot) => slot.at, zone, true);
  const scroller = useRef<HTMLDivElement>(null);
  // The working day in view first; the night is a scroll away.
  useEffect(() => {
    const row = scroller.current?.querySelector<HTMLElement>('[data-hour="7"]');
    if (scroller.current && row) scroller.current.scrollTop = row.offsetTop - 40;
  }, []);
  return (
    <div className="calendar-scroller" ref={scroller}>
      <table className="calendar-table calendar-week" aria-label={`Week of ${grid.title}`}>
        <thead>
          <tr>
            <th scope="col" className="calendar-corner">
              <span className="visually-hidden">Hour</span>
            </th>
            {grid.days.map((day) => (
              <th key={day.date} scope="col" className="calendar-day-head" aria-current={day.today ? 'date' : undefined} data-date={day.date}>
                {dayLabel(day.date, zone, 'short')}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {hours.map((hour) => (
            <tr key={hour} data-hour={hour}>
              <th scope="row" className="calendar-hour">
                {hourLabel(hour)}
              </th>
              {grid.days.map((day) => (
                <DropCell key={day.date} date={day.date} hour={hour} today={day.today} label={`${dayLabel(day.date, zone, 'long')}, ${hourLabel(hour)}`} onDrop={props.onDrop}>
                  <CellContents {...props} posts={posts.get(`${day.date} ${hour}`)} slots={slots.get(`${day.date} ${hour}`)} />
                </DropCell>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MonthGrid(props: GridProps) {
  const { grid, zone } = props;
  const posts = byCell(props.posts, calendarTime, zone, false);
  const slots = byCell(props.openSlots, (slot) => slot.at, zone, false);
  const weeks = Array.from({ length: grid.days.length / 7 }, (_, i) => grid.days.slice(i * 7, i * 7 + 7));
  return (
    <table className="calendar-table calendar-month" aria-label={grid.title}>
      <thead>
        <tr>
          {weekdayNames().map((name) => (
            <th key={name} scope="col" className="calendar-day-head">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={week[0]!.date}>
            {week.map((day) => (
              <DropCell key={day.date} date={day.date} today={day.today} outside={!day.inMonth} label={dayLabel(day.date, zone, 'long')} onDrop={props.onDrop}>
                <span className="calendar-date" aria-current={day.today ? 'date' : undefined}>
                  <span aria-hidden="true">{Number(day.date.slice(8))}</span>
                  <span className="visually-hidden">{dayLabel(day.date, zone, 'long')}</span>
                </span>
                <CellContents {...props} posts={posts.get(day.date)} slots={slots.get(day.date)} />
              </DropCell>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DropCell({
  date,
  hour,
  today,
  outside = false,
  label,
  onDrop,
  children,
}: {
  date: string;
  hour?: number;
  today: boolean;
  outside?: boolean;
  label: string;
  onDrop: GridProps['onDrop'];
  children: ReactNode;
}) {
  const [over, setOver] = useState(false);
  const accepts = (event: DragEvent) => event.dataTransfer.types.includes(postDragType);
  return (
    <td
      className="calendar-cell"
      data-date={date}
      data-hour={hour}
      data-today={today || undefined}
      data-outside={outside || undefined}
      data-drop-over={over || undefined}
      // Where a dragged post would land, for the test and for tools that read the cell.
      data-label={label}
      onDragOver={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        if (!over) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        setOver(false);
        const postId = event.dataTransfer.getData(postDragType);
        if (!postId) return;
        event.preventDefault();
        onDrop(postId, hour === undefined ? { date } : { date, hour });
      }}
    >
      {children}
    </td>
  );
}

function CellContents({
  posts,
  slots,
  zone,
  focusPostId,
  onFocused,
  onOpen,
  onKeyboardMove,
}: Omit<GridProps, 'posts' | 'openSlots'> & { posts: Post[] | undefined; slots: OpenSlot[] | undefined }) {
  const accounts = useAppStore((s) => s.accounts);
  if (!posts?.length && !slots?.length) return null;
  return (
    <ul className="calendar-cell-items">
      {posts?.map((post) => (
        <li key={post.id}>
          <PostChip post={post} zone={zone} focusRequested={focusPostId === post.id} onFocused={onFocused} onOpen={onOpen} onKeyboardMove={onKeyboardMove} />
        </li>
      ))}
      {slots?.map((slot) => (
        <li key={`${slot.accountId} ${slot.at}`} className="calendar-open-slot" title={`Open slot for ${accountLabel(accounts, slot.accountId)}`}>
          {clockTime(slot.at, zone)} open<span className="visually-hidden"> slot for {accountLabel(accounts, slot.accountId)}</span>
        </li>
      ))}
    </ul>
  );
}

function accountLabel(accounts: Account[] | null, accountId: string): string {
  const account = accounts?.find((a) => a.id === accountId);
  return account ? targetLabel(account) : 'an account';
}
