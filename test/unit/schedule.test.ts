// Schedules are wall times in IANA zones: the instant must follow each zone's rules for that date,
// across the daylight-saving changes of two zones whose changes fall on different days.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatInZone, scheduleAt } from '../../src-main/core/outbox/schedule';
import { AppError } from '../../src-main/core/errors';

const iso = (local: string, zone: string) => new Date(scheduleAt(local, zone).at).toISOString();

describe('schedules in a time zone', () => {
  it('keeps 09:00 local on both sides of a DST change (Europe/Berlin, America/New_York)', () => {
    // Berlin: CET (+1) until 29 March 2026, CEST (+2) after.
    assert.equal(iso('2026-03-28T09:00', 'Europe/Berlin'), '2026-03-28T08:00:00.000Z');
    assert.equal(iso('2026-03-30T09:00', 'Europe/Berlin'), '2026-03-30T07:00:00.000Z');
    // New York: EST (-5) until 8 March 2026, EDT (-4) after; back on 1 November.
    assert.equal(iso('2026-03-07T09:00', 'America/New_York'), '2026-03-07T14:00:00.000Z');
    assert.equal(iso('2026-03-09T09:00', 'America/New_York'), '2026-03-09T13:00:00.000Z');
    assert.equal(iso('2026-11-02T09:00', 'America/New_York'), '2026-11-02T14:00:00.000Z');
    // Scheduled on one side for the other: the same wall time, a different distance in hours.
    const before = scheduleAt('2026-03-07T09:00', 'America/New_York').at;
    const after = scheduleAt('2026-03-09T09:00', 'America/New_York').at;
    assert.equal(after - before, 47 * 60 * 60 * 1000);
  });

  it('moves a time that does not exist (the spring-forward gap) forward by the gap', () => {
    assert.equal(iso('2026-03-29T02:30', 'Europe/Berlin'), '2026-03-29T01:30:00.000Z');
    assert.equal(formatInZone(scheduleAt('2026-03-29T02:30', 'Europe/Berlin').at, 'Europe/Berlin').slice(0, 16), '2026-03-29 03:30');
    assert.equal(iso('2026-03-08T02:30', 'America/New_York'), '2026-03-08T07:30:00.000Z');
  });

  it('takes the first of a time that happens twice (fall back)', () => {
    // 02:30 CEST (00:30Z) comes before 02:30 CET (01:30Z).
    assert.equal(iso('2026-10-25T02:30', 'Europe/Berlin'), '2026-10-25T00:30:00.000Z');
    // 01:30 EDT (05:30Z) comes before 01:30 EST (06:30Z).
    assert.equal(iso('2026-11-01T01:30', 'America/New_York'), '2026-11-01T05:30:00.000Z');
    // Outside the change it is the one time there is.
    assert.equal(iso('2026-10-25T03:30', 'Europe/Berlin'), '2026-10-25T02:30:00.000Z');
  });

  it('refuses an unknown zone and an impossible date with invalid_input', () => {
    for (const [local, zone] of [
      ['2026-03-01T09:00', 'Mars/Olympus_Mons'],
      ['2026-02-30T09:00', 'Europe/Berlin'],
      ['2026-03-01 09:00', 'Europe/Berlin'],
      ['2026-03-01T25:00', 'Europe/Berlin'],
    ] as const) {
      assert.throws(() => scheduleAt(local, zone), (error: unknown) => error instanceof AppError && error.code === 'invalid_input', `${local} ${zone}`);
    }
  });
});
