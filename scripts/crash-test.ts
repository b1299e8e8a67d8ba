// The full outbox crash test: `npm run crash-test` (200 trials) or `npm run crash-test -- 50`.
// Prints duplicates, lost posts and integrity failures; exits non-zero if any is not 0.
import { runCrashTrials } from '../test/crash/crashTrials';

const trials = Number(process.argv[2] ?? 200);
const report = await runCrashTrials(trials, { log: (line) => console.log(line) });
console.log(`duplicates ${report.duplicates}, lost posts ${report.lost}, integrity_check failures ${report.integrityFailures}, needing the user ${report.needsUser}`);
console.log(`(${report.trials} trials, ${report.acknowledged} acknowledged posts, each to Bluesky and Mastodon)`);
process.exit(report.duplicates + report.lost + report.integrityFailures + report.needsUser === 0 ? 0 : 1);
