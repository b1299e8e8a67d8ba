// A few crash trials in CI (LOCALPOST_CRASH_TRIALS, default 5); `npm run crash-test` runs 200.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCrashTrials } from './crashTrials';

describe('the outbox survives SIGKILL at random points', () => {
  it('loses nothing, duplicates nothing, and keeps the database intact', async () => {
    const trials = Number(process.env.LOCALPOST_CRASH_TRIALS ?? 5);
    const report = await runCrashTrials(trials, { log: (line) => console.log(`# ${line}`) });
    console.log(`# ${JSON.stringify(report)}`);
    assert.ok(report.acknowledged > 0, 'the children queued posts before they were killed');
    assert.deepEqual(
      { duplicates: report.duplicates, lost: report.lost, integrityFailures: report.integrityFailures, needsUser: report.needsUser },
      { duplicates: 0, lost: 0, integrityFailures: 0, needsUser: 0 },
    );
  });
});
