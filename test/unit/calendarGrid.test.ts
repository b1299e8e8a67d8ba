// The calendar's days in the user's zone (the renderer's calendarGrid): weeks from Monday, months
// as whole weeks, days of their real length across daylight-saving changes, where a post falls,
// and the wall time a moved post gets in the zone it was scheduled in.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarGrid, movedSchedule, placeOf, stepAnchor, type PlacedPost } from '../../src-renderer/features/calendar/calendarGrid';

const zone = 'Europe/Berlin';
const hour = 3_600_000;

function scheduled(at: number, scheduleZone: string): PlacedPost {
  return { createdAt: 0, scheduledAt: at, scheduleZone };
}

describe('calendar grid', () => {
  it('starts a week on Monday and gives each day its real length across a daylight-saving change', () => {
    // Europe/Berlin moves to summer time on Sunday 31 March 2030: that day has 23 hours.
    const week = calendarGrid('week', '2030-03-27', zone, Date.UTC(2030, 2, 27, 12));
    assert.deepEqual(
      week.days.map((day) => day.date),
      ['2030-03-25', '2030-03-26', '2030-03-27', '2030-03-28', '2030-03-29', '2030-03-30', '2030-03-31'],
    );
    assert.equal(week.from, Date.UTC(2030, 2, 24, 23));
    assert.equal(week.to, Date.UTC(2030, 2, 31, 22));
    assert.equal(week.days[6]!.end - week.days[6]!.start, 23 * hour);
    assert.deepEqual(
      week.days.map((day) => day.today),
      [false, false, true, false, false, false, false],
    );
  });

  it('shows a month as whole weeks, marking the days outside it, and steps by month or week', () => {
    // June 2030 starts on a Saturday and ends on a Sunday: five weeks, 27 May to 30 June.
    const month = calendarGrid('month', '2030-06-15', zone);
    assert.equal(month.days.length, 35);
    assert.equal(month.days[0]!.date, '2030-05-27');
    assert.equal(month.days.at(-1)!.date, '2030-06-30');
    assert.deepEqual(
      month.days.filter((day) => !day.inMonth).map((day) => day.date),
      ['2030-05-27', '2030-05-28', '2030-05-29', '2030-05-30', '2030-05-31'],
    );
    assert.ok(month.to - month.from <= 45 * 24 * hour, 'within what calendar.range accepts');
    // A six-week month: September 2030 starts on a Sunday.
    assert.equal(calendarGrid('month', '2030-09-01', zone).days.length, 42);
    assert.equal(stepAnchor('month', '2030-01-31', 1, zone), '2030-02-01');
    assert.equal(stepAnchor('week', '2030-03-27', -1, zone), '2030-03-20');
  });

  it('places a post on its day and hour in the calendar zone', () => {
    assert.deepEqual(placeOf(Date.UTC(2030, 5, 3, 22, 30), zone), { date: '2030-06-04', hour: 0 });
  });

  it('moves a post to another day or hour, keeping its minutes and the zone it was scheduled in', () => {
    // 09:15 in Berlin on 4 June, scheduled in Berlin: to Thursday 14:00, to Friday (month view).
    const berlin = scheduled(Date.UTC(2030, 5, 4, 7, 15), zone);
    assert.deepEqual(movedSchedule(berlin, { date: '2030-06-06', hour: 14 }, zone), { local: '2030-06-06T14:15', zone });
    assert.deepEqual(movedSchedule(berlin, { date: '2030-06-07' }, zone), { local: '2030-06-07T09:15', zone });
    // Scheduled in New York (03:15 there), seen in Berlin at 09:15: dropped on Thursday 14:00
    // Berlin time, it is 08:15 in New York, and stays a New York schedule.
    const newYork = scheduled(Date.UTC(2030, 5, 4, 7, 15), 'America/New_York');
    assert.deepEqual(movedSchedule(newYork, { date: '2030-06-06', hour: 14 }, zone), { local: '2030-06-06T08:15', zone: 'America/New_York' });
  });
});
