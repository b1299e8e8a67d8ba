// The Calendar: the profile's scheduled and sent posts by week or month, in the system's time
// zone, with each account's open posting slots. A post waiting for its time is moved by dragging
// it to another day (or hour), or with Alt and the arrow keys; the move is a Reschedule, with its
// rules (only a post not started, never into the past, in the zone it was scheduled in), and a
// refusal is shown above the calendar. Below it, the posting slots are set.
import { useCallback, useEffect, useState } from 'react';
import type { BridgeError, Post } from '../../bridge';
import { calendarZone } from '../../state/calendarSlice';
import { useAppStore } from '../../state/store';
import { ErrorAlert, LoadError } from '../../ui/ErrorAlert';
import { ViewHeader } from '../../ui/ViewHeader';
import { calendarGrid, calendarTime, movedSchedule, placeOf, shiftDate, stepAnchor, todayIn, type CalendarMode } from './calendarGrid';
import { MonthGrid, WeekGrid } from './CalendarGrids';
import type { KeyboardMove } from './PostChip';
import { PostDialog } from './PostDialog';
import { PostingSlotsEditor } from './PostingSlotsEditor';

export function CalendarView() {
  const zone = useAppStore(calendarZone);
  const mode = useAppStore((s) => s.calendarMode);
  const anchor = useAppStore((s) => s.calendarAnchor) ?? todayIn(zone);
  const range = useAppStore((s) => s.calendarRange);
  const loadError = useAppStore((s) => s.calendarError);
  const showCalendar = useAppStore((s) => s.showCalendar);
  const loadCalendar = useAppStore((s) => s.loadCalendar);
  const movePost = useAppStore((s) => s.movePost);
  const slotsRequested = useAppStore((s) => s.takeSlotsRequest);
  const [opened, setOpened] = useState<string | null>(null);
  const [moveError, setMoveError] = useState<BridgeError | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [focusPostId, setFocusPostId] = useState<string | null>(null);
  const grid = calendarGrid(mode, anchor, zone);
  // The range on screen may still be the previous one while the new one loads.
  const current = range && range.from === grid.from && range.to === grid.to ? range : null;

  useEffect(() => void loadCalendar(), [loadCalendar, zone]);
  useEffect(() => {
    // "Set posting slots" in the composer brings the user here, to the slots.
    if (slotsRequested()) document.getElementById('posting-slots-title')?.focus();
  }, [slotsRequested]);

  const move = async (post: Post, target: { date: string; hour?: number }, how: 'drag' | 'keyboard') => {
    setMoveError(null);
    const schedule = movedSchedule(post, target, zone);
    const error = await movePost(post.id, schedule);
    // The chip is in its new cell now (the range reloaded): the focus follows it there.
    if (how === 'keyboard') setFocusPostId(post.id);
    setMoveError(error);
    const short = post.text.trim().slice(0, 40) || 'The post';
    setAnnouncement(error ? `${short} was not moved: ${error.message}` : `${short} moved to ${schedule.local.replace('T', ' ')} ${schedule.zone}.`);
    return error === null;
  };

  const onDrop = (postId: string, target: { date: string; hour?: number }) => {
    const post = current?.posts.find((p) => p.id === postId);
    if (post) void move(post, target, 'drag');
  };

  const onKeyboardMove = (post: Post, { days, hours }: KeyboardMove) => {
    const place = placeOf(calendarTime(post), zone);
    let hour = place.hour + hours;
    let dayShift = days;
    if (hour < 0) [hour, dayShift] = [23, dayShift - 1];
    if (hour > 23) [hour, dayShift] = [0, dayShift + 1];
    const date = shiftDate(place.date, dayShift, zone);
    void move(post, mode === 'week' ? { date, hour } : { date }, 'keyboard').then((moved) => {
      // Moved out of the range shown: the calendar follows it (and the focus, to its new cell).
      if (moved && !grid.days.some((day) => day.date === date)) showCalendar(mode, date);
    });
  };

  const onFocused = useCallback(() => setFocusPostId(null), []);
  const openedPost = opened ? current?.posts.find((p) => p.id === opened) : undefined;
  const gridProps = {
    grid,
    posts: current?.posts ?? [],
    openSlots: current?.openSlots ?? [],
    zone,
    focusPostId,
    onFocused,
    onOpen: (post: Post) => setOpened(post.id),
    onDrop,
    onKeyboardMove,
  };

  return (
    <div className="view calendar-view">
      <ViewHeader
        title="Calendar"
        description={`Scheduled and sent posts of every account, in ${zone}. Drag a scheduled post to another day or hour, or move it with Alt and the arrow keys.`}
      />
      <div className="calendar-toolbar" role="toolbar" aria-label="Calendar navigation">
        <div className="calendar-nav">
          <button type="button" className="button button-small" onClick={() => showCalendar(mode, stepAnchor(mode, anchor, -1, zone))}>
            {mode === 'week' ? 'Previous week' : 'Previous month'}
          </button>
          <button type="button" className="button button-small" onClick={() => showCalendar(mode, null)}>
            Today
          </button>
          <button type="button" className="button button-small" onClick={() => showCalendar(mode, stepAnchor(mode, anchor, 1, zone))}>
            {mode === 'week' ? 'Next week' : 'Next month'}
          </button>
        </div>
        <h2 className="calendar-title" aria-live="polite">
          {grid.title}
        </h2>
        <div className="calendar-modes" role="group" aria-label="Show">
          {(['week', 'month'] as CalendarMode[]).map((choice) => (
            <button key={choice} type="button" className="button button-small" aria-pressed={mode === choice} onClick={() => showCalendar(choice, anchor)}>
              {choice === 'week' ? 'Week' : 'Month'}
            </button>
          ))}
        </div>
      </div>

      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {moveError && <ErrorAlert error={moveError} onDismiss={() => setMoveError(null)} />}
      {loadError && <LoadError error={loadError} onRetry={() => void loadCalendar()} />}
      {current?.more && <p className="muted">This {mode} has more posts than the calendar shows at once; History lists them all.</p>}

      <section className="calendar" aria-label="Calendar" aria-busy={current === null}>
        {mode === 'week' ? <WeekGrid key={grid.from} {...gridProps} /> : <MonthGrid {...gridProps} />}
      </section>

      <PostingSlotsEditor zone={zone} />

      {openedPost && <PostDialog key={openedPost.id} post={openedPost} zone={zone} onClose={() => setOpened(null)} />}
    </div>
  );
}
