// What the memory benchmarks measure around a piece of work: the process's RSS before it, the
// peak seen while it runs (sampled every 5 ms), and how long it took. With `--expose-gc`, garbage
// is collected first, so the growth is the work's own.
export const rssMb = (): number => process.memoryUsage().rss / 1024 / 1024;

export async function measureMemory(work: () => Promise<void>): Promise<{ before: number; peak: number; growth: number; seconds: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = rssMb();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb());
  }, 5);
  const start = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - start) / 1000;
  peak = Math.max(peak, rssMb());
  return { before, peak, growth: peak - before, seconds };
}
