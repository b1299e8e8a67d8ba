// A small structured logger, scoped per module (`createLogger('bluesky')`), that redacts every
// line itself before it reaches a file or the console.
import fs from 'node:fs';
import path from 'node:path';
import { redactText, redactValue } from './redact';

type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export interface LogSink {
  write(line: string): void;
  /** Lets go of what the sink holds open (a file); later lines go nowhere. */
  close?(): void;
}

/**
 * Appends to `<dataDir>/logs/localpost.log`, readable by the user only. The file is capped: past
 * `maxBytes` it becomes localpost.log.1 (the older .1 becomes .2, and so on up to `keep` files in
 * all), so a long-running app never fills the disk with its log.
 */
export function fileLogSink(logDir: string, options: { maxBytes?: number; keep?: number } = {}): LogSink {
  const maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
  const keep = Math.max(1, options.keep ?? 3);
  fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const file = path.join(logDir, 'localpost.log');
  const openLog = () => {
    const opened = fs.openSync(file, 'a', 0o600);
    fs.fchmodSync(opened, 0o600);
    return opened;
  };
  let fd: number | null = openLog();
  let size = fs.fstatSync(fd).size;
  const rotate = () => {
    fs.closeSync(fd!);
    fs.rmSync(`${file}.${keep - 1}`, { force: true });
    for (let n = keep - 2; n >= 1; n--) {
      if (fs.existsSync(`${file}.${n}`)) fs.renameSync(`${file}.${n}`, `${file}.${n + 1}`);
    }
    if (keep > 1) fs.renameSync(file, `${file}.1`);
    else fs.rmSync(file, { force: true });
    fd = openLog();
    size = 0;
  };
  return {
    write(line) {
      if (fd === null) return;
      const bytes = Buffer.from(line + '\n');
      if (size > 0 && size + bytes.length > maxBytes) rotate();
      fs.writeSync(fd, bytes);
      size += bytes.length;
    },
    // Closed before the data folder is erased: a file still open cannot be removed on Windows,
    // and a line written after would land in a file that no longer has a name.
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

export const silentSink: LogSink = { write: () => {} };

export function createLogger(scope: string, sinks: LogSink[]): Logger {
  const log = (level: Level, message: string, fields?: Record<string, unknown>) => {
    const entry = { time: new Date().toISOString(), level, scope, message: redactText(message), ...(fields ? { fields: redactValue(fields) } : {}) };
    const line = JSON.stringify(entry);
    for (const sink of sinks) sink.write(line);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (child) => createLogger(`${scope}/${child}`, sinks),
  };
}
