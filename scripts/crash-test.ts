// The full outbox crash test: `npm run crash-test` (200 trials), `npm run crash-test -- 50` or
// LOCALPOST_CRASH_TRIALS=50 (as the CI test reads it).
// Prints duplicates, lost posts and integrity failures; exits non-zero if any is not 0. LinkedIn
// posts cut off mid-request are left to the user (LinkedIn cannot be asked) and counted apart.
import { runCrashTrials } from '../test/crash/crashTrials';

const trials = Number(process.argv[2] ?? process.env.LOCALPOST_CRASH_TRIALS ?? 200);
const report = await runCrashTrials(trials, { log: (line) => console.log(line) });
console.log(
  `duplicates ${report.duplicates}, lost posts ${report.lost}, integrity_check failures ${report.integrityFailures}, ` +
    `needing the user ${report.needsUser}, unsettled ${report.unsettled}, left in the media bucket ${report.bucketLeftovers}, ` +
    `contract violations ${report.contractViolations}, uploads begun again ${report.restartedUploads}`,
);
console.log(
  `LinkedIn posts left to the user ${report.linkedinUnknown} (${report.linkedinUnknownPosted} of them had reached LinkedIn, ` +
    `${report.linkedinUnknown - report.linkedinUnknownPosted} had not)`,
);
console.log(
  `(${report.trials} trials, ${report.acknowledged} acknowledged posts (${report.videos} with a video), each image post to Bluesky, Mastodon, LinkedIn, ` +
    'Pinterest, X, Threads, Facebook and Instagram, each video post to Mastodon, X, LinkedIn, TikTok, YouTube and Facebook)',
);
const failures =
  report.duplicates + report.lost + report.integrityFailures + report.needsUser + report.unsettled + report.bucketLeftovers + report.contractViolations + report.restartedUploads;
process.exit(failures === 0 ? 0 : 1);
