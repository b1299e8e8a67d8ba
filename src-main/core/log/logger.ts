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

/** Appends to `<dataDir>/logs/localpost.log`, readable by the user only. */
export function fileLogSink(logDir: string): LogSink {
  fs.mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const file = path.join(logDir, 'localpost.log');
  let fd: number | null = fs.openSync(file, 'a', 0o600);
  fs.fchmodSync(fd, 0o600);
  return {
    write(line) {
      if (fd !== null) fs.writeSync(fd, line + '\n');
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
