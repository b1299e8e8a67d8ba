// The posting-slot rule "Add to queue" follows: the earliest upcoming slot of any of the post's
// accounts that no scheduled post to that account occupies, read in the user's zone with its
// daylight-saving rules; and what the core refuses in the slots a user enters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFreeSlot, occupancyKey, parseSlots, slotOccurrences, type StoredSlot } from '../../src-main/core/calendar/postingSlots';
import { AppError } from '../../src-main/core/errors';

const zone = 'Europe/Berlin';
const hasCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
const slots = (entries: Record<string, Array<[number, string]>>) =>
  new Map(Object.entries(entries).map(([account, list]) => [account, parseSlots(list.map(([weekday, time]) => ({ weekday, time })))] as [string, StoredSlot[]]));

describe('posting slots', () => {
  it('reads a slot at the same wall time on both sides of a daylight-saving change', () => {
    // Europe/Berlin moves to summer time on Sunday 31 March 2030 (02:00 → 03:00).
    const found = slotOccurrences(slots({ a: [[1, '09:00']] }), Date.UTC(2030, 2, 24), Date.UTC(2030, 3, 7), zone);
    assert.deepEqual(
      found.map((slot) => [slot.local, new Date(slot.at).toISOString()]),
      [
        ['2030-03-25T09:00', '2030-03-25T08:00:00.000Z'], // CET, UTC+1
        ['2030-04-01T09:00', '2030-04-01T07:00:00.000Z'], // CEST, UTC+2
      ],
    );
  });

  it('moves a slot inside the spring gap forward by the gap, and takes the first of a repeated time', () => {
    const sunday = slots({ a: [[7, '02:30']] });
    const [spring] = slotOccurrences(sunday, Date.UTC(2030, 2, 30, 12), Date.UTC(2030, 3, 1), zone);
    // 02:30 does not exist on 31 March 2030: it is 03:30 summer time, 01:30 UTC.
    assert.equal(new Date(spring!.at).toISOString(), '2030-03-31T01:30:00.000Z');
    // 02:30 happens twice on 27 October 2030: the first, still summer time (UTC+2), is taken.
    const [autumn] = slotOccurrences(sunday, Date.UTC(2030, 9, 26, 12), Date.UTC(2030, 9, 28), zone);
    assert.equal(new Date(autumn!.at).toISOString(), '2030-10-27T00:30:00.000Z');
  });

  it('picks the earliest upcoming slot of any account, skipping slots already taken for that account', () => {
    // Friday 29 March 2030, 10:00 in Berlin; the week has the spring change on Sunday.
    const now = Date.UTC(2030, 2, 29, 9, 0);
    const week = slots({ alice: [[1, '09:00'], [5, '10:00']], bob: [[7, '02:30'], [1, '09:00']] });
    // Friday 10:00 is now, not upcoming: Sunday's 02:30 (03:30 summer time) comes first.
    const first = nextFreeSlot({ slotsByAccount: week, occupied: new Set(), now, zone });
    assert.deepEqual(first, { accountId: 'bob', at: Date.UTC(2030, 2, 31, 1, 30), local: '2030-03-31T02:30' });
    // Bob's Sunday slot is taken: Monday 09:00 summer time, where alice comes before bob.
    const monday = nextFreeSlot({ slotsByAccount: week, occupied: new Set([occupancyKey('bob', first.at)]), now, zone });
    assert.deepEqual(monday, { accountId: 'alice', at: Date.UTC(2030, 3, 1, 7, 0), local: '2030-04-01T09:00' });
    // Alice's Monday taken, Bob's same instant free: still that time, through Bob.
    const mondayBob = nextFreeSlot({ slotsByAccount: week, occupied: new Set([occupancyKey('bob', first.at), occupancyKey('alice', monday.at)]), now, zone });
    assert.deepEqual(mondayBob, { accountId: 'bob', at: monday.at, local: '2030-04-01T09:00' });
    // A post to another account at a slot's time does not occupy it.
    assert.deepEqual(nextFreeSlot({ slotsByAccount: week, occupied: new Set([occupancyKey('carol', first.at)]), now, zone }), first);
  });

  it('reads the slots in the zone given: the same slots are other instants in New York', () => {
    const now = Date.UTC(2030, 5, 3, 12, 0); // Monday 3 June 2030
    const picked = nextFreeSlot({ slotsByAccount: slots({ a: [[2, '09:00']] }), occupied: new Set(), now, zone: 'America/New_York' });
    assert.deepEqual(picked, { accountId: 'a', at: Date.UTC(2030, 5, 4, 13, 0), local: '2030-06-04T09:00' });
  });

  it('says when no account has a slot, when every slot of the year is taken, and refuses an unknown zone', () => {
    const now = Date.UTC(2030, 0, 1);
    assert.throws(() => nextFreeSlot({ slotsByAccount: new Map(), occupied: new Set(), now, zone }), hasCode('posting_slots.none'));
    assert.throws(() => nextFreeSlot({ slotsByAccount: new Map([['a', []]]), occupied: new Set(), now, zone }), hasCode('posting_slots.none'));
    const weekly = slots({ a: [[3, '12:00']] });
    const everyOne = slotOccurrences(weekly, now + 1, now + 400 * 86_400_000, zone).map((slot) => occupancyKey(slot.accountId, slot.at));
    assert.throws(() => nextFreeSlot({ slotsByAccount: weekly, occupied: new Set(everyOne), now, zone }), hasCode('posting_slots.full'));
    assert.throws(() => nextFreeSlot({ slotsByAccount: weekly, occupied: new Set(), now, zone: 'Mars/Olympus' }), hasCode('invalid_input'));
  });

  it('checks the slots a user enters and keeps them in week order', () => {
    assert.deepEqual(
      parseSlots([
        { weekday: 5, time: '17:00' },
        { weekday: 1, time: '09:30' },
        { weekday: 1, time: '08:05' },
      ]),
      [
        { weekday: 1, minuteOfDay: 485 },
        { weekday: 1, minuteOfDay: 570 },
        { weekday: 5, minuteOfDay: 1020 },
      ],
    );
    for (const bad of [{ weekday: 0, time: '09:00' }, { weekday: 8, time: '09:00' }, { weekday: 1.5, time: '09:00' }, { weekday: 1, time: '24:00' }, { weekday: 1, time: '9:00' }, { weekday: 1, time: '09:60' }]) {
      assert.throws(() => parseSlots([bad]), hasCode('posting_slots.invalid'), JSON.stringify(bad));
    }
    assert.throws(
      () => parseSlots([{ weekday: 2, time: '09:00' }, { weekday: 2, time: '09:00' }]),
      (error: unknown) => hasCode('posting_slots.invalid')(error) && /Tuesday 09:00 is listed twice/.test((error as Error).message),
    );
  });
});
