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
  /** Writes the lines still waiting for the end of the turn (before the sinks are closed). */
  flush(): void;
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

interface Entry {
  at: number;
  level: Level;
  scope: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

/**
 * A logger and its children share one writer. Info and debug lines wait for the end of the current
 * turn of the event loop: redacting and writing a line costs more than most of what a publish does
 * between its commit and its request, or between the platform's answer and the app's, so those go
 * first. A warning or an error is written at once, after the lines waiting before it, so what led
 * to a failure is on disk when the failure is. `flush()` writes what waits (the core does before
 * it closes the file).
 */
export function createLogger(scope: string, sinks: LogSink[]): Logger {
  return scopedLogger(scope, lineWriter(sinks));
}

function scopedLogger(scope: string, writer: ReturnType<typeof lineWriter>): Logger {
  const log = (level: Level, message: string, fields?: Record<string, unknown>) => writer.add({ at: Date.now(), level, scope, message, fields });
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (child) => scopedLogger(`${scope}/${child}`, writer),
    flush: writer.flush,
  };
}

function lineWriter(sinks: LogSink[]) {
  let waiting: Entry[] = [];
  let scheduled = false;
  const write = (entry: Entry) => {
    const line = JSON.stringify({
      time: new Date(entry.at).toISOString(),
      level: entry.level,
      scope: entry.scope,
      message: redactText(entry.message),
      ...(entry.fields ? { fields: redactValue(entry.fields) } : {}),
    });
    for (const sink of sinks) sink.write(line);
  };
  const flush = () => {
    const lines = waiting;
    waiting = [];
    for (const entry of lines) write(entry);
  };
  return {
    add(entry: Entry) {
      if (entry.level === 'warn' || entry.level === 'error') {
        flush();
        write(entry);
        return;
      }
      waiting.push(entry);
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        flush();
      });
    },
    flush,
  };
}
