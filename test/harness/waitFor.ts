// Polls every 25 ms until `read` gives a value (a consent page opened, a state reached).
export async function waitFor<T>(read: () => T | undefined, what: string, attempts = 400): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}
