// One pending run of an async task, pushed back on every `schedule` and run at once by `flush`.
// Autosave, alt text and link cards all use it, so "flush everything before leaving" is one call.
export interface DebouncedTask {
  schedule(): void;
  /** Runs the task now if it was scheduled; resolves when that run (or none) is done. */
  flush(): Promise<void>;
  cancel(): void;
  readonly pending: boolean;
}

export function createDebouncedTask(delayMs: number, run: () => Promise<void>): DebouncedTask {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const fire = (): Promise<void> => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    return run();
  };
  return {
    schedule() {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => void fire(), delayMs);
    },
    flush() {
      return timer === null ? Promise.resolve() : fire();
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    get pending() {
      return timer !== null;
    },
  };
}
