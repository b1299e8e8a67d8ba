// The static Electron audit the security checklist recommends: Electronegativity (doyensec)
// over the app's source, read from its CSV report (its exit code is always 0). Every finding
// above informational must be explained in ./electronegativity-allowlist.json, every entry there
// must still match a finding (no stale excuses), and every file must have been parsed: the tool
// skips a file it cannot parse and says so only on its console, which would pass silently.
//
// A canary file with an insecure window is scanned in the same run; its findings must appear,
// which proves the pipeline (TypeScript parsing, the CSV) can see a real problem.
//
// Run: npx tsx --test test/shell/electronegativity.test.ts   (about 5 s; offline it prints
// "Could not retrieve updated translations", which is harmless)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

interface Finding {
  check: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
}
interface AllowlistEntry {
  check: string;
  file: string;
  reason: string;
}
interface RunSummary {
  scannedFiles: string[];
  parseErrors: Array<{ file: string; message: string; tolerable: boolean }>;
  findingCount: number;
}

const root = path.resolve(import.meta.dirname, '../..');
const scannedFolders = ['src-main', 'src-preload', 'src-shared', 'src-renderer'];
const canaryFile = 'zz-canary/insecureWindow.ts';
const canarySource = `import { BrowserWindow } from 'electron';
// Deliberately insecure: the audit must report it, or the audit is not looking.
export function openInsecureWindow(url: string): BrowserWindow {
  const window: BrowserWindow = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
  void window.loadURL(url);
  return window;
}
`;
const mustBeParsed = [
  'src-main/index.ts',
  ...fs.readdirSync(path.join(root, 'src-main/shell')).map((name) => `src-main/shell/${name}`),
  'src-preload/index.ts',
  'src-preload/buildApi.ts',
  'src-preload/contract.ts',
  canaryFile,
];

const allowlist: AllowlistEntry[] = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'electronegativity-allowlist.json'), 'utf8'));
const electronVersion: string = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localpost-electronegativity-'));
after(() => fs.rmSync(workDir, { recursive: true, force: true }));

let findings: Finding[] = [];
let summary: RunSummary;

before(async () => {
  // One folder holding exactly what is audited, so paths in the report are the repository's.
  const stage = path.join(workDir, 'stage');
  for (const folder of scannedFolders) {
    if (fs.existsSync(path.join(root, folder))) fs.cpSync(path.join(root, folder), path.join(stage, folder), { recursive: true });
  }
  fs.mkdirSync(path.join(stage, path.dirname(canaryFile)), { recursive: true });
  fs.writeFileSync(path.join(stage, canaryFile), canarySource);

  const report = path.join(workDir, 'electronegativity.csv');
  const summaryFile = path.join(workDir, 'summary.json');
  await promisify(execFile)(
    process.execPath,
    [path.join(import.meta.dirname, 'electronegativityRun.cjs'), stage, report, summaryFile, electronVersion],
    { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
  );
  summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  findings = parseCsv(fs.readFileSync(report, 'utf8'))
    .slice(1)
    .map(([check, severity, confidence, file, location, sample]) => ({
      check: check!,
      severity: severity!,
      confidence: confidence!,
      file: file!,
      location: location!,
      sample: sample!,
    }));
});

const isCanary = (finding: Finding) => finding.file === canaryFile;
const describeFinding = (finding: Finding) =>
  `${finding.check} (${finding.severity}/${finding.confidence}) in ${finding.file}:${finding.location}: ${finding.sample}`;
const allows = (entry: AllowlistEntry, finding: Finding) => entry.check === finding.check && entry.file === finding.file;

describe('electronegativity', () => {
  test('parsed every file it scanned, including every shell file', () => {
    assert.deepEqual(summary.parseErrors, [], 'Electronegativity could not parse these files, so it did not audit them');
    for (const file of mustBeParsed) assert.ok(summary.scannedFiles.includes(file), `${file} was not scanned`);
  });

  test('its report is complete (every finding it made is in the CSV)', () => {
    assert.equal(findings.length, summary.findingCount);
  });

  test('can fail: the insecure canary window is reported', () => {
    const canaryChecks = new Set(findings.filter(isCanary).map((finding) => finding.check));
    for (const check of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']) {
      assert.ok(canaryChecks.has(check), `${check} missing for the canary; found ${[...canaryChecks].join(', ')}`);
    }
  });

  test('no finding above informational without a reason in the allowlist', () => {
    const unexplained = findings
      .filter((finding) => !isCanary(finding) && finding.severity !== 'INFORMATIONAL')
      .filter((finding) => !allowlist.some((entry) => allows(entry, finding)))
      .map(describeFinding);
    assert.deepEqual(unexplained, [], 'Fix these, or add { check, file, reason } to test/shell/electronegativity-allowlist.json');
  });

  test('every allowlist entry still matches a finding and says why', () => {
    for (const entry of allowlist) {
      assert.ok(entry.reason.trim().length >= 40, `the reason for ${entry.check} in ${entry.file} is too thin`);
      assert.ok(
        findings.some((finding) => allows(entry, finding)),
        `stale allowlist entry: ${entry.check} in ${entry.file} no longer occurs; remove it`,
      );
    }
  });

  test('no finding is hidden in the source with an eng-disable comment', () => {
    const hidden = summary.scannedFiles.filter(
      (file) => file !== canaryFile && /eng-disable/.test(fs.readFileSync(path.join(root, file), 'utf8')),
    );
    assert.deepEqual(hidden, [], 'Inline suppressions skip the report; justify findings in the allowlist instead');
  });
});

/** RFC 4180 CSV: quoted fields with doubled quotes, which may hold commas and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += char;
    } else if (char === ',') {
      endField();
    } else if (char === '\n') {
      endRow();
    } else if (char !== '\r') {
      field += char;
    }
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

test('the CSV reader handles quotes, commas and line breaks', () => {
  assert.deepEqual(parseCsv('a, b\n"x, ""y""","multi\nline"\r\nN/A,z\n'), [
    ['a', 'b'],
    ['x, "y"', 'multi\nline'],
    ['N/A', 'z'],
  ]);
});
