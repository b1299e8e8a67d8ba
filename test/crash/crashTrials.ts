// The outbox crash test: a child process runs the real core publishing to the real PDS
// and the Mastodon contract mock; it is killed with SIGKILL at a random moment, started again to
// let the outbox settle, and then every post it had acknowledged must exist exactly once on both
// platforms, no post at all may exist twice, and SQLite's integrity check must pass.
//
// Used by test/crash/outboxCrash.test.ts (a few trials, in CI) and scripts/crash-test.ts (200).
import '../harness/node22';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMastodonServer, type MastodonServer } from '../harness/mastodonServer';
import { startPds, type TestPds } from '../harness/pds';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

export interface TrialReport {
  trials: number;
  acknowledged: number;
  duplicates: number;
  lost: number;
  integrityFailures: number;
  /** Posts that needed the user to settle them (never expected for Bluesky and Mastodon). */
  needsUser: number;
}

interface ChildRun {
  lines: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

function runChild(mode: string, env: Record<string, string>, killAfterMs?: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    // Node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a second process,
    // which a SIGKILL of the first would leave running.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'outboxChild.ts'), mode], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (killAfterMs !== undefined) {
      // Counted from the first queued post, so the kill lands while the outbox is at work.
      const arm = setInterval(() => {
        if (lines.some((line) => line.startsWith('queued '))) {
          clearInterval(arm);
          timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }
      }, 5);
      child.on('exit', () => clearInterval(arm));
    }
    // A child that hangs is a failure to report, not a test that never ends.
    let hung = false;
    const watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, 60_000);
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(watchdog);
      if (hung) return reject(new Error(`crash child (${mode}) hung for 60 s; its last lines: ${lines.slice(-5).join(' | ')} ${stderr.slice(-2000)}`));
      if (buffer) lines.push(buffer);
      if (signal !== 'SIGKILL' && exitCode !== 0) reject(new Error(`crash child (${mode}) exited ${exitCode}: ${stderr.slice(-2000)}`));
      else resolve({ lines, exitCode, signal });
    });
  });
}

export async function runCrashTrials(trials: number, options: { log?: (line: string) => void; seed?: number } = {}): Promise<TrialReport> {
  const log = options.log ?? (() => {});
  let seed = options.seed ?? Date.now() % 2 ** 31;
  // A small deterministic generator, so a failing run can be repeated with its seed.
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  log(`seed ${options.seed ?? seed}`);

  const pds: TestPds = await startPds();
  const instance: MastodonServer = await startMastodonServer();
  // Hundreds of statuses go to one account here; its rate limit (300 per 3 hours) would hold them
  // for hours. Off, as the PDS's are: this test is about crashes.
  instance.setStatusRateLimit(Number.MAX_SAFE_INTEGER, 3 * 60 * 60 * 1000);
  const report: TrialReport = { trials, acknowledged: 0, duplicates: 0, lost: 0, integrityFailures: 0, needsUser: 0 };
  try {
    const alice = await pds.createAccount('crash');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-crash-'));
    const env = {
      LOCALPOST_CRASH_DATA_DIR: dataDir,
      LOCALPOST_CRASH_ENV: JSON.stringify(instance.env),
      LOCALPOST_CRASH_BLUESKY: JSON.stringify({ handle: alice.handle, appPassword: alice.appPassword, service: pds.url }),
    };
    await runChild('setup', env);

    for (let trial = 0; trial < trials; trial++) {
      const killAfterMs = Math.round(random() * 1500);
      const run = await runChild('publish', { ...env, LOCALPOST_CRASH_TRIAL: String(trial) }, killAfterMs);
      const acknowledged = run.lines.filter((line) => line.startsWith('queued ')).map((line) => line.slice('queued '.length));
      const settle = await runChild('settle', env);
      if (settle.lines.some((line) => line.startsWith('needs-user'))) report.needsUser++;

      const posts = await pds.listPosts(alice.did);
      const prefix = `crash trial ${trial} post `;
      const count = (texts: string[]) => {
        const counts = new Map<string, number>();
        for (const text of texts) if (text.startsWith(prefix)) counts.set(text, (counts.get(text) ?? 0) + 1);
        return counts;
      };
      const onBluesky = count(posts.map((p) => p.value.text as string));
      const onMastodon = count(instance.statuses.map((s) => s.status));
      for (const copies of [...onBluesky.values(), ...onMastodon.values()]) if (copies > 1) report.duplicates++;
      for (const text of acknowledged) {
        if ((onBluesky.get(text) ?? 0) === 0) report.lost++;
        if ((onMastodon.get(text) ?? 0) === 0) report.lost++;
      }
      report.acknowledged += acknowledged.length;

      const db = new Database(path.join(dataDir, 'localpost.sqlite'), { readonly: true });
      const integrity = db.pragma('integrity_check', { simple: true });
      db.close();
      if (integrity !== 'ok') report.integrityFailures++;
      log(`trial ${trial + 1}/${trials}: killed after ${killAfterMs} ms, ${acknowledged.length} acknowledged, integrity ${integrity}`);
    }
  } finally {
    await instance.close();
    await pds.close();
  }
  return report;
}
